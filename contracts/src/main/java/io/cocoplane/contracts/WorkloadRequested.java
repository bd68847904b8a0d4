package io.cocoplane.contracts;

import java.util.List;
import java.util.Objects;

/**
 * {@code workload.requested}: Command: a deployer asked for a confidential workload.
 *
 * <p>CloudEvents type {@code io.cocoplane.workload.requested.v1} on topic {@link Topics#WORKLOAD_COMMANDS}; JSON Schema {@code schemas/workload.requested.v1.json}.
 *
 * @param workloadId Workload id (UUID), the aggregate id.
 * @param name Workload name, DNS-1123 label.
 * @param namespace Kubernetes namespace.
 * @param image Image reference as requested: "<registry>/<repository>:<tag>" or "...@sha256:<hex>".
 * @param tee TEE kind: "snp", "tdx" or "coco-dev".
 * @param resources KBS resource paths ("<repository>/<type>/<tag>") the workload may receive.
 * @param agentPolicy Agent-policy options.
 * @param limits Resource requests and limits, or null for the defaults.
 * @param requestedBy Subject of the caller that asked.
 */
public record WorkloadRequested(String workloadId, String name, String namespace, String image, String tee, List<String> resources, AgentPolicyOptions agentPolicy, ResourceLimits limits, String requestedBy) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public WorkloadRequested {
        Objects.requireNonNull(workloadId, "workloadId");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(tee, "tee");
        resources = List.copyOf(Objects.requireNonNull(resources, "resources"));
        Objects.requireNonNull(agentPolicy, "agentPolicy");
        Objects.requireNonNull(requestedBy, "requestedBy");
    }

    /** @return {@link #workloadId()}, the aggregate id and record key */
    @Override
    public String subject() {
        return workloadId;
    }
}
