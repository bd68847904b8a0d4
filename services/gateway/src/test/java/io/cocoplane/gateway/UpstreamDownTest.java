package io.cocoplane.gateway;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.cocoplane.eventing.test.TestInfra;

/**
 * Upstreams that do not listen: the gateway answers 502 problem+json, never 500. Its own context (other upstream
 * URLs), so it does not extend {@link GatewayTestBase} but repeats its annotations.
 */
@TestInfra(schema = "gateway")
@SpringBootTest
@TestPropertySource(locations = "classpath:gateway-test.properties")
@AutoConfigureMockMvc
class UpstreamDownTest {

    private static final int CLOSED_PORT;

    static {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CLOSED_PORT = s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Autowired
    MockMvc mvc;

    @DynamicPropertySource
    static void downUpstreams(DynamicPropertyRegistry r) {
        String down = "http://127.0.0.1:" + CLOSED_PORT;
        GatewayTestBase.register(r, Map.of("orchestrator", down, "keybroker", down));
    }

    private static String bearer(String role) {
        return GatewayTestBase.bearer(role);
    }

    @Test
    void workloadReadWithTheOrchestratorDownIs502Problem() throws Exception {
        mvc.perform(get("/api/v1/workloads/" + UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION,
                        bearer("deployer")))
                .andExpect(status().isBadGateway())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cocoplane:problem:upstream-unavailable"))
                .andExpect(jsonPath("$.upstream").value("orchestrator"));
    }

    @Test
    void secretPutWithTheKeyBrokerDownIs502Problem() throws Exception {
        mvc.perform(put("/api/v1/secrets/default/key/x").content("value").header(HttpHeaders.AUTHORIZATION,
                        bearer("admin")))
                .andExpect(status().isBadGateway())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.upstream").value("keybroker"));
    }
}
