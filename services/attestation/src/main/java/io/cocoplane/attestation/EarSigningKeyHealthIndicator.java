package io.cocoplane.attestation;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;

import io.cocoplane.attestation.core.EarSigningKey;

/**
 * Health contributor {@code earSigningKey}, in the readiness group: UP when a probe JWS signed with the EAR key
 * verifies with the public key served in the JWKS; DOWN otherwise (no token could be trusted).
 */
public class EarSigningKeyHealthIndicator implements HealthIndicator {

    private final EarSigningKey key;

    /**
     * @param key the EAR signing key
     */
    public EarSigningKeyHealthIndicator(EarSigningKey key) {
        this.key = key;
    }

    @Override
    public Health health() {
        try {
            JWSObject probe = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.kid()).build(),
                    new Payload("readiness-probe"));
            probe.sign(new ECDSASigner(key.privateJwk()));
            if (!JWSObject.parse(probe.serialize()).verify(new ECDSAVerifier(key.publicJwk()))) {
                return Health.down().withDetail("kid", key.kid()).withDetail("error", "probe does not verify").build();
            }
            return Health.up().withDetail("kid", key.kid()).build();
        } catch (Exception e) {
            return Health.down().withDetail("kid", key.kid()).withDetail("error", e.getClass().getSimpleName())
                    .build();
        }
    }
}
