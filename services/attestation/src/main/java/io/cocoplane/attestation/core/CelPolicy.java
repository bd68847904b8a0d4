package io.cocoplane.attestation.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOptions;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelLateFunctionBindings;
import dev.cel.runtime.CelRuntime;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An appraisal policy written in CEL (cel.dev), the cocoplane counterpart of trustee's Rego EAR policies
 * ({@code kbs-attestation.md} §5.3). It turns the verifier claims into an AR4SI {@link TrustVector} and EAR
 * extensions.
 *
 * <p>Document (UTF-8 JSON, at most {@value #MAX_POLICY_BYTES} bytes, unknown members refused):
 * <pre>
 * {"defaults":  {"executables": 33, "hardware": 97, "configuration": 36},          // others default to 0
 *  "rules":     [{"claim": "executables", "value": 3, "when": "&lt;CEL bool&gt;"}, …],  // at most 256
 *  "extensions":[{"name": "ear.trustee.identifiers", "value": "&lt;CEL&gt;", "otherwise": &lt;JSON&gt;}, …]} // at most 16
 * </pre>
 * Each claim takes the value of the <em>first</em> rule for it whose {@code when} evaluates to {@code true}, else its
 * default: this is Rego's {@code default x := d; x := v if {…} else := w if {…}} with first-match order. A
 * {@code when} that fails to evaluate (a missing member such as {@code input.snp} on TDX evidence, an absent reference
 * value, a type mismatch) does not hold — Rego's "undefined". An extension's {@code value} is evaluated the same way;
 * when it fails, {@code otherwise} is used, or the extension is left out when there is none.
 *
 * <p>CEL environment: variable {@code input} ({@code map(string, dyn)}: {@code {"<tee>": {verifier claims},
 * "report_data": hex, "init_data": hex, "runtime_data_claims": …, "init_data_claims": …}}, null members left out), the
 * function {@code query_reference_value(string) -> dyn} (the live reference value; absent or expired ⇒ evaluation
 * error, so the rule reading it does not hold), and the standard macros ({@code has}, {@code exists}, {@code all},
 * {@code map}, {@code filter}; stack.md P8). Each expression is at most {@value #MAX_EXPRESSION_CHARS} characters.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class CelPolicy {

    /** Largest policy document, in bytes. */
    public static final int MAX_POLICY_BYTES = 64 * 1024;
    /** Most rules in one policy. */
    public static final int MAX_RULES = 256;
    /** Most extensions in one policy. */
    public static final int MAX_EXTENSIONS = 16;
    /** Longest CEL expression, in characters. */
    public static final int MAX_EXPRESSION_CHARS = 4096;

    private static final Pattern EXTENSION_NAME = Pattern.compile("[a-z][a-z0-9._-]{0,99}");
    private static final Set<String> RESERVED = Set.of("ear.status", "ear.trustworthiness-vector",
            "ear.appraisal-policy-id", "ear.veraison.annotated-evidence");
    private static final String RV_FUNCTION = "query_reference_value";
    private static final String RV_OVERLOAD = "query_reference_value_string";

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32)
                            .maxDocumentLength(MAX_POLICY_BYTES).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    private static final Cel CEL = CelFactory.standardCelBuilder()
            .setOptions(CelOptions.current().build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("input", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addFunctionDeclarations(CelFunctionDecl.newFunctionDeclaration(RV_FUNCTION,
                    CelOverloadDecl.newGlobalOverload(RV_OVERLOAD, SimpleType.DYN, SimpleType.STRING)))
            .build();

    private record Rule(String claim, int value, String source, CelRuntime.Program program) {
    }

    private record Extension(String name, String source, CelRuntime.Program program, Object otherwise) {
    }

    private final Map<String, Integer> defaults;
    private final List<Rule> rules;
    private final List<Extension> extensions;

    private CelPolicy(Map<String, Integer> defaults, List<Rule> rules, List<Extension> extensions) {
        this.defaults = defaults;
        this.rules = rules;
        this.extensions = extensions;
    }

    /**
     * The outcome of an evaluation.
     *
     * @param trustVector the eight AR4SI claims
     * @param extensions  extension name to JSON-shaped value (insertion order of the policy), unmodifiable
     */
    public record Appraisal(TrustVector trustVector, Map<String, Object> extensions) {

        /** @return {@link TrustVector#status()} */
        public EarStatus status() {
            return trustVector.status();
        }
    }

    /**
     * Parses and compiles a policy document.
     *
     * @param document the UTF-8 JSON document
     * @return the compiled policy
     * @throws PolicyException on any problem listed in the class documentation
     */
    public static CelPolicy parse(byte[] document) {
        if (document == null || document.length == 0) {
            throw new PolicyException("policy: empty document");
        }
        if (document.length > MAX_POLICY_BYTES) {
            throw new PolicyException("policy: " + document.length + " bytes exceeds " + MAX_POLICY_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(document);
        } catch (JacksonException e) {
            throw new PolicyException("policy: not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new PolicyException("policy: the document must be a JSON object");
        }
        allowOnly(root, "policy", "description", "defaults", "rules", "extensions");
        Map<String, Integer> defaults = new HashMap<>();
        TrustVector.CLAIMS.forEach(c -> defaults.put(c, 0));
        JsonNode d = root.get("defaults");
        if (d != null) {
            if (!d.isObject()) {
                throw new PolicyException("policy: \"defaults\" must be an object");
            }
            for (Map.Entry<String, JsonNode> e : d.properties()) {
                defaults.put(claimName(e.getKey()), claimValue(e.getValue(), "defaults." + e.getKey()));
            }
        }
        List<Rule> rules = new ArrayList<>();
        JsonNode rs = root.get("rules");
        if (rs != null) {
            if (!rs.isArray() || rs.size() > MAX_RULES) {
                throw new PolicyException("policy: \"rules\" must be an array of at most " + MAX_RULES);
            }
            int i = 0;
            for (JsonNode r : rs) {
                String where = "rules[" + i++ + "]";
                if (!r.isObject()) {
                    throw new PolicyException("policy: " + where + " must be an object");
                }
                allowOnly(r, where, "claim", "value", "when", "description");
                String claim = claimName(text(r, "claim", where));
                int value = claimValue(r.get("value"), where + ".value");
                String when = text(r, "when", where);
                rules.add(new Rule(claim, value, when, compile(when, where + ".when")));
            }
        }
        List<Extension> extensions = new ArrayList<>();
        JsonNode xs = root.get("extensions");
        if (xs != null) {
            if (!xs.isArray() || xs.size() > MAX_EXTENSIONS) {
                throw new PolicyException("policy: \"extensions\" must be an array of at most " + MAX_EXTENSIONS);
            }
            int i = 0;
            for (JsonNode x : xs) {
                String where = "extensions[" + i++ + "]";
                if (!x.isObject()) {
                    throw new PolicyException("policy: " + where + " must be an object");
                }
                allowOnly(x, where, "name", "value", "otherwise", "description");
                String name = text(x, "name", where);
                if (!EXTENSION_NAME.matcher(name).matches() || RESERVED.contains(name)
                        || name.startsWith("ear.cocoplane.")) {
                    throw new PolicyException("policy: " + where + ".name " + quote(name)
                            + " is not an allowed extension name");
                }
                String value = text(x, "value", where);
                JsonNode otherwise = x.get("otherwise");
                extensions.add(new Extension(name, value, compile(value, where + ".value"),
                        otherwise == null || otherwise.isNull() ? null : JsonValues.toPlain(otherwise)));
            }
        }
        return new CelPolicy(Map.copyOf(defaults), List.copyOf(rules), List.copyOf(extensions));
    }

    /**
     * @param document the policy text
     * @return {@link #parse(byte[])} of its UTF-8 bytes
     */
    public static CelPolicy parse(String document) {
        return parse(document.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Evaluates the policy.
     *
     * @param input the policy input, JSON-shaped plain Java (see the class documentation); numbers must be
     *              {@link Long} or {@link Double}
     * @param rv    the reference values
     * @return the trust vector and extensions
     */
    public Appraisal evaluate(Map<String, Object> input, ReferenceValueLookup rv) {
        CelLateFunctionBindings functions = CelLateFunctionBindings.from(
                CelFunctionBinding.from(RV_OVERLOAD, String.class, name -> rv.find(name)
                        .orElseThrow(() -> new IllegalStateException("no live reference value " + quote(name)))));
        Map<String, Object> vars = Map.of("input", input);
        Map<String, Integer> vector = new HashMap<>(defaults);
        Set<String> decided = new java.util.HashSet<>();
        for (Rule r : rules) {
            if (decided.contains(r.claim())) {
                continue;
            }
            if (Boolean.TRUE.equals(evalOrNull(r.program(), vars, functions))) {
                vector.put(r.claim(), r.value());
                decided.add(r.claim());
            }
        }
        Map<String, Object> ext = new LinkedHashMap<>();
        for (Extension x : extensions) {
            Object v = evalOrNull(x.program(), vars, functions);
            Object value = v != null ? JsonValues.fromCel(v) : x.otherwise();
            if (value != null) {
                ext.put(x.name(), value);
            }
        }
        return new Appraisal(new TrustVector(vector), Collections.unmodifiableMap(ext));
    }

    private static Object evalOrNull(CelRuntime.Program p, Map<String, Object> vars, CelLateFunctionBindings fns) {
        try {
            return p.eval(vars, fns);
        } catch (CelEvaluationException | RuntimeException e) {
            return null;
        }
    }

    private static CelRuntime.Program compile(String expression, String where) {
        if (expression.length() > MAX_EXPRESSION_CHARS) {
            throw new PolicyException("policy: " + where + " is longer than " + MAX_EXPRESSION_CHARS + " characters");
        }
        try {
            CelAbstractSyntaxTree ast = CEL.compile(expression).getAst();
            return CEL.createProgram(ast);
        } catch (CelValidationException e) {
            throw new PolicyException("policy: " + where + " does not compile: " + e.getMessage());
        } catch (CelEvaluationException | RuntimeException e) {
            throw new PolicyException("policy: " + where + " cannot be planned: " + e.getMessage());
        }
    }

    private static void allowOnly(JsonNode obj, String where, String... names) {
        Set<String> allowed = Set.of(names);
        for (String n : obj.propertyNames()) {
            if (!allowed.contains(n)) {
                throw new PolicyException("policy: " + where + " has unknown member " + quote(n));
            }
        }
    }

    private static String text(JsonNode obj, String member, String where) {
        JsonNode n = obj.get(member);
        if (n == null || !n.isString() || n.asString().isBlank()) {
            throw new PolicyException("policy: " + where + "." + member + " must be a non-empty string");
        }
        return n.asString();
    }

    private static String claimName(String name) {
        if (!TrustVector.CLAIMS.contains(name)) {
            throw new PolicyException("policy: " + quote(name) + " is not an AR4SI claim " + TrustVector.CLAIMS);
        }
        return name;
    }

    private static int claimValue(JsonNode n, String where) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToInt() || n.asInt() < -128 || n.asInt() > 127) {
            throw new PolicyException("policy: " + where + " must be an integer in -128..127");
        }
        return n.asInt();
    }

    private static String quote(String s) {
        String t = s.length() > 64 ? s.substring(0, 64) + "…" : s;
        return "\"" + t.replaceAll("\\p{Cntrl}", "?") + "\"";
    }
}
