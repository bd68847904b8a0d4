package io.cocoplane.keybroker.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;

/**
 * The resource release policy: one CEL expression (dev.cel; stack.md P8) of type {@code bool} over four variables,
 * each a {@code map(string, dyn)}:
 * <ul>
 *   <li>{@code ear} — the token's {@code submods.cpu0} appraisal: {@code ear.status}, {@code ear.trustworthiness-vector},
 *       {@code ear.veraison.annotated-evidence}, … (so {@code ear["ear.status"]});</li>
 *   <li>{@code token} — {@code tee}, {@code initData} (hex claim or ""), {@code workloadId} (extension claim or ""),
 *       {@code claims} (the whole payload);</li>
 *   <li>{@code binding} — {@code live} (a live workload's init-data digest matched), {@code workloadId},
 *       {@code allowed} (list of paths), {@code tee}, {@code imageDigest};</li>
 *   <li>{@code resource} — {@code path}, {@code repository}, {@code type}, {@code tag}.</li>
 * </ul>
 * Integers are CEL {@code int}. Evaluation errors (missing keys, wrong types) deny. The {@link #DEFAULT} policy releases
 * only to an {@code affirming} TEE whose init-data matches a live workload allowed to receive the path (and whose
 * workload-id claim, when present, names that workload).
 */
public final class ReleasePolicy {

    /** The default release policy. */
    public static final String DEFAULT = "ear[\"ear.status\"] == \"affirming\"\n"
            + "  && binding.live\n"
            + "  && resource.path in binding.allowed\n"
            + "  && (token.workloadId == \"\" || token.workloadId == binding.workloadId)";
    /** Longest policy text accepted, in characters. */
    public static final int MAX_CHARS = 16 * 1024;

    private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addVar("ear", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("token", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("binding", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .addVar("resource", MapType.create(SimpleType.STRING, SimpleType.DYN))
            .setResultType(SimpleType.BOOL)
            .build();
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

    private final String source;
    private final String digest;
    private final CelRuntime.Program program;

    private ReleasePolicy(String source, CelRuntime.Program program) {
        this.source = source;
        this.digest = sha256(source);
        this.program = program;
    }

    /**
     * @param source CEL text, at most {@value #MAX_CHARS} characters
     * @return the compiled policy
     * @throws InvalidPolicyException when the text is empty, too long, does not parse or type-check, or is not
     *                                {@code bool}
     */
    public static ReleasePolicy compile(String source) {
        if (source == null || source.isBlank() || source.length() > MAX_CHARS) {
            throw new InvalidPolicyException("policy must be 1.." + MAX_CHARS + " characters of CEL");
        }
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(source).getAst();
            return new ReleasePolicy(source, RUNTIME.createProgram(ast));
        } catch (CelValidationException e) {
            throw new InvalidPolicyException("policy does not compile: " + e.getMessage());
        } catch (CelEvaluationException e) {
            throw new InvalidPolicyException("policy cannot be planned: " + e.getMessage());
        }
    }

    /** @return the CEL text */
    public String source() {
        return source;
    }

    /** @return {@code sha256:<hex>} of the UTF-8 text */
    public String digest() {
        return digest;
    }

    /**
     * @param input the four variables
     * @return the decision; an evaluation error is a denial with the error as reason
     */
    public Decision evaluate(Map<String, Object> input) {
        try {
            Object r = program.eval(input);
            return Boolean.TRUE.equals(r) ? new Decision(true, "allowed by policy " + digest)
                    : new Decision(false, "denied by policy " + digest);
        } catch (CelEvaluationException | RuntimeException e) {
            return new Decision(false, "policy evaluation failed: " + e.getMessage());
        }
    }

    /**
     * @param allowed the result
     * @param reason  why
     */
    public record Decision(boolean allowed, String reason) {
    }

    /** @return {@code sha256:<hex>} of a text's UTF-8 bytes */
    public static String sha256(String text) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
