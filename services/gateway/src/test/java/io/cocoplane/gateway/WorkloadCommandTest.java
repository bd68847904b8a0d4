package io.cocoplane.gateway;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MvcResult;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.OutboxRelay;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** POST and DELETE /api/v1/workloads publish commands through the outbox; Idempotency-Key replays publish nothing. */
class WorkloadCommandTest extends GatewayTestBase {

    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    OutboxRelay relay;
    @Autowired
    JsonMapper json;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    private static final String BODY = """
            {"name":"llm-chat","namespace":"ml","image":"registry.local:5000/llm/chat:1","tee":"snp",
             "resources":["default/key/model-kek","default/secret/hf-token"],
             "agentPolicy":{"allowExec":false,"allowLogs":true},"limits":{"cpu":"2","memory":"8Gi"}}""";

    private List<ConsumerRecord<String, byte[]>> commandsFor(String workloadId) {
        return KafkaTopicReader.readAll(bootstrap, Topics.WORKLOAD_COMMANDS).stream()
                .filter(r -> workloadId.equals(r.key())).toList();
    }

    private static String ceHeader(ConsumerRecord<String, byte[]> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private void allRelayed() {
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM eventing_outbox WHERE published_at IS NULL", Long.class) == 0);
        relay.relayOnce();
    }

    @Test
    void postPublishesExactlyOneWorkloadRequestedAndAnswers202WithLocation() throws Exception {
        String subject = TestTokens.subject();
        MvcResult res = mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON).content(BODY)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token(subject, "deployer")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.status").value("REQUESTED"))
                .andReturn();
        String id = json.readTree(res.getResponse().getContentAsByteArray()).get("id").asString();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(res.getResponse().getHeader(HttpHeaders.LOCATION)).isEqualTo("/api/v1/workloads/" + id);

        await().atMost(Duration.ofSeconds(30)).until(() -> commandsFor(id).size() == 1);
        allRelayed();
        List<ConsumerRecord<String, byte[]>> got = commandsFor(id);
        assertThat(got).hasSize(1);
        assertThat(ceHeader(got.get(0), "ce_type")).isEqualTo("io.cocoplane.workload.requested.v1");
        assertThat(ceHeader(got.get(0), "ce_source")).isEqualTo("/cocoplane/gateway");
        JsonNode data = json.readTree(got.get(0).value());
        assertThat(data.get("workloadId").asString()).isEqualTo(id);
        assertThat(data.get("requestedBy").asString()).isEqualTo(subject);
        assertThat(data.get("name").asString()).isEqualTo("llm-chat");
        assertThat(data.get("namespace").asString()).isEqualTo("ml");
        assertThat(data.get("image").asString()).isEqualTo("registry.local:5000/llm/chat:1");
        assertThat(data.get("tee").asString()).isEqualTo("snp");
        assertThat(data.get("resources").toString()).isEqualTo("[\"default/key/model-kek\",\"default/secret/hf-token\"]");
        assertThat(data.get("agentPolicy").get("allowLogs").asBoolean()).isTrue();
        assertThat(data.get("agentPolicy").get("allowExec").asBoolean()).isFalse();
        assertThat(data.get("limits").get("memory").asString()).isEqualTo("8Gi");
    }

    @Test
    void idempotencyKeyReplayReturnsTheSameIdAndPublishesNothingNew() throws Exception {
        String token = "Bearer " + TestTokens.token(TestTokens.subject(), "deployer");
        String key = "req-" + UUID.randomUUID();
        MvcResult first = mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON)
                        .content(BODY).header(HttpHeaders.AUTHORIZATION, token).header("Idempotency-Key", key))
                .andExpect(status().isAccepted()).andReturn();
        String id = json.readTree(first.getResponse().getContentAsByteArray()).get("id").asString();
        await().atMost(Duration.ofSeconds(30)).until(() -> commandsFor(id).size() == 1);

        // same body with other whitespace: same request
        MvcResult second = mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON)
                        .content(BODY.replace("\n", " ")).header(HttpHeaders.AUTHORIZATION, token)
                        .header("Idempotency-Key", key))
                .andExpect(status().isAccepted())
                .andExpect(header().string("Idempotent-Replayed", "true"))
                .andExpect(header().string(HttpHeaders.LOCATION, "/api/v1/workloads/" + id))
                .andReturn();
        assertThat(second.getResponse().getContentAsString()).isEqualTo(first.getResponse().getContentAsString());

        mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON)
                        .content(BODY.replace("llm-chat", "other-name")).header(HttpHeaders.AUTHORIZATION, token)
                        .header("Idempotency-Key", key))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cocoplane:problem:idempotency-key-reused"));

        allRelayed();
        assertThat(commandsFor(id)).hasSize(1);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM eventing_outbox WHERE ce_type ="
                + " 'io.cocoplane.workload.requested.v1' AND convert_from(data, 'UTF8') LIKE ?", Long.class,
                "%other-name%")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM idempotency_keys WHERE idem_key = ?", Long.class, key))
                .isEqualTo(1);
    }

    @Test
    void theSameKeyFromAnotherCallerIsAnotherRequest() throws Exception {
        String key = "shared-" + UUID.randomUUID();
        String a = mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON).content(BODY)
                        .header(HttpHeaders.AUTHORIZATION, bearer("deployer")).header("Idempotency-Key", key))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        String b = mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON).content(BODY)
                        .header(HttpHeaders.AUTHORIZATION, bearer("deployer")).header("Idempotency-Key", key))
                .andExpect(status().isAccepted()).andReturn().getResponse().getContentAsString();
        assertThat(json.readTree(a).get("id")).isNotEqualTo(json.readTree(b).get("id"));
    }

    @Test
    void deletePublishesWorkloadDeletionRequested() throws Exception {
        String subject = TestTokens.subject();
        String id = UUID.randomUUID().toString();
        mvc.perform(delete("/api/v1/workloads/" + id)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token(subject, "deployer")))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.id").value(id));
        await().atMost(Duration.ofSeconds(30)).until(() -> commandsFor(id).size() == 1);
        ConsumerRecord<String, byte[]> r = commandsFor(id).get(0);
        assertThat(ceHeader(r, "ce_type")).isEqualTo("io.cocoplane.workload.deletion-requested.v1");
        assertThat(json.readTree(r.value()).get("requestedBy").asString()).isEqualTo(subject);
    }

    @ParameterizedTest(name = "{0} = {1} → 400")
    @CsvSource(delimiter = '|', value = {
            "name        | \"Not_A_Label\"",
            "name        | \"a-name-that-is-far-too-long-for-a-dns-label-because-it-has-64-chars\"",
            "namespace   | \"-ml\"",
            "image       | \"llm/chat:1\"",
            "image       | \"registry.local/llm/chat\"",
            "image       | \"registry.local/LLM/chat:1\"",
            "image       | \"registry.local/llm/chat@sha256:abc\"",
            "tee         | \"sample\"",
            "resources   | [\"default/key\"]",
            "resources   | [\"default/../model\"]",
            "resources   | [\".hidden/key/model\"]",
            "resources   | [\"default/key/a..b\"]",
            "limits      | {\"cpu\":\"two\"}"})
    void invalidFieldsAreRefusedWith400AndNothingIsPublished(String field, String value) throws Exception {
        JsonNode body = json.readTree(BODY);
        ((tools.jackson.databind.node.ObjectNode) body).set(field, json.readTree(value));
        long before = jdbc.queryForObject("SELECT count(*) FROM eventing_outbox", Long.class);
        mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON)
                        .content(json.writeValueAsString(body)).header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors").isMap())
                .andExpect(jsonPath("$.errors").value(org.hamcrest.Matchers.hasKey(
                        org.hamcrest.Matchers.startsWith(field))));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM eventing_outbox", Long.class)).isEqualTo(before);
    }

    @Test
    void acceptsADigestReferenceAndTheDefaults() throws Exception {
        String digest = "sha256:" + "ab".repeat(32);
        mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"x\",\"image\":\"localhost:5000/a/b@" + digest + "\",\"tee\":\"tdx\"}")
                        .header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isAccepted());
    }

    @Test
    void malformedJsonIsA400ProblemThatDoesNotEchoTheBody() throws Exception {
        mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\": \"leaky-value-123").header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(content().string(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("leaky-value-123"))));
    }

    @Test
    void oversizeJsonBodyIs413() throws Exception {
        String huge = "{\"name\":\"x\",\"image\":\"r.io/a:1\",\"tee\":\"snp\",\"pad\":\""
                + "p".repeat(300 * 1024) + "\"}";
        mvc.perform(post("/api/v1/workloads").contentType(MediaType.APPLICATION_JSON).content(huge)
                        .header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }
}
