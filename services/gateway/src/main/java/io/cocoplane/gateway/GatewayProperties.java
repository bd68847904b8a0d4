package io.cocoplane.gateway;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code cocoplane.gateway}.
 *
 * @param upstreams            base URLs of the services the gateway routes to
 * @param connectTimeout       TCP connect timeout to an upstream (default 2 s)
 * @param readTimeout          time to wait for an upstream's response (default 10 s); beyond it the gateway answers 504
 * @param maxSecretSize        largest secret value accepted by {@code PUT /secrets/...} (default 1 MiB)
 * @param maxBodySize          largest JSON or policy body accepted elsewhere (default 256 KiB)
 * @param maxUpstreamResponse  largest upstream response relayed (default 4 MiB); larger answers give 502
 * @param idempotencyRetention how long an {@code Idempotency-Key} is remembered (default 24 h)
 * @param keybrokerAdmin       the gateway's admin credential for the key broker and attestation admin APIs
 * @param registryToken        Docker registry token settings
 * @param registryClients      clients that may get registry tokens with Basic credentials
 * @param rateLimit            per-subject limit on write endpoints
 */
@ConfigurationProperties("cocoplane.gateway")
public record GatewayProperties(Upstreams upstreams, Duration connectTimeout, Duration readTimeout,
                                DataSize maxSecretSize, DataSize maxBodySize, DataSize maxUpstreamResponse,
                                Duration idempotencyRetention, KeybrokerAdmin keybrokerAdmin,
                                RegistryToken registryToken, List<RegistryClient> registryClients,
                                RateLimit rateLimit) {

    /** Applies defaults. */
    public GatewayProperties {
        upstreams = upstreams == null ? new Upstreams(null, null, null, null, null) : upstreams;
        connectTimeout = connectTimeout == null ? Duration.ofSeconds(2) : connectTimeout;
        readTimeout = readTimeout == null ? Duration.ofSeconds(10) : readTimeout;
        maxSecretSize = maxSecretSize == null ? DataSize.ofMegabytes(1) : maxSecretSize;
        maxBodySize = maxBodySize == null ? DataSize.ofKilobytes(256) : maxBodySize;
        maxUpstreamResponse = maxUpstreamResponse == null ? DataSize.ofMegabytes(4) : maxUpstreamResponse;
        idempotencyRetention = idempotencyRetention == null ? Duration.ofHours(24) : idempotencyRetention;
        keybrokerAdmin = keybrokerAdmin == null ? new KeybrokerAdmin(null, null, null) : keybrokerAdmin;
        registryToken = registryToken == null ? new RegistryToken(null, null, null, null) : registryToken;
        registryClients = registryClients == null ? List.of() : List.copyOf(registryClients);
        rateLimit = rateLimit == null ? new RateLimit(null, null, null) : rateLimit;
    }

    /**
     * Upstream base URLs; defaults are the ARCHITECTURE §6 ports on 127.0.0.1.
     *
     * @param registry     registry (default {@code http://127.0.0.1:5000})
     * @param orchestrator orchestrator (default {@code http://127.0.0.1:8083})
     * @param keybroker    key broker (default {@code http://127.0.0.1:8081})
     * @param attestation  attestation service (default {@code http://127.0.0.1:8082})
     * @param audit        audit service (default {@code http://127.0.0.1:8084})
     */
    public record Upstreams(URI registry, URI orchestrator, URI keybroker, URI attestation, URI audit) {
        /** Applies defaults. */
        public Upstreams {
            registry = registry == null ? URI.create("http://127.0.0.1:5000") : registry;
            orchestrator = orchestrator == null ? URI.create("http://127.0.0.1:8083") : orchestrator;
            keybroker = keybroker == null ? URI.create("http://127.0.0.1:8081") : keybroker;
            attestation = attestation == null ? URI.create("http://127.0.0.1:8082") : attestation;
            audit = audit == null ? URI.create("http://127.0.0.1:8084") : audit;
        }
    }

    /**
     * @param privateKey    Ed25519 private key, PKCS#8 PEM or OKP JWK; without it admin writes answer 503
     * @param issuer        {@code iss} of the minted tokens (default {@code cocoplane-gateway})
     * @param tokenLifetime lifetime of each minted token (default 60 s)
     */
    public record KeybrokerAdmin(String privateKey, String issuer, Duration tokenLifetime) {
        /** Applies defaults. */
        public KeybrokerAdmin {
            issuer = issuer == null ? "cocoplane-gateway" : issuer;
            tokenLifetime = tokenLifetime == null ? Duration.ofSeconds(60) : tokenLifetime;
        }
    }

    /**
     * @param privateKey EC P-256 private JWK; without it a key is generated once and persisted in schema
     *                   {@code gateway}
     * @param issuer     {@code iss} (default {@code cocoplane-gateway}); the registry must expect it
     * @param services   accepted {@code service} values, i.e. token audiences (default {@code cocoplane-registry})
     * @param lifetime   token lifetime (default 5 min)
     */
    public record RegistryToken(String privateKey, String issuer, List<String> services, Duration lifetime) {
        /** Applies defaults. */
        public RegistryToken {
            issuer = issuer == null ? "cocoplane-gateway" : issuer;
            services = services == null || services.isEmpty() ? List.of("cocoplane-registry") : List.copyOf(services);
            lifetime = lifetime == null ? Duration.ofMinutes(5) : lifetime;
        }
    }

    /**
     * @param username     Basic user name
     * @param passwordHash bcrypt hash of the password ({@code $2a$…}, {@code $2b$…} or {@code $2y$…})
     * @param roles        gateway roles of the client
     */
    public record RegistryClient(String username, String passwordHash, List<String> roles) {
        /** Copies the roles. */
        public RegistryClient {
            roles = roles == null ? List.of() : List.copyOf(roles);
        }
    }

    /**
     * @param limitForPeriod writes a subject may make per period (default 60)
     * @param refreshPeriod  period (default 1 min)
     * @param maxSubjects    most subjects tracked at once; the least recently seen is forgotten (default 10,000)
     */
    public record RateLimit(Integer limitForPeriod, Duration refreshPeriod, Integer maxSubjects) {
        /** Applies defaults. */
        public RateLimit {
            limitForPeriod = limitForPeriod == null ? 60 : Math.max(1, limitForPeriod);
            refreshPeriod = refreshPeriod == null ? Duration.ofMinutes(1) : refreshPeriod;
            maxSubjects = maxSubjects == null ? 10_000 : Math.max(1, maxSubjects);
        }
    }
}
