package io.cocoplane.keybroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.BeforeEach;
import org.threeten.extra.MutableClock;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import tools.jackson.databind.json.JsonMapper;

/**
 * The verified-token cache of {@link EarTokenVerifier}: a token seen again is not signature-checked again, but the
 * checks that can change between the two sightings (its key still in the JWKS and unchanged, its times) are.
 */
class EarTokenVerifierTest {

    private static final Instant T0 = Instant.parse("2026-12-01T06:00:00Z");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final MutableClock clock = MutableClock.of(T0, ZoneOffset.UTC);
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private ECKey key;
    private EarTokenVerifier verifier;

    @BeforeEach
    void setUp() throws Exception {
        key = new ECKeyGenerator(Curve.P_256).keyID("as-1").generate();
        published.set(new JWKSet(key.toPublicJWK()));
        JwksCache jwks = new JwksCache(published::get, clock, Duration.ofMinutes(5), Duration.ofSeconds(10));
        verifier = new EarTokenVerifier(jwks, Set.of(JWSAlgorithm.ES256), Duration.ofSeconds(30), "cocoplane", clock,
                16_384);
    }

    @Test
    void aTokenSeenAgainIsNotSignatureCheckedAgainAndGivesTheSameClaims() throws Exception {
        String token = mint(key, 300);

        EarToken first = verifier.verify(token);
        EarToken second = verifier.verify(token);

        assertThat(verifier.signatureChecks()).isEqualTo(1);
        assertThat(second.claims()).isEqualTo(first.claims());
        assertThat(second.claims().get("jti").asString()).isEqualTo("t-1");
        assertThat(second.expiresAt()).isEqualTo(Instant.ofEpochSecond(T0.getEpochSecond() + 300));
    }

    @Test
    void aRememberedTokenStillExpires() throws Exception {
        String token = mint(key, 60);
        verifier.verify(token);

        clock.setInstant(T0.plusSeconds(60 + 30)); // exp + leeway

        assertThatThrownBy(() -> verifier.verify(token)).isInstanceOf(KbsException.class)
                .hasMessageContaining("expired");
        assertThat(verifier.signatureChecks()).isEqualTo(1);
    }

    @Test
    void aRememberedTokenWhoseKeyLeftTheJwksIsRefused() throws Exception {
        assertThat(afterRotationTo("as-2")).hasMessageContaining("not in the attestation service's JWKS");
        assertThat(verifier.signatureChecks()).isEqualTo(1);
    }

    @Test
    void aRememberedTokenWhoseKidNowNamesAnotherKeyIsVerifiedAgainAndRefused() throws Exception {
        assertThat(afterRotationTo("as-1")).hasMessageContaining("signature does not verify");
        assertThat(verifier.signatureChecks()).isEqualTo(2);
    }

    /** Verifies a token, replaces the JWKS by one new key with {@code kid}, and verifies the token again after the TTL. */
    private Throwable afterRotationTo(String kid) throws Exception {
        String token = mint(key, 3600);
        verifier.verify(token);
        published.set(new JWKSet(new ECKeyGenerator(Curve.P_256).keyID(kid).generate().toPublicJWK()));
        clock.setInstant(T0.plus(Duration.ofMinutes(6))); // past the JWKS TTL: the set is refetched
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> verifier.verify(token));
        assertThat(t).isInstanceOf(KbsException.class);
        return t;
    }

    @Test
    void anyChangedByteIsANewTokenAndFullyVerified() throws Exception {
        String token = mint(key, 300);
        verifier.verify(token);
        // the same header and payload under another signature by a key outside the JWKS
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("as-1").generate();
        JWSObject parsed = JWSObject.parse(token);
        JWSObject signedByStranger = new JWSObject(parsed.getHeader(), parsed.getPayload());
        signedByStranger.sign(new ECDSASigner(stranger));
        String resigned = signedByStranger.serialize();

        assertThatThrownBy(() -> verifier.verify(resigned)).isInstanceOf(KbsException.class)
                .hasMessageContaining("signature does not verify");
        assertThat(resigned).isNotEqualTo(token);
        assertThat(verifier.signatureChecks()).isEqualTo(2);
        assertThat(verifier.verify(token).claims().get("jti").asString()).isEqualTo("t-1");
        assertThat(verifier.signatureChecks()).isEqualTo(2);
    }

    @Test
    void aRefusedTokenIsNotRemembered() throws Exception {
        String future = mint(key, 3600, T0.plusSeconds(600));

        assertThatThrownBy(() -> verifier.verify(future)).hasMessageContaining("issued in the future");
        clock.setInstant(T0.plusSeconds(600));
        assertThat(verifier.verify(future).claims().get("jti").asString()).isEqualTo("t-1");
        assertThat(verifier.signatureChecks()).isEqualTo(2);
    }

    private String mint(ECKey signer, long lifetimeSeconds) throws Exception {
        return mint(signer, lifetimeSeconds, T0);
    }

    private String mint(ECKey signer, long lifetimeSeconds, Instant iat) throws Exception {
        Map<String, Object> claims = Map.of("iss", "cocoplane", "jti", "t-1", "iat", iat.getEpochSecond(),
                "exp", T0.getEpochSecond() + lifetimeSeconds, "eat_profile", "tag:github.com,2023:veraison/ear");
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(signer.getKeyID()).build(), new Payload(new String(JSON.writeValueAsBytes(claims),
                StandardCharsets.UTF_8)));
        jws.sign(new ECDSASigner(signer));
        return jws.serialize();
    }
}
