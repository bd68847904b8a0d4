package io.cocoplane.katasim;

import java.util.Map;

import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.initdata.InitDataException;
import io.fabric8.kubernetes.api.model.Pod;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * What the guest holds once its sandbox is up: the init-data document decoded from the pod annotation (with the same
 * strictness as Kata: {@code libs/initdata} {@link InitDataAnnotation#decode(String)}), the agent policy, and the KBS
 * address and certificate from {@code aa.toml} ({@code [token_configs.kbs] url, cert}) or, second, {@code cdh.toml}
 * ({@code [kbc] url, kbs_cert}).
 *
 * @param document   the exact init-data document (its bytes are what the digest covers)
 * @param policyRego the agent policy text
 * @param kbsUrl     the KBS URL text, or {@code null} when neither config names one
 * @param kbsCertPem the KBS certificate PEM, or {@code null}
 */
record GuestSandbox(InitDataDocument document, String policyRego, String kbsUrl, String kbsCertPem) {

    private static final TomlMapper TOML = TomlMapper.builder().build();
    private static final String VSOCK_TIMEOUT = "Failed to Check if grpc server is working: rpc error: "
            + "code = DeadlineExceeded desc = timed out connecting to vsock: ";

    /**
     * Creates the sandbox of a pod, or fails like Kata (texts from kata {@code src/runtime/pkg/oci/utils.go} and
     * kata-orchestration.md §5).
     *
     * @param pod           the pod
     * @param annotationKey the init-data annotation key
     * @return the sandbox
     * @throws GuestFailure ({@link GuestFailure.Stage#SANDBOX}) when the annotation is missing or undecodable, there
     *                      is no agent policy, the policy or the AA/CDH configuration cannot be loaded
     */
    static GuestSandbox create(Pod pod, String annotationKey) throws GuestFailure {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(annotationKey);
        if (value == null) {
            throw GuestFailure.sandbox("no init-data annotation " + annotationKey + ": the simulated node refuses "
                    + "pods without an agent policy (the guest default policy is allow-all)");
        }
        InitDataDocument doc;
        try {
            doc = InitDataAnnotation.decode(value);
        } catch (InitDataException e) {
            throw GuestFailure.sandbox(switch (e.reason()) {
                case NOT_GZIP -> "initdata create gzip reader error: " + e.getMessage();
                case DECOMPRESSED_TOO_LARGE -> "uncompressing initdata with gzip error: " + e.getMessage();
                default -> "parsing initdata annotation failed: " + e.getMessage();
            });
        }
        InitData data = doc.initData();
        String policy = data.get(InitData.POLICY_REGO);
        if (policy == null || policy.isBlank()) {
            throw GuestFailure.sandbox("init-data has no " + InitData.POLICY_REGO + ": the simulated node refuses "
                    + "pods without an agent policy (the guest default policy is allow-all)");
        }
        if (!AgentPolicyText.declaresPackage(policy)) {
            throw GuestFailure.sandbox(VSOCK_TIMEOUT + "the kata-agent aborted: cannot load "
                    + InitData.POLICY_REGO + " (no 'package " + AgentPolicyText.PACKAGE + "')");
        }
        JsonNode aa = parseConfig(data, InitData.AA_TOML);
        JsonNode cdh = parseConfig(data, InitData.CDH_TOML);
        JsonNode aaKbs = aa.path("token_configs").path("kbs");
        JsonNode kbc = cdh.path("kbc");
        String url = text(aaKbs, "url");
        String cert = text(aaKbs, "cert");
        if (url == null) {
            url = text(kbc, "url");
            cert = text(kbc, "kbs_cert");
        }
        return new GuestSandbox(doc, policy, url, cert);
    }

    private static JsonNode parseConfig(InitData data, String key) throws GuestFailure {
        String text = data.get(key);
        if (text == null || text.isBlank()) {
            return TOML.createObjectNode();
        }
        try {
            return TOML.readTree(text);
        } catch (JacksonException e) {
            String component = key.equals(InitData.AA_TOML) ? "attestation-agent" : "confidential-data-hub";
            throw GuestFailure.sandbox(VSOCK_TIMEOUT + "the " + component + " did not start: " + key
                    + " is not valid TOML: " + e.getOriginalMessage());
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isString() && !v.stringValue().isBlank() ? v.stringValue() : null;
    }
}
