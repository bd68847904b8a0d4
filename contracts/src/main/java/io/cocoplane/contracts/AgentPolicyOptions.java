package io.cocoplane.contracts;

import java.util.Objects;

/**
 * Agent-policy options of a workload: what the generated Kata agent policy allows beyond the default deny of exec, log reading, SetPolicy and CopyFile.
 *
 * @param allowExec Allow ExecProcessRequest (exec into the container). Default false.
 * @param allowLogs Allow ReadStreamRequest (reading container stdout/stderr). Default false.
 */
public record AgentPolicyOptions(boolean allowExec, boolean allowLogs) {
}
