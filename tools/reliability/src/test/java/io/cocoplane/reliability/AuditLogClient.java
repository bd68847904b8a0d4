package io.cocoplane.reliability;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleProofs;
import io.cocoplane.transparencylog.NoteLimits;
import io.cocoplane.transparencylog.NoteVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and checks the audit service's log over its own port ({@code services/audit}, {@code /api/v1/audit}):
 * entries by type, the signed checkpoint verified against {@code /public-key} and the expected origin, and RFC 9162
 * inclusion (§2.1.3) and consistency (§2.1.4) proofs verified locally with {@code libs/transparency-log}.
 */
final class AuditLogClient {

    /** One leaf of the log as the fault suite needs it. */
    record Leaf(long index, String eventId, String subject, byte[] leaf, JsonNode event) {
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Base64.Decoder B64 = Base64.getDecoder();

    private final String base;
    private final String origin;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param auditPort the audit service's HTTP port
     * @param origin    the log origin the checkpoints must carry
     */
    AuditLogClient(int auditPort, String origin) {
        this.base = "http://127.0.0.1:" + auditPort + "/api/v1/audit";
        this.origin = origin;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws Exception {
        return http.send(b.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String get(String path) throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + path)));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /**
     * @return the latest checkpoint, its signature verified with the log's key and its origin checked; empty when
     *         none was signed yet (404)
     */
    Optional<Checkpoint> checkpoint() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/checkpoint")));
        if (r.statusCode() == 404) {
            return Optional.empty();
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /checkpoint: " + r.statusCode() + " " + r.body());
        }
        NoteVerifier key = NoteVerifier.parse(get("/public-key").strip());
        return Optional.of(Checkpoint.verify(r.body().getBytes(StandardCharsets.UTF_8), origin, NoteLimits.DEFAULT,
                key));
    }

    /**
     * Every entry of a CloudEvents type after an index, 1000 per page.
     *
     * @param type  CloudEvents type, e.g. {@code io.cocoplane.key.resource-updated.v1}
     * @param after exclusive index cursor, or -1 for all
     * @return the entries in index order, with the decoded CloudEvent JSON of each leaf
     */
    List<Leaf> entries(String type, long after) throws Exception {
        List<Leaf> all = new ArrayList<>();
        Long cursor = after < 0 ? null : after;
        while (true) {
            JsonNode page = JSON.readTree(get("/entries?limit=1000&type=" + type
                    + (cursor == null ? "" : "&after=" + cursor)));
            for (JsonNode e : page.path("entries")) {
                byte[] leaf = B64.decode(e.path("leaf").asString());
                all.add(new Leaf(e.path("index").asLong(), e.path("eventId").asString(),
                        e.path("subject").asString(""), leaf, JSON.readTree(leaf)));
            }
            JsonNode next = page.get("next");
            if (next == null || next.isNull() || page.path("entries").isEmpty()) {
                return all;
            }
            cursor = next.asLong();
        }
    }

    /**
     * Checks that a leaf is in the tree of a verified checkpoint: its hash is recomputed from the leaf bytes
     * (RFC 9162 §2.1.1) and its audit path is verified against the checkpoint's root.
     *
     * @throws io.cocoplane.transparencylog.InvalidProofException when the proof does not verify
     * @throws IllegalStateException when the served leaf hash differs from the recomputed one
     */
    void verifyInclusion(Leaf leaf, Checkpoint cp) throws Exception {
        JsonNode p = JSON.readTree(get("/proofs/inclusion?index=" + leaf.index() + "&treeSize=" + cp.treeSize()));
        byte[] hash = MerkleHashes.leafHash(leaf.leaf());
        if (!java.util.Arrays.equals(hash, B64.decode(p.path("leafHash").asString()))) {
            throw new IllegalStateException("leaf " + leaf.index() + ": served leaf hash differs from SHA-256(0x00 || leaf)");
        }
        MerkleProofs.verifyInclusion(leaf.index(), cp.treeSize(), hash, hashes(p), cp.rootHash());
    }

    /**
     * Checks that the later checkpoint's tree extends the earlier one's (append-only).
     *
     * @throws io.cocoplane.transparencylog.InvalidProofException when the proof does not verify
     */
    void verifyConsistency(Checkpoint earlier, Checkpoint later) throws Exception {
        if (earlier.treeSize() == later.treeSize()) {
            if (!java.util.Arrays.equals(earlier.rootHash(), later.rootHash())) {
                throw new IllegalStateException("two checkpoints of size " + later.treeSize() + " differ in root");
            }
            return;
        }
        JsonNode p = JSON.readTree(get("/proofs/consistency?from=" + earlier.treeSize() + "&to=" + later.treeSize()));
        MerkleProofs.verifyConsistency(earlier.treeSize(), later.treeSize(), earlier.rootHash(), later.rootHash(),
                hashes(p));
    }

    /** @return the report of {@code POST /integrity-check} (the service re-hashes every leaf and node) */
    JsonNode integrityCheck() throws Exception {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(base + "/integrity-check"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        if (r.statusCode() != 200) {
            throw new IllegalStateException("POST /integrity-check: " + r.statusCode() + " " + r.body());
        }
        return JSON.readTree(r.body());
    }

    private static List<byte[]> hashes(JsonNode proof) {
        List<byte[]> l = new ArrayList<>();
        proof.path("hashes").forEach(h -> l.add(B64.decode(h.asString())));
        return l;
    }
}
