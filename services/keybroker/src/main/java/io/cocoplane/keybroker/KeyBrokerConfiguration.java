package io.cocoplane.keybroker;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.nimbusds.jose.JWSAlgorithm;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.eventing.EventSubscription;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.keybroker.domain.AdminAuthenticator;
import io.cocoplane.keybroker.domain.AttestationServiceClient;
import io.cocoplane.keybroker.domain.EarTokenVerifier;
import io.cocoplane.keybroker.domain.EnvelopeCipher;
import io.cocoplane.keybroker.domain.JwksCache;
import io.cocoplane.keybroker.domain.MasterKeyring;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/** Wires the domain objects from {@link KeyBrokerProperties}, refusing unsafe settings unless explicitly enabled. */
@Configuration(proxyBeanMethods = false)
public class KeyBrokerConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KeyBrokerConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    SecureRandom secureRandom() {
        return new SecureRandom();
    }

    @Bean
    JweCodec jweCodec() {
        return JweCodec.defaults();
    }

    @Bean
    EnvelopeCipher envelopeCipher(SecureRandom random) {
        return new EnvelopeCipher(random);
    }

    @Bean
    MasterKeys masterKeys(KeyBrokerProperties props, SecureRandom random) {
        KeyBrokerProperties.MasterKey mk = props.masterKey();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        mk.keys().forEach((id, b64) -> keys.put(id, decodeKey(id, b64.getBytes(StandardCharsets.US_ASCII))));
        mk.keyFiles().forEach((id, file) -> keys.put(id, readKeyFile(id, file)));
        if (keys.isEmpty()) {
            if (!mk.devEphemeral()) {
                throw new IllegalStateException("no master key: set cocoplane.keybroker.master-key.keys.<id> (base64"
                        + " of 32 bytes) or master-key.key-files.<id>, or master-key.dev-ephemeral=true for development");
            }
            byte[] k = new byte[32];
            random.nextBytes(k);
            keys.put("ephemeral", k);
            log.warn("KEY BROKER USES AN EPHEMERAL MASTER KEY (cocoplane.keybroker.master-key.dev-ephemeral=true):"
                    + " every stored secret becomes unreadable when this process stops; development only");
        }
        String primary = mk.primary() != null ? mk.primary() : keys.size() == 1 ? keys.keySet().iterator().next()
                : null;
        if (primary == null) {
            throw new IllegalStateException("several master keys configured: set cocoplane.keybroker.master-key"
                    + ".primary");
        }
        return new MasterKeys(new MasterKeyring(keys, primary));
    }

    private static byte[] readKeyFile(String id, Path file) {
        try {
            byte[] raw = Files.readAllBytes(file);
            return raw.length == 32 ? raw : decodeKey(id, new String(raw, StandardCharsets.US_ASCII).trim()
                    .getBytes(StandardCharsets.US_ASCII));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read master key file for " + id + ": " + e.getMessage(), e);
        }
    }

    private static byte[] decodeKey(String id, byte[] b64) {
        try {
            byte[] k = Base64.getDecoder().decode(b64);
            if (k.length != 32) {
                throw new IllegalStateException("master key " + id + " is " + k.length + " bytes, not 32");
            }
            return k;
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("master key " + id + " is not base64", e);
        }
    }

    @Bean
    AttestationServiceClient attestationServiceClient(KeyBrokerProperties props) {
        KeyBrokerProperties.Attestation a = props.attestation();
        if (a.url() == null || a.url().isBlank()) {
            throw new IllegalStateException("cocoplane.keybroker.attestation.url is required");
        }
        URI uri = URI.create(a.url());
        if ("http".equalsIgnoreCase(uri.getScheme())) {
            if (!loopback(uri.getHost())) {
                if (!a.allowPlainHttp()) {
                    throw new IllegalStateException("attestation service " + uri + " over plain HTTP beyond loopback:"
                            + " its JWKS decides which tokens are trusted; use https or set"
                            + " cocoplane.keybroker.attestation.allow-plain-http=true explicitly");
                }
                log.warn("ATTESTATION SERVICE OVER PLAIN HTTP ({}): token-signing keys can be swapped in transit",
                        uri);
            }
        } else if (!"https".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalStateException("attestation URL must be http(s): " + uri);
        }
        CircuitBreaker breaker = CircuitBreaker.of("attestation", CircuitBreakerConfig.custom()
                .failureRateThreshold(a.breakerFailureRate())
                .slidingWindowSize(10)
                .minimumNumberOfCalls(5)
                .waitDurationInOpenState(a.breakerOpenDuration())
                .recordException(AttestationServiceClient::isOutage)
                .build());
        // HTTP/1.1: the services' Tomcat speaks no h2c, so the default HTTP/2 would only add an Upgrade attempt
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(a.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        return new AttestationServiceClient(uri, http, a.requestTimeout(), breaker, a.policyIds());
    }

    private static boolean loopback(String host) {
        try {
            return host != null && InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Bean
    EarTokenVerifier earTokenVerifier(KeyBrokerProperties props, AttestationServiceClient client, Clock clock,
                                      MeterRegistry meters) {
        KeyBrokerProperties.Attestation a = props.attestation();
        JwksCache cache = new JwksCache(client, clock, a.jwksTtl(), a.jwksMinRefresh());
        List<JWSAlgorithm> algs = a.allowedAlgorithms().stream().map(JWSAlgorithm::parse).toList();
        for (JWSAlgorithm alg : algs) {
            if (!JWSAlgorithm.Family.EC.contains(alg) && !JWSAlgorithm.Family.RSA.contains(alg)) {
                throw new IllegalStateException("token algorithm " + alg + " is not an ES*/RS*/PS* algorithm");
            }
        }
        EarTokenVerifier verifier = new EarTokenVerifier(cache, java.util.Set.copyOf(algs), a.clockSkew(), a.issuer(),
                clock, props.limits().maxTokenChars());
        FunctionCounter.builder("cocoplane.keybroker.token.signature-checks", verifier,
                EarTokenVerifier::signatureChecks).description("EAR token signatures checked (a token seen again is "
                + "not checked twice)").register(meters);
        return verifier;
    }

    @Bean
    AdminAuthenticator adminAuthenticator(KeyBrokerProperties props, Clock clock) {
        List<AdminAuthenticator.IdentityProvider> providers = new ArrayList<>();
        for (KeyBrokerProperties.Provider p : props.admin().providers()) {
            String pem = p.publicKey();
            if (pem == null && p.publicKeyFile() != null) {
                try {
                    pem = Files.readString(p.publicKeyFile());
                } catch (java.io.IOException e) {
                    throw new IllegalStateException("cannot read admin public key " + p.publicKeyFile(), e);
                }
            }
            if (pem == null) {
                throw new IllegalStateException("admin provider without public-key or public-key-file");
            }
            providers.add(new AdminAuthenticator.IdentityProvider(p.issuer(), p.audience(),
                    AdminAuthenticator.parsePublicKeyPem(pem)));
        }
        List<AdminAuthenticator.AccessRule> rules = props.admin().rules().stream()
                .map(r -> new AdminAuthenticator.AccessRule(r.role(), Pattern.compile(r.allowedEndpoints())))
                .toList();
        AdminAuthenticator auth = new AdminAuthenticator(providers, rules, props.admin().clockSkew(), clock);
        if (!auth.configured()) {
            log.warn("admin API closed: no cocoplane.keybroker.admin providers/rules configured");
        }
        if (props.sampleTee().enabled()) {
            log.warn("SAMPLE TEE ENABLED (cocoplane.keybroker.sample-tee.enabled=true): tokens for evidence that"
                    + " proves nothing may receive secrets; development only");
        }
        java.util.Set<String> roles = rules.stream().map(AdminAuthenticator.AccessRule::role)
                .collect(Collectors.toCollection(java.util.TreeSet::new));
        log.info("admin roles configured: {}", roles);
        return auth;
    }

    @Bean
    EventSubscription keybrokerSubscription(WorkloadBindings bindings) {
        return EventSubscription.group("keybroker")
                .on(EventCatalog.WORKLOAD_SCHEDULED, e -> bindings.scheduled(e.data()))
                .on(EventCatalog.WORKLOAD_STATE_CHANGED, e -> bindings.stateChanged(e.data()))
                .on(EventCatalog.IMAGE_PUSHED, e -> bindings.imagePushed(e.data()))
                .build();
    }
}
