package io.cocoplane.orchestrator.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.cocoplane.orchestrator.domain.FailureReason;
import io.cocoplane.orchestrator.domain.Signal;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;

/** Failure signatures of kata-orchestration.md §5 as they appear in pod status and events. */
class PodClassifierTest {

    static Pod pod(PodStatus status) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withStatus(status).build();
    }

    static Pod waiting(String reason, String message) {
        return pod(new PodStatusBuilder().withPhase("Pending").addNewContainerStatus().withName("workload")
                .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                .endContainerStatus().build());
    }

    static FailureReason reasonOf(Pod p) {
        return ((Signal.Failure) PodClassifier.classify(p).orElseThrow()).reason();
    }

    @Test
    void containerCreationErrorsAreClassifiedByTheirMessage() {
        assertThat(reasonOf(waiting("RunContainerError", "Failed to decrypt the image layer, please ensure that the "
                + "decryption key is placed and correct"))).isEqualTo(FailureReason.IMAGE_DECRYPT_FAILED);
        assertThat(reasonOf(waiting("CreateContainerError", "CreateContainerRequest is blocked by policy: ")))
                .isEqualTo(FailureReason.POLICY_DENIED);
        assertThat(reasonOf(waiting("RunContainerError", "Image policy rejected: Denied by policy")))
                .isEqualTo(FailureReason.IMAGE_SIGNATURE_REJECTED);
        assertThat(reasonOf(waiting("RunContainerError", "Failed to pull image: Not authorized")))
                .isEqualTo(FailureReason.REGISTRY_AUTH_FAILED);
        assertThat(reasonOf(waiting("CreateContainerError", "createContainer failed: timeout")))
                .isEqualTo(FailureReason.GUEST_PULL_TIMEOUT);
        assertThat(reasonOf(waiting("RunContainerError", "something else"))).isEqualTo(
                FailureReason.CONTAINER_START_FAILED);
        assertThat(reasonOf(waiting("ImagePullBackOff", "Back-off pulling image"))).isEqualTo(
                FailureReason.IMAGE_PULL_FAILED);
    }

    @Test
    void backOffAfterAStartErrorKeepsTheOriginalSignatureButAnAppCrashLoopIsNoFailure() {
        Pod startError = pod(new PodStatusBuilder().addNewContainerStatus().withName("workload")
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("StartError")
                .withMessage("failed to decrypt layer").endTerminated().endLastState()
                .endContainerStatus().build());
        assertThat(reasonOf(startError)).isEqualTo(FailureReason.IMAGE_DECRYPT_FAILED);

        Pod appCrash = pod(new PodStatusBuilder().addNewContainerStatus().withName("workload")
                .withNewState().withNewWaiting().withReason("CrashLoopBackOff").endWaiting().endState()
                .withNewLastState().withNewTerminated().withReason("Error").withExitCode(1).endTerminated()
                .endLastState().endContainerStatus()
                .addNewCondition().withType("Ready").withStatus("False").endCondition().build());
        assertThat(PodClassifier.classify(appCrash)).containsInstanceOf(Signal.PodNotReady.class);
    }

    @Test
    void readinessAndPhaseFailed() {
        assertThat(PodClassifier.classify(pod(new PodStatusBuilder().withPhase("Running").addNewCondition()
                .withType("Ready").withStatus("True").endCondition().build()))).containsInstanceOf(Signal.PodReady.class);
        assertThat(reasonOf(pod(new PodStatusBuilder().withPhase("Failed").withReason("Evicted").build())))
                .isEqualTo(FailureReason.POD_FAILED);
        assertThat(PodClassifier.classify(pod(null))).isEmpty();
        assertThat(PodClassifier.classify(pod(new PodStatusBuilder().withPhase("Pending").build()))).isEmpty();
    }

    static Event event(String type, String reason, String message) {
        return new EventBuilder().withNewMetadata().withName("e").endMetadata().withType(type).withReason(reason)
                .withMessage(message).build();
    }

    @Test
    void warningEventsOfSandboxAndContainerFailures() {
        var sandbox = PodClassifier.classify(event("Warning", "FailedCreatePodSandBox",
                "failed to create shim: Failed to Check if grpc server is working: timed out connecting to vsock"));
        assertThat(((Signal.Failure) sandbox.orElseThrow()).reason()).isEqualTo(FailureReason.POD_REJECTED);
        var policy = PodClassifier.classify(event("Warning", "Failed", "ExecProcessRequest is blocked by policy"));
        assertThat(((Signal.Failure) policy.orElseThrow()).reason()).isEqualTo(FailureReason.POLICY_DENIED);
        assertThat(PodClassifier.classify(event("Normal", "Pulled", "Successfully pulled image"))).isEmpty();
        assertThat(PodClassifier.classify(event("Warning", "FailedScheduling", "0/1 nodes available"))).isEmpty();
    }
}
