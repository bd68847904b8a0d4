package io.cocoplane.eventing;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.test.TestInfra;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The service conventions on a real server: health groups with the eventing indicator in readiness, Prometheus
 * metrics, and the W3C trace context of an HTTP request carried into the {@code traceparent} extension of the event
 * that request published.
 */
@TestInfra(schema = "eventing_platform_it")
@SpringBootTest(classes = TestApp.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class PlatformConventionsTest {

    @LocalServerPort
    int port;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void readinessIncludesTheDatabaseAndTheEventingPlumbingAndLivenessIsSeparate() throws Exception {
        HttpResponse<String> ready = await().atMost(Duration.ofSeconds(30))
                .until(() -> get("/actuator/health/readiness"), r -> r.statusCode() == 200);
        JsonNode body = json.readTree(ready.body());
        assertThat(body.path("status").asString()).isEqualTo("UP");
        assertThat(body.path("components").propertyNames()).contains("db", "eventing", "readinessState");
        assertThat(body.at("/components/eventing/details/topics").asInt()).isGreaterThanOrEqualTo(Topics.ALL.size());

        JsonNode live = json.readTree(get("/actuator/health/liveness").body());
        assertThat(live.path("status").asString()).isEqualTo("UP");
        assertThat(live.path("components").propertyNames()).containsExactly("livenessState");
    }

    @Test
    void traceContextOfTheRequestTravelsInTheEventAndMetricsAreScraped(CapturedOutput output) throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String id = "wl-trace-" + UUID.randomUUID();
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/widgets/" + id))
                .header("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01")
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).isEqualTo(200);

        List<ConsumerRecord<String, byte[]>> records = await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readAll(bootstrap, Topics.WORKLOAD_COMMANDS).stream()
                        .filter(r -> id.equals(r.key())).toList(), l -> l.size() == 1);
        String traceparent = new String(records.get(0).headers().lastHeader("ce_traceparent").value(),
                StandardCharsets.UTF_8);
        assertThat(traceparent).matches("00-" + traceId + "-[0-9a-f]{16}-01");

        // the request's log line is structured JSON (ECS) carrying the same trace id
        JsonNode line = output.getOut().lines().filter(l -> l.startsWith("{") && l.contains("creating widget " + id))
                .map(json::readTree).findFirst().orElseThrow();
        assertThat(line.path("message").asString()).isEqualTo("creating widget " + id);
        assertThat(line.path("log").path("level").asString("") + line.path("log.level").asString(""))
                .isEqualTo("INFO");
        assertThat(line.toString()).contains(traceId);

        String metrics = get("/actuator/prometheus").body();
        assertThat(metrics).contains("cocoplane_events_published_total").contains("cocoplane_outbox_backlog")
                .contains("cocoplane_events_outboxed_total{type=\"io.cocoplane.workload.requested.v1\"}");
    }

    @Test
    void aRequestTomcatRefusesBeforeAnyControllerGetsAProblemDocumentNotAnHtmlPage() throws Exception {
        // 64 KiB of header is over Spring Boot's 8 KB default: Tomcat answers 400 itself
        io.cocoplane.eventing.test.HostileHttp.Outcome big = io.cocoplane.eventing.test.HostileHttp.oversizedHeader(
                port, "/widgets/w-1", 64 * 1024, Duration.ofSeconds(20));
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.head().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/problem+json");
        JsonNode problem = json.readTree(big.json());
        assertThat(problem.path("status").asInt()).isEqualTo(400);
        assertThat(problem.path("title").asString()).isEqualTo("Bad Request");
        assertThat(problem.path("type").asString()).isEqualTo("about:blank");
        assertThat(big.body()).doesNotContain("<html").doesNotContain("aaaa").doesNotContain("Tomcat");
        // an illegal character in the request target, also refused by Tomcat's parser
        io.cocoplane.eventing.test.HostileHttp.Outcome bad = io.cocoplane.eventing.test.HostileHttp.exchange(port,
                "GET /widgets/{x} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n", Duration.ofSeconds(20));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(json.readTree(bad.json()).path("status").asInt()).isEqualTo(400);
        // the server still answers
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
    }
}
