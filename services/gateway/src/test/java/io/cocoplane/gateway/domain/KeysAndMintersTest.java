package io.cocoplane.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.EdECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.SignedJWT;

class KeysAndMintersTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void ed25519KeyFromPemAndFromJwkSignTheSameVerifiableToken() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        var fromPem = Keys.ed25519PrivateKey(Keys.toPem(pair.getPrivate()));
        // the same key as an OKP JWK: d = the 32-byte seed, x = the public key (RFC 8037 §2)
        byte[] encoded = pair.getPrivate().getEncoded();
        byte[] seed = java.util.Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        OctetKeyPair okp = new OctetKeyPair.Builder(Curve.Ed25519, rawPublic((EdECPublicKey) pair.getPublic()))
                .d(Base64URL.encode(seed)).build();
        var fromJwk = Keys.ed25519PrivateKey(okp.toJSONString());

        for (var key : List.of(fromPem, fromJwk)) {
            String token = new KbsAdminTokenMinter(key, "gw", Duration.ofSeconds(60), CLOCK).mint("alice");
            SignedJWT jwt = SignedJWT.parse(token);
            // nimbus' Ed25519Verifier needs Tink, which is not on the classpath: verify with the JDK
            java.security.Signature v = java.security.Signature.getInstance("Ed25519");
            v.initVerify(pair.getPublic());
            v.update(jwt.getSigningInput());
            assertThat(v.verify(jwt.getSignature().decode())).isTrue();
            assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
            assertThat(jwt.getJWTClaimsSet().getStringClaim("role")).isEqualTo("admin");
            assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("alice");
            assertThat(jwt.getJWTClaimsSet().getExpirationTime().toInstant())
                    .isEqualTo(Instant.parse("2026-12-01T10:01:00Z"));
        }
    }

    @Test
    void wrongKeyMaterialIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> Keys.ed25519PrivateKey("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageNotContaining("AAAA");
        assertThatThrownBy(() -> Keys.ed25519PrivateKey(Keys.generateP256().toJSONString()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Keys.p256FromJwk(Keys.generateP256().toPublicJWK().toJSONString()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registryTokenCarriesTheDockerClaimsAndVerifiesWithItsJwks() throws Exception {
        ECKey key = Keys.p256FromJwk(Keys.generateP256().toJSONString());
        RegistryTokenIssuer issuer = new RegistryTokenIssuer(key, "gw", Duration.ofMinutes(5), CLOCK);
        RegistryTokenIssuer.Issued t = issuer.issue("bob", "cocoplane-registry",
                List.of(new RegistryScope("repository", "foo", List.of("pull"))));
        SignedJWT jwt = SignedJWT.parse(t.token());
        ECKey pub = (ECKey) issuer.jwks().getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(pub.isPrivate()).isFalse();
        assertThat(jwt.verify(new ECDSAVerifier(pub))).isTrue();
        assertThat(t.expiresIn()).isEqualTo(300);
        assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly("cocoplane-registry");
        assertThat(jwt.getJWTClaimsSet().getClaim("access").toString()).isEqualTo("[{type=repository, name=foo, actions=[pull]}]");
    }

    private static Base64URL rawPublic(EdECPublicKey pub) {
        byte[] enc = pub.getEncoded(); // SubjectPublicKeyInfo: 12-byte prefix + 32-byte key
        return Base64URL.encode(java.util.Arrays.copyOfRange(enc, enc.length - 32, enc.length));
    }
}
