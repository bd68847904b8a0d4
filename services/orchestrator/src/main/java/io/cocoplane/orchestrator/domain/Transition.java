package io.cocoplane.orchestrator.domain;

import java.time.Instant;

/**
 * One state change, as kept in the workload's history and published as {@code workload.state-changed}.
 *
 * @param from   state before, or {@code null} for the first state
 * @param to     state after
 * @param reason failure reason (only with {@code to == FAILED}), else {@code null}
 * @param detail human-readable detail, or {@code null}
 * @param cause  what caused it, e.g. {@code "attestation.completed <event id>"} or {@code "pod ready"}
 * @param at     when it happened
 */
public record Transition(WorkloadState from, WorkloadState to, FailureReason reason, String detail, String cause,
                         Instant at) {
}
