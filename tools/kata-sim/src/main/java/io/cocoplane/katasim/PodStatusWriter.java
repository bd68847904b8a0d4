package io.cocoplane.katasim;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

/**
 * Writes what a kubelet would: pod status through the {@code /status} subresource ({@code updateStatus}; the mock
 * API server replaces status on plain updates and refuses strategic merge, kata-orchestration.md §8.1) and core/v1
 * events with {@code source.component=kubelet}. Every write first reads the pod and is skipped when the pod is gone,
 * has another uid (recreated) or the caller's work was cancelled; a conflict is retried with a fresh read.
 */
final class PodStatusWriter {

    /** Longest message written into a status or an event, in characters. */
    static final int MAX_MESSAGE = 1024;

    private static final Logger log = LoggerFactory.getLogger(PodStatusWriter.class);

    private final KubernetesClient client;
    private final KataNodeConfig config;

    PodStatusWriter(KubernetesClient client, KataNodeConfig config) {
        this.client = client;
        this.config = config;
    }

    /** Pending, sandbox being created: containers waiting {@code ContainerCreating}. */
    boolean creating(PodRef ref, BooleanSupplier cancelled) {
        return write(ref, cancelled, pod -> base(pod, "Pending", null)
                .withConditions(conditions(false))
                .withContainerStatuses(waiting(pod, "ContainerCreating", null))
                .build());
    }

    /** Pending, container creation failed: waiting {@code RunContainerError} with the runtime's message. */
    boolean runContainerError(PodRef ref, String message, BooleanSupplier cancelled) {
        return write(ref, cancelled, pod -> base(pod, "Pending", null)
                .withConditions(conditions(false))
                .withContainerStatuses(waiting(pod, "RunContainerError", truncate(message)))
                .build());
    }

    /** Running and Ready, with pod IP, start time and running containers. */
    boolean running(PodRef ref, String podIp, List<GuestRun.StartedContainer> started, BooleanSupplier cancelled) {
        return write(ref, cancelled, pod -> {
            String now = now();
            List<ContainerStatus> statuses = new ArrayList<>();
            for (GuestRun.StartedContainer c : started) {
                statuses.add(new ContainerStatusBuilder().withName(c.name()).withImage(c.image())
                        .withImageID(imageId(c)).withContainerID("containerd://" + randomHex())
                        .withReady(true).withStarted(true).withRestartCount(0)
                        .withNewState().withNewRunning().withStartedAt(now).endRunning().endState()
                        .build());
            }
            return base(pod, "Running", podIp)
                    .withConditions(conditions(true))
                    .withContainerStatuses(statuses)
                    .build();
        });
    }

    /**
     * Creates a Warning event about the pod, as the kubelet does.
     *
     * @param ref       the pod
     * @param reason    e.g. {@code FailedCreatePodSandBox}, {@code Failed}
     * @param message   the message (truncated to {@value #MAX_MESSAGE})
     * @param fieldPath {@code spec.containers{<name>}} or {@code null} for the pod
     * @param cancelled skip when true
     * @return whether the event was written
     */
    boolean warning(PodRef ref, String reason, String message, String fieldPath, BooleanSupplier cancelled) {
        if (cancelled.getAsBoolean()) {
            return false;
        }
        String now = now();
        try {
            client.v1().events().inNamespace(ref.namespace()).resource(new EventBuilder()
                    .withNewMetadata().withName(ref.name() + "." + randomHex().substring(0, 16))
                        .withNamespace(ref.namespace()).endMetadata()
                    .withNewInvolvedObject().withApiVersion("v1").withKind("Pod").withName(ref.name())
                        .withNamespace(ref.namespace()).withUid(ref.uid()).withFieldPath(fieldPath).endInvolvedObject()
                    .withType("Warning").withReason(reason).withMessage(truncate(message))
                    .withNewSource().withComponent("kubelet").withHost(config.nodeName()).endSource()
                    .withReportingComponent("kubelet").withReportingInstance(config.nodeName())
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1)
                    .build()).create();
            return true;
        } catch (KubernetesClientException e) {
            log.warn("pod {}: event {} not written: {}", ref, reason, e.getMessage());
            return false;
        }
    }

    private boolean write(PodRef ref, BooleanSupplier cancelled, Function<Pod, PodStatus> status) {
        for (int attempt = 1; attempt <= 3; attempt++) {
            if (cancelled.getAsBoolean()) {
                return false;
            }
            Pod current;
            try {
                current = client.pods().inNamespace(ref.namespace()).withName(ref.name()).get();
            } catch (KubernetesClientException e) {
                log.warn("pod {}: cannot read pod before status write: {}", ref, e.getMessage());
                return false;
            }
            if (current == null || !ref.uid().equals(current.getMetadata().getUid())
                    || current.getMetadata().getDeletionTimestamp() != null) {
                return false;
            }
            current.setStatus(status.apply(current));
            if (cancelled.getAsBoolean()) {
                return false;
            }
            try {
                client.pods().inNamespace(ref.namespace()).resource(current).updateStatus();
                return true;
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409 || attempt == 3) {
                    log.warn("pod {}: status write failed: {}", ref, e.getMessage());
                    return false;
                }
            }
        }
        return false;
    }

    private PodStatusBuilder base(Pod pod, String phase, String podIp) {
        PodStatus old = pod.getStatus();
        String startTime = old != null && old.getStartTime() != null ? old.getStartTime() : now();
        PodStatusBuilder b = new PodStatusBuilder().withPhase(phase).withStartTime(startTime)
                .withHostIP(config.hostIp());
        if (podIp != null) {
            b.withPodIP(podIp).withPodIPs(new PodIP(podIp));
        }
        return b;
    }

    private static List<PodCondition> conditions(boolean ready) {
        String now = now();
        String r = ready ? "True" : "False";
        List<PodCondition> out = new ArrayList<>();
        out.add(condition("PodReadyToStartContainers", ready ? "True" : "False", now, null));
        out.add(condition("Initialized", "True", now, null));
        out.add(condition("Ready", r, now, ready ? null : "ContainersNotReady"));
        out.add(condition("ContainersReady", r, now, ready ? null : "ContainersNotReady"));
        out.add(condition("PodScheduled", "True", now, null));
        return out;
    }

    private static PodCondition condition(String type, String status, String now, String reason) {
        return new PodConditionBuilder().withType(type).withStatus(status).withLastTransitionTime(now)
                .withReason(reason).build();
    }

    private static List<ContainerStatus> waiting(Pod pod, String reason, String message) {
        List<ContainerStatus> out = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            out.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
                    .withReady(false).withStarted(false).withRestartCount(0)
                    .withNewState().withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState()
                    .build());
        }
        return out;
    }

    private static String imageId(GuestRun.StartedContainer c) {
        String image = c.image();
        int at = image.indexOf('@');
        String repo = at >= 0 ? image.substring(0, at) : image;
        return repo + "@" + c.manifestDigest();
    }

    private static String now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static String randomHex() {
        byte[] b = new byte[32];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String truncate(String s) {
        return s == null || s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE - 3) + "...";
    }
}
