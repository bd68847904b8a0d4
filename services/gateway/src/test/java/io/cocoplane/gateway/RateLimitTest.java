package io.cocoplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import io.cocoplane.gateway.StubUpstreams.Answer;

/** Writes are limited per JWT subject; the next one gets 429 with Retry-After; reads and other subjects are not. */
class RateLimitTest extends GatewayTestBase {

    @Test
    void writesBeyondTheLimitGet429WithRetryAfterPerSubject() throws Exception {
        String token = "Bearer " + TestTokens.token(TestTokens.subject(), "deployer");
        for (int i = 0; i < WRITE_LIMIT; i++) {
            mvc.perform(delete("/api/v1/workloads/" + UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION, token))
                    .andExpect(status().isAccepted());
        }
        MvcResult limited = mvc.perform(delete("/api/v1/workloads/" + UUID.randomUUID())
                        .header(HttpHeaders.AUTHORIZATION, token))
                .andExpect(status().isTooManyRequests())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cocoplane:problem:rate-limited"))
                .andReturn();
        long retryAfter = Long.parseLong(limited.getResponse().getHeader(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(1L, 3600L);

        StubUpstreams.on("GET /api/v1/workloads", Answer.json(200, "{\"items\":[]}"));
        mvc.perform(get("/api/v1/workloads").header(HttpHeaders.AUTHORIZATION, token)).andExpect(status().isOk());
        mvc.perform(delete("/api/v1/workloads/" + UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION,
                bearer("deployer"))).andExpect(status().isAccepted());
    }
}
