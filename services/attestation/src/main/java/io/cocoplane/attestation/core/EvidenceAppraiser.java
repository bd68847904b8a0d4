package io.cocoplane.attestation.core;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import io.cocoplane.initdata.InitData;
import io.cocoplane.kbsprotocol.InvalidMessageException;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.EvidenceVerifiers;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.Tee;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Verifies the evidence of an {@link AttestationRequest} with {@code libs/tee-evidence} and builds trustee's policy
 * input ({@code kbs-attestation.md} §4, §5.3).
 *
 * <ol>
 *   <li>Expected report data: structured runtime data → {@code H(JCS(value))} with the request's hash algorithm
 *       ({@link RuntimeDataHash}); raw → the bytes as sent.</li>
 *   <li>Expected init-data digest: a TOML document → its digest over the exact bytes ({@code libs/initdata}); a bare
 *       digest → as sent. The verifier compares it with SNP HOST_DATA, TDX MRCONFIGID or sample {@code init_data}.</li>
 *   <li>The TEE's verifier from {@link EvidenceVerifiers}; none configured ⇒ refused with
 *       {@link VerificationRefusedException#TEE_NOT_ENABLED}.</li>
 *   <li>Policy input {@code {"<tee>": claims, "report_data", "init_data", "runtime_data_claims", "init_data_claims"}}:
 *       {@code init_data_claims} is the TOML {@code [data]} table with {@code aa.toml}/{@code cdh.toml} parsed as TOML
 *       and a {@code policy.rego} holding {@code policy_data := {…}} turned into {@code agent_policy_claims}.</li>
 * </ol>
 * For the {@code sample} TEE the claims are completed with the constant claims trustee's sample verifier emits
 * ({@code launch_digest "abcde"}, {@code platform_version {major 1, minor 4}}, {@code debug false}), which
 * {@code libs/tee-evidence} leaves out, so that trustee's default policy rules for sample apply unchanged.
 */
public final class EvidenceAppraiser {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final TomlMapper TOML = TomlMapper.builder().build();
    private static final String POLICY_DATA_MARKER = "policy_data := ";

    private final EvidenceVerifiers verifiers;

    /**
     * @param verifiers the configured verifiers (sample only when enabled)
     */
    public EvidenceAppraiser(EvidenceVerifiers verifiers) {
        this.verifiers = verifiers;
    }

    /**
     * A verified init-data digest.
     *
     * @param algorithm {@code sha256}, {@code sha384} or {@code sha512}
     * @param digest    the full digest (not fitted to the TEE field)
     */
    public record InitDataDigest(String algorithm, byte[] digest) {

        /** @return lowercase hex of the digest */
        public String hex() {
            return HexFormat.of().formatHex(digest);
        }
    }

    /**
     * Accepted evidence.
     *
     * @param claims            the verifier claims
     * @param initData          the verified init-data digest, or {@code null} when none was sent
     * @param policyInput       the policy {@code input} (plain JSON shape, nulls left out)
     */
    public record Verified(Claims claims, InitDataDigest initData, Map<String, Object> policyInput) {

        /**
         * @return the launch measurement as lowercase hex (SNP {@code measurement}, TDX {@code mr_td}, the same for
         *         the Azure vTPM variants, whose SNP measurement claim is standard base64), or null
         */
        public String measurement() {
            if (claims.tee() == Tee.SNP && claims.get("measurement") instanceof String m) {
                return m;
            }
            if (claims.tee() == Tee.AZ_SNP_VTPM && claims.get("measurement") instanceof String m) {
                try {
                    return HexFormat.of().formatHex(java.util.Base64.getDecoder().decode(m));
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
            if ((claims.tee() == Tee.TDX || claims.tee() == Tee.AZ_TDX_VTPM) && claims.get("quote") instanceof Map<?, ?> q
                    && q.get("body") instanceof Map<?, ?> b && b.get("mr_td") instanceof String m) {
                return m;
            }
            return null;
        }
    }

    /**
     * @param request the parsed request
     * @return the verified evidence and the policy input
     * @throws VerificationRefusedException when the TEE is not enabled or the verifier refuses the evidence
     * @throws BadRequestException          when the structured runtime data cannot be canonicalized
     */
    public Verified verify(AttestationRequest request) throws VerificationRefusedException {
        byte[] reportData = switch (request.runtimeData()) {
            case AttestationRequest.Structured s -> {
                try {
                    yield RuntimeDataHash.digest(request.hashAlgorithm(), RuntimeDataHash.canonicalize(s.value()));
                } catch (InvalidMessageException e) {
                    throw new BadRequestException("\"runtime_data.structured\": " + e.getMessage(), e);
                }
            }
            case AttestationRequest.Raw r -> r.bytes();
        };
        InitDataDigest init = switch (request.initData()) {
            case null -> null;
            case AttestationRequest.Toml t -> new InitDataDigest(t.document().initData().algorithm().tomlName(),
                    t.document().digest().value());
            case AttestationRequest.Digest d -> new InitDataDigest(switch (d.digest().length) {
                case 32 -> "sha256";
                case 48 -> "sha384";
                default -> "sha512";
            }, d.digest());
        };
        EvidenceVerifier verifier = verifiers.forTee(request.tee()).orElseThrow(() ->
                new VerificationRefusedException(VerificationRefusedException.TEE_NOT_ENABLED, "the "
                        + request.tee().wireName() + " TEE is not enabled on this attestation service", null));
        Claims claims;
        try {
            claims = verifier.verify(request.evidence(),
                    new ExpectedValues(reportData, init == null ? null : init.digest()));
        } catch (EvidenceRefusedException e) {
            throw new VerificationRefusedException(e.check(), e.getMessage(), e);
        }
        Map<String, Object> teeClaims = new LinkedHashMap<>(claims.teeClaims());
        if (claims.tee() == Tee.SAMPLE) {
            teeClaims.putIfAbsent("launch_digest", "abcde");
            teeClaims.putIfAbsent("platform_version", Map.of("major", 1L, "minor", 4L));
            teeClaims.putIfAbsent("debug", false);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put(claims.tee().wireName(), teeClaims);
        input.put("report_data", claims.reportData());
        if (claims.initData() != null) {
            input.put("init_data", claims.initData());
        }
        if (request.runtimeData() instanceof AttestationRequest.Structured s) {
            input.put("runtime_data_claims", JsonValues.toPlain(s.value()));
        }
        if (request.initData() instanceof AttestationRequest.Toml t) {
            input.put("init_data_claims", initDataClaims(t.document().initData()));
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> normalized = (Map<String, Object>) JsonValues.normalize(input);
        return new Verified(claims, init, Collections.unmodifiableMap(normalized));
    }

    /**
     * trustee's {@code init_data_claims} ({@code kbs-attestation.md} §4.2): the data table, with {@code aa.toml} and
     * {@code cdh.toml} parsed and {@code policy.rego}'s {@code policy_data} JSON as {@code agent_policy_claims}.
     * Entries that do not parse stay strings.
     */
    static Map<String, Object> initDataClaims(InitData data) {
        Map<String, Object> out = new LinkedHashMap<>();
        data.data().forEach((k, v) -> {
            if ((InitData.AA_TOML.equals(k) || InitData.CDH_TOML.equals(k)) && !v.isBlank()) {
                try {
                    out.put(k, JsonValues.toPlain(TOML.readTree(v)));
                    return;
                } catch (JacksonException e) {
                    // keep the text
                }
            }
            if (InitData.POLICY_REGO.equals(k)) {
                int at = v.indexOf(POLICY_DATA_MARKER);
                if (at >= 0) {
                    try {
                        JsonNode pd = JSON.readerFor(JsonNode.class).readValue(
                                v.substring(at + POLICY_DATA_MARKER.length()).getBytes(StandardCharsets.UTF_8));
                        out.put("agent_policy_claims", JsonValues.toPlain(pd));
                        return;
                    } catch (JacksonException e) {
                        // keep the text
                    }
                }
            }
            out.put(k, v);
        });
        return out;
    }
}
