package io.cocoplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MvcResult;

import io.cocoplane.gateway.StubUpstreams.Answer;

/**
 * A secret value never appears in a response, a log line (the gateway and Spring web log at DEBUG here) or the outbox,
 * neither when the key broker accepts it, nor when it refuses it, nor when the value is too large.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretConfidentialityTest extends GatewayTestBase {

    @Autowired
    JdbcTemplate jdbc;

    private void assertNowhere(String marker, CapturedOutput output, MvcResult res) throws Exception {
        assertThat(output.getAll()).doesNotContain(marker);
        assertThat(res.getResponse().getContentAsString()).doesNotContain(marker);
        res.getResponse().getHeaderNames().forEach(h -> assertThat(res.getResponse().getHeaders(h).toString())
                .doesNotContain(marker));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM eventing_outbox WHERE position(? in data) > 0",
                Long.class, (Object) marker.getBytes(StandardCharsets.UTF_8))).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_keys WHERE position(? in response_body) > 0",
                Long.class, (Object) marker.getBytes(StandardCharsets.UTF_8))).isZero();
    }

    @Test
    void acceptedSecretValueIsNotLoggedEchoedOrPublished(CapturedOutput output) throws Exception {
        String marker = "TOP-SECRET-" + UUID.randomUUID();
        String path = "default/secret/hf-token-" + UUID.randomUUID();
        StubUpstreams.on("POST /kbs/v0/resource/" + path, new Answer(201, "text/plain", new byte[0], 0));
        MvcResult res = mvc.perform(put("/api/v1/secrets/" + path).contentType(MediaType.TEXT_PLAIN)
                        .content(marker).header(HttpHeaders.AUTHORIZATION, bearer("admin")))
                .andExpect(status().isOk()).andReturn();
        // the value did go through, so its absence elsewhere is meaningful
        assertThat(new String(StubUpstreams.received("POST", "/kbs/v0/resource/" + path).get(0).body(),
                StandardCharsets.UTF_8)).isEqualTo(marker);
        assertThat(output.getAll()).contains(path);
        assertNowhere(marker, output, res);
    }

    @Test
    void refusedSecretValueIsNotEchoed(CapturedOutput output) throws Exception {
        String marker = "TOP-SECRET-" + UUID.randomUUID();
        String path = "default/secret/refused-" + UUID.randomUUID();
        StubUpstreams.on("POST /kbs/v0/resource/" + path, Answer.json(400,
                "{\"detail\":\"bad value " + marker + "\"}"));
        MvcResult res = mvc.perform(put("/api/v1/secrets/" + path).contentType(MediaType.TEXT_PLAIN)
                        .content(marker).header(HttpHeaders.AUTHORIZATION, bearer("admin")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON)).andReturn();
        assertNowhere(marker, output, res);
    }

    @Test
    void oversizeSecretIs413AndNeverForwarded(CapturedOutput output) throws Exception {
        String marker = "TOP-SECRET-" + UUID.randomUUID();
        String path = "default/secret/big-" + UUID.randomUUID();
        byte[] big = (marker + "x".repeat(1024 * 1024)).getBytes(StandardCharsets.UTF_8);
        MvcResult res = mvc.perform(put("/api/v1/secrets/" + path).contentType(MediaType.APPLICATION_OCTET_STREAM)
                        .content(big).header(HttpHeaders.AUTHORIZATION, bearer("admin")))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON)).andReturn();
        assertThat(StubUpstreams.received("POST", "/kbs/v0/resource/" + path)).isEmpty();
        assertNowhere(marker, output, res);
    }
}
