package io.cocoplane.transparencylog;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * A c2sp.org/tlog-checkpoint checkpoint: the body of a signed note that commits to a log's tree size and root hash.
 *
 * <pre>
 * line 1: origin            ; unique log identity, non-empty (usually a schema-less URL)
 * line 2: tree size         ; ASCII decimal, no sign, no leading zero (except "0")
 * line 3: root hash         ; standard padded base64 of the 32-byte RFC 9162 root
 * line 4..: extension lines ; optional, each non-empty
 * </pre>
 * Every line ends with {@code "\n"}. The signed note around it is {@link SignedNote}; the note key name is
 * normally the origin. Tree sizes are limited to {@code 2^63 - 1} (Java {@code long}); larger sizes are rejected.
 *
 * @param origin     the log origin, non-empty, no control characters
 * @param treeSize   the number of leaves, {@code >= 0}
 * @param rootHash   the 32-byte root hash {@code MTH(D[0:treeSize])} (the record keeps a copy)
 * @param extensions extension lines without their newline, each non-empty (unmodifiable copy)
 */
public record Checkpoint(String origin, long treeSize, byte[] rootHash, List<String> extensions) {

    /**
     * @throws MalformedNoteException when the origin is empty or contains a newline/control character, the size is
     *                                negative, the root is not 32 bytes, or an extension line is empty or contains a
     *                                newline/control character
     */
    public Checkpoint {
        requireLine(origin, "origin");
        if (treeSize < 0) {
            throw new MalformedNoteException("tree size is negative");
        }
        if (rootHash == null || rootHash.length != MerkleHashes.HASH_SIZE) {
            throw new MalformedNoteException("root hash must be 32 bytes");
        }
        rootHash = rootHash.clone();
        extensions = List.copyOf(extensions == null ? List.of() : extensions);
        for (String e : extensions) {
            requireLine(e, "extension line");
        }
    }

    /**
     * A checkpoint without extension lines.
     *
     * @param origin   the log origin
     * @param treeSize the tree size
     * @param rootHash the 32-byte root hash
     * @throws MalformedNoteException see the canonical constructor
     */
    public Checkpoint(String origin, long treeSize, byte[] rootHash) {
        this(origin, treeSize, rootHash, List.of());
    }

    /**
     * @return a copy of the 32-byte root hash
     */
    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    /**
     * @return the note text: origin, size and base64 root, then the extension lines, each ending in {@code "\n"}
     */
    public String toNoteText() {
        StringBuilder sb = new StringBuilder();
        sb.append(origin).append('\n').append(treeSize).append('\n')
                .append(Base64.getEncoder().encodeToString(rootHash)).append('\n');
        for (String e : extensions) {
            sb.append(e).append('\n');
        }
        return sb.toString();
    }

    /**
     * Signs this checkpoint.
     *
     * @param signers at least one signer (the log key, optionally witnesses)
     * @return the signed note
     * @throws MalformedNoteException when no signer is given
     */
    public SignedNote sign(NoteSigner... signers) {
        return SignedNote.sign(toNoteText(), signers);
    }

    /**
     * Parses a checkpoint body (a note text).
     *
     * @param noteText the note text, ending with a newline
     * @return the checkpoint
     * @throws MalformedNoteException when there are fewer than three lines, the text does not end with a newline,
     *                                the size is not canonical decimal or exceeds {@code 2^63 - 1}, the root is not
     *                                canonical base64 of 32 bytes, or an extension line is empty
     */
    public static Checkpoint parse(String noteText) {
        if (noteText == null || !noteText.endsWith("\n")) {
            throw new MalformedNoteException("checkpoint text must end with a newline");
        }
        String[] lines = noteText.substring(0, noteText.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new MalformedNoteException("checkpoint needs origin, tree size and root hash lines");
        }
        long size = parseSize(lines[1]);
        byte[] root = NoteKeys.decodeBase64(lines[2], "root hash");
        List<String> ext = new ArrayList<>(Arrays.asList(lines).subList(3, lines.length));
        return new Checkpoint(lines[0], size, root, ext);
    }

    /**
     * Parses a signed checkpoint note, verifies it against trusted keys and checks its origin.
     *
     * @param note           the note bytes
     * @param expectedOrigin the origin the caller trusts this log to have
     * @param limits         parsing limits
     * @param verifiers      trusted verifiers (log key and/or witnesses)
     * @return the verified checkpoint
     * @throws MalformedNoteException     when the note or checkpoint body is malformed
     * @throws NoteVerificationException  when no trusted signature verifies, a trusted signature is bad, or the
     *                                    origin differs from {@code expectedOrigin}
     */
    public static Checkpoint verify(byte[] note, String expectedOrigin, NoteLimits limits,
            NoteVerifier... verifiers) {
        SignedNote signed = SignedNote.parse(note, limits);
        signed.verify(verifiers);
        Checkpoint cp = parse(signed.text());
        if (!cp.origin().equals(expectedOrigin)) {
            throw new NoteVerificationException("checkpoint origin \"" + cp.origin() + "\" is not the expected \""
                    + expectedOrigin + "\"");
        }
        return cp;
    }

    /**
     * @param o another object
     * @return true when all fields are equal (root compared by content)
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && c.origin.equals(origin) && c.treeSize == treeSize
                && Arrays.equals(c.rootHash, rootHash) && c.extensions.equals(extensions);
    }

    /**
     * @return a hash over all fields
     */
    @Override
    public int hashCode() {
        return ((origin.hashCode() * 31 + Long.hashCode(treeSize)) * 31 + Arrays.hashCode(rootHash)) * 31
                + extensions.hashCode();
    }

    /**
     * @return the note text
     */
    @Override
    public String toString() {
        return toNoteText();
    }

    private static long parseSize(String s) {
        if (s.isEmpty() || s.length() > 19 || s.length() > 1 && s.charAt(0) == '0') {
            throw new MalformedNoteException("tree size is not canonical decimal or exceeds 2^63-1");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new MalformedNoteException("tree size is not a decimal number");
            }
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new MalformedNoteException("tree size exceeds 2^63-1", e);
        }
    }

    private static void requireLine(String line, String what) {
        if (line == null || line.isEmpty()) {
            throw new MalformedNoteException(what + " is empty");
        }
        if (line.chars().anyMatch(Character::isISOControl)
                || line.getBytes(StandardCharsets.UTF_8).length > 64 * 1024) {
            throw new MalformedNoteException(what + " contains a control character or is too long");
        }
    }
}
