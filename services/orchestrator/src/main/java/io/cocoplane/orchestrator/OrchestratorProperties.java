package io.cocoplane.orchestrator;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

import io.cocoplane.initdata.InitDataAnnotation;

/**
 * Settings under {@code cocoplane.orchestrator}.
 *
 * @param kubernetes           how to reach the Kubernetes API and which namespaces to use
 * @param runtimeClasses       RuntimeClass per TEE kind (default {@code snp → kata-qemu-snp},
 *                             {@code tdx → kata-qemu-tdx}, {@code coco-dev → kata-qemu-coco-dev}); a TEE not listed
 *                             is refused ({@code INVALID_REQUEST})
 * @param initData             init-data settings
 * @param deadlines            lifecycle deadlines
 * @param resolutionGrace      how long a request may wait for its image (and the image's KEKs) to appear in the
 *                             projections before it fails with {@code IMAGE_NOT_FOUND} / {@code KEY_MISSING}
 *                             (default 10 s: the projections and the command arrive on different topics)
 * @param registry             registry host[:port] for image references that name none (default {@code 127.0.0.1:5000})
 * @param pod                  pod settings
 * @param reconcileInterval    pause between reconcile passes (deadlines, retries, restart recovery; default 1 s)
 * @param maxResources         largest number of resource paths a request may name (default 64)
 */
@ConfigurationProperties("cocoplane.orchestrator")
public record OrchestratorProperties(Kubernetes kubernetes, Map<String, String> runtimeClasses, InitData initData,
                                     Deadlines deadlines, Duration resolutionGrace, String registry, Pod pod,
                                     Duration reconcileInterval, Integer maxResources) {

    /** Fills defaults. */
    public OrchestratorProperties {
        kubernetes = kubernetes == null ? new Kubernetes(null, null, null, null) : kubernetes;
        runtimeClasses = runtimeClasses == null || runtimeClasses.isEmpty()
                ? Map.of("snp", "kata-qemu-snp", "tdx", "kata-qemu-tdx", "coco-dev", "kata-qemu-coco-dev")
                : Map.copyOf(runtimeClasses);
        initData = initData == null ? new InitData(null, null, null, null) : initData;
        deadlines = deadlines == null ? new Deadlines(null, null, null) : deadlines;
        resolutionGrace = resolutionGrace == null ? Duration.ofSeconds(10) : resolutionGrace;
        registry = registry == null ? "127.0.0.1:5000" : registry;
        pod = pod == null ? new Pod(null, null, null, null, null, null, null, null, null) : pod;
        reconcileInterval = reconcileInterval == null ? Duration.ofSeconds(1) : reconcileInterval;
        maxResources = maxResources == null ? 64 : maxResources;
    }

    /**
     * @param masterUrl      API server URL; empty = auto-configuration (in-cluster service account or kubeconfig)
     * @param namespaces     namespaces workloads may use, each watched by an informer (default {@code default}); a
     *                       request for another namespace is refused ({@code INVALID_REQUEST})
     * @param informerResync informer resync period (default 5 min)
     * @param trustCerts     development only: trust any API server certificate (logged as a warning)
     */
    public record Kubernetes(String masterUrl, List<String> namespaces, Duration informerResync, Boolean trustCerts) {
        /** Fills defaults. */
        public Kubernetes {
            namespaces = namespaces == null || namespaces.isEmpty() ? List.of("default") : List.copyOf(namespaces);
            informerResync = informerResync == null ? Duration.ofMinutes(5) : informerResync;
            trustCerts = trustCerts != null && trustCerts;
        }
    }

    /**
     * @param annotationKey       init-data annotation key (default {@value InitDataAnnotation#KEY}; Kata 3.8–3.19 need
     *                            {@value InitDataAnnotation#LEGACY_RUNTIME_KEY})
     * @param kbsUrl              KBS URL the guest attests to (default {@code http://127.0.0.1:8081}, the local stack)
     * @param kbsCertificatePem   the KBS's self-signed certificate as PEM, or empty
     * @param algorithms          digest algorithm per TEE kind ({@code sha256}, {@code sha384}, {@code sha512});
     *                            default {@code sha256} for all (sha256 is zero-padded into TDX MRCONFIGID, so TDX
     *                            needs no other algorithm)
     */
    public record InitData(String annotationKey, URI kbsUrl, String kbsCertificatePem, Map<String, String> algorithms) {
        /** Fills defaults. */
        public InitData {
            annotationKey = annotationKey == null || annotationKey.isBlank() ? InitDataAnnotation.KEY : annotationKey;
            kbsUrl = kbsUrl == null ? URI.create("http://127.0.0.1:8081") : kbsUrl;
            algorithms = algorithms == null ? Map.of() : Map.copyOf(algorithms);
        }
    }

    /**
     * @param scheduling  request → pod created (default 2 min)
     * @param attestation pod created → attested (default 5 min)
     * @param readiness   pod created → Ready (default 5 min)
     */
    public record Deadlines(Duration scheduling, Duration attestation, Duration readiness) {
        /** Fills defaults. */
        public Deadlines {
            scheduling = scheduling == null ? Duration.ofMinutes(2) : scheduling;
            attestation = attestation == null ? Duration.ofMinutes(5) : attestation;
            readiness = readiness == null ? Duration.ofMinutes(5) : readiness;
        }
    }

    /**
     * @param defaultCpu    CPU request/limit when a request gives none (default {@code 1})
     * @param defaultMemory memory request/limit when a request gives none (default {@code 2Gi}; guest-pulled layers
     *                      are unpacked into guest tmpfs, about half of guest RAM)
     * @param maxCpu        largest CPU a request may ask for (default {@code 16})
     * @param maxMemory     largest memory a request may ask for (default {@code 64Gi})
     * @param runAsNonRoot  {@code runAsNonRoot} on pod and container (default true)
     * @param runAsUser     explicit UID (default 1000; empty for none)
     * @param runAsGroup    explicit GID (default 1000; empty for none)
     * @param restartPolicy pod restart policy (default {@code Always})
     * @param allowCopyFile let the agent policy allow CopyFile under the shared-containers directory (default true:
     *                      kubelet-managed files such as {@code /etc/hosts} travel that way with {@code shared_fs=none})
     */
    public record Pod(String defaultCpu, String defaultMemory, String maxCpu, String maxMemory, Boolean runAsNonRoot,
                      Long runAsUser, Long runAsGroup, String restartPolicy, Boolean allowCopyFile) {
        /** Fills defaults. */
        public Pod {
            defaultCpu = defaultCpu == null ? "1" : defaultCpu;
            defaultMemory = defaultMemory == null ? "2Gi" : defaultMemory;
            maxCpu = maxCpu == null ? "16" : maxCpu;
            maxMemory = maxMemory == null ? "64Gi" : maxMemory;
            runAsNonRoot = runAsNonRoot == null || runAsNonRoot;
            runAsUser = runAsUser == null ? Long.valueOf(1000) : runAsUser;
            runAsGroup = runAsGroup == null ? Long.valueOf(1000) : runAsGroup;
            restartPolicy = restartPolicy == null ? "Always" : restartPolicy;
            allowCopyFile = allowCopyFile == null || allowCopyFile;
        }
    }
}
