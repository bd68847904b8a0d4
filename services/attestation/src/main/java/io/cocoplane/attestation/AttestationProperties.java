package io.cocoplane.attestation;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code cocoplane.attestation}.
 *
 * @param sampleTee              the development-only sample TEE
 * @param tokenLifetime          EAR token {@code exp − iat} (trustee default 5 minutes)
 * @param issuer                 EAR token {@code iss} (trustee default {@code CoCo-Attestation-Service})
 * @param signingKeyFile         a PKCS#8 PEM EC P-256 key file to sign with; when unset the key is generated on
 *                               first start and kept in {@code attestation.signing_key}
 * @param referenceValueValidity how long a registered reference value stays live when its message names no expiration
 *                               (trustee: 12 months)
 * @param admin                  admin API authentication
 */
@ConfigurationProperties("cocoplane.attestation")
public record AttestationProperties(@DefaultValue SampleTee sampleTee,
                                    @DefaultValue("5m") Duration tokenLifetime,
                                    @DefaultValue("CoCo-Attestation-Service") String issuer,
                                    Path signingKeyFile,
                                    @DefaultValue("365d") Duration referenceValueValidity,
                                    @DefaultValue Admin admin) {

    /**
     * @param enabled accept {@code sample} evidence, which anyone can forge; a development setting, logged as a WARN
     */
    public record SampleTee(@DefaultValue("false") boolean enabled) {
    }

    /**
     * Admin bearer-JWT verification. With neither key set, every admin call answers 401.
     *
     * @param publicKey     Ed25519 public key: PEM {@code PUBLIC KEY} or OKP JWK JSON
     * @param publicKeyFile a file holding the same
     * @param issuer        required {@code iss}, optional
     * @param audience      required {@code aud}, optional
     */
    public record Admin(String publicKey, Path publicKeyFile, String issuer, String audience) {
    }
}
