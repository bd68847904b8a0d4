package io.cocoplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.PoisonRecordException;
import io.cocoplane.eventing.test.HostileHttp;
import io.cocoplane.eventing.test.KafkaTopicReader;
import io.cocoplane.eventing.test.TestInfra;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input at the audit service's edges (HTTP port 8084 and its Kafka consumer; issue 11 §3,
 * docs/reliability.md): SQL in a filter is just a subject nobody has, a non-numeric index is a 400 problem, oversized
 * headers and stalled clients are cut off, a record nested too deep is dead-lettered with its reason while the next
 * event is still logged; afterwards the service serves its signed checkpoint.
 */
@TestInfra(schema = "audit")
@SpringBootTest(classes = AuditApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest {

    /** Longer than {@code server.tomcat.connection-timeout} (10 s in application.yml). */
    private static final Duration PATIENCE = Duration.ofSeconds(40);

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

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @AfterEach
    void stillAnswers() throws Exception {
        HttpResponse<String> r = get("/api/v1/audit/checkpoint");
        assertThat(r.statusCode()).isIn(200, 404); // 404 only before the first checkpoint of an empty log
        if (r.statusCode() == 200) {
            assertThat(r.body()).startsWith("cocoplane.local/audit\n");
        }
        assertThat(get("/api/v1/audit/public-key").statusCode()).isEqualTo(200);
    }

    @Test
    void sqlInAFilterIsOnlyAnUnknownSubject() throws Exception {
        long before = jdbc.queryForObject("SELECT count(*) FROM entries", Long.class);
        String subject = URLEncoder.encode("x' OR '1'='1'; DROP TABLE entries; --", StandardCharsets.UTF_8);
        HttpResponse<String> r = get("/api/v1/audit/entries?subject=" + subject);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"entries\":[]");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM entries", Long.class)).isEqualTo(before);
    }

    @Test
    void injectionAndTraversalInTheIndexAre400Problems() throws Exception {
        for (String index : new String[] {"1%3BDROP%20TABLE%20entries", "..", "%2e%2e", "1%20OR%201=1", "-0.5e3"}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, "GET", "/api/v1/audit/entries/" + index);
            assertThat(o.status()).as(index + " " + o.head()).isEqualTo(400);
            assertThat(o.head()).as(index).contains("application/problem+json");
            // Spring's detail names the parameter (and quotes the value, JSON-escaped in a problem+json body)
            assertThat(detail(o)).as(index).startsWith("Failed to convert 'index'");
        }
        // a raw ';' starts a path parameter, which Tomcat strips: what is left is an index like any other
        HostileHttp.Outcome param = HostileHttp.raw(port, "GET", "/api/v1/audit/entries/999999;DROP%20TABLE%20entries");
        assertThat(param.status()).isEqualTo(404);
        assertThat(detail(param)).isEqualTo("no entry at index 999999");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM entries", Long.class)).isNotNull();
    }

    private static String detail(HostileHttp.Outcome o) {
        return JsonMapper.builder().build().readTree(o.json()).path("detail").asString();
    }

    @Test
    void aRecordNestedTooDeepIsDeadLetteredAndTheNextEventIsLogged() throws Exception {
        String run = "hostile-" + UUID.randomUUID();
        TestEvents.Sent good = TestEvents.record(codec, TestEvents.event(run, 3), false);
        ProducerRecord<String, byte[]> template = TestEvents.record(codec, TestEvents.event(run, 9), false).record();
        byte[] deep = ("{\"name\":\"rv\",\"x\":" + HostileHttp.nestedJsonArrays(2000) + "}")
                .getBytes(StandardCharsets.UTF_8);
        ProducerRecord<String, byte[]> hostile = new ProducerRecord<>(template.topic(), null, template.key(), deep,
                template.headers());
        kafka.template().send(hostile).get();
        TestEvents.send(kafka, List.of(good));

        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM entries WHERE event_id = ?", Long.class, good.id().toString()) == 1);
        List<ConsumerRecord<String, byte[]>> dlt = await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readAll(bootstrap, Topics.deadLetter(template.topic())).stream()
                        .filter(r -> template.key().equals(r.key())).toList(), l -> !l.isEmpty());
        assertThat(TestEvents.header(dlt.get(0), "kafka_dlt-exception-fqcn"))
                .isEqualTo(PoisonRecordException.class.getName());
        assertThat(TestEvents.header(dlt.get(0), "kafka_dlt-exception-message")).contains("nesting depth");
    }

    @Test
    void oversizedHeadersAndUnfinishedHeadersAreCutOff() throws Exception {
        HostileHttp.assertHeaderLimitsHold(port, "/api/v1/audit/checkpoint", PATIENCE);
    }
}
