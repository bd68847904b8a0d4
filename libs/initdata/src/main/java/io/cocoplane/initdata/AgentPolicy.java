package io.cocoplane.initdata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small built-in kata-agent policy (Rego, package {@code agent_policy}) for a locked-down CoCo pod, in the
 * spirit of kata {@code src/kata-opa/allow-all-except-exec-process.rego} and the policy in trustee
 * {@code kbs/docs/initdata.md}. The kata-agent evaluates {@code data.agent_policy.<Name>Request} for every
 * ttRPC request with the request as {@code input}; a request without a true rule is refused
 * ("{@code <Name>Request is blocked by policy}") (kata {@code src/agent/policy/src/policy.rs}).
 *
 * <p>Decisions, by request (names from kata {@code src/kata-opa/allow-all.rego}):
 * <ul>
 *   <li>always allowed: {@value #ALWAYS_ALLOWED_DOC}</li>
 *   <li>denied unless an option is set: {@code ExecProcessRequest}, {@code WriteStreamRequest},
 *       {@code CloseStdinRequest} ({@link Builder#allowExec()}); {@code ReadStreamRequest}, which carries both
 *       {@code kubectl logs} and exec output ({@link Builder#allowLogs()}); {@code CopyFileRequest}
 *       ({@link Builder#allowCopyFileToSharedContainers()}, needed for ConfigMap/Secret volumes when
 *       {@code shared_fs=none})</li>
 *   <li>always denied: {@code SetPolicyRequest}, tracing, metrics, diagnostics, swap, memory/CPU management
 *       other than {@code OnlineCPUMem}, {@code PauseContainer}/{@code ResumeContainer}, {@code UpdateContainer},
 *       {@code SetGuestDateTime}, {@code ReseedRandomDev}, {@code ListInterfaces}/{@code ListRoutes}</li>
 *   <li>{@code CreateContainerRequest}: allowed for the pause (sandbox) container only if it uses no
 *       {@code image_guest_pull} storage; allowed for a workload container only if its
 *       {@code io.kubernetes.cri.image-name} annotation equals one of the digest-pinned images and every
 *       {@code image_guest_pull} storage has that same reference as {@code source}.</li>
 * </ul>
 * The pinned images are published as {@code policy_data := {"containers": [{"OCI": {"Annotations":
 * {"io.kubernetes.cri.image-name": ...}}}]}}, the shape genpolicy uses, so Trustee's {@code agent_policy_claims}
 * (the JSON after {@code policy_data := }) reports them. For production workloads genpolicy's rule-guarded
 * policy (args, env, mounts, ...) is stronger; this generator only pins images.
 *
 * <p>Output is deterministic: same options, same text (requests and images sorted, LF line ends).
 */
public final class AgentPolicy {

    static final String ALWAYS_ALLOWED_DOC = "CreateSandbox, DestroySandbox, StartContainer, RemoveContainer, "
            + "WaitProcess, SignalProcess, StatsContainer, GetOOMEvent, GuestDetails, OnlineCPUMem, TtyWinResize, "
            + "UpdateInterface, UpdateRoutes, AddARPNeighbors, UpdateEphemeralMounts, "
            + "RemoveStaleVirtiofsShareMounts, PullImage (each suffixed Request)";

    /** Largest number of pinned images. */
    public static final int MAX_IMAGES = 64;
    /** Longest accepted image reference, in characters. */
    public static final int MAX_IMAGE_REFERENCE_LENGTH = 512;
    /** Guest directory that receives ConfigMap/Secret files by CopyFile when {@code shared_fs=none}. */
    public static final String SHARED_CONTAINERS_PREFIX = "/run/kata-containers/shared/containers/";

    /** OCI image reference pinned by digest: {@code [registry[:port]/]path[:tag]@sha256:<64 hex>} (or sha512). */
    private static final Pattern PINNED_REFERENCE = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?/)?"
                    + "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
                    + "@(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})");

    /** A workload id as {@link Builder#workloadId(String)} accepts it. */
    private static final Pattern WORKLOAD_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    private static final List<String> ALWAYS_ALLOWED = List.of(
            "AddARPNeighborsRequest", "CreateSandboxRequest", "DestroySandboxRequest", "GetOOMEventRequest",
            "GuestDetailsRequest", "OnlineCPUMemRequest", "PullImageRequest", "RemoveContainerRequest",
            "RemoveStaleVirtiofsShareMountsRequest", "SignalProcessRequest", "StartContainerRequest",
            "StatsContainerRequest", "TtyWinResizeRequest", "UpdateEphemeralMountsRequest",
            "UpdateInterfaceRequest", "UpdateRoutesRequest", "WaitProcessRequest");

    private static final List<String> ALWAYS_DENIED = List.of(
            "AddSwapRequest", "GetDiagnosticDataRequest", "GetMetricsRequest", "ListInterfacesRequest",
            "ListRoutesRequest", "MemAgentCompactConfigRequest", "MemAgentMemcgConfigRequest",
            "MemHotplugByProbeRequest", "PauseContainerRequest", "ReseedRandomDevRequest", "ResumeContainerRequest",
            "SetGuestDateTimeRequest", "SetPolicyRequest", "StartTracingRequest", "StopTracingRequest",
            "UpdateContainerRequest");

    private final boolean execAllowed;
    private final boolean logsAllowed;
    private final boolean copyFileAllowed;
    private final List<String> images;
    private final String workloadId;
    private final String rego;

    private AgentPolicy(Builder b) {
        this.execAllowed = b.exec;
        this.logsAllowed = b.logs;
        this.copyFileAllowed = b.copyFile;
        this.images = List.copyOf(b.images);
        this.workloadId = b.workloadId;
        this.rego = render();
    }

    /** @return a builder with every option off (exec, logs and CopyFile denied) and no images */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the Rego text, ready for the {@code policy.rego} init-data entry */
    public String rego() {
        return rego;
    }

    /** @return whether ExecProcess/WriteStream/CloseStdin are allowed */
    public boolean execAllowed() {
        return execAllowed;
    }

    /** @return whether ReadStream (logs, exec output) is allowed */
    public boolean logsAllowed() {
        return logsAllowed;
    }

    /** @return whether CopyFile under {@value #SHARED_CONTAINERS_PREFIX} is allowed */
    public boolean copyFileAllowed() {
        return copyFileAllowed;
    }

    /** @return the pinned image references, sorted, without duplicates */
    public List<String> images() {
        return images;
    }

    /**
     * Decision of each request that has a plain default (every request in kata's {@code allow-all.rego}
     * except {@code CreateContainerRequest} and {@code CopyFileRequest}, whose defaults are {@code false} but
     * which may be allowed by a rule).
     *
     * @return request name to default decision, sorted by name
     */
    public Map<String, Boolean> defaults() {
        TreeMap<String, Boolean> d = new TreeMap<>();
        ALWAYS_ALLOWED.forEach(r -> d.put(r, true));
        ALWAYS_DENIED.forEach(r -> d.put(r, false));
        d.put("ExecProcessRequest", execAllowed);
        d.put("WriteStreamRequest", execAllowed);
        d.put("CloseStdinRequest", execAllowed);
        d.put("ReadStreamRequest", logsAllowed);
        d.put("CreateContainerRequest", false);
        d.put("CopyFileRequest", false);
        return d;
    }

    private String render() {
        StringBuilder sb = new StringBuilder(4096);
        sb.append("package agent_policy\n\n");
        sb.append("import future.keywords.every\n");
        sb.append("import future.keywords.if\n");
        sb.append("import future.keywords.in\n\n");
        sb.append("# Generated by cocoplane io.cocoplane.initdata.AgentPolicy: exec=")
                .append(execAllowed ? "allowed" : "denied")
                .append(" logs=").append(logsAllowed ? "allowed" : "denied")
                .append(" copy_file=").append(copyFileAllowed ? "shared-containers" : "denied").append('\n');
        sb.append("# Requests not listed here have no rule and are refused by the kata-agent.\n\n");
        for (Map.Entry<String, Boolean> e : defaults().entrySet()) {
            sb.append("default ").append(e.getKey()).append(" := ").append(e.getValue()).append('\n');
        }
        sb.append("""

                # The pause container comes from the guest image: it must not pull anything.
                CreateContainerRequest if {
                \tinput.OCI.Annotations["io.kubernetes.cri.container-type"] == "sandbox"
                \tnot has_guest_pull_storage
                }

                # A workload container must run one of the digest-pinned images, and a guest pull must fetch it.
                CreateContainerRequest if {
                \tinput.OCI.Annotations["io.kubernetes.cri.container-type"] == "container"
                \timage := input.OCI.Annotations["io.kubernetes.cri.image-name"]
                \tsome container in policy_data.containers
                \tcontainer.OCI.Annotations["io.kubernetes.cri.image-name"] == image
                \tevery storage in input.storages {
                \t\tstorage_allowed(storage, image)
                \t}
                }

                storage_allowed(storage, image) if {
                \tstorage.driver != "image_guest_pull"
                }

                storage_allowed(storage, image) if {
                \tstorage.driver == "image_guest_pull"
                \tstorage.source == image
                }

                has_guest_pull_storage if {
                \tsome storage in input.storages
                \tstorage.driver == "image_guest_pull"
                }
                """);
        if (copyFileAllowed) {
            sb.append("""

                    # ConfigMap/Secret/projected volume files (shared_fs=none) are copied below this prefix only.
                    CopyFileRequest if {
                    \tstartswith(input.path, "%s")
                    \tnot contains(input.path, "/../")
                    }
                    """.formatted(SHARED_CONTAINERS_PREFIX));
        }
        sb.append("\npolicy_data := ").append(policyDataJson()).append('\n');
        return sb.toString();
    }

    private String policyDataJson() {
        List<Object> containers = new ArrayList<>();
        for (String image : images) {
            containers.add(Map.of("OCI", Map.of("Annotations", Map.of("io.kubernetes.cri.image-name", image))));
        }
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("containers", containers);
        if (workloadId != null) {
            root.put("workload", workloadId);
        }
        JsonMapper mapper = JsonMapper.builder()
                .enable(SerializationFeature.INDENT_OUTPUT)
                .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                .build();
        return mapper.writeValueAsString(root).replace("\r\n", "\n");
    }

    /**
     * Checks that a string is an OCI image reference pinned by digest.
     *
     * @param reference e.g. {@code quay.io/org/app@sha256:<64 lowercase hex>}
     * @return whether it is acceptable to {@link Builder#pinImage(String)}
     */
    public static boolean isPinnedReference(String reference) {
        return reference != null && reference.length() <= MAX_IMAGE_REFERENCE_LENGTH
                && PINNED_REFERENCE.matcher(reference).matches();
    }

    /** Builder; every option defaults to "denied". Not thread-safe. */
    public static final class Builder {
        private boolean exec;
        private boolean logs;
        private boolean copyFile;
        private final TreeSet<String> images = new TreeSet<>();
        private String workloadId;

        private Builder() {
        }

        /**
         * Names the workload in {@code policy_data.workload}, so that two workloads with the same image and options
         * still get different init-data and therefore different init-data digests. The attestation service and the
         * key broker bind evidence to a workload by that digest; without a per-workload value, a second (or
         * tampered) workload with the same policy would be indistinguishable from the first.
         *
         * @param id the workload id, 1–128 characters of {@code [A-Za-z0-9._-]}
         * @return this builder
         * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null} or another
         *                           shape
         */
        public Builder workloadId(String id) {
            InitDataException.requireArgument(id, "workload id");
            if (!WORKLOAD_ID.matcher(id).matches()) {
                throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT,
                        "workload id must be 1-128 characters of [A-Za-z0-9._-]");
            }
            this.workloadId = id;
            return this;
        }

        /**
         * Allows {@code kubectl exec} and exec probes: {@code ExecProcessRequest}, plus {@code WriteStreamRequest}
         * and {@code CloseStdinRequest} for stdin. Exec output is read with {@code ReadStreamRequest}, which
         * also needs {@link #allowLogs()} (the agent cannot tell the two streams apart in this policy).
         *
         * @return this builder
         */
        public Builder allowExec() {
            this.exec = true;
            return this;
        }

        /**
         * Allows {@code ReadStreamRequest} ({@code kubectl logs} and exec output). When denied, logs are empty
         * (kata PR #10818).
         *
         * @return this builder
         */
        public Builder allowLogs() {
            this.logs = true;
            return this;
        }

        /**
         * Allows {@code CopyFileRequest} for paths under {@value AgentPolicy#SHARED_CONTAINERS_PREFIX} without
         * {@code /../}, as ConfigMap/Secret volumes need with {@code shared_fs=none}.
         *
         * @return this builder
         */
        public Builder allowCopyFileToSharedContainers() {
            this.copyFile = true;
            return this;
        }

        /**
         * Adds an image the pod's containers may run.
         *
         * @param reference OCI reference pinned by digest, e.g. {@code registry.example/app@sha256:<hex>}
         * @return this builder
         * @throws InitDataException {@link InitDataException.Reason#IMAGE_NOT_PINNED} when the reference is not
         *                           pinned by a {@code sha256}/{@code sha512} digest or is malformed or too long;
         *                           {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null} or more
         *                           than {@value AgentPolicy#MAX_IMAGES} images
         */
        public Builder pinImage(String reference) {
            InitDataException.requireArgument(reference, "image reference");
            if (!isPinnedReference(reference)) {
                throw new InitDataException(InitDataException.Reason.IMAGE_NOT_PINNED,
                        "image reference must be pinned by digest (name@sha256:<64 hex>): "
                                + (reference.length() > 80 ? reference.substring(0, 80) + "..." : reference));
            }
            if (!images.contains(reference) && images.size() >= MAX_IMAGES) {
                throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT,
                        "at most " + MAX_IMAGES + " images");
            }
            images.add(reference);
            return this;
        }

        /**
         * @return the policy
         * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} when no image is pinned
         *                           (no workload container could start)
         */
        public AgentPolicy build() {
            if (images.isEmpty()) {
                throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT,
                        "at least one pinned image is required");
            }
            return new AgentPolicy(this);
        }
    }
}
