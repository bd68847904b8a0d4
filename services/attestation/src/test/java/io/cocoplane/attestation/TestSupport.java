package io.cocoplane.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;

import io.cocoplane.contracts.AttestationCompleted;
import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventType;
import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventEnvelope;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.OutboxRow;
import io.cocoplane.eventing.test.KafkaTopicReader;
import tools.jackson.databind.json.JsonMapper;

/** Helpers shared by the HTTP tests: admin tokens, request bodies, HTTP calls, Kafka in and out. */
final class TestSupport {

    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final KeyPair ADMIN = ed25519();

    private TestSupport() {
    }

    static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the admin public key as a one-line-safe PEM for a property */
    static String adminPublicPem() {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getEncoder().encodeToString(ADMIN.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }

    /**
     * Binds {@code cocoplane.attestation.*} from {@code key=value} pairs (keys relative to {@code cocoplane.attestation})
     * exactly as Spring Boot does at start-up, defaults included.
     */
    static AttestationProperties properties(String... keyValues) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String kv : keyValues) {
            int eq = kv.indexOf('=');
            m.put("cocoplane.attestation." + kv.substring(0, eq), kv.substring(eq + 1));
        }
        return new org.springframework.boot.context.properties.bind.Binder(
                new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(m))
                .bindOrCreate("cocoplane.attestation", AttestationProperties.class);
    }

    static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A trustee-style EdDSA admin token signed by {@code key}. */
    static String adminToken(KeyPair key, String role, long expiresInSeconds) {
        try {
            long now = Instant.now().getEpochSecond();
            String header = b64url("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = b64url(JSON.writeValueAsBytes(Map.of("iss", "issuer", "sub", "alice", "role", role,
                    "iat", now, "exp", now + expiresInSeconds)));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.getPrivate());
            s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64url(s.sign());
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String adminToken() {
        return adminToken(ADMIN, "admin", 300);
    }

    /** An RVPS sample message registering {@code name = value}. */
    static String rvpsMessage(String name, Object value) {
        String payload = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(Map.of(name, value)));
        return JSON.writeValueAsString(Map.of("version", "0.1.0", "type", "sample", "payload", payload));
    }

    static HttpResponse<String> post(int port, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    static void putReferenceValue(int port, String name, Object value) throws Exception {
        HttpResponse<String> r = post(port, "/api/v1/reference-values/" + name, rvpsMessage(name, value),
                adminToken());
        if (r.statusCode() != 200) {
            throw new AssertionError("reference value " + name + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** Verifies the token against the served JWKS (by kid, never a header key) and returns its claims. */
    static Map<String, Object> verifiedClaims(int port, String token) throws Exception {
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getJWK()).as("no key in the header").isNull();
        JWKSet jwks = JWKSet.parse(get(port, "/.well-known/jwks.json").body());
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid " + jwt.getHeader().getKeyID() + " in the JWKS").isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        return jwt.getJWTClaimsSet().getClaims();
    }

    /** @return the {@code submods.cpu0} appraisal of EAR claims */
    @SuppressWarnings("unchecked")
    static Map<String, Object> cpu0(Map<String, Object> claims) {
        return (Map<String, Object>) ((Map<String, Object>) claims.get("submods")).get("cpu0");
    }

    /** @return {@code ear.veraison.annotated-evidence} of an appraisal */
    @SuppressWarnings("unchecked")
    static Map<String, Object> annotated(Map<String, Object> cpu0) {
        return (Map<String, Object>) cpu0.get("ear.veraison.annotated-evidence");
    }

    /**
     * Registers default_cpu's eleven SNP reference values for a machine with the given launch measurement and the
     * TCB and configuration both the Genoa corpus evidence and {@link SyntheticSnp} have: bootloader 10, microcode 25,
     * SNP 23, TEE 0; SMT enabled and allowed, TSME off, guest ABI 0.0, not single-socket.
     */
    static void putSnpReferenceValues(int port, String measurement) throws Exception {
        putReferenceValue(port, "snp_launch_measurement", List.of(measurement));
        putReferenceValue(port, "snp_bootloader", List.of(10));
        putReferenceValue(port, "snp_microcode", List.of(25));
        putReferenceValue(port, "snp_snp_svn", List.of(23));
        putReferenceValue(port, "snp_tee_svn", List.of(0));
        putReferenceValue(port, "snp_smt_enabled", true);
        putReferenceValue(port, "snp_tsme_enabled", false);
        putReferenceValue(port, "snp_guest_abi_major", 0);
        putReferenceValue(port, "snp_guest_abi_minor", 0);
        putReferenceValue(port, "snp_single_socket", false);
        putReferenceValue(port, "snp_smt_allowed", true);
    }

    /** Sends a catalogue event to Kafka as another service's outbox relay would. */
    static void send(EventingAutoConfiguration.EventingKafka kafka, CloudEventCodec codec, CocoEvent data)
            throws Exception {
        EventType<?> type = EventCatalog.of(data.getClass());
        OutboxRow row = new OutboxRow(0, UUID.randomUUID(), type.topic(), data.subject(), type.ceType(),
                "/cocoplane/orchestrator", data.subject(), type.dataSchema(), OffsetDateTime.now(ZoneOffset.UTC), null,
                codec.payload(data));
        kafka.template().send(codec.encode(row)).get();
    }

    /** The {@code attestation.completed} events published for an evidence digest. */
    static List<AttestationCompleted> completed(String bootstrap, CloudEventCodec codec, String evidenceDigest) {
        return KafkaTopicReader.readKey(bootstrap, Topics.ATTESTATION_EVENTS, evidenceDigest).stream()
                .map((ConsumerRecord<String, byte[]> r) -> codec.decode(r).orElseThrow())
                .map(EventEnvelope::data)
                .filter(AttestationCompleted.class::isInstance)
                .map(AttestationCompleted.class::cast)
                .toList();
    }
}
