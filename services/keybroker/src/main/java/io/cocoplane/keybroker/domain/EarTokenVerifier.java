package io.cocoplane.keybroker.domain;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Verifies EAR tokens (note §5.2) against the attestation service's JWKS only — never against a key the token brings:
 * a header with {@code jwk}, {@code jku}, {@code x5c} or {@code x5u} is refused outright (trustee's
 * {@code insecure_header_jwk} forgery, note §10 #1375). Checks, in order: size; compact JWS; header key members absent;
 * {@code alg} in the allowed set (default ES256); {@code kid} present and in the JWKS (refetched once on an unknown id);
 * the JWK's own {@code alg}, when present, equal to the header's; signature; payload a JSON object; {@code exp} present
 * and not passed (with the configured leeway); {@code nbf}/{@code iat} not in the future; {@code iss} equal to the
 * configured issuer when one is set. Every failure is a {@link KbsException} 401 {@code TokenVerifierError} (503 when
 * the JWKS was never reachable).
 *
 * <p>Verified tokens are remembered (at most {@link #CACHE_MAX} of them, keyed by the SHA-256 of the whole compact
 * string, so any changed byte is a new token): a key broker sees each EAR twice, once from {@code /attest} and once on
 * the resource request that follows, and the second time only the parts that can change are checked again: the
 * {@code kid} must still resolve to the same key in the (refreshed) JWKS, so a key withdrawn from the attestation
 * service's JWKS ends its tokens here as before; {@code exp}, {@code nbf} and {@code iat} against the clock now. The
 * signature and the parse, which depend only on those bytes and that key, are not repeated.
 */
public final class EarTokenVerifier {

    private final JwksCache keys;
    private final Set<JWSAlgorithm> allowed;
    private final Duration leeway;
    private final String issuer;
    private final Clock clock;
    private final int maxChars;
    private final JsonMapper json = JsonMapper.builder().build();
    private final LongAdder signatureChecks = new LongAdder();
    /** SHA-256 of a verified compact token → the token and the key that verified it (Caffeine, size-bounded). */
    private final Cache<String, Verified> verified = Caffeine.newBuilder().maximumSize(CACHE_MAX).build();

    /** Most verified tokens remembered. */
    public static final int CACHE_MAX = 4096;

    private record Verified(JWK key, EarToken token) {
    }

    /**
     * @param keys     the JWKS cache
     * @param allowed  accepted JWS algorithms (ES256, ES384, ES512, RS256, RS384, RS512, PS256, PS384, PS512)
     * @param leeway   clock skew tolerated on {@code exp}/{@code nbf}/{@code iat}
     * @param issuer   required {@code iss}, or null to accept any
     * @param clock    clock
     * @param maxChars largest token accepted
     */
    public EarTokenVerifier(JwksCache keys, Set<JWSAlgorithm> allowed, Duration leeway, String issuer, Clock clock,
                            int maxChars) {
        this.keys = keys;
        this.allowed = Set.copyOf(allowed);
        this.leeway = leeway;
        this.issuer = issuer;
        this.clock = clock;
        this.maxChars = maxChars;
    }

    /**
     * @param compact the compact JWS
     * @return the verified token
     * @throws KbsException 401 {@code TokenVerifierError} on any failed check
     */
    public EarToken verify(String compact) {
        if (compact == null || compact.isEmpty() || compact.length() > maxChars) {
            throw KbsException.tokenInvalid("token missing or longer than " + maxChars + " characters");
        }
        String id = ReleasePolicy.sha256(compact);
        Verified seen = verified.getIfPresent(id);
        if (seen != null) {
            if (keys.find(seen.key().getKeyID()).filter(seen.key()::equals).isPresent()) {
                checkTimes(seen.token().claims());
                return seen.token();
            }
            verified.invalidate(id); // the key left the JWKS or changed: verify from scratch (and fail)
        }
        Verified v = verifyFully(compact);
        verified.put(id, v);
        return v.token();
    }

    /**
     * @return how many signatures this verifier has checked (tokens seen before and still under the same key are not
     *         checked again); for the {@code cocoplane.keybroker.token.signature-checks} metric
     */
    public long signatureChecks() {
        return signatureChecks.sum();
    }

    private Verified verifyFully(String compact) {
        JWSObject jws;
        try {
            jws = JWSObject.parse(compact);
        } catch (ParseException e) {
            throw KbsException.tokenInvalid("token is not a compact JWS");
        }
        JWSHeader h = jws.getHeader();
        if (h.getJWK() != null || h.getJWKURL() != null || h.getX509CertChain() != null
                || h.getX509CertURL() != null) {
            throw KbsException.tokenInvalid("token header carries its own key (jwk/jku/x5c/x5u); only keys from the "
                    + "attestation service's JWKS are trusted");
        }
        if (!allowed.contains(h.getAlgorithm())) {
            throw KbsException.tokenInvalid("token alg " + h.getAlgorithm() + " is not allowed");
        }
        String kid = h.getKeyID();
        if (kid == null || kid.isEmpty()) {
            throw KbsException.tokenInvalid("token header has no kid");
        }
        JWK jwk = keys.find(kid).orElseThrow(() -> KbsException.tokenInvalid("token kid is not in the attestation "
                + "service's JWKS"));
        if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(h.getAlgorithm().getName())) {
            throw KbsException.tokenInvalid("token alg " + h.getAlgorithm() + " differs from its key's alg "
                    + jwk.getAlgorithm());
        }
        boolean valid;
        try {
            JWSVerifier verifier;
            if (jwk instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(h.getAlgorithm())) {
                verifier = new ECDSAVerifier(ec);
            } else if (jwk instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(h.getAlgorithm())) {
                verifier = new RSASSAVerifier(rsa);
            } else {
                throw KbsException.tokenInvalid("token alg " + h.getAlgorithm() + " does not fit key type "
                        + jwk.getKeyType());
            }
            signatureChecks.increment();
            valid = jws.verify(verifier);
        } catch (JOSEException | IllegalStateException e) {
            throw KbsException.tokenInvalid("token signature cannot be checked: " + e.getMessage());
        }
        if (!valid) {
            throw KbsException.tokenInvalid("token signature does not verify");
        }
        JsonNode claims;
        try {
            claims = json.readTree(jws.getPayload().toBytes());
        } catch (JacksonException e) {
            throw KbsException.tokenInvalid("token payload is not JSON");
        }
        if (claims == null || !claims.isObject()) {
            throw KbsException.tokenInvalid("token payload is not a JSON object");
        }
        Instant exp = checkTimes(claims);
        if (issuer != null && !issuer.isEmpty()) {
            JsonNode iss = claims.get("iss");
            if (iss == null || !iss.isString() || !issuer.equals(iss.asString())) {
                throw KbsException.tokenInvalid("token issuer is not " + issuer);
            }
        }
        return new Verified(jwk, new EarToken(compact, claims, exp));
    }

    /** {@code exp} present and not passed, {@code nbf} and {@code iat} not in the future, with the leeway. */
    private Instant checkTimes(JsonNode claims) {
        Instant now = clock.instant();
        Instant exp = seconds(claims, "exp").orElseThrow(() -> KbsException.tokenInvalid("token has no exp"));
        if (!now.isBefore(exp.plus(leeway))) {
            throw KbsException.tokenInvalid("token expired at " + exp);
        }
        Optional<Instant> nbf = seconds(claims, "nbf");
        if (nbf.isPresent() && nbf.get().isAfter(now.plus(leeway))) {
            throw KbsException.tokenInvalid("token not valid before " + nbf.get());
        }
        Optional<Instant> iat = seconds(claims, "iat");
        if (iat.isPresent() && iat.get().isAfter(now.plus(leeway))) {
            throw KbsException.tokenInvalid("token issued in the future");
        }
        return exp;
    }

    private static Optional<Instant> seconds(JsonNode claims, String name) {
        JsonNode n = claims.get(name);
        if (n == null || n.isNull()) {
            return Optional.empty();
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw KbsException.tokenInvalid("token " + name + " is not an integer NumericDate");
        }
        long s = Math.max(-31_557_014_167_219_200L, Math.min(31_556_889_864_403_199L, n.asLong()));
        return Optional.of(Instant.ofEpochSecond(s));
    }
}
