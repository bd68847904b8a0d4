package io.cocoplane.attestation.core;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Issues EAR attestation-result tokens (draft-ietf-rats-ear) shaped like trustee's ({@code kbs-attestation.md} §5.1):
 * compact JWS, header {@code {"typ":"JWT","alg":"ES256","kid":<thumbprint>}} — a {@code kid} to look up in
 * {@code /.well-known/jwks.json}, deliberately no {@code jwk} header (a trustee KBS would try the header key first and
 * reject it without {@code x5c}, §5.2) — and claims:
 * <pre>
 * {"eat_profile":"tag:github.com,2024:confidential-containers/Trustee","iat":s,"exp":iat+duration,"iss":…,"jti":uuid,
 *  "ear.verifier-id":{"developer":"https://confidentialcontainers.org","build":"cocoplane-attestation …"},
 *  "submods":{"cpu0":{"ear.status":…,"ear.trustworthiness-vector":{8 claims},"ear.appraisal-policy-id":id,
 *     "ear.veraison.annotated-evidence":{"&lt;tee&gt;":{claims},"report_data":hex,"init_data":hex,
 *        "runtime_data_claims":{…},"init_data_claims":{…}},
 *     &lt;policy extensions, e.g. "ear.trustee.identifiers"&gt;,
 *     "ear.cocoplane.init-data":{"algorithm":"sha256","digest":hex},   // the verified full digest, when sent
 *     "ear.cocoplane.workload-id":"…"}}}                                   // when it matched a scheduled workload
 * </pre>
 * Seconds-resolution {@code iat}/{@code exp}; no {@code nbf}, no nonce (as trustee).
 */
public final class EarTokenIssuer {

    /** trustee's default {@code eat_profile}. */
    public static final String EAT_PROFILE = "tag:github.com,2024:confidential-containers/Trustee";
    /** Extension claim: the verified init-data digest. */
    public static final String INIT_DATA_CLAIM = "ear.cocoplane.init-data";
    /** Extension claim: the matched workload id. */
    public static final String WORKLOAD_ID_CLAIM = "ear.cocoplane.workload-id";

    private final EarSigningKey key;
    private final String issuer;
    private final Duration lifetime;
    private final String build;
    private final Clock clock;

    /**
     * @param key      the signing key
     * @param issuer   {@code iss}
     * @param lifetime {@code exp − iat}, 1 s … 24 h
     * @param build    {@code ear.verifier-id.build}
     * @param clock    the clock for {@code iat}
     */
    public EarTokenIssuer(EarSigningKey key, String issuer, Duration lifetime, String build, Clock clock) {
        if (lifetime.isNegative() || lifetime.compareTo(Duration.ofSeconds(1)) < 0
                || lifetime.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("token lifetime must be 1s..24h, got " + lifetime);
        }
        this.key = key;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.build = build;
        this.clock = clock;
    }

    /**
     * An issued token.
     *
     * @param token the compact JWS
     * @param jti   its {@code jti}
     * @param expiresAt its {@code exp}
     */
    public record Issued(String token, String jti, Instant expiresAt) {
    }

    /**
     * @param verified   the accepted evidence
     * @param appraisal  the policy result
     * @param policyId   the requested policy id ({@code ear.appraisal-policy-id})
     * @param workloadId the matched workload, or {@code null}
     * @return the signed token
     */
    public Issued issue(EvidenceAppraiser.Verified verified, CelPolicy.Appraisal appraisal, String policyId,
                        String workloadId) {
        Instant iat = Instant.ofEpochSecond(clock.instant().getEpochSecond());
        Instant exp = iat.plus(lifetime);
        String jti = UUID.randomUUID().toString();
        Map<String, Object> cpu0 = new LinkedHashMap<>();
        cpu0.put("ear.status", appraisal.status().wireName());
        cpu0.put("ear.trustworthiness-vector", new LinkedHashMap<>(appraisal.trustVector().values()));
        cpu0.put("ear.appraisal-policy-id", policyId);
        cpu0.put("ear.veraison.annotated-evidence", verified.policyInput());
        appraisal.extensions().forEach(cpu0::put);
        if (verified.initData() != null) {
            cpu0.put(INIT_DATA_CLAIM, Map.of("algorithm", verified.initData().algorithm(),
                    "digest", verified.initData().hex()));
        }
        if (workloadId != null) {
            cpu0.put(WORKLOAD_ID_CLAIM, workloadId);
        }
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .claim("eat_profile", EAT_PROFILE)
                .issueTime(Date.from(iat))
                .expirationTime(Date.from(exp))
                .issuer(issuer)
                .jwtID(jti)
                .claim("ear.verifier-id", Map.of("developer", "https://confidentialcontainers.org", "build", build))
                .claim("submods", Map.of("cpu0", cpu0))
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(key.kid()).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(new ECDSASigner(key.privateJwk()));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the EAR token: " + e.getMessage(), e);
        }
        return new Issued(jwt.serialize(), jti, exp);
    }
}
