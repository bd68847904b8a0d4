package io.cocoplane.orchestrator.k8s;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.cocoplane.initdata.AgentPolicy;
import io.cocoplane.initdata.CocoInitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.orchestrator.domain.WorkloadSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;

/**
 * Builds the Kata confidential pod of a workload (kata-orchestration.md §1, §2, §4.1, §9.4):
 * <ul>
 *   <li>{@code runtimeClassName} from the TEE, and the {@code io.containerd.cri.runtime-handler} annotation so that
 *       containerd uses the runtime's snapshotter (guest pull);</li>
 *   <li>the init-data annotation: gzip+base64 of {@link CocoInitData} with the KBS URL and an {@link AgentPolicy}
 *       that pins the image by digest and denies exec and log reading unless the request allows them;</li>
 *   <li>one container {@value #CONTAINER} running the image by digest with {@code imagePullPolicy: Always}, CPU and
 *       memory requests equal to limits (they size the guest VM), no privilege, no privilege escalation, all
 *       capabilities dropped, RuntimeDefault seccomp, {@code runAsNonRoot} and explicit IDs as configured;</li>
 *   <li>no host namespaces, no volumes, no service-account token, no service-link environment;</li>
 *   <li>label {@value #WORKLOAD_LABEL} = workload id.</li>
 * </ul>
 */
public final class PodPlanner {

    /** Label that ties a pod to its workload. */
    public static final String WORKLOAD_LABEL = "cocoplane.io/workload-id";
    /** Annotation that tells containerd which runtime handler (and so which snapshotter) pulls the image. */
    public static final String RUNTIME_HANDLER_ANNOTATION = "io.containerd.cri.runtime-handler";
    /** Name of the workload container. */
    public static final String CONTAINER = "workload";

    private final PodSettings settings;

    /** @param settings how pods are built */
    public PodPlanner(PodSettings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** @return the settings */
    public PodSettings settings() {
        return settings;
    }

    /**
     * Derives the pod name: the workload name (cut to 54 characters) and the first 8 alphanumerics of the id.
     *
     * @param spec the workload
     * @return a DNS-1123 label of at most 63 characters
     */
    public static String podName(WorkloadSpec spec) {
        String name = spec.name().length() > 54 ? spec.name().substring(0, 54) : spec.name();
        name = name.replaceAll("-+$", "");
        String suffix = spec.id().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        suffix = suffix.length() > 8 ? suffix.substring(0, 8) : suffix;
        return suffix.isEmpty() ? name : name + "-" + suffix;
    }

    /**
     * Plans the pod.
     *
     * @param spec        the workload (validated by the caller: known TEE, valid quantities)
     * @param pinnedImage image reference pinned by digest
     * @param imageDigest manifest digest
     * @param kekPaths    resource paths of the image's KEKs
     * @return the plan
     * @throws IllegalArgumentException for a TEE without a runtime class
     * @throws io.cocoplane.initdata.InitDataException when the image reference cannot be pinned in the policy
     */
    public PodPlan plan(WorkloadSpec spec, String pinnedImage, String imageDigest, List<String> kekPaths) {
        String runtimeClass = settings.runtimeClasses().get(spec.tee());
        if (runtimeClass == null) {
            throw new IllegalArgumentException("no runtime class for TEE " + spec.tee());
        }
        AgentPolicy.Builder policy = AgentPolicy.builder().pinImage(pinnedImage).workloadId(spec.id());
        if (spec.allowExec()) {
            policy.allowExec();
        }
        if (spec.allowLogs()) {
            policy.allowLogs();
        }
        if (settings.allowCopyFile()) {
            policy.allowCopyFileToSharedContainers();
        }
        CocoInitData.Builder initData = CocoInitData.builder()
                .kbsUrl(settings.kbsUrl())
                .policy(policy.build())
                .algorithm(settings.algorithm(spec.tee()));
        if (settings.kbsCertificatePem() != null && !settings.kbsCertificatePem().isBlank()) {
            initData.kbsCertificatePem(settings.kbsCertificatePem());
        }
        InitDataDocument document = InitDataDocument.write(initData.build());
        String annotation = InitDataAnnotation.encode(document);

        String cpu = spec.cpu() != null ? spec.cpu() : settings.defaultCpu();
        String memory = spec.memory() != null ? spec.memory() : settings.defaultMemory();

        Pod pod = new PodBuilder()
                .withNewMetadata()
                    .withName(podName(spec))
                    .withNamespace(spec.namespace())
                    .addToLabels(WORKLOAD_LABEL, spec.id())
                    .addToLabels("app.kubernetes.io/name", spec.name())
                    .addToLabels("app.kubernetes.io/managed-by", "cocoplane-orchestrator")
                    .addToAnnotations(settings.annotationKey(), annotation)
                    .addToAnnotations(RUNTIME_HANDLER_ANNOTATION, runtimeClass)
                .endMetadata()
                .withNewSpec()
                    .withRuntimeClassName(runtimeClass)
                    .withRestartPolicy(settings.restartPolicy())
                    .withAutomountServiceAccountToken(false)
                    .withEnableServiceLinks(false)
                    .withHostNetwork(false)
                    .withHostPID(false)
                    .withHostIPC(false)
                    .withNewSecurityContext()
                        .withRunAsNonRoot(settings.runAsNonRoot())
                        .withRunAsUser(settings.runAsUser())
                        .withRunAsGroup(settings.runAsGroup())
                        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                    .endSecurityContext()
                    .addNewContainer()
                        .withName(CONTAINER)
                        .withImage(pinnedImage)
                        .withImagePullPolicy("Always")
                        .withNewResources()
                            .addToRequests("cpu", new Quantity(cpu))
                            .addToRequests("memory", new Quantity(memory))
                            .addToLimits("cpu", new Quantity(cpu))
                            .addToLimits("memory", new Quantity(memory))
                        .endResources()
                        .withNewSecurityContext()
                            .withPrivileged(false)
                            .withAllowPrivilegeEscalation(false)
                            .withRunAsNonRoot(settings.runAsNonRoot())
                            .withNewCapabilities().withDrop("ALL").endCapabilities()
                            .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                        .endSecurityContext()
                    .endContainer()
                .endSpec()
                .build();

        Set<String> allowed = new LinkedHashSet<>(spec.resources());
        allowed.addAll(kekPaths);
        return new PodPlan(pod, runtimeClass, pinnedImage, imageDigest, document, new ArrayList<>(allowed));
    }
}
