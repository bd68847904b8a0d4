package io.cocoplane.gateway.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.cocoplane.contracts.AgentPolicyOptions;
import io.cocoplane.contracts.ResourceLimits;
import io.cocoplane.contracts.WorkloadRequested;

/**
 * Body of {@code POST /api/v1/workloads}: what a deployer asks for. {@link #validated()} checks every field and
 * applies the defaults; {@link #toCommand(String, String)} turns it into the {@code workload.requested} command.
 *
 * <p>Rules: {@code name} and {@code namespace} are DNS-1123 labels (RFC 1123: {@code [a-z0-9]([-a-z0-9]*[a-z0-9])?},
 * at most 63 characters; namespace defaults to {@code default}); {@code image} follows {@link ImageReference};
 * {@code tee} is one of {@link #TEES}; {@code resources} are at most {@value #MAX_RESOURCES} distinct
 * {@link KbsResourcePath}s; {@code limits.cpu} and {@code limits.memory} are Kubernetes quantities (at most 32
 * characters); {@code agentPolicy} defaults to exec and logs denied.
 *
 * @param name        workload name
 * @param namespace   Kubernetes namespace, or null for {@code default}
 * @param image       image reference
 * @param tee         TEE kind
 * @param resources   KBS resource paths the workload may receive, or null for none
 * @param agentPolicy agent-policy options, or null for the strict default
 * @param limits      resource limits, or null for the orchestrator's defaults
 */
public record WorkloadRequest(String name, String namespace, String image, String tee, List<String> resources,
                              AgentPolicyOptions agentPolicy, ResourceLimits limits) {

    /** TEE kinds a workload may ask for. */
    public static final Set<String> TEES = Set.of("snp", "tdx", "coco-dev");
    /** Most resource paths per workload. */
    public static final int MAX_RESOURCES = 64;
    private static final Pattern DNS1123_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern QUANTITY = Pattern.compile(
            "(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?");

    /**
     * @return a copy with defaults applied (namespace, empty resources, strict agent policy)
     * @throws InvalidRequestException listing every invalid field
     */
    public WorkloadRequest validated() {
        Map<String, String> errors = new LinkedHashMap<>();
        if (!isDnsLabel(name)) {
            errors.put("name", "must be a DNS-1123 label: [a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters");
        }
        String ns = namespace == null ? "default" : namespace;
        if (!isDnsLabel(ns)) {
            errors.put("namespace", "must be a DNS-1123 label");
        }
        if (image == null) {
            errors.put("image", "required");
        } else {
            try {
                ImageReference.parse(image);
            } catch (InvalidRequestException e) {
                errors.put("image", e.getMessage());
            }
        }
        if (tee == null || !TEES.contains(tee)) {
            errors.put("tee", "must be one of snp, tdx, coco-dev");
        }
        List<String> paths = resources == null ? List.of() : resources;
        if (paths.size() > MAX_RESOURCES) {
            errors.put("resources", "at most " + MAX_RESOURCES + " entries");
        } else {
            for (int i = 0; i < paths.size(); i++) {
                try {
                    KbsResourcePath.parse(paths.get(i));
                } catch (InvalidRequestException e) {
                    errors.put("resources[" + i + "]", e.getMessage());
                }
            }
            if (paths.stream().distinct().count() != paths.size()) {
                errors.put("resources", "entries must be distinct");
            }
        }
        if (limits != null) {
            if (limits.cpu() != null && !isQuantity(limits.cpu())) {
                errors.put("limits.cpu", "must be a Kubernetes quantity such as 2 or 500m");
            }
            if (limits.memory() != null && !isQuantity(limits.memory())) {
                errors.put("limits.memory", "must be a Kubernetes quantity such as 8Gi");
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException("invalid workload request", errors);
        }
        return new WorkloadRequest(name, ns, image, tee, List.copyOf(new ArrayList<>(paths)),
                agentPolicy == null ? new AgentPolicyOptions(false, false) : agentPolicy, limits);
    }

    /**
     * @param workloadId  new workload id
     * @param requestedBy caller subject
     * @return the command; call on a {@link #validated()} request
     */
    public WorkloadRequested toCommand(String workloadId, String requestedBy) {
        return new WorkloadRequested(workloadId, name, namespace, image, tee, resources, agentPolicy, limits,
                requestedBy);
    }

    /** @return whether {@code s} is a DNS-1123 label */
    public static boolean isDnsLabel(String s) {
        return s != null && !s.isEmpty() && s.length() <= 63 && DNS1123_LABEL.matcher(s).matches();
    }

    private static boolean isQuantity(String s) {
        return !s.isEmpty() && s.length() <= 32 && QUANTITY.matcher(s).matches();
    }
}
