package io.cocoplane.fuzz;

import static io.cocoplane.fuzz.Outcome.check;
import static io.cocoplane.fuzz.Outcome.refusedOr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.InMemoryNodeStore;
import io.cocoplane.transparencylog.InvalidProofException;
import io.cocoplane.transparencylog.MalformedNoteException;
import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleProofs;
import io.cocoplane.transparencylog.MerkleTree;
import io.cocoplane.transparencylog.NoteLimits;
import io.cocoplane.transparencylog.NoteSigner;
import io.cocoplane.transparencylog.NoteVerificationException;
import io.cocoplane.transparencylog.NoteVerifier;
import io.cocoplane.transparencylog.SignedNote;
import io.cocoplane.transparencylog.TreeRangeException;

/**
 * Fuzz targets for {@code libs/transparency-log}: what an auditor or witness receives from the audit log (signed
 * checkpoints, inclusion and consistency proofs). Documented refusals: {@link MalformedNoteException},
 * {@link NoteVerificationException}, {@link InvalidProofException}.
 */
class TransparencyLogFuzzTest {

    /** The log origin of the seeds' checkpoints. */
    static final String ORIGIN = "audit.cocoplane.example/fuzz";
    /** The log key that signed the seeds (deterministic Ed25519 seed). */
    static final NoteSigner LOG_KEY = NoteSigner.fromSeed(ORIGIN, CorpusSeeds.filled(32, 0x11));
    /** A witness key that cosigned some seeds. */
    static final NoteSigner WITNESS_KEY = NoteSigner.fromSeed("witness.example/fuzz", CorpusSeeds.filled(32, 0x22));

    private static final NoteVerifier LOG = LOG_KEY.verifier();
    private static final NoteVerifier WITNESS = WITNESS_KEY.verifier();
    /** Most leaves of the honest-prover tree. */
    private static final int MAX_LEAVES = 64;

    /** A signed checkpoint note: canonical parse, verification against the trusted log and witness keys. */
    @FuzzTest
    void signedCheckpoint(byte[] data) {
        SignedNote note = refusedOr(() -> SignedNote.parse(data), MalformedNoteException.class);
        if (note != null) {
            check(Arrays.equals(note.encode(), data), "a parsed note is not canonical");
            var verified = refusedOr(() -> note.verify(LOG, WITNESS), NoteVerificationException.class);
            check(verified == null || !verified.isEmpty(), "verified with no signature");
        }
        Checkpoint cp = refusedOr(() -> Checkpoint.verify(data, ORIGIN, NoteLimits.DEFAULT, LOG),
                MalformedNoteException.class, NoteVerificationException.class);
        if (cp != null) {
            check(cp.origin().equals(ORIGIN), "verified a checkpoint of another origin");
            check(cp.toNoteText().equals(note.text()), "checkpoint text does not round-trip");
        }
    }

    /** A checkpoint body: parse, canonical text, then sign, parse and verify the signed note. */
    @FuzzTest
    void checkpointBody(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        Checkpoint cp = refusedOr(() -> Checkpoint.parse(text), MalformedNoteException.class);
        if (cp == null) {
            return;
        }
        String canonical = cp.toNoteText();
        Checkpoint again = refusedOr(() -> Checkpoint.parse(canonical), MalformedNoteException.class);
        check(cp.equals(again), "checkpoint changed across toNoteText and parse: " + cp + " became " + again);
        SignedNote signed = refusedOr(() -> cp.sign(LOG_KEY), MalformedNoteException.class);
        if (signed == null) {
            return; // the body holds a character a note may not carry; the note layer refuses it
        }
        byte[] encoded = signed.encode();
        if (encoded.length > NoteLimits.DEFAULT.maxNoteBytes()) {
            return;
        }
        Checkpoint verified = refusedOr(() -> Checkpoint.verify(encoded, cp.origin(), NoteLimits.DEFAULT, LOG),
                MalformedNoteException.class);
        check(verified == null || verified.equals(cp), "signed checkpoint changed across verification");
    }

    /**
     * Proof verification with attacker-chosen numbers, hashes and paths. Frames: part 0 selects the proof kind (its
     * first byte modulo 4: inclusion, consistency, subtree inclusion, subtree consistency), parts 1–3 are big-endian
     * numbers, parts 4–5 hashes, the rest the proof path.
     */
    @FuzzTest
    void proofVerification(byte[] data) {
        List<byte[]> p = Frames.split(data, 6 + 70);
        long a = Frames.toLong(Frames.part(p, 1));
        long b = Frames.toLong(Frames.part(p, 2));
        long c = Frames.toLong(Frames.part(p, 3));
        byte[] h1 = Frames.part(p, 4);
        byte[] h2 = Frames.part(p, 5);
        List<byte[]> path = p.size() > 6 ? p.subList(6, p.size()) : List.of();
        byte[] kind = Frames.part(p, 0);
        refusedOr(() -> {
            switch ((kind.length == 0 ? 0 : kind[0] & 0xff) % 4) {
                case 0 -> {
                    MerkleProofs.verifyInclusion(a, b, h1, path, h2);
                    check(MerkleProofs.rootFromInclusionProof(a, b, h1, path).length == 32, "root is not 32 bytes");
                }
                case 1 -> MerkleProofs.verifyConsistency(a, b, h1, h2, path);
                case 2 -> MerkleProofs.verifySubtreeInclusion(a, b, c, h1, path, h2);
                default -> MerkleProofs.verifySubtreeConsistency(a, b, c, h1, h2, path);
            }
            return Boolean.TRUE;
        }, InvalidProofException.class);
    }

    /**
     * The honest prover: a tree of up to {@value #MAX_LEAVES} leaves from the input (frames after part 0), with the
     * sizes and indexes taken from part 0. Every proof the tree hands out must verify; one flipped bit must not.
     */
    @FuzzTest
    void honestProofs(byte[] data) {
        List<byte[]> p = Frames.split(data, 1 + MAX_LEAVES);
        if (p.size() < 2) {
            return;
        }
        MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
        p.subList(1, p.size()).forEach(tree::append);
        long n = tree.size();
        byte[] ctl = Arrays.copyOf(Frames.part(p, 0), 4);
        long size2 = 1 + (ctl[0] & 0xff) % n;
        long size1 = 1 + (ctl[1] & 0xff) % size2;
        long leaf = (ctl[2] & 0xff) % size2;
        byte[] root1 = tree.rootHash(size1);
        byte[] root2 = tree.rootHash(size2);
        List<byte[]> inclusion = tree.inclusionProof(leaf, size2);
        MerkleProofs.verifyInclusion(leaf, size2, tree.leafHash(leaf), inclusion, root2);
        List<byte[]> consistency = tree.consistencyProof(size1, size2);
        MerkleProofs.verifyConsistency(size1, size2, root1, root2, consistency);
        if (!inclusion.isEmpty()) {
            List<byte[]> bad = new java.util.ArrayList<>(inclusion);
            byte[] first = bad.get(0).clone();
            first[ctl[3] & 31] ^= 1;
            bad.set(0, first);
            check(refusedOr(() -> {
                MerkleProofs.verifyInclusion(leaf, size2, tree.leafHash(leaf), bad, root2);
                return Boolean.TRUE;
            }, InvalidProofException.class) == null, "a tampered inclusion proof verified");
        }
        // the subtree of the leaf's aligned power-of-two block inside size2
        long width = Long.highestOneBit(size2);
        while (width > 1 && (leaf / width) * width + width > size2) {
            width >>= 1;
        }
        long start = (leaf / width) * width;
        long end = start + width;
        byte[] subtree = tree.subtreeHash(start, end);
        MerkleProofs.verifySubtreeInclusion(leaf, start, end, tree.leafHash(leaf),
                tree.subtreeInclusionProof(leaf, start, end), subtree);
        MerkleProofs.verifySubtreeConsistency(start, end, size2, subtree, root2,
                tree.subtreeConsistencyProof(start, end, size2));
        check(Arrays.equals(MerkleHashes.leafHash(p.get(1)), tree.leafHash(0)), "leaf hash differs");
        refusedOr(() -> tree.inclusionProof(size2, size2), TreeRangeException.class);
    }
}
