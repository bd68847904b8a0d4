package io.cocoplane.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cocoplane.eventing.test.HostileHttp;
import io.cocoplane.eventing.test.TestInfra;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * Hostile input at the orchestrator's edge (port 8083, issue 11 §3; docs/reliability.md): injection and traversal
 * in the workload id are 400 problem+json that never echo the id, oversized headers and slowloris clients are cut
 * off, and afterwards the workload list still answers.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@TestInfra(schema = "orchestrator")
@SpringBootTest(classes = OrchestratorApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class HostileInputTest {

    /** Longer than {@code server.tomcat.connection-timeout} (10 s in application.properties). */
    private static final Duration PATIENCE = Duration.ofSeconds(40);

    static KubernetesClient client;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestSupport.PROPERTIES.forEach((k, v) -> registry.add(k, () -> v));
        registry.add("cocoplane.orchestrator.kubernetes.master-url", () -> client.getMasterUrl().toString());
    }

    @LocalServerPort
    int port;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stillAnswers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/workloads?limit=1")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).startsWith("[");
    }

    @Test
    void injectionAndTraversalInTheWorkloadIdAre400WithoutEcho() throws Exception {
        for (String id : new String[] {"x'%20OR%20'1'='1", "%3Cscript%3Ealert(1)%3C%2Fscript%3E", "..", ".env",
                "a%3Bb", "%24(reboot)"}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, "GET", "/api/v1/workloads/" + id);
            assertThat(o.status()).as(id + " " + o.head()).isEqualTo(400);
            assertThat(o.head()).as(id).contains("application/problem+json");
            // the detail is fixed text, ours or (an encoded slash, refused by Tomcat before any code of ours runs)
            // the platform's error report; only "instance" carries the request URI, percent-encoded as sent
            assertThat(JSON.readTree(o.json()).get("detail").asString()).as(id).isIn(
                    "workload ids are 1..63 characters of [A-Za-z0-9._-], not starting with '.'",
                    "the server could not accept the request (malformed or over a limit)");
        }
        HostileHttp.Outcome unknown = HostileHttp.raw(port, "GET", "/api/v1/workloads/" + java.util.UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.head()).contains("application/problem+json");
    }

    @Test
    void hugePagingValuesAre400() throws Exception {
        for (String q : new String[] {"limit=99999999999999999999", "offset=-1", "limit=1e9", "offset=1000001"}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, "GET", "/api/v1/workloads?" + q);
            assertThat(o.status()).as(q).isEqualTo(400);
            assertThat(o.head()).as(q).contains("application/problem+json");
        }
    }

    @Test
    void oversizedHeadersAndUnfinishedHeadersAreCutOff() throws Exception {
        HostileHttp.assertHeaderLimitsHold(port, "/api/v1/workloads", PATIENCE);
    }
}
