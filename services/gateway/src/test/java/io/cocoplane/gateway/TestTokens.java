package io.cocoplane.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.cocoplane.gateway.domain.Keys;

/**
 * Test identity provider: an RSA key generated once per JVM, its public key written to a PEM file the resource server
 * is configured with, and RS256 JWTs minted with nimbus.
 */
public final class TestTokens {

    private static final KeyPair RSA;
    private static final KeyPair OTHER;
    /** PEM file of the trusted public key. */
    public static final Path PUBLIC_KEY_PEM;

    static {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            RSA = g.generateKeyPair();
            OTHER = g.generateKeyPair();
            PUBLIC_KEY_PEM = Files.createTempFile("gateway-test-jwt", ".pem");
            PUBLIC_KEY_PEM.toFile().deleteOnExit();
            Files.writeString(PUBLIC_KEY_PEM, Keys.toPem(RSA.getPublic()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private TestTokens() {
    }

    /**
     * @param subject {@code sub}
     * @param roles   {@code roles} claim
     * @return a valid bearer token
     */
    public static String token(String subject, String... roles) {
        return sign(RSA, subject, List.of(roles));
    }

    /** @return a token signed by a key the gateway does not trust */
    public static String untrusted(String subject, String... roles) {
        return sign(OTHER, subject, List.of(roles));
    }

    /** @return a fresh subject, so each test has its own rate-limit budget */
    public static String subject() {
        return "user-" + UUID.randomUUID();
    }

    private static String sign(KeyPair pair, String subject, List<String> roles) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer("https://idp.test")
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)))
                .claim("roles", roles).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), claims);
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) pair.getPrivate()));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
