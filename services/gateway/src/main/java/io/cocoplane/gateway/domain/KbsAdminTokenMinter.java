package io.cocoplane.gateway.domain;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints the gateway's own admin credential for the key broker's admin API (ARCHITECTURE §5: trustee-style Ed25519
 * bearer JWTs with a {@code role} claim): a compact JWS, header {@code {"alg":"EdDSA","typ":"JWT"}} (RFC 8037 §3.1),
 * claims {@code iss}, {@code sub} (the person the gateway acts for), {@code role: "admin"}, {@code iat}, {@code nbf},
 * {@code exp} (short-lived), {@code jti}. The signature is the 64-byte Ed25519 signature (RFC 8032) of the JWS signing
 * input, made with the JDK's {@code Ed25519} provider so that nimbus needs no Tink.
 */
public final class KbsAdminTokenMinter {

    private final PrivateKey key;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param key      Ed25519 private key
     * @param issuer   {@code iss}
     * @param lifetime time from {@code iat} to {@code exp}
     * @param clock    clock
     */
    public KbsAdminTokenMinter(PrivateKey key, String issuer, Duration lifetime, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * @param onBehalfOf subject of the authenticated caller
     * @return the serialized JWT
     */
    public String mint(String onBehalfOf) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer)
                .subject(onBehalfOf)
                .claim("role", "admin")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(lifetime)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(new JdkEd25519Signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
        return jwt.serialize();
    }

    /** A nimbus signer backed by the JDK's Ed25519 {@link Signature}. */
    static final class JdkEd25519Signer implements JWSSigner {
        private final PrivateKey key;
        private final JCAContext jca = new JCAContext();

        JdkEd25519Signer(PrivateKey key) {
            this.key = key;
        }

        @Override
        public Base64URL sign(JWSHeader header, byte[] signingInput) throws JOSEException {
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initSign(key);
                s.update(signingInput);
                return Base64URL.encode(s.sign());
            } catch (GeneralSecurityException e) {
                throw new JOSEException("Ed25519 signature failed", e);
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA);
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }
}
