package io.cocoplane.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import io.cocoplane.attestation.core.AdminAuthenticationException;
import io.cocoplane.attestation.core.AdminTokenVerifier;
import io.cocoplane.attestation.core.BadRequestException;
import io.cocoplane.attestation.core.EarSigningKey;
import io.cocoplane.attestation.core.ReferenceValueMessage;

/** Admin token checks, the RVPS message format and the signing-key PEM, without Spring. */
class CoreUnitTest {

    @Test
    void adminTokensAreCheckedForKeyRoleExpiryAndIssuer() {
        var kp = TestSupport.ed25519();
        // the key given as a JWK (RFC 8037) is the same key as the PEM form
        byte[] spki = kp.getPublic().getEncoded();
        byte[] x = java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        String jwk = new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).build().toJSONString();
        AdminTokenVerifier v = new AdminTokenVerifier(AdminTokenVerifier.parsePublicKey(jwk), "issuer", null,
                Clock.systemUTC());
        assertThat(v.authenticate("Bearer " + TestSupport.adminToken(kp, "admin", 60))).isEqualTo("alice");
        assertThatThrownBy(() -> v.authenticate("Bearer " + TestSupport.adminToken(kp, "deployer", 60)))
                .isInstanceOf(AdminAuthenticationException.class).hasMessageContaining("role");
        // expired beyond the 60 s leeway
        assertThatThrownBy(() -> v.authenticate("Bearer " + TestSupport.adminToken(kp, "admin", -61)))
                .hasMessageContaining("expired");
        assertThatThrownBy(() -> v.authenticate("Basic abc")).hasMessageContaining("bearer");
        assertThatThrownBy(() -> v.authenticate("Bearer a.b.c")).isInstanceOf(AdminAuthenticationException.class);
        AdminTokenVerifier otherIssuer = new AdminTokenVerifier(AdminTokenVerifier.parsePublicKey(jwk), "someone",
                null, Clock.systemUTC());
        assertThatThrownBy(() -> otherIssuer.authenticate("Bearer " + TestSupport.adminToken(kp, "admin", 60)))
                .hasMessageContaining("issuer");
        assertThatThrownBy(() -> AdminTokenVerifier.parsePublicKey("{\"kty\":\"EC\",\"crv\":\"P-256\"}"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rvpsMessagesAreTheSampleFormatWithOptionalExpiration() {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");
        String payload = Base64.getEncoder().encodeToString("{\"svn\":[\"1\"]}".getBytes(StandardCharsets.UTF_8));
        ReferenceValueMessage m = ReferenceValueMessage.parse(("{\"version\":\"0.1.0\",\"type\":\"sample\","
                + "\"payload\":\"" + payload + "\",\"expiration\":\"2026-02-01T00:00:00Z\"}")
                .getBytes(StandardCharsets.UTF_8), now);
        assertThat(m.values()).containsOnlyKeys("svn");
        assertThat(m.expiration()).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
        for (String bad : new String[] {
                "{\"version\":\"0.2.0\",\"type\":\"sample\",\"payload\":\"" + payload + "\"}",
                "{\"version\":\"0.1.0\",\"type\":\"swid\",\"payload\":\"" + payload + "\"}",
                "{\"version\":\"0.1.0\",\"type\":\"sample\",\"payload\":\"***\"}",
                "{\"version\":\"0.1.0\",\"type\":\"sample\",\"payload\":\"" + payload + "\",\"expiration\":"
                        + "\"2025-01-01T00:00:00Z\"}",
                "{\"version\":\"0.1.0\",\"type\":\"sample\",\"payload\":\"" + payload + "\",\"provenance\":1}"}) {
            assertThatThrownBy(() -> ReferenceValueMessage.parse(bad.getBytes(StandardCharsets.UTF_8), now))
                    .as(bad).isInstanceOf(BadRequestException.class);
        }
    }

    @Test
    void signingKeyPemIsP256Pkcs8AndItsKidIsStable() {
        String pem = EarSigningKey.generatePem();
        EarSigningKey a = EarSigningKey.fromPem(pem);
        EarSigningKey b = EarSigningKey.fromPem(pem);
        assertThat(a.kid()).isEqualTo(b.kid());
        assertThat(a.publicJwk().getCurve()).isEqualTo(Curve.P_256);
        @SuppressWarnings("unchecked")
        Map<String, Object> jwk = ((java.util.List<Map<String, Object>>) a.jwks().get("keys")).get(0);
        assertThat(jwk).containsEntry("kid", a.kid()).containsEntry("alg", "ES256").doesNotContainKey("d");
        assertThatThrownBy(() -> EarSigningKey.fromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void evidenceAndRuntimeDataMustBeUnpaddedBase64url() {
        java.util.function.Function<String, byte[]> body = evidence -> ("{\"verification_requests\":[{\"tee\":\"snp\","
                + "\"evidence\":\"" + evidence + "\",\"runtime_data\":{\"raw\":\"AAEC\"}}]}")
                .getBytes(StandardCharsets.UTF_8);
        byte[] bytes = {(byte) 0xfb, (byte) 0xff, 0x3e, 0x00, 0x7f};
        String url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        assertThat(url).contains("-").contains("_");
        assertThat(io.cocoplane.attestation.core.AttestationRequest.parse(body.apply(url)).evidence()).isEqualTo(bytes);
        for (String bad : new String[] {Base64.getEncoder().withoutPadding().encodeToString(bytes),
                Base64.getUrlEncoder().encodeToString(bytes), url + "AA", "ab cd", "abc\\u00e9"}) {
            assertThatThrownBy(() -> io.cocoplane.attestation.core.AttestationRequest.parse(body.apply(bad)))
                    .as(bad).isInstanceOf(BadRequestException.class)
                    .hasMessageContaining("\"evidence\" is not unpadded base64url");
        }
    }
}
