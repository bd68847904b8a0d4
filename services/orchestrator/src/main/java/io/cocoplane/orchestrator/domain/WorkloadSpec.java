package io.cocoplane.orchestrator.domain;

import java.util.List;
import java.util.Objects;

/**
 * What a deployer asked for ({@code workload.requested}), as persisted.
 *
 * @param id          workload id, also the value of the pod label {@code cocoplane.io/workload-id}
 * @param name        workload name (DNS-1123 label)
 * @param namespace   Kubernetes namespace
 * @param image       image reference as requested
 * @param tee         TEE kind: {@code snp}, {@code tdx}, {@code coco-dev}
 * @param resources   KBS resource paths the workload may receive
 * @param allowExec   whether the agent policy allows exec
 * @param allowLogs   whether the agent policy allows reading logs
 * @param cpu         CPU request and limit (Kubernetes quantity), or {@code null} for the default
 * @param memory      memory request and limit (Kubernetes quantity), or {@code null} for the default
 * @param requestedBy subject of the caller
 */
public record WorkloadSpec(String id, String name, String namespace, String image, String tee, List<String> resources,
                           boolean allowExec, boolean allowLogs, String cpu, String memory, String requestedBy) {

    /** Copies the list; @throws NullPointerException for a missing required member */
    public WorkloadSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(tee, "tee");
        resources = List.copyOf(resources);
    }
}
