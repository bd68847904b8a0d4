package io.cocoplane.keybroker;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventType;
import io.cocoplane.contracts.Topics;
import io.cocoplane.contracts.WorkloadScheduled;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.OutboxRow;
import io.cocoplane.eventing.test.KafkaTopicReader;
import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.InitData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One Spring context for every service test (same properties, no mock beans): embedded KRaft broker and PostgreSQL,
 * the {@link StubAttestationService}, two master keys ({@code k1} primary, {@code k2}), an Ed25519 admin issuer with
 * roles {@code admin} (everything) and {@code auditor} (only {@code GET /kbs/v0/resources}).
 */
@TestInfra(schema = "keybroker")
@SpringBootTest(classes = KeyBrokerApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class KeyBrokerTestBase {

    static final StubAttestationService AS = StubAttestationService.shared();
    static final KeyPair ADMIN_KEY = ed25519();
    static final String K1 = Base64.getEncoder().encodeToString(fill((byte) 1));
    static final String K2 = Base64.getEncoder().encodeToString(fill((byte) 2));
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @DynamicPropertySource
    static void keybrokerProperties(DynamicPropertyRegistry r) {
        r.add("cocoplane.keybroker.attestation.url", AS::url);
        r.add("cocoplane.keybroker.attestation.jwks-min-refresh", () -> "0s");
        r.add("cocoplane.keybroker.master-key.keys.k1", () -> K1);
        r.add("cocoplane.keybroker.master-key.keys.k2", () -> K2);
        r.add("cocoplane.keybroker.master-key.primary", () -> "k1");
        r.add("cocoplane.keybroker.admin.providers[0].issuer", () -> "test-admin");
        r.add("cocoplane.keybroker.admin.providers[0].audience", () -> "kbs");
        r.add("cocoplane.keybroker.admin.providers[0].public-key", () -> "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(ADMIN_KEY.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        r.add("cocoplane.keybroker.admin.rules[0].role", () -> "admin");
        r.add("cocoplane.keybroker.admin.rules[0].allowed-endpoints", () -> "^/kbs/v0/.+$");
        r.add("cocoplane.keybroker.admin.rules[1].role", () -> "auditor");
        r.add("cocoplane.keybroker.admin.rules[1].allowed-endpoints", () -> "^/kbs/v0/resources$");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    EventingAutoConfiguration.EventingKafka kafka;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    URI base() {
        return URI.create("http://127.0.0.1:" + port);
    }

    // ------------------------------------------------------------------ admin

    static String adminToken(String role) {
        return adminToken(role, ADMIN_KEY, Instant.now().plusSeconds(300));
    }

    static String adminToken(String role, KeyPair key, Instant exp) {
        try {
            String header = b64u("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
            String payload = b64u(JSON.writeValueAsBytes(Map.of("iss", "test-admin", "aud", "kbs", "sub",
                    "tester-" + role, "role", role, "iat", Instant.now().getEpochSecond(), "exp",
                    exp.getEpochSecond())));
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key.getPrivate());
            s.update((header + "." + payload).getBytes(StandardCharsets.US_ASCII));
            return header + "." + payload + "." + b64u(s.sign());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> send(String method, String path, byte[] body, String... headers) {
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).method(method,
                    body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            for (int i = 0; i < headers.length; i += 2) {
                b.header(headers[i], headers[i + 1]);
            }
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the trustee error variant (last segment of {@code type}) of an error answer */
    static String variant(HttpResponse<String> r) {
        return ErrorInformation.parse(r.body().getBytes(StandardCharsets.UTF_8)).variant();
    }

    HttpResponse<String> putSecret(String path, byte[] value) {
        HttpResponse<String> r = send("POST", "/kbs/v0/resource/" + path, value, "Authorization",
                "Bearer " + adminToken("admin"), "Content-Type", "application/octet-stream");
        if (r.statusCode() != 200) {
            throw new IllegalStateException("put " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r;
    }

    // ------------------------------------------------------------------ events

    <T extends CocoEvent> void publish(EventType<T> type, T event) {
        try {
            kafka.template().send(codec.encode(new OutboxRow(0, UUID.randomUUID(), type.topic(), event.subject(),
                    type.ceType(), "/cocoplane/test", event.subject(), type.dataSchema(), OffsetDateTime.now(), null,
                    codec.payload(event)))).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Publishes {@code workload.scheduled} and waits until the key broker holds the live binding. */
    void schedule(String workloadId, String initDataHex, String imageDigest, List<String> allowed) {
        publish(EventCatalog.WORKLOAD_SCHEDULED, new WorkloadScheduled(workloadId, "pod-" + workloadId, "default",
                "registry.local/app@" + imageDigest, imageDigest, "snp", "kata-qemu-snp", initDataHex, "sha256",
                allowed));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM kbs_workload_binding WHERE workload_id = ? AND live", Long.class,
                workloadId) == 1);
    }

    /** @return the data of key events with this subject and type, once at least {@code n} exist */
    List<JsonNode> keyEvents(String path, EventType<?> type, int n) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> KafkaTopicReader.readKey(bootstrap,
                Topics.KEY_EVENTS, path).stream().filter(r -> type.ceType().equals(header(r, "ce_type")))
                .map(r -> JSON.readTree(r.value())).toList(), l -> l.size() >= n);
    }

    static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    // ------------------------------------------------------------------ init-data

    static InitData initData(String marker) {
        return new InitData("toml", "version = \"0.1.0\"\nalgorithm = \"sha256\"\n\n[data]\n\"marker\" = \""
                + marker + "\"\n");
    }

    static String digest(InitData d) {
        try {
            return StubAttestationService.tomlDigest(d.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String b64u(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static byte[] fill(byte b) {
        byte[] k = new byte[32];
        java.util.Arrays.fill(k, b);
        return k;
    }

    private static KeyPair ed25519() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
