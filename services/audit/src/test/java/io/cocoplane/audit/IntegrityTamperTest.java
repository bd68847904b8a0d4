package io.cocoplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.test.TestInfra;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A leaf altered directly in the database is found by the integrity check: the endpoint reports it, readiness goes
 * DOWN, the gauge is 1, and no further checkpoint is signed. The altered rows are put back afterwards and the context
 * (whose failure latches) is discarded, so other test classes on the shared schema are unaffected.
 */
@TestInfra(schema = "audit")
@SpringBootTest(classes = AuditApplication.class)
@AutoConfigureMockMvc
@DirtiesContext
class IntegrityTamperTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    EventingAutoConfiguration.EventingKafka kafka;
    @Autowired
    MeterRegistry meters;
    @Autowired
    Checkpointer checkpointer;

    private JsonNode integrityCheck() throws Exception {
        MvcResult r = mvc.perform(post("/api/v1/audit/integrity-check")).andReturn();
        assertThat(r.getResponse().getStatus()).isEqualTo(200);
        return JSON.readTree(r.getResponse().getContentAsByteArray());
    }

    private MvcResult readiness() throws Exception {
        return mvc.perform(get("/actuator/health/readiness")).andReturn();
    }

    private double gauge() {
        return meters.get(IntegrityStatus.GAUGE).gauge().value();
    }

    @Test
    void anAlteredLeafTurnsReadinessDownAndRaisesTheGauge() throws Exception {
        String run = "tamper-" + UUID.randomUUID();
        List<TestEvents.Sent> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            sent.add(TestEvents.record(codec, TestEvents.event(run, i), false));
        }
        TestEvents.send(kafka, sent);
        String victimId = sent.get(2).id().toString();
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM entries WHERE event_id = ?", Long.class, victimId) == 1);

        // untouched: the check passes, readiness is UP, gauge 0
        JsonNode ok = integrityCheck();
        assertThat(ok.get("ok").asBoolean()).as(ok.toString()).isTrue();
        assertThat(ok.get("problems")).isEmpty();
        assertThat(ok.get("leavesChecked").asLong()).isEqualTo(ok.get("treeSize").asLong()).isPositive();
        assertThat(ok.get("nodesChecked").asLong()).isGreaterThanOrEqualTo(ok.get("leavesChecked").asLong());
        assertThat(gauge()).isZero();
        MvcResult up = readiness();
        assertThat(up.getResponse().getStatus()).as(up.getResponse().getContentAsString()).isEqualTo(200);
        assertThat(JSON.readTree(up.getResponse().getContentAsByteArray()).at("/components/auditIntegrity/status")
                .asString()).isEqualTo("UP");

        long victim = jdbc.queryForObject("SELECT idx FROM entries WHERE event_id = ?", Long.class, victimId);
        byte[] original = jdbc.queryForObject("SELECT leaf FROM entries WHERE idx = ?", byte[].class, victim);
        byte[] altered = original.clone();
        altered[altered.length - 3] ^= 0x01; // one bit inside the canonical JSON
        jdbc.update("UPDATE entries SET leaf = ? WHERE idx = ?", altered, victim);
        try {
            JsonNode failed = integrityCheck();
            assertThat(failed.get("ok").asBoolean()).isFalse();
            assertThat(failed.get("problems").toString()).contains("entry " + victim + ":");
            assertThat(failed.get("problems").toString()).contains("root recomputed from the leaves");

            MvcResult down = readiness();
            assertThat(down.getResponse().getStatus()).isEqualTo(503);
            JsonNode health = JSON.readTree(down.getResponse().getContentAsByteArray());
            assertThat(health.get("status").asString()).isEqualTo("DOWN");
            assertThat(health.at("/components/auditIntegrity/status").asString()).isEqualTo("DOWN");
            assertThat(health.at("/components/auditIntegrity/details/failure").asString()).contains("entry " + victim);
            assertThat(gauge()).isEqualTo(1.0);

            // the log signs nothing more while it is known to be altered
            TestEvents.Sent after = TestEvents.record(codec, TestEvents.event(run, 9), false);
            TestEvents.send(kafka, List.of(after));
            await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                    "SELECT count(*) FROM entries WHERE event_id = ?", Long.class, after.id().toString()) == 1);
            assertThat(checkpointer.checkpointOnce()).isEmpty();
            long size = jdbc.queryForObject("SELECT tree_size FROM tree_state", Long.class);
            assertThat(jdbc.queryForObject("SELECT max(tree_size) FROM checkpoints", Long.class)).isLessThan(size);
        } finally {
            jdbc.update("UPDATE entries SET leaf = ? WHERE idx = ?", original, victim);
        }

        // an altered interior node is named too (the verdict stays latched)
        byte[] node = jdbc.queryForObject("SELECT hash FROM tree_nodes WHERE level = 1 AND idx = 0", byte[].class);
        byte[] badNode = node.clone();
        badNode[0] ^= 0x01;
        jdbc.update("UPDATE tree_nodes SET hash = ? WHERE level = 1 AND idx = 0", badNode);
        try {
            JsonNode failed = integrityCheck();
            assertThat(failed.get("ok").asBoolean()).isFalse();
            assertThat(failed.get("problems").toString()).contains("tree node (1,0) differs");
            assertThat(readiness().getResponse().getStatus()).isEqualTo(503);
            assertThat(gauge()).isEqualTo(1.0);
        } finally {
            jdbc.update("UPDATE tree_nodes SET hash = ? WHERE level = 1 AND idx = 0", node);
        }
    }
}
