package io.cocoplane.contracts;

import java.util.Objects;

/**
 * Kubernetes resource requests and limits of a workload, in Kubernetes quantity syntax.
 *
 * @param cpu CPU request and limit, e.g. "2" or "500m".
 * @param memory Memory request and limit, e.g. "8Gi".
 */
public record ResourceLimits(String cpu, String memory) {
}
