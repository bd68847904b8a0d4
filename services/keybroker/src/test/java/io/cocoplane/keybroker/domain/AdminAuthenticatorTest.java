package io.cocoplane.keybroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

class AdminAuthenticatorTest {

    private static final AdminAuthenticator.AccessRule ADMIN = new AdminAuthenticator.AccessRule("admin",
            Pattern.compile("^/kbs/v0/.+$"));

    private static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String es256(KeyPair k, String role) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder().issuer("i")
                .claim("role", role).expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        jwt.sign(new ECDSASigner(k.getPrivate(), com.nimbusds.jose.jwk.Curve.P_256));
        return jwt.serialize();
    }

    @Test
    void closedWhenNothingIsConfigured() throws Exception {
        AdminAuthenticator none = new AdminAuthenticator(List.of(), List.of(), Duration.ZERO, Clock.systemUTC());
        assertThat(none.configured()).isFalse();
        assertThatThrownBy(() -> none.authorize("Bearer " + es256(ec(), "admin"), "/kbs/v0/resources"))
                .isInstanceOfSatisfying(KbsException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.getMessage()).contains("closed");
                });
    }

    @Test
    void ecTokensVerifyAndTheKeyFixesTheAlgorithm() throws Exception {
        KeyPair k = ec();
        AdminAuthenticator auth = new AdminAuthenticator(List.of(new AdminAuthenticator.IdentityProvider("i", null,
                k.getPublic())), List.of(ADMIN), Duration.ZERO, Clock.systemUTC());
        assertThat(auth.authorize("Bearer " + es256(k, "admin"), "/kbs/v0/resources").role()).isEqualTo("admin");
        assertThatThrownBy(() -> auth.authorize("Bearer " + es256(k, "viewer"), "/kbs/v0/resources"))
                .isInstanceOfSatisfying(KbsException.class, e -> assertThat(e.status()).isEqualTo(403));
        // HS256 keyed with the public key bytes (classic alg confusion) is not accepted
        SignedJWT hs = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().issuer("i")
                .claim("role", "admin").expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
        byte[] secret = java.util.Arrays.copyOf(k.getPublic().getEncoded(), 64);
        hs.sign(new MACSigner(secret));
        assertThatThrownBy(() -> auth.authorize("Bearer " + hs.serialize(), "/kbs/v0/resources"))
                .isInstanceOfSatisfying(KbsException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    @Test
    void rulesMustBeAnchored() {
        assertThatThrownBy(() -> new AdminAuthenticator.AccessRule("admin", Pattern.compile(".*")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
