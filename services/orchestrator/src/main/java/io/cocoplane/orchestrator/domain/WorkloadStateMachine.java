package io.cocoplane.orchestrator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The workload lifecycle of ARCHITECTURE §4 as a pure function: {@code (lifecycle, signal, now) → outcome}.
 *
 * <ul>
 *   <li>Order-independent: facts ({@code podReady}, {@code attested}) are recorded whenever they arrive and the state
 *       converges: {@code SCHEDULED → ATTESTED} once attested, {@code ATTESTED → RUNNING} once the pod is also
 *       ready. An attestation that lands before the pod is ready therefore waits in {@code ATTESTED}; a pod ready
 *       before the attestation waits in {@code SCHEDULED}.</li>
 *   <li>Idempotent: a signal whose fact is already known yields no transition (duplicates are ignored).</li>
 *   <li>{@code FAILED} is reachable from {@code REQUESTED}, {@code SCHEDULED}, {@code ATTESTED}, {@code RUNNING};
 *       {@code FAILED} and {@code TERMINATED} ignore everything except, for {@code FAILED}, a deletion request.</li>
 *   <li>Deletion: any state but {@code TERMINATING}/{@code TERMINATED} goes to {@code TERMINATING}; the pod's
 *       disappearance then yields {@code TERMINATED}. A pod that disappears without a deletion request fails the
 *       workload with {@link FailureReason#POD_LOST}.</li>
 *   <li>Deadlines ({@link Signal.Tick}): not scheduled within {@link Deadlines#scheduling()} of the request, not
 *       attested within {@link Deadlines#attestation()} or not ready within {@link Deadlines#readiness()} of the
 *       pod's creation → {@code FAILED DEADLINE_EXCEEDED}.</li>
 * </ul>
 */
public final class WorkloadStateMachine {

    private final Deadlines deadlines;

    /** @param deadlines the deadlines enforced on {@link Signal.Tick} */
    public WorkloadStateMachine(Deadlines deadlines) {
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    }

    /** @return the deadlines */
    public Deadlines deadlines() {
        return deadlines;
    }

    /**
     * The result of one signal.
     *
     * @param lifecycle   the lifecycle after the signal (equal to the input when nothing changed)
     * @param transitions the state changes, in order (empty when the state did not change)
     */
    public record Outcome(Lifecycle lifecycle, List<Transition> transitions) {
        /** Copies the list. */
        public Outcome {
            transitions = List.copyOf(transitions);
        }
    }

    /**
     * Applies a signal.
     *
     * @param current the lifecycle before
     * @param signal  what was observed
     * @param now     the current time
     * @return the new lifecycle and the transitions, in order
     */
    public Outcome apply(Lifecycle current, Signal signal, Instant now) {
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(signal, "signal");
        Objects.requireNonNull(now, "now");
        List<Transition> out = new ArrayList<>(3);
        Lifecycle l = current;
        WorkloadState s = l.state();

        if (signal instanceof Signal.DeletionRequested) {
            if (s != WorkloadState.TERMINATING && s != WorkloadState.TERMINATED) {
                l = move(l, WorkloadState.TERMINATING, null, "deletion requested", signal, now, out);
            }
            return new Outcome(l, out);
        }
        if (signal instanceof Signal.PodDeleted) {
            switch (s) {
                case TERMINATING -> l = move(l, WorkloadState.TERMINATED, null, "pod deleted", signal, now, out);
                case SCHEDULED, ATTESTED, RUNNING -> l = move(l, WorkloadState.FAILED, FailureReason.POD_LOST,
                        "the pod disappeared without a deletion request", signal, now, out);
                default -> { } // REQUESTED: not ours yet; FAILED/TERMINATED: final
            }
            return new Outcome(l, out);
        }
        if (s.isTerminal() || s == WorkloadState.TERMINATING) {
            return new Outcome(l, out);
        }
        switch (signal) {
            case Signal.PodCreated c -> {
                if (s == WorkloadState.REQUESTED) {
                    l = l.withScheduledAt(now);
                    l = move(l, WorkloadState.SCHEDULED, null, null, signal, now, out);
                }
            }
            case Signal.PodReady r -> l = l.withPodReady(true);
            case Signal.PodNotReady n -> l = l.withPodReady(false);
            case Signal.Attested a -> l = l.withAttested();
            case Signal.Failure f -> {
                return new Outcome(move(l, WorkloadState.FAILED, f.reason(), f.detail(), signal, now, out), out);
            }
            case Signal.Tick t -> {
                String missed = missedDeadline(l, now);
                if (missed != null) {
                    return new Outcome(move(l, WorkloadState.FAILED, FailureReason.DEADLINE_EXCEEDED, missed,
                            signal, now, out), out);
                }
            }
            default -> throw new IllegalStateException("unhandled signal " + signal);
        }
        return new Outcome(converge(l, signal, now, out), out);
    }

    private static Lifecycle converge(Lifecycle l, Signal signal, Instant now, List<Transition> out) {
        if (l.state() == WorkloadState.SCHEDULED && l.attested()) {
            l = move(l, WorkloadState.ATTESTED, null, null, signal, now, out);
        }
        if (l.state() == WorkloadState.ATTESTED && l.podReady()) {
            l = move(l, WorkloadState.RUNNING, null, null, signal, now, out);
        }
        return l;
    }

    private String missedDeadline(Lifecycle l, Instant now) {
        switch (l.state()) {
            case REQUESTED -> {
                if (passed(l.requestedAt(), deadlines.scheduling(), now)) {
                    return "not scheduled within " + deadlines.scheduling();
                }
            }
            case SCHEDULED, ATTESTED -> {
                Instant from = l.scheduledAt() != null ? l.scheduledAt() : l.requestedAt();
                if (!l.attested() && passed(from, deadlines.attestation(), now)) {
                    return "not attested within " + deadlines.attestation() + " of the pod's creation";
                }
                if (!l.podReady() && passed(from, deadlines.readiness(), now)) {
                    return "pod not ready within " + deadlines.readiness() + " of its creation";
                }
            }
            default -> { }
        }
        return null;
    }

    private static boolean passed(Instant from, Duration limit, Instant now) {
        return now.isAfter(from.plus(limit));
    }

    private static Lifecycle move(Lifecycle l, WorkloadState to, FailureReason reason, String detail, Signal signal,
                                  Instant now, List<Transition> out) {
        out.add(new Transition(l.state(), to, reason, detail, signal.cause(), now));
        return l.withState(to, reason, detail);
    }
}
