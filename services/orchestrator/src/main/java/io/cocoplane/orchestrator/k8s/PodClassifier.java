package io.cocoplane.orchestrator.k8s;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.cocoplane.orchestrator.domain.FailureReason;
import io.cocoplane.orchestrator.domain.Signal;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;

/**
 * Turns pod status and Kubernetes events into lifecycle {@link Signal}s, recognising the CoCo failure signatures of
 * {@code kata-orchestration.md} §5:
 * <ul>
 *   <li>waiting {@code RunContainerError}/{@code CreateContainerError}, terminated {@code StartError}, or
 *       {@code CrashLoopBackOff}/{@code BackOff} whose last termination was a {@code StartError}: the guest failed at
 *       container creation; the message decides the reason ({@link #classifyMessage(String)});</li>
 *   <li>waiting {@code ErrImagePull}/{@code ImagePullBackOff}/{@code InvalidImageName}: {@code IMAGE_PULL_FAILED};</li>
 *   <li>phase {@code Failed}: {@code POD_FAILED};</li>
 *   <li>Warning event {@code FailedCreatePodSandBox}: {@code POD_REJECTED} (VM or agent unreachable, bad init-data
 *       annotation, annotation not allow-listed); Warning event {@code Failed}: classified by its message;</li>
 *   <li>condition {@code Ready=True}: pod ready; {@code Ready=False}: not ready.</li>
 * </ul>
 * Plain {@code CrashLoopBackOff} of the application and {@code FailedScheduling} are not failures here: the
 * readiness and scheduling deadlines decide.
 */
public final class PodClassifier {

    /** Longest detail kept from a Kubernetes message, in characters. */
    public static final int MAX_DETAIL = 1024;

    private static final Set<String> CREATE_ERRORS = Set.of("RunContainerError", "CreateContainerError");
    private static final Set<String> PULL_ERRORS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName");
    private static final Set<String> BACKOFF = Set.of("CrashLoopBackOff", "BackOff");

    private PodClassifier() {
    }

    /**
     * @param pod a pod of a workload
     * @return a failure if the status shows one, else ready / not ready from the Ready condition, else empty
     */
    public static Optional<Signal> classify(Pod pod) {
        PodStatus status = pod.getStatus();
        if (status == null) {
            return Optional.empty();
        }
        String cause = "pod " + pod.getMetadata().getName() + " status";
        List<ContainerStatus> statuses = new ArrayList<>();
        if (status.getInitContainerStatuses() != null) {
            statuses.addAll(status.getInitContainerStatuses());
        }
        if (status.getContainerStatuses() != null) {
            statuses.addAll(status.getContainerStatuses());
        }
        for (ContainerStatus cs : statuses) {
            Optional<Signal> failure = classifyContainer(cs, cause);
            if (failure.isPresent()) {
                return failure;
            }
        }
        if ("Failed".equals(status.getPhase())) {
            return Optional.of(new Signal.Failure(FailureReason.POD_FAILED,
                    detail("pod phase Failed", status.getReason(), status.getMessage()), cause));
        }
        if (status.getConditions() != null) {
            for (PodCondition c : status.getConditions()) {
                if ("Ready".equals(c.getType())) {
                    return Optional.of("True".equals(c.getStatus()) ? new Signal.PodReady(cause)
                            : new Signal.PodNotReady(cause));
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Signal> classifyContainer(ContainerStatus cs, String cause) {
        if (cs.getState() == null) {
            return Optional.empty();
        }
        String where = cause + ", container " + cs.getName();
        ContainerStateWaiting waiting = cs.getState().getWaiting();
        if (waiting != null && waiting.getReason() != null) {
            String reason = waiting.getReason();
            if (CREATE_ERRORS.contains(reason)) {
                return Optional.of(failure(classifyMessage(waiting.getMessage()), reason, waiting.getMessage(), where));
            }
            if (PULL_ERRORS.contains(reason)) {
                return Optional.of(failure(FailureReason.IMAGE_PULL_FAILED, reason, waiting.getMessage(), where));
            }
            if (BACKOFF.contains(reason) && cs.getLastState() != null) {
                ContainerStateTerminated last = cs.getLastState().getTerminated();
                if (last != null && "StartError".equals(last.getReason())) {
                    return Optional.of(failure(classifyMessage(last.getMessage()), "StartError", last.getMessage(),
                            where));
                }
            }
        }
        ContainerStateTerminated terminated = cs.getState().getTerminated();
        if (terminated != null && "StartError".equals(terminated.getReason())) {
            return Optional.of(failure(classifyMessage(terminated.getMessage()), "StartError",
                    terminated.getMessage(), where));
        }
        return Optional.empty();
    }

    /**
     * @param event a Kubernetes event about a workload's pod
     * @return a failure for a Warning {@code FailedCreatePodSandBox} or {@code Failed} event, else empty
     */
    public static Optional<Signal> classify(Event event) {
        if (!"Warning".equals(event.getType()) || event.getReason() == null) {
            return Optional.empty();
        }
        String cause = "event " + event.getReason() + " " + event.getMetadata().getName();
        return switch (event.getReason()) {
            case "FailedCreatePodSandBox" -> Optional.of(failure(FailureReason.POD_REJECTED, event.getReason(),
                    event.getMessage(), cause));
            case "Failed" -> Optional.of(failure(classifyMessage(event.getMessage()), event.getReason(),
                    event.getMessage(), cause));
            default -> Optional.empty();
        };
    }

    /**
     * Maps a container-creation error text to a reason (texts from kata-orchestration.md §3, §4):
     * "is blocked by policy" → POLICY_DENIED; "decrypt" → IMAGE_DECRYPT_FAILED; "image policy rejected" or
     * "signature" → IMAGE_SIGNATURE_REJECTED; "not authorized"/"unauthorized" → REGISTRY_AUTH_FAILED; "timeout"/
     * "timed out"/"deadline exceeded" → GUEST_PULL_TIMEOUT; "pull" → IMAGE_PULL_FAILED; anything else →
     * CONTAINER_START_FAILED.
     *
     * @param message the text, may be {@code null}
     * @return the reason
     */
    public static FailureReason classifyMessage(String message) {
        String m = message == null ? "" : message.toLowerCase(Locale.ROOT);
        if (m.contains("is blocked by policy")) {
            return FailureReason.POLICY_DENIED;
        }
        if (m.contains("decrypt")) {
            return FailureReason.IMAGE_DECRYPT_FAILED;
        }
        if (m.contains("image policy rejected") || m.contains("signature")) {
            return FailureReason.IMAGE_SIGNATURE_REJECTED;
        }
        if (m.contains("not authorized") || m.contains("unauthorized")) {
            return FailureReason.REGISTRY_AUTH_FAILED;
        }
        if (m.contains("timeout") || m.contains("timed out") || m.contains("deadline exceeded")) {
            return FailureReason.GUEST_PULL_TIMEOUT;
        }
        if (m.contains("pull")) {
            return FailureReason.IMAGE_PULL_FAILED;
        }
        return FailureReason.CONTAINER_START_FAILED;
    }

    private static Signal.Failure failure(FailureReason reason, String k8sReason, String message, String cause) {
        return new Signal.Failure(reason, detail(k8sReason, null, message), cause);
    }

    private static String detail(String prefix, String reason, String message) {
        StringBuilder sb = new StringBuilder(prefix);
        if (reason != null) {
            sb.append(' ').append(reason);
        }
        if (message != null && !message.isBlank()) {
            sb.append(": ").append(message);
        }
        return sb.length() > MAX_DETAIL ? sb.substring(0, MAX_DETAIL) : sb.toString();
    }
}
