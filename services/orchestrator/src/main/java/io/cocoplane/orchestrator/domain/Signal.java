package io.cocoplane.orchestrator.domain;

import java.util.Objects;

/**
 * An input of the {@link WorkloadStateMachine}: something observed about a workload. Every signal names its
 * {@link #cause()}, which lands in the history of any transition it triggers.
 */
public sealed interface Signal {

    /** @return what was observed, e.g. {@code "pod ready"} or {@code "attestation.completed <event id>"} */
    String cause();

    /** The pod was created (or found already created) in Kubernetes. */
    record PodCreated(String cause) implements Signal {
    }

    /** The pod's Ready condition is True. */
    record PodReady(String cause) implements Signal {
    }

    /** The pod's Ready condition is False (again). Records the fact; never a transition by itself. */
    record PodNotReady(String cause) implements Signal {
    }

    /** The pod is gone from Kubernetes. */
    record PodDeleted(String cause) implements Signal {
    }

    /** The guest was attested for this workload, or a key was released to it (which needs an attestation). */
    record Attested(String cause) implements Signal {
    }

    /** A deletion was requested. */
    record DeletionRequested(String cause) implements Signal {
    }

    /**
     * A failure: a failure signature of the pod, a failed attestation, a denied key, an unresolvable image.
     *
     * @param reason the reason code
     * @param detail human-readable detail (may be {@code null})
     * @param cause  what was observed
     */
    record Failure(FailureReason reason, String detail, String cause) implements Signal {
        /** @throws NullPointerException without a reason */
        public Failure {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Time passed: check the deadlines. */
    record Tick(String cause) implements Signal {
    }
}
