package io.cocoplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.InMemoryNodeStore;
import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleTree;
import io.cocoplane.transparencylog.NoteSigner;
import tools.jackson.databind.JsonNode;

/**
 * {@code audit verify|prove} against a stub audit API whose checkpoints and proofs come from libs/transparency-log,
 * with the answer shapes of services/audit's controller.
 */
class AuditVerifyTest {

    static final String ORIGIN = "audit.cocoplane.test/log";
    static final Base64.Encoder B64 = Base64.getEncoder();

    @TempDir
    Path dir;
    StubServer gw;
    final NoteSigner signer = NoteSigner.generate(ORIGIN, new SecureRandom());
    final AtomicReference<MerkleTree> log = new AtomicReference<>();
    final AtomicReference<NoteSigner> checkpointSigner = new AtomicReference<>(signer);
    final AtomicBoolean tamperInclusion = new AtomicBoolean();
    final AtomicBoolean tamperConsistency = new AtomicBoolean();

    static byte[] leaf(int i, String variant) {
        return ("{\"id\":\"ev-" + i + "\",\"type\":\"coco.workload.state-changed\",\"subject\":\"wl-" + i
                + "\",\"v\":\"" + variant + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    static MerkleTree tree(int size, String variantAt2) {
        MerkleTree t = new MerkleTree(new InMemoryNodeStore());
        for (int i = 0; i < size; i++) {
            t.append(leaf(i, i == 2 ? variantAt2 : "a"));
        }
        return t;
    }

    @BeforeEach
    void start() throws Exception {
        gw = new StubServer();
        log.set(tree(5, "a"));
        gw.on("GET", "/api/v1/audit/checkpoint", q -> {
            MerkleTree t = log.get();
            return StubServer.Response.text(200, new String(new Checkpoint(ORIGIN, t.size(), t.rootHash())
                    .sign(checkpointSigner.get()).encode(), StandardCharsets.UTF_8));
        });
        gw.on("GET", "/api/v1/audit/public-key", q -> StubServer.Response.text(200, signer.verifier().verifierKey()));
        gw.on("GET", "/api/v1/audit/entries/\\d+", q -> {
            int i = Integer.parseInt(q.path().substring(q.path().lastIndexOf('/') + 1));
            MerkleTree t = log.get();
            byte[] leaf = leaf(i, "a");
            return StubServer.Response.json(200, "{\"index\":" + i + ",\"eventId\":\"ev-" + i + "\",\"type\":"
                    + "\"coco.workload.state-changed\",\"subject\":\"wl-" + i + "\",\"source\":\"/orchestrator\","
                    + "\"time\":null,\"topic\":\"coco.workload.events\",\"leaf\":\"" + B64.encodeToString(leaf)
                    + "\",\"leafHash\":\"" + B64.encodeToString(t.leafHash(i)) + "\"}");
        });
        gw.on("GET", "/api/v1/audit/proofs/inclusion", q -> {
            long index = Long.parseLong(q.param("index"));
            long size = Long.parseLong(q.param("treeSize"));
            List<byte[]> proof = log.get().inclusionProof(index, size);
            if (tamperInclusion.get()) {
                proof.get(0)[0] ^= 1;
            }
            return StubServer.Response.json(200, "{\"index\":" + index + ",\"treeSize\":" + size + ",\"leafHash\":\"\","
                    + "\"rootHash\":\"\",\"hashes\":" + hashes(proof) + "}");
        });
        gw.on("GET", "/api/v1/audit/proofs/consistency", q -> {
            long from = Long.parseLong(q.param("from"));
            long to = Long.parseLong(q.param("to"));
            List<byte[]> proof = log.get().consistencyProof(from, to);
            if (tamperConsistency.get()) {
                proof.get(proof.size() - 1)[5] ^= 1;
            }
            return StubServer.Response.json(200, "{\"from\":" + from + ",\"to\":" + to + ",\"hashes\":"
                    + hashes(proof) + "}");
        });
    }

    static String hashes(List<byte[]> proof) {
        return "[" + String.join(",", proof.stream().map(h -> "\"" + B64.encodeToString(h) + "\"").toList()) + "]";
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Cli.Run run(String... args) {
        return Cli.run(Cli.env(dir, gw.url()), args);
    }

    private JsonNode state() throws Exception {
        return Json.MAPPER.readTree(Files.readAllBytes(dir.resolve("audit-state.json")));
    }

    @Test
    void verifiesThenRemembersAndChecksConsistencyOnTheNextRun() throws Exception {
        Cli.Run first = run("audit", "verify", "--public-key", signer.verifier().verifierKey(), "--output", "json");
        assertThat(first.exit()).as(first.toString()).isZero();
        JsonNode out = Json.MAPPER.readTree(first.out());
        assertThat(out.get("treeSize").asLong()).isEqualTo(5);
        assertThat(out.get("consistentWith").isNull()).isTrue();
        assertThat(out.get("entryChecked").asLong()).isEqualTo(4);
        assertThat(state().get("treeSize").asLong()).isEqualTo(5);
        assertThat(state().get("rootHash").asString()).isEqualTo(B64.encodeToString(tree(5, "a").rootHash()));
        assertThat(gw.requests("GET", "/api/v1/audit/proofs/inclusion").get(0).query())
                .isEqualTo("index=4&treeSize=5");

        log.set(tree(8, "a"));
        Cli.Run second = run("audit", "verify", "--output", "json"); // key and checkpoint come from the state file
        assertThat(second.exit()).as(second.toString()).isZero();
        assertThat(Json.MAPPER.readTree(second.out()).get("consistentWith").asLong()).isEqualTo(5);
        assertThat(gw.requests("GET", "/api/v1/audit/proofs/consistency").get(0).query()).isEqualTo("from=5&to=8");
        assertThat(second.err()).contains("consistency 5 -> 8: proof OK");
        assertThat(state().get("treeSize").asLong()).isEqualTo(8);
        assertThat(gw.requests("GET", "/api/v1/audit/public-key")).isEmpty();
    }

    @Test
    void aForkedLogFailsConsistencyWithExitFourAndIsNotRemembered() throws Exception {
        assertThat(run("audit", "verify", "--public-key", signer.verifier().verifierKey()).exit()).isZero();
        log.set(tree(8, "rewritten")); // entry 2 changed: same key signs a history that does not extend the old one
        Cli.Run r = run("audit", "verify");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err()).contains("consistency proof from size 5 to 8 rejected");
        assertThat(state().get("treeSize").asLong()).isEqualTo(5);
    }

    @Test
    void aTamperedConsistencyProofExitsFour() {
        assertThat(run("audit", "verify", "--public-key", signer.verifier().verifierKey()).exit()).isZero();
        log.set(tree(9, "a"));
        tamperConsistency.set(true);
        Cli.Run r = run("audit", "verify");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
    }

    @Test
    void aTamperedInclusionProofExitsFourAndNothingIsRemembered() {
        tamperInclusion.set(true);
        Cli.Run r = run("audit", "verify", "--public-key", signer.verifier().verifierKey());
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err()).contains("inclusion proof of entry 4 in tree size 5 rejected");
        assertThat(dir.resolve("audit-state.json")).doesNotExist();
    }

    @Test
    void aCheckpointSignedByAnotherKeyExitsFour() {
        checkpointSigner.set(NoteSigner.generate(ORIGIN, new SecureRandom()));
        Cli.Run r = run("audit", "verify", "--public-key", signer.verifier().verifierKey());
        assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err()).contains("checkpoint rejected");
    }

    @Test
    void aShrunkLogExitsFour() {
        assertThat(run("audit", "verify", "--public-key", signer.verifier().verifierKey()).exit()).isZero();
        log.set(tree(3, "a"));
        Cli.Run r = run("audit", "verify");
        assertThat(r.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err()).contains("the log shrank");
    }

    @Test
    void withoutAPinnedKeyTheServedKeyIsTrustedOnFirstUseWithAWarning() throws Exception {
        Cli.Run r = run("audit", "verify");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err()).contains("WARNING: trusting the log key served by the gateway on first use");
        assertThat(state().get("verifierKey").asString()).isEqualTo(signer.verifier().verifierKey());
        Cli.Run other = run("audit", "verify", "--public-key",
                NoteSigner.generate(ORIGIN, new SecureRandom()).verifier().verifierKey());
        assertThat(other.exit()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(other.err()).contains("differs from the key remembered");
    }

    @Test
    void proveChecksTheInclusionOfOneEntry() throws Exception {
        Cli.Run r = run("audit", "prove", "2", "--public-key", signer.verifier().verifierKey(), "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode out = Json.MAPPER.readTree(r.out());
        assertThat(out.get("entry").get("subject").asString()).isEqualTo("wl-2");
        assertThat(gw.requests("GET", "/api/v1/audit/proofs/inclusion").get(0).query())
                .isEqualTo("index=2&treeSize=5");
        assertThat(MerkleHashes.leafHash(leaf(2, "a"))).isEqualTo(tree(5, "a").leafHash(2));

        Cli.Run missing = run("audit", "prove", "7", "--public-key", signer.verifier().verifierKey());
        assertThat(missing.exit()).isEqualTo(ExitCodes.NOT_FOUND);
    }

    @Test
    void tailShowsTheNewestEntries() {
        gw.on("GET", "/api/v1/audit/entries", q -> {
            String after = q.param("after");
            if (q.param("limit").equals("1")) {
                return StubServer.Response.json(200, "{\"entries\":[],\"next\":0,\"treeSize\":5}");
            }
            assertThat(after).isEqualTo("2");
            return StubServer.Response.json(200, "{\"entries\":[{\"index\":3,\"type\":\"t\",\"subject\":\"wl-3\"},"
                    + "{\"index\":4,\"type\":\"t\",\"subject\":\"wl-4\"}],\"next\":null,\"treeSize\":5}");
        });
        Cli.Run r = run("audit", "tail", "-n", "2");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().lines().toList()).hasSize(3);
        assertThat(r.out()).contains("wl-3").contains("wl-4");
    }
}
