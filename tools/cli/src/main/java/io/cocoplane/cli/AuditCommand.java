package io.cocoplane.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleProofs;
import io.cocoplane.transparencylog.NoteLimits;
import io.cocoplane.transparencylog.NoteVerifier;
import io.cocoplane.transparencylog.TransparencyLogException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cococtl audit tail|verify|prove}: the audit log through {@code /api/v1/audit} (role auditor), verified on
 * this machine with libs/transparency-log.
 *
 * <p>Trust: the log's note verifier key ({@code <origin>+<hex8>+<base64>}, c2sp.org/signed-note) is taken from
 * {@code --public-key}, else from the remembered state, else (trust on first use, with a warning) from
 * {@code GET /api/v1/audit/public-key}. The checkpoint's origin must equal the key name (or {@code --origin}).
 * {@code verify} remembers the verified checkpoint (size and root) and the key in {@code audit-state.json} of the
 * configuration directory; the next {@code verify} checks an RFC 9162 §2.1.4 consistency proof from it to the new
 * checkpoint, so a log that rewrote or dropped history is detected.
 */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "Read and verify the audit log.",
        subcommands = {AuditCommand.Tail.class, AuditCommand.Verify.class, AuditCommand.Prove.class})
final class AuditCommand {

    static final String BASE = "/api/v1/audit";

    static final List<Output.Column> COLUMNS = List.of(new Output.Column("INDEX", "index"),
            new Output.Column("TIME", "time"), new Output.Column("TYPE", "type"),
            new Output.Column("SUBJECT", "subject"), new Output.Column("EVENT-ID", "eventId"));

    private AuditCommand() {
    }

    /** Key options shared by verify and prove. */
    abstract static class Verifying extends BaseCommand {
        @Option(names = "--public-key", paramLabel = "KEY|@FILE",
                description = "Pin the log's verifier key (<origin>+<hex8>+<base64>), or read it from @FILE.")
        String publicKey;

        @Option(names = "--origin", description = "Expected checkpoint origin (default: the key name).")
        String origin;

        NoteVerifier resolveKey(ObjectNode state) throws IOException {
            String remembered = Json.text(state, "verifierKey");
            if (publicKey != null) {
                String k = publicKey.startsWith("@") ? Files.readString(Path.of(publicKey.substring(1))).strip()
                        : publicKey.strip();
                NoteVerifier v = parseKey(k);
                if (remembered != null && !remembered.equals(v.verifierKey())) {
                    throw new CliException(ExitCodes.VERIFICATION_FAILED, "--public-key differs from the key "
                            + "remembered in " + ConfigStore.AUDIT_STATE_FILE + " (" + remembered
                            + "); use verify --reset to start over with the new key");
                }
                return v;
            }
            if (remembered != null) {
                return parseKey(remembered);
            }
            String served = gateway().get(BASE + "/public-key").text().strip();
            NoteVerifier v = parseKey(served);
            err().println("WARNING: trusting the log key served by the gateway on first use: " + v.verifierKey()
                    + " (pin it with --public-key)");
            return v;
        }

        private NoteVerifier parseKey(String k) {
            try {
                return NoteVerifier.parse(k);
            } catch (TransparencyLogException e) {
                throw new CliException(ExitCodes.USAGE, "not a note verifier key: " + e.getMessage(), e);
            }
        }

        Checkpoint fetchCheckpoint(NoteVerifier v) {
            byte[] note = gateway().get(BASE + "/checkpoint").body();
            String expected = origin != null ? origin : v.name();
            try {
                return Checkpoint.verify(note, expected, NoteLimits.DEFAULT, v);
            } catch (TransparencyLogException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "checkpoint rejected: " + e.getMessage(), e);
            }
        }

        /** Verifies that entry {@code index} is in the tree of the checkpoint; returns the entry. */
        JsonNode verifyEntry(long index, Checkpoint cp) {
            JsonNode entry = gateway().getJson(BASE + "/entries/" + index);
            byte[] leaf = b64(Json.text(entry, "leaf"), "entry leaf");
            byte[] leafHash = MerkleHashes.leafHash(leaf);
            String served = Json.text(entry, "leafHash");
            if (served != null && !Arrays.equals(b64(served, "leafHash"), leafHash)) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "entry " + index
                        + ": served leafHash is not SHA-256(0x00 || leaf)");
            }
            if (entry.path("index").asLong(-1) != index) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "asked for entry " + index + ", got "
                        + entry.path("index"));
            }
            JsonNode proof = gateway().getJson(BASE + "/proofs/inclusion?index=" + index + "&treeSize="
                    + cp.treeSize());
            try {
                MerkleProofs.verifyInclusion(index, cp.treeSize(), leafHash, hashes(proof), cp.rootHash());
            } catch (TransparencyLogException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "inclusion proof of entry " + index
                        + " in tree size " + cp.treeSize() + " rejected: " + e.getMessage(), e);
            }
            return entry;
        }

        static List<byte[]> hashes(JsonNode proof) {
            JsonNode h = proof.get("hashes");
            if (h == null || !h.isArray() || h.size() > MerkleProofs.MAX_PROOF_SIZE) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "proof has no valid 'hashes' list");
            }
            List<byte[]> out = new ArrayList<>();
            for (JsonNode n : h) {
                out.add(b64(n.isString() ? n.asString() : null, "proof hash"));
            }
            return out;
        }

        static byte[] b64(String s, String what) {
            if (s == null) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, what + " missing");
            }
            try {
                return Base64.getDecoder().decode(s);
            } catch (IllegalArgumentException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, what + " is not base64");
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify the latest signed checkpoint, its consistency with the last verified one "
                    + "(remembered in the configuration directory) and the inclusion of the newest entry.",
                    "Exit 4 when any check fails; nothing is remembered then."})
    static final class Verify extends Verifying {
        @Option(names = "--reset", description = "Forget the remembered checkpoint and key first.")
        boolean reset;

        @Option(names = "--no-inclusion", negatable = true,
                description = "Skip the inclusion proof of the newest entry.")
        boolean inclusion = true;

        @Override
        public Integer call() throws IOException {
            ConfigStore store = root().config();
            ObjectNode state = reset ? Json.object() : store.read(ConfigStore.AUDIT_STATE_FILE);
            NoteVerifier v = resolveKey(state);
            Checkpoint cp = fetchCheckpoint(v);
            progress("checkpoint " + cp.origin() + " size " + cp.treeSize() + ": signature OK");
            ObjectNode result = Json.object();
            result.put("origin", cp.origin());
            result.put("treeSize", cp.treeSize());
            result.put("rootHash", Base64.getEncoder().encodeToString(cp.rootHash()));
            result.put("verifierKey", v.verifierKey());
            if (state.has("treeSize") && cp.origin().equals(Json.text(state, "origin"))) {
                long oldSize = state.path("treeSize").asLong();
                byte[] oldRoot = b64(Json.text(state, "rootHash"), "remembered root");
                checkConsistency(oldSize, oldRoot, cp);
                result.put("consistentWith", oldSize);
            } else {
                result.putNull("consistentWith");
            }
            if (inclusion && cp.treeSize() > 0) {
                verifyEntry(cp.treeSize() - 1, cp);
                progress("entry " + (cp.treeSize() - 1) + ": inclusion proof OK");
                result.put("entryChecked", cp.treeSize() - 1);
            }
            ObjectNode newState = Json.object();
            newState.put("verifierKey", v.verifierKey());
            newState.put("origin", cp.origin());
            newState.put("treeSize", cp.treeSize());
            newState.put("rootHash", Base64.getEncoder().encodeToString(cp.rootHash()));
            newState.put("verifiedAt", Instant.now().toString());
            store.write(ConfigStore.AUDIT_STATE_FILE, newState);
            String consistency = result.get("consistentWith").isNull() ? "first verified checkpoint"
                    : "consistent with the remembered size " + result.get("consistentWith").asLong();
            output().message("audit log " + cp.origin() + " verified: size " + cp.treeSize() + ", "
                    + consistency, result);
            return ExitCodes.OK;
        }

        private void checkConsistency(long oldSize, byte[] oldRoot, Checkpoint cp) {
            if (cp.treeSize() < oldSize) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "the log shrank: remembered size " + oldSize
                        + ", checkpoint size " + cp.treeSize());
            }
            if (cp.treeSize() == oldSize) {
                if (!Arrays.equals(oldRoot, cp.rootHash())) {
                    throw new CliException(ExitCodes.VERIFICATION_FAILED, "same size " + oldSize
                            + " but a different root hash than remembered: the log forked");
                }
                return;
            }
            if (oldSize == 0) {
                return;
            }
            JsonNode proof = gateway().getJson(BASE + "/proofs/consistency?from=" + oldSize + "&to=" + cp.treeSize());
            try {
                MerkleProofs.verifyConsistency(oldSize, cp.treeSize(), oldRoot, cp.rootHash(), hashes(proof));
            } catch (TransparencyLogException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "consistency proof from size " + oldSize
                        + " to " + cp.treeSize() + " rejected: " + e.getMessage(), e);
            }
            progress("consistency " + oldSize + " -> " + cp.treeSize() + ": proof OK");
        }
    }

    @Command(name = "prove", mixinStandardHelpOptions = true,
            description = "Verify that an entry is in the log: signed checkpoint plus RFC 9162 inclusion proof.")
    static final class Prove extends Verifying {
        @Parameters(paramLabel = "INDEX", description = "Leaf index (0-based).")
        long index;

        @Override
        public Integer call() throws IOException {
            if (index < 0) {
                throw usage("INDEX must be >= 0");
            }
            NoteVerifier v = resolveKey(root().config().read(ConfigStore.AUDIT_STATE_FILE));
            Checkpoint cp = fetchCheckpoint(v);
            if (index >= cp.treeSize()) {
                throw new CliException(ExitCodes.NOT_FOUND, "entry " + index + " is not in the checkpoint of size "
                        + cp.treeSize());
            }
            JsonNode entry = verifyEntry(index, cp);
            ObjectNode result = Json.object();
            result.put("index", index);
            result.put("treeSize", cp.treeSize());
            result.put("rootHash", Base64.getEncoder().encodeToString(cp.rootHash()));
            result.set("entry", entry);
            output().message("entry " + index + " (" + Json.text(entry, "type") + ", " + Json.text(entry, "subject")
                    + ") is included in checkpoint " + cp.origin() + " size " + cp.treeSize(), result);
            return ExitCodes.OK;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = "Show the newest entries; --follow keeps polling for new ones.")
    static final class Tail extends BaseCommand {
        @Option(names = {"-n", "--limit"}, description = "How many entries (1..1000, default 20).")
        int limit = 20;
        @Option(names = "--subject", description = "Only entries with this subject.")
        String subject;
        @Option(names = "--type", description = "Only entries with this CloudEvents type.")
        String type;
        @Option(names = {"-f", "--follow"}, description = "Keep polling for new entries (until interrupted).")
        boolean follow;
        @Option(names = "--interval", converter = DurationConverter.class, paramLabel = "DURATION",
                description = "Polling interval with --follow (default: 2s).")
        Duration interval = Duration.ofSeconds(2);

        @Override
        public Integer call() throws InterruptedException {
            if (limit < 1 || limit > 1000) {
                throw usage("--limit must be 1..1000");
            }
            String filter = (subject == null ? "" : "&subject=" + GatewayClient.enc(subject))
                    + (type == null ? "" : "&type=" + GatewayClient.enc(type));
            // learn the size, then read the last `limit` entries (after is exclusive)
            long size = gateway().getJson(BASE + "/entries?limit=1" + filter).path("treeSize").asLong(0);
            // with a filter the newest matches may lie anywhere: page from the start and keep the newest
            Long after = filter.isEmpty() && size - limit - 1 >= 0 ? size - limit - 1 : null;
            ArrayNode all = Json.MAPPER.createArrayNode();
            Long last = after;
            while (true) {
                JsonNode page = gateway().getJson(BASE + "/entries?limit=" + limit + filter
                        + (last == null ? "" : "&after=" + last));
                JsonNode entries = page.path("entries");
                if (!follow) {
                    entries.forEach(all::add);
                    // keep only the newest `limit`
                    while (all.size() > limit) {
                        all.remove(0);
                    }
                } else if (!entries.isEmpty()) {
                    output().list(entries, COLUMNS);
                }
                for (JsonNode e : entries) {
                    last = e.path("index").asLong();
                }
                JsonNode next = page.get("next");
                if (next != null && !next.isNull()) {
                    continue;
                }
                if (!follow) {
                    break;
                }
                Thread.sleep(interval.toMillis());
            }
            output().list(all, COLUMNS);
            return ExitCodes.OK;
        }
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
