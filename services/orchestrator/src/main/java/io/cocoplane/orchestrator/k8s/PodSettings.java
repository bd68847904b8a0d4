package io.cocoplane.orchestrator.k8s;

import java.net.URI;
import java.util.Map;
import java.util.Objects;

import io.cocoplane.initdata.DigestAlgorithm;

/**
 * How pods are built.
 *
 * @param runtimeClasses      RuntimeClass per TEE kind, e.g. {@code snp → kata-qemu-snp}
 * @param algorithms          init-data digest algorithm per TEE kind; TEEs not listed use {@code sha256}
 * @param annotationKey       init-data annotation key ({@code io.katacontainers.config.hypervisor.cc_init_data} since
 *                            Kata 3.20, {@code io.katacontainers.config.runtime.cc_init_data} before)
 * @param kbsUrl              KBS URL written into {@code aa.toml} and {@code cdh.toml}
 * @param kbsCertificatePem   the KBS's self-signed certificate (PEM), or {@code null}
 * @param defaultRegistry     registry host[:port] for image references that name none
 * @param defaultCpu          CPU request/limit when the request gives none
 * @param defaultMemory       memory request/limit when the request gives none
 * @param runAsNonRoot        pod and container {@code runAsNonRoot}
 * @param runAsUser           explicit UID (genpolicy needs explicit IDs with guest pull), or {@code null}
 * @param runAsGroup          explicit GID, or {@code null}
 * @param restartPolicy       pod restart policy ({@code Always}, {@code OnFailure}, {@code Never})
 * @param allowCopyFile       whether the agent policy allows CopyFile under the shared-containers directory (files the
 *                            kubelet mounts, such as {@code /etc/hosts}, travel that way with {@code shared_fs=none})
 */
public record PodSettings(Map<String, String> runtimeClasses, Map<String, DigestAlgorithm> algorithms,
                          String annotationKey, URI kbsUrl, String kbsCertificatePem, String defaultRegistry,
                          String defaultCpu, String defaultMemory, boolean runAsNonRoot, Long runAsUser,
                          Long runAsGroup, String restartPolicy, boolean allowCopyFile) {

    /** Copies the maps; @throws NullPointerException for a missing required member */
    public PodSettings {
        runtimeClasses = Map.copyOf(runtimeClasses);
        algorithms = Map.copyOf(algorithms);
        Objects.requireNonNull(annotationKey, "annotationKey");
        Objects.requireNonNull(kbsUrl, "kbsUrl");
        Objects.requireNonNull(defaultCpu, "defaultCpu");
        Objects.requireNonNull(defaultMemory, "defaultMemory");
        Objects.requireNonNull(restartPolicy, "restartPolicy");
    }

    /** @return the algorithm for a TEE kind ({@code sha256} unless configured) */
    public DigestAlgorithm algorithm(String tee) {
        return algorithms.getOrDefault(tee, DigestAlgorithm.SHA256);
    }
}
