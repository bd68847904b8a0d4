package io.cocoplane.contracts;

import java.util.List;
import java.util.Objects;

/**
 * {@code workload.scheduled}: The orchestrator created the workload's Kata pod.
 *
 * <p>CloudEvents type {@code io.cocoplane.workload.scheduled.v1} on topic {@link Topics#WORKLOAD_EVENTS}; JSON Schema {@code schemas/workload.scheduled.v1.json}.
 *
 * @param workloadId Workload id.
 * @param pod Pod name.
 * @param namespace Kubernetes namespace.
 * @param image Image reference pinned by digest: "<registry>/<repository>@sha256:<hex>".
 * @param imageDigest Manifest digest, "sha256:<64 hex>".
 * @param tee TEE kind: "snp", "tdx" or "coco-dev".
 * @param runtimeClass Kubernetes RuntimeClass, e.g. "kata-qemu-snp".
 * @param initDataDigest Lowercase hex digest of the init-data TOML bytes.
 * @param initDataAlgorithm Digest algorithm of the init-data: "sha256", "sha384" or "sha512".
 * @param allowedResources KBS resource paths the workload may receive, its image KEK ids included.
 */
public record WorkloadScheduled(String workloadId, String pod, String namespace, String image, String imageDigest, String tee, String runtimeClass, String initDataDigest, String initDataAlgorithm, List<String> allowedResources) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public WorkloadScheduled {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(pod, "pod");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imageDigest, "imageDigest");
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(runtimeClass, "runtimeClass");
        Objects.requireNonNull(initDataDigest, "initDataDigest");
        Objects.requireNonNull(initDataAlgorithm, "initDataAlgorithm");
        allowedResources = List.copyOf(Objects.requireNonNull(allowedResources, "allowedResources"));
    }

    /** @return {@link #workloadId()}, the aggregate id and record key */
    @Override
    public String subject() {
        return workloadId;
    }
}
