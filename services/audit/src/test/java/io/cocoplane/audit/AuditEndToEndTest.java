package io.cocoplane.audit;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.InvalidProofException;
import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleProofs;
import io.cocoplane.transparencylog.NoteLimits;
import io.cocoplane.transparencylog.NoteVerifier;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Events on five topics, with re-sent duplicates, become exactly one leaf each; every leaf's inclusion proof, fetched
 * over the API, verifies against a checkpoint whose signature verifies with the served public key; a consistency
 * proof between two checkpoints verifies; the checkpoint is published on {@code coco.audit.checkpoints}.
 */
@TestInfra(schema = "audit")
@SpringBootTest(classes = AuditApplication.class)
@AutoConfigureMockMvc
class AuditEndToEndTest {

    static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    EventingAutoConfiguration.EventingKafka kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    static byte[] b64(String s) {
        return Base64.getDecoder().decode(s);
    }

    static List<byte[]> hashes(JsonNode proof) {
        List<byte[]> out = new ArrayList<>();
        proof.get("hashes").forEach(h -> out.add(b64(h.asString())));
        return out;
    }

    private MvcResult call(String url) throws Exception {
        return mvc.perform(get(url)).andReturn();
    }

    private JsonNode json(String url) throws Exception {
        MvcResult r = call(url);
        assertThat(r.getResponse().getStatus()).as(url).isEqualTo(200);
        return JSON.readTree(r.getResponse().getContentAsByteArray());
    }

    private byte[] text(String url) throws Exception {
        MvcResult r = call(url);
        assertThat(r.getResponse().getStatus()).as(url).isEqualTo(200);
        assertThat(r.getResponse().getContentType()).startsWith("text/plain");
        return r.getResponse().getContentAsByteArray();
    }

    private double duplicates() {
        return meters.find("cocoplane.events.duplicates").tag("group", "audit").counters().stream()
                .mapToDouble(c -> c.count()).sum();
    }

    private long storedOf(List<TestEvents.Sent> sent) {
        return jdbc.queryForObject("SELECT count(*) FROM entries WHERE event_id = ANY (?::text[])", Long.class,
                (Object) sent.stream().map(s -> s.id().toString()).toArray(String[]::new));
    }

    private long maxIndexOf(List<TestEvents.Sent> sent) {
        return jdbc.queryForObject("SELECT max(idx) FROM entries WHERE event_id = ANY (?::text[])", Long.class,
                (Object) sent.stream().map(s -> s.id().toString()).toArray(String[]::new));
    }

    /** Waits for a checkpoint covering {@code minSize} leaves and verifies its note with the served key. */
    private Checkpoint checkpointCovering(long minSize, NoteVerifier verifier) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> Checkpoint.verify(text("/api/v1/audit/checkpoint"), AuditProperties.DEFAULT_ORIGIN,
                        NoteLimits.DEFAULT, verifier),
                cp -> cp.treeSize() >= minSize);
    }

    @Test
    void distinctEventsBecomeLeavesWhoseProofsVerifyAgainstSignedCheckpoints() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        NoteVerifier verifier = NoteVerifier.parse(new String(text("/api/v1/audit/public-key"),
                StandardCharsets.UTF_8));
        assertThat(verifier.name()).isEqualTo(AuditProperties.DEFAULT_ORIGIN);
        double duplicatesBefore = duplicates();

        List<TestEvents.Sent> first = new ArrayList<>();
        List<TestEvents.Sent> second = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            (i < 25 ? first : second).add(TestEvents.record(codec, TestEvents.event(run, i), i % 4 == 0));
        }
        assertThat(first.stream().map(s -> s.record().topic()).distinct()).hasSize(5);

        // first half, then five of them again (same CloudEvent ids, same bytes)
        TestEvents.send(kafka, first);
        TestEvents.send(kafka, first.subList(0, 5));
        await().atMost(Duration.ofSeconds(60)).until(() -> storedOf(first) == 25);
        Checkpoint cp1 = checkpointCovering(maxIndexOf(first) + 1, verifier);

        // second half, with duplicates from both halves
        TestEvents.send(kafka, second);
        TestEvents.send(kafka, second.subList(20, 25));
        TestEvents.send(kafka, first.subList(10, 15));
        List<TestEvents.Sent> all = new ArrayList<>(first);
        all.addAll(second);
        await().atMost(Duration.ofSeconds(60)).until(() -> storedOf(all) == 50);
        // the 15 re-sent records were all seen and skipped by the inbox
        await().atMost(Duration.ofSeconds(30)).until(() -> duplicates() >= duplicatesBefore + 15);
        Checkpoint cp2 = checkpointCovering(maxIndexOf(all) + 1, verifier);
        assertThat(cp2.treeSize()).isGreaterThan(cp1.treeSize());

        // exactly 50 distinct leaves for the 65 records, and the log's indexes are dense
        assertThat(storedOf(all)).isEqualTo(50);
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT idx) FROM entries WHERE event_id = ANY (?::text[])",
                Long.class, (Object) all.stream().map(s -> s.id().toString()).toArray(String[]::new))).isEqualTo(50);
        long size = jdbc.queryForObject("SELECT tree_size FROM tree_state", Long.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM entries", Long.class)).isEqualTo(size);
        assertThat(jdbc.queryForObject("SELECT coalesce(max(idx), -1) FROM entries", Long.class)).isEqualTo(size - 1);

        for (TestEvents.Sent s : all) {
            JsonNode page = json("/api/v1/audit/entries?subject=" + s.subject());
            assertThat(page.get("entries")).as(s.subject()).hasSize(1);
            JsonNode entry = page.get("entries").get(0);
            long index = entry.get("index").asLong();
            assertThat(entry.get("eventId").asString()).isEqualTo(s.id().toString());
            assertThat(entry.get("type").asString()).isEqualTo(s.ceType());
            assertThat(entry.get("topic").asString()).isEqualTo(s.record().topic());

            // the leaf is the canonical CloudEvent carrying this event's attributes and data
            byte[] leaf = b64(entry.get("leaf").asString());
            assertThat(CanonicalEvent.canonicalize(new String(leaf, StandardCharsets.UTF_8))).isEqualTo(leaf);
            JsonNode ce = JSON.readTree(leaf);
            assertThat(ce.get("specversion").asString()).isEqualTo("1.0");
            assertThat(ce.get("id").asString()).isEqualTo(s.id().toString());
            assertThat(ce.get("type").asString()).isEqualTo(s.ceType());
            assertThat(ce.get("subject").asString()).isEqualTo(s.subject());
            assertThat(ce.get("source").asString()).isEqualTo("/cocoplane/test");
            assertThat(ce.get("dataschema").asString()).isEqualTo(EventCatalog.of(s.data().getClass()).dataSchema());
            assertThat(ce.get("data")).isEqualTo(JSON.readTree(codec.payload(s.data())));
            assertThat(ce.has("traceparent")).isEqualTo(s.record().headers().lastHeader("ce_traceparent") != null);
            if (ce.has("traceparent")) {
                assertThat(ce.get("traceparent").asString()).isEqualTo(TestEvents.TRACEPARENT);
            }

            // inclusion in the second checkpoint, proof fetched over the API
            JsonNode proof = json("/api/v1/audit/proofs/inclusion?index=" + index + "&treeSize=" + cp2.treeSize());
            assertThat(b64(proof.get("leafHash").asString())).isEqualTo(MerkleHashes.leafHash(leaf));
            MerkleProofs.verifyInclusion(index, cp2.treeSize(), MerkleHashes.leafHash(leaf), hashes(proof),
                    cp2.rootHash());
            // and /entries/{index} serves the same entry
            assertThat(json("/api/v1/audit/entries/" + index)).isEqualTo(entry);
        }

        // the default tree size of an inclusion proof is the latest checkpoint's
        JsonNode latest = json("/api/v1/audit/proofs/inclusion?index=0");
        assertThat(latest.get("treeSize").asLong()).isGreaterThanOrEqualTo(cp2.treeSize());

        // a proof that was tampered with does not verify: the check above is not vacuous
        TestEvents.Sent probe = all.get(7);
        long probeIndex = json("/api/v1/audit/entries?subject=" + probe.subject()).get("entries").get(0)
                .get("index").asLong();
        JsonNode p = json("/api/v1/audit/proofs/inclusion?index=" + probeIndex + "&treeSize=" + cp2.treeSize());
        List<byte[]> bad = hashes(p);
        bad.get(0)[0] ^= 1;
        assertThatThrownBy(() -> MerkleProofs.verifyInclusion(probeIndex, cp2.treeSize(),
                b64(p.get("leafHash").asString()), bad, cp2.rootHash())).isInstanceOf(InvalidProofException.class);

        // the two checkpoints are consistent
        JsonNode consistency = json("/api/v1/audit/proofs/consistency?from=" + cp1.treeSize() + "&to="
                + cp2.treeSize());
        assertThat(b64(consistency.get("fromRoot").asString())).isEqualTo(cp1.rootHash());
        assertThat(b64(consistency.get("toRoot").asString())).isEqualTo(cp2.rootHash());
        MerkleProofs.verifyConsistency(cp1.treeSize(), cp2.treeSize(), cp1.rootHash(), cp2.rootHash(),
                hashes(consistency));

        // the second checkpoint went out as audit.checkpoint on coco.audit.checkpoints, note verbatim
        String note = jdbc.queryForObject("SELECT signed_note FROM checkpoints WHERE tree_size = ?", String.class,
                cp2.treeSize());
        JsonNode published = await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readAll(bootstrap, Topics.AUDIT_CHECKPOINTS).stream()
                        .filter(r -> EventCatalog.AUDIT_CHECKPOINT.ceType().equals(TestEvents.header(r, "ce_type")))
                        .map(r -> JSON.readTree(r.value()))
                        .filter(d -> d.get("treeSize").asLong() == cp2.treeSize()).findFirst().orElse(null),
                d -> d != null);
        assertThat(published.get("signedNote").asString()).isEqualTo(note);
        assertThat(published.get("origin").asString()).isEqualTo(AuditProperties.DEFAULT_ORIGIN);
        assertThat(b64(published.get("rootHash").asString())).isEqualTo(cp2.rootHash());
    }

    @Test
    void entriesArePagedInIndexOrderWithACursor() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<TestEvents.Sent> sent = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            // the same type (i % 6 == 4: key.resource-deleted) for all, so the type filter selects them
            sent.add(TestEvents.record(codec, TestEvents.event(run, 6 * i + 4), false));
        }
        TestEvents.send(kafka, sent);
        await().atMost(Duration.ofSeconds(60)).until(() -> storedOf(sent) == 7);
        long from = jdbc.queryForObject("SELECT min(idx) FROM entries WHERE event_id = ANY (?::text[])", Long.class,
                (Object) sent.stream().map(s -> s.id().toString()).toArray(String[]::new)) - 1;

        List<Long> seen = new ArrayList<>();
        String type = EventCatalog.KEY_RESOURCE_DELETED.ceType();
        // the first page starts at the beginning (no cursor) or just before the first of ours
        JsonNode page = json("/api/v1/audit/entries?type=" + type + "&limit=3" + (from < 0 ? "" : "&after=" + from));
        while (true) {
            assertThat(page.get("entries").size()).isLessThanOrEqualTo(3);
            page.get("entries").forEach(e -> {
                assertThat(e.get("type").asString()).isEqualTo(type);
                seen.add(e.get("index").asLong());
            });
            if (page.get("next").isNull()) {
                break;
            }
            page = json("/api/v1/audit/entries?type=" + type + "&limit=3&after=" + page.get("next").asLong());
        }
        assertThat(seen).isSorted().doesNotHaveDuplicates().hasSizeGreaterThanOrEqualTo(7);
        List<Long> ours = jdbc.queryForList("SELECT idx FROM entries WHERE event_id = ANY (?::text[]) ORDER BY idx",
                Long.class, (Object) sent.stream().map(s -> s.id().toString()).toArray(String[]::new));
        assertThat(seen).containsAll(ours);
    }
}
