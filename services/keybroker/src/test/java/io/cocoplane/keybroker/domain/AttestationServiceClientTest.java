package io.cocoplane.keybroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.cocoplane.kbsprotocol.Tee;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import tools.jackson.databind.json.JsonMapper;

/** Timeouts, failure mapping and the circuit breaker of the attestation-service client. */
class AttestationServiceClientTest {

    private HttpServer server;
    private final AtomicInteger hits = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    private AttestationServiceClient client(int status, String body, Duration delay) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            hits.incrementAndGet();
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] b = body.getBytes();
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
        CircuitBreaker breaker = CircuitBreaker.of("t", CircuitBreakerConfig.custom().slidingWindowSize(4)
                .minimumNumberOfCalls(4).failureRateThreshold(50).waitDurationInOpenState(Duration.ofMinutes(5))
                .recordException(AttestationServiceClient::isOutage).build());
        return new AttestationServiceClient(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                HttpClient.newHttpClient(), Duration.ofMillis(300), breaker, List.of());
    }

    private static String attest(AttestationServiceClient c) {
        var json = JsonMapper.builder().build();
        return c.attest(Tee.SNP, json.createObjectNode(), json.createObjectNode(), null);
    }

    @Test
    void outagesOpenTheBreakerAndThenNoCallIsMade() throws IOException {
        AttestationServiceClient c = client(503, "down", Duration.ZERO);
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> attest(c)).isInstanceOfSatisfying(KbsException.class,
                    e -> assertThat(e.status()).isEqualTo(503));
        }
        assertThat(c.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
        int before = hits.get();
        assertThatThrownBy(() -> attest(c)).isInstanceOfSatisfying(KbsException.class,
                e -> assertThat(e.getMessage()).contains("circuit breaker is open"));
        assertThat(hits.get()).isEqualTo(before);
    }

    @Test
    void aSlowServiceTimesOutAs503() throws IOException {
        AttestationServiceClient c = client(200, "x.y.z", Duration.ofSeconds(2));
        assertThatThrownBy(() -> attest(c)).isInstanceOfSatisfying(KbsException.class,
                e -> assertThat(e.status()).isEqualTo(503));
    }

    @Test
    void refusedEvidenceIs401AndDoesNotOpenTheBreaker() throws IOException {
        AttestationServiceClient c = client(500, "verifier: report_data mismatch", Duration.ZERO);
        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> attest(c)).isInstanceOfSatisfying(KbsException.class, e -> {
                assertThat(e.status()).isEqualTo(401);
                assertThat(e.getMessage()).contains("report_data mismatch");
            });
        }
        assertThat(c.breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
    }
}
