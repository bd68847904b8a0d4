package io.cocoplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.eventing.test.HostileHttp;

/**
 * Hostile input at the gateway's edge (port 8080, issue 11 §3; docs/reliability.md) on a real Tomcat: each refusal
 * is asserted with its status and body, nothing reaches an upstream or the outbox, and afterwards the gateway still
 * serves its JWKS.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest extends GatewayTestBase {

    /** Longer than {@code server.tomcat.connection-timeout} (10 s in application.properties). */
    private static final Duration PATIENCE = Duration.ofSeconds(40);
    private static final String WORKLOAD = "{\"name\":\"hostile\",\"image\":\"registry.local:5000/a/b:1\","
            + "\"tee\":\"snp\",\"x\":%s}";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void stillAnswers() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/auth/jwks.json")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"keys\"");
    }

    private long outbox() {
        return jdbc.queryForObject("SELECT count(*) FROM eventing_outbox", Long.class);
    }

    private HttpResponse<String> postWorkload(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/v1/workloads"))
                .header("Authorization", bearer("deployer")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void jsonNestedBeyondJacksonsLimitIs400ProblemAndNothingIsPublished() throws Exception {
        long before = outbox();
        HttpResponse<String> r = postWorkload(WORKLOAD.formatted(HostileHttp.nestedJsonArrays(600)));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains("\"status\":400");
        assertThat(outbox()).isEqualTo(before);
    }

    @Test
    void injectionInAWorkloadNameIsAFieldError() throws Exception {
        long before = outbox();
        for (String name : new String[] {"x'; DROP TABLE eventing_outbox; --", "<script>alert(1)</script>",
                "$(reboot)", "a\\nb", "../../etc"}) {
            HttpResponse<String> r = postWorkload("{\"name\":\"" + name.replace("\"", "") + "\","
                    + "\"image\":\"registry.local:5000/a/b:1\",\"tee\":\"snp\"}");
            assertThat(r.statusCode()).as(name).isEqualTo(400);
            assertThat(r.body()).as(name).contains("\"name\":\"must be a DNS-1123 label");
        }
        assertThat(outbox()).isEqualTo(before);
    }

    @Test
    void dotSegmentsAndEncodedSlashesInPathParametersNeverReachAnUpstream() throws Exception {
        int received = StubUpstreams.receivedCount();
        for (String target : new String[] {"/api/v1/policies/attestation/..", "/api/v1/policies/attestation/%2e%2e",
                "/api/v1/reference-values/..%2F..%2Fkbs", "/api/v1/workloads/..%2F..%2Factuator",
                "/api/v1/secrets/default/key/..", "/api/v1/images/../../actuator/env"}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, target.startsWith("/api/v1/images") ? "GET" : "PUT",
                    target, "Authorization: " + bearer("admin"));
            assertThat(o.status()).as(target + " " + o.head()).isEqualTo(400);
        }
        assertThat(StubUpstreams.receivedCount()).isEqualTo(received);
    }

    @Test
    void aBodyThatStallsIsCutOffWith408AndNothingIsPublished() throws Exception {
        long before = outbox();
        HostileHttp.Outcome o = HostileHttp.assertStalledBodyCutOff(port, "POST", "/api/v1/workloads",
                "application/json", PATIENCE, "Authorization: " + bearer("deployer"));
        // Tomcat answers the read timeout itself (sendError 408): Spring Boot's error page, not problem+json yet
        assertThat(o.status()).as(o.head() + " " + o.body()).isEqualTo(408);
        assertThat(o.body()).contains("\"status\":408").contains("\"path\":\"/api/v1/workloads\"");
        assertThat(outbox()).isEqualTo(before);
    }

    @Test
    void oversizedHeadersAndUnfinishedHeadersAreCutOff() throws Exception {
        HostileHttp.assertHeaderLimitsHold(port, "/api/v1/workloads", PATIENCE);
    }
}
