package io.cocoplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.test.TestInfra;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every parameter outside its range is a 400 RFC 9457 problem naming it, never a 500. */
@TestInfra(schema = "audit")
@SpringBootTest(classes = AuditApplication.class)
@AutoConfigureMockMvc
class AuditBadInputTest {

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    EventingAutoConfiguration.EventingKafka kafka;

    long size;

    @BeforeEach
    void aCheckpointedTreeWithAtLeastOneLeaf() throws Exception {
        TestEvents.Sent s = TestEvents.record(codec, TestEvents.event("bad-" + UUID.randomUUID(), 3), false);
        TestEvents.send(kafka, List.of(s));
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM checkpoints c JOIN entries e ON e.event_id = ? AND c.tree_size > e.idx",
                Long.class, s.id().toString()) > 0);
        size = jdbc.queryForObject("SELECT tree_size FROM tree_state", Long.class);
    }

    private JsonNode problem(String url, int status, String detailContains) throws Exception {
        MvcResult r = mvc.perform(get(url)).andReturn();
        assertThat(r.getResponse().getStatus()).as(url).isEqualTo(status);
        assertThat(r.getResponse().getContentType()).as(url).startsWith("application/problem+json");
        JsonNode p = JsonMapper.builder().build().readTree(r.getResponse().getContentAsByteArray());
        assertThat(p.get("status").asInt()).isEqualTo(status);
        if (detailContains != null) {
            assertThat(p.get("detail").asString()).as(url).contains(detailContains);
        }
        return p;
    }

    @Test
    void inclusionProofParametersOutOfRange() throws Exception {
        problem("/api/v1/audit/proofs/inclusion?index=-1&treeSize=1", 400, "index must be 0..0");
        problem("/api/v1/audit/proofs/inclusion?index=" + size + "&treeSize=" + size, 400, "got " + size);
        problem("/api/v1/audit/proofs/inclusion?index=" + Long.MAX_VALUE, 400, "index must be");
        problem("/api/v1/audit/proofs/inclusion?index=0&treeSize=0", 400, "treeSize must be 1..");
        problem("/api/v1/audit/proofs/inclusion?index=0&treeSize=" + (size + 1000), 400, "treeSize must be 1..");
        problem("/api/v1/audit/proofs/inclusion?index=0&treeSize=-5", 400, "treeSize must be 1..");
        problem("/api/v1/audit/proofs/inclusion", 400, null); // index is required
        problem("/api/v1/audit/proofs/inclusion?index=abc", 400, null);
        problem("/api/v1/audit/proofs/inclusion?index=99999999999999999999", 400, null); // overflows a long
    }

    @Test
    void consistencyProofParametersOutOfRange() throws Exception {
        problem("/api/v1/audit/proofs/consistency?from=2&to=1", 400, "from must be 1..1");
        problem("/api/v1/audit/proofs/consistency?from=0&to=1", 400, "from must be 1..1");
        problem("/api/v1/audit/proofs/consistency?from=1&to=" + (size + 1), 400, "to must be 1..");
        problem("/api/v1/audit/proofs/consistency?from=1&to=0", 400, "to must be 1..");
        problem("/api/v1/audit/proofs/consistency", 400, null);
    }

    @Test
    void entryParametersOutOfRange() throws Exception {
        problem("/api/v1/audit/entries?limit=100000", 400, "limit must be 1..1000");
        problem("/api/v1/audit/entries?limit=0", 400, "limit must be 1..1000");
        problem("/api/v1/audit/entries?after=-5", 400, "after must be >= 0");
        problem("/api/v1/audit/entries?subject=" + "s".repeat(513), 400, "subject must be 1..512");
        problem("/api/v1/audit/entries?type=" + "t".repeat(257), 400, "type must be 1..256");
        problem("/api/v1/audit/entries/-1", 400, "index must be >= 0");
        problem("/api/v1/audit/entries/" + (size + 1000), 404, "no entry at index");
        problem("/api/v1/audit/entries/x", 400, null);
    }

    @Test
    void limitAtItsMaximumIsAccepted() throws Exception {
        MvcResult r = mvc.perform(get("/api/v1/audit/entries?limit=1000")).andReturn();
        assertThat(r.getResponse().getStatus()).isEqualTo(200);
        JsonNode page = JsonMapper.builder().build().readTree(r.getResponse().getContentAsByteArray());
        assertThat(page.get("entries").size()).isEqualTo((int) Math.min(size, 1000));
    }
}
