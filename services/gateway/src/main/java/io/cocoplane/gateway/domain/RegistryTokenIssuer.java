package io.cocoplane.gateway.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Mints Docker registry bearer tokens (distribution {@code docs/spec/auth/jwt.md}): an ES256 JWS whose header carries
 * the signing key's {@code kid} (RFC 7638 thumbprint, also in {@link #jwks()}) and whose claims are {@code iss},
 * {@code sub}, {@code aud} (the registry's service name), {@code exp}, {@code nbf}, {@code iat}, {@code jti} and
 * {@code access: [{"type":"repository","name":…,"actions":[…]}]}.
 */
public final class RegistryTokenIssuer {

    private final ECKey key;
    private final String issuer;
    private final Duration lifetime;
    private final Clock clock;

    /**
     * @param key      P-256 private JWK with a {@code kid}
     * @param issuer   {@code iss}
     * @param lifetime {@code exp - iat}
     * @param clock    clock
     */
    public RegistryTokenIssuer(ECKey key, String issuer, Duration lifetime, Clock clock) {
        this.key = key;
        this.issuer = issuer;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /**
     * A minted token and the values of the token response.
     *
     * @param token     the compact JWS
     * @param expiresIn lifetime in seconds
     * @param issuedAt  {@code iat}
     */
    public record Issued(String token, long expiresIn, Instant issuedAt) {
    }

    /**
     * @param subject  who the token is for
     * @param audience the registry's service name
     * @param access   granted scopes (see {@link RegistryScope#grant})
     * @return the token
     */
    public Issued issue(String subject, String audience, List<RegistryScope> access) {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        List<Map<String, Object>> accessClaim = access.stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", s.type());
            m.put("name", s.name());
            m.put("actions", s.actions());
            return m;
        }).toList();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(issuer).subject(subject).audience(audience)
                .expirationTime(Date.from(now.plus(lifetime))).notBeforeTime(Date.from(now))
                .issueTime(Date.from(now)).jwtID(UUID.randomUUID().toString())
                .claim("access", accessClaim)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new ECDSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("ES256 signing failed", e);
        }
        return new Issued(jwt.serialize(), lifetime.toSeconds(), now);
    }

    /** @return the public JWK Set (RFC 7517 §5) registries verify tokens with */
    public JWKSet jwks() {
        return new JWKSet(key.toPublicJWK());
    }
}
