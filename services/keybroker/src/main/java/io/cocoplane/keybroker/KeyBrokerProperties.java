package io.cocoplane.keybroker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code cocoplane.keybroker}. Every member has a safe default except the attestation URL and the
 * master key.
 *
 * @param attestation where and how to reach the attestation service
 * @param session     RCAR session lifetimes and count
 * @param sampleTee   the development-only {@code sample} TEE switch
 * @param limits      size and count limits
 * @param masterKey   the master keys wrapping data keys
 * @param admin       admin API identity providers and rules (none: admin API closed)
 * @param claims      where the binding claims sit in the EAR token
 */
@ConfigurationProperties("cocoplane.keybroker")
public record KeyBrokerProperties(Attestation attestation, Session session, SampleTee sampleTee, Limits limits,
                                  MasterKey masterKey, Admin admin, Claims claims) {

    /** Fills defaults. */
    public KeyBrokerProperties {
        attestation = attestation == null ? new Attestation(null, null, null, null, null, null, null, null, null,
                null, null, null) : attestation;
        session = session == null ? new Session(null, null) : session;
        sampleTee = sampleTee == null ? new SampleTee(false) : sampleTee;
        limits = limits == null ? new Limits(null, null, null, null) : limits;
        masterKey = masterKey == null ? new MasterKey(null, null, null, null, null) : masterKey;
        admin = admin == null ? new Admin(null, null, null) : admin;
        claims = claims == null ? new Claims(null, null) : claims;
    }

    /**
     * @param url                  attestation service root (required); plain {@code http} only on loopback unless
     *                             {@code allowPlainHttp}
     * @param connectTimeout       TCP connect timeout (default 2 s)
     * @param requestTimeout       per-request timeout (default 10 s)
     * @param jwksTtl              JWKS cache age before refetch (default 10 min)
     * @param jwksMinRefresh       minimum interval between refetches on an unknown kid (default 5 s)
     * @param allowedAlgorithms    accepted token algorithms (default ES256)
     * @param clockSkew            leeway on token times (default 60 s)
     * @param issuer               required token {@code iss}, or unset
     * @param policyIds            {@code policy_ids} sent with evidence (default none: the service's default)
     * @param allowPlainHttp       allow {@code http://} to a non-loopback attestation service (WARN)
     * @param breakerFailureRate   failure-rate threshold in percent that opens the breaker (default 50)
     * @param breakerOpenDuration  how long the breaker stays open (default 30 s)
     */
    public record Attestation(String url, Duration connectTimeout, Duration requestTimeout, Duration jwksTtl,
                              Duration jwksMinRefresh, List<String> allowedAlgorithms, Duration clockSkew,
                              String issuer, List<String> policyIds, Boolean allowPlainHttp,
                              Integer breakerFailureRate, Duration breakerOpenDuration) {
        /** Fills defaults. */
        public Attestation {
            connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
            requestTimeout = requestTimeout == null ? Duration.ofSeconds(10) : requestTimeout;
            jwksTtl = jwksTtl == null ? Duration.ofMinutes(10) : jwksTtl;
            jwksMinRefresh = jwksMinRefresh == null ? Duration.ofSeconds(5) : jwksMinRefresh;
            allowedAlgorithms = allowedAlgorithms == null || allowedAlgorithms.isEmpty() ? List.of("ES256")
                    : List.copyOf(allowedAlgorithms);
            clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
            policyIds = policyIds == null ? List.of() : List.copyOf(policyIds);
            allowPlainHttp = allowPlainHttp != null && allowPlainHttp;
            breakerFailureRate = breakerFailureRate == null ? 50 : breakerFailureRate;
            breakerOpenDuration = breakerOpenDuration == null ? Duration.ofSeconds(30) : breakerOpenDuration;
        }
    }

    /**
     * @param timeout   session lifetime from {@code /auth} (default 5 min, trustee's default)
     * @param maxActive most unexpired sessions at once; {@code /auth} answers 429 beyond (default 100000)
     */
    public record Session(Duration timeout, Integer maxActive) {
        /** Fills defaults. */
        public Session {
            timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
            maxActive = maxActive == null ? 100_000 : maxActive;
        }
    }

    /** @param enabled release to {@code sample}-TEE tokens (development only; logged as a warning) */
    public record SampleTee(boolean enabled) {
    }

    /**
     * @param maxMessageBytes  largest RCAR / admin JSON body (default 2 MiB, trustee's limit)
     * @param maxResourceBytes largest resource value (default 1 MiB)
     * @param maxVersions      versions kept per resource (default 5)
     * @param maxTokenChars    largest EAR token (default 64 KiB)
     */
    public record Limits(Integer maxMessageBytes, Integer maxResourceBytes, Integer maxVersions,
                         Integer maxTokenChars) {
        /** Fills defaults. */
        public Limits {
            maxMessageBytes = maxMessageBytes == null ? 2 * 1024 * 1024 : maxMessageBytes;
            maxResourceBytes = maxResourceBytes == null ? 1024 * 1024 : maxResourceBytes;
            maxVersions = maxVersions == null ? 5 : maxVersions;
            maxTokenChars = maxTokenChars == null ? 64 * 1024 : maxTokenChars;
        }
    }

    /**
     * Master keys: each id maps to a 32-byte AES key given as base64 ({@code keys}) or in a file holding 32 raw bytes or
     * their base64 ({@code keyFiles}).
     *
     * @param primary          id new data keys are wrapped under (default: the only key, when there is one)
     * @param keys             id → base64 key
     * @param keyFiles         id → key file
     * @param rewrapOnStartup  re-wrap data keys under other ids to the primary at start (default true)
     * @param devEphemeral     generate a random key at start when none is configured (development only: secrets die
     *                         with the process; logged as a warning)
     */
    public record MasterKey(String primary, Map<String, String> keys, Map<String, Path> keyFiles,
                            Boolean rewrapOnStartup, Boolean devEphemeral) {
        /** Fills defaults. */
        public MasterKey {
            keys = keys == null ? Map.of() : Map.copyOf(keys);
            keyFiles = keyFiles == null ? Map.of() : Map.copyOf(keyFiles);
            rewrapOnStartup = rewrapOnStartup == null || rewrapOnStartup;
            devEphemeral = devEphemeral != null && devEphemeral;
        }
    }

    /**
     * @param providers accepted admin token issuers
     * @param rules     role → allowed path regex
     * @param clockSkew leeway on admin token times (default 60 s)
     */
    public record Admin(List<Provider> providers, List<Rule> rules, Duration clockSkew) {
        /** Fills defaults. */
        public Admin {
            providers = providers == null ? List.of() : List.copyOf(providers);
            rules = rules == null ? List.of() : List.copyOf(rules);
            clockSkew = clockSkew == null ? Duration.ofSeconds(60) : clockSkew;
        }
    }

    /**
     * @param issuer        required {@code iss}, or unset
     * @param audience      required {@code aud}, or unset
     * @param publicKey     PEM SubjectPublicKeyInfo (Ed25519, EC or RSA)
     * @param publicKeyFile the same in a file
     */
    public record Provider(String issuer, String audience, String publicKey, Path publicKeyFile) {
    }

    /**
     * @param role             role claim value
     * @param allowedEndpoints path regex, {@code ^/kbs…$}
     */
    public record Rule(String role, String allowedEndpoints) {
    }

    /**
     * JSON pointers of the binding claims in the EAR token (the attestation service's names).
     *
     * @param initData   verified init-data digest, lowercase hex (default
     *                   {@code /submods/cpu0/ear.cocoplane.init-data/digest}: the attestation service's extension
     *                   claim with the full digest; trustee's {@code annotated-evidence/init_data} holds only the
     *                   TEE field, truncated for sha384/sha512 on SNP)
     * @param workloadId workload-id extension claim (default {@code /submods/cpu0/ear.cocoplane.workload-id})
     */
    public record Claims(String initData, String workloadId) {
        /** Fills defaults. */
        public Claims {
            initData = initData == null ? "/submods/cpu0/ear.cocoplane.init-data/digest" : initData;
            workloadId = workloadId == null ? "/submods/cpu0/ear.cocoplane.workload-id" : workloadId;
        }
    }
}
