package io.cocoplane.keybroker.domain;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.cocoplane.kbsprotocol.ResourcePath;
import tools.jackson.databind.JsonNode;

/**
 * The facts a release decision is made on, and their CEL form (see {@link ReleasePolicy} for the variables).
 *
 * @param token        the verified token
 * @param tee          TEE of the token's evidence, or "" when unknown
 * @param initData     the token's init-data claim (lowercase hex), or "" when absent
 * @param workloadClaim the token's workload-id extension claim, or "" when absent
 * @param binding      the live workload whose digest matched, if any
 * @param path         the requested resource
 */
public record ReleaseInput(EarToken token, String tee, String initData, String workloadClaim,
                           Optional<WorkloadBinding> binding, ResourcePath path) {

    /** @return the four CEL variables */
    public Map<String, Object> toCel() {
        Map<String, Object> ear = asMap(token.cpu0());
        Map<String, Object> tok = new LinkedHashMap<>();
        tok.put("tee", tee);
        tok.put("initData", initData);
        tok.put("workloadId", workloadClaim);
        tok.put("claims", asMap(token.claims()));
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("live", binding.map(WorkloadBinding::live).orElse(false));
        b.put("workloadId", binding.map(WorkloadBinding::workloadId).orElse(""));
        b.put("allowed", binding.map(x -> (Object) List.copyOf(x.allowedResources())).orElse(List.of()));
        b.put("tee", binding.map(WorkloadBinding::tee).orElse(""));
        b.put("imageDigest", binding.map(WorkloadBinding::imageDigest).orElse(""));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("path", path.toString());
        r.put("repository", path.repository());
        r.put("type", path.type());
        r.put("tag", path.tag());
        return Map.of("ear", ear, "token", tok, "binding", b, "resource", r);
    }

    /**
     * Explains a denial in terms of the default policy's conditions (for the {@code key.denied} reason).
     *
     * @return the first unmet default condition, or "denied by the resource policy" when all hold
     */
    public String explainDenial() {
        String status = token.status().orElse("none");
        if (!"affirming".equals(status)) {
            return "ear.status is " + status + ", not affirming";
        }
        if (binding.isEmpty()) {
            return initData.isEmpty() ? "token carries no init-data claim"
                    : "no live workload is bound to init-data " + initData;
        }
        if (!binding.get().allowedResources().contains(path.toString())) {
            return "workload " + binding.get().workloadId() + " may not receive " + path;
        }
        if (!workloadClaim.isEmpty() && !workloadClaim.equals(binding.get().workloadId())) {
            return "token names workload " + workloadClaim + " but init-data is bound to " + binding.get().workloadId();
        }
        return "denied by the resource policy";
    }

    /**
     * @param node a JSON node
     * @return a CEL-compatible value: objects → {@code Map<String,Object>}, arrays → {@code List}, integers →
     *         {@code Long}, other numbers → {@code Double}; JSON nulls are left out
     */
    static Object toCel(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            return asMap(node);
        }
        if (node.isArray()) {
            List<Object> out = new ArrayList<>();
            for (JsonNode e : node) {
                Object v = toCel(e);
                if (v != null) {
                    out.add(v);
                }
            }
            return out;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.asLong() : (Object) node.asDouble();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        return node.asString();
    }

    static Map<String, Object> asMap(JsonNode node) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                Object v = toCel(e.getValue());
                if (v != null) {
                    out.put(e.getKey(), v);
                }
            }
        }
        return out;
    }
}
