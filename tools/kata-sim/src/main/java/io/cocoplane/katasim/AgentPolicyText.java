package io.cocoplane.katasim;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the few facts the simulator needs from a kata-agent policy ({@code policy.rego}) as the orchestrator's
 * generator ({@code libs/initdata} {@code AgentPolicy}) writes it. This is deliberately not a Rego engine: it reads
 * {@code default <Request> := true|false} lines, the {@code AllowRequestsFailingPolicy} escape hatch, the
 * {@code package} declaration and the {@code policy_data := {...}} JSON; rule bodies are not evaluated.
 */
public final class AgentPolicyText {

    /** The package every kata-agent policy must declare (kata {@code src/agent/policy/src/policy.rs}). */
    public static final String PACKAGE = "agent_policy";

    private static final Pattern PACKAGE_LINE = Pattern.compile("(?m)^\\s*package\\s+agent_policy\\s*(#.*)?$");
    private static final Pattern ALLOW_FAILING = Pattern.compile(
            "(?m)^\\s*(?:default\\s+)?AllowRequestsFailingPolicy\\s*:?=\\s*true\\s*(#.*)?$");
    private static final String POLICY_DATA = "policy_data := ";
    private static final String IMAGE_ANNOTATION = "io.kubernetes.cri.image-name";
    private static final ObjectReader JSON = JsonMapper.builder().build().readerFor(JsonNode.class)
            .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private AgentPolicyText() {
    }

    /**
     * The kata-agent's decision on one request kind, as far as the policy's defaults tell.
     *
     * @param request the request name, e.g. {@code ExecProcessRequest}
     * @param allowed whether the agent lets it through
     * @param rule    the policy line that decides (e.g. {@code default ExecProcessRequest := false}) or an explanation
     *                in parentheses when no single line decides
     */
    public record Decision(String request, boolean allowed, String rule) {

        /** @return the agent's denial text, e.g. {@code ExecProcessRequest is blocked by policy: <rule>} */
        public String denialMessage() {
            return request + " is blocked by policy: " + rule;
        }
    }

    /**
     * @param rego the policy text
     * @return whether it declares {@code package agent_policy}; without it the agent cannot load the policy and
     *         aborts the VM (kata {@code src/agent/src/main.rs})
     */
    public static boolean declaresPackage(String rego) {
        return rego != null && PACKAGE_LINE.matcher(rego).find();
    }

    /**
     * Decides a request from the policy's defaults: {@code AllowRequestsFailingPolicy := true} allows everything; else
     * {@code default <request> := true|false} decides; a request with rules but no default cannot be decided without
     * evaluating Rego and is reported as denied with an explanation; a request with neither is denied (the agent
     * refuses requests without a rule).
     *
     * @param rego    the policy text
     * @param request the request name, {@code [A-Za-z]{1,64}} ending in {@code Request}
     * @return the decision
     * @throws IllegalArgumentException when {@code request} is not a request name or {@code rego} is null
     */
    public static Decision decide(String rego, String request) {
        if (rego == null) {
            throw new IllegalArgumentException("no policy text");
        }
        if (request == null || !request.matches("[A-Za-z]{1,64}Request")) {
            throw new IllegalArgumentException("not a kata-agent request name: " + request);
        }
        Matcher failing = ALLOW_FAILING.matcher(rego);
        if (failing.find()) {
            return new Decision(request, true, failing.group().trim());
        }
        Matcher def = Pattern.compile("(?m)^\\s*default\\s+" + request + "\\s*:?=\\s*(true|false)\\s*(#.*)?$")
                .matcher(rego);
        if (def.find()) {
            return new Decision(request, "true".equals(def.group(1)), def.group().trim());
        }
        if (Pattern.compile("(?m)^\\s*" + request + "\\b").matcher(rego).find()) {
            return new Decision(request, false, "(" + request + " has rules but no default; kata-sim does not "
                    + "evaluate Rego rule bodies)");
        }
        return new Decision(request, false, "(no rule for " + request + ")");
    }

    /**
     * Checks a workload container's image against the generator's {@code CreateContainerRequest} rule: unless the
     * policy allows {@code CreateContainerRequest} by default, an image must be one of the
     * {@code policy_data.containers[*].OCI.Annotations["io.kubernetes.cri.image-name"]}. A policy without
     * {@code policy_data} containers is not checked (its rules are not evaluated here).
     *
     * @param rego  the policy text
     * @param image the container's image reference as in the pod spec
     * @return the agent's denial text when the image is not allowed, else empty
     */
    public static Optional<String> createContainerDenial(String rego, String image) {
        if (decide(rego, "CreateContainerRequest").allowed()) {
            return Optional.empty();
        }
        int at = rego.indexOf(POLICY_DATA);
        if (at < 0) {
            return Optional.empty();
        }
        JsonNode data;
        try {
            data = JSON.readValue(rego.substring(at + POLICY_DATA.length()).getBytes(StandardCharsets.UTF_8));
        } catch (JacksonException e) {
            return Optional.empty();
        }
        JsonNode containers = data.path("containers");
        if (!containers.isArray() || containers.isEmpty()) {
            return Optional.empty();
        }
        for (JsonNode c : containers) {
            JsonNode name = c.path("OCI").path("Annotations").path(IMAGE_ANNOTATION);
            if (name.isString() && name.stringValue().equals(image)) {
                return Optional.empty();
            }
        }
        return Optional.of("CreateContainerRequest is blocked by policy: image " + image
                + " is not among the policy_data containers");
    }
}
