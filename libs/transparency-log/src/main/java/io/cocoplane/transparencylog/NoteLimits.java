package io.cocoplane.transparencylog;

/**
 * Limits applied while parsing a signed note ({@link SignedNote#parse(byte[], NoteLimits)}), so that a note from
 * outside cannot make the parser do unbounded work.
 *
 * @param maxNoteBytes  largest accepted note, in bytes of UTF-8 (text, blank line and signature lines), {@code >= 1}
 * @param maxTextLines  largest number of newline-terminated lines in the note text, {@code >= 1}
 * @param maxSignatures largest number of signature lines, {@code >= 1}
 */
public record NoteLimits(int maxNoteBytes, int maxTextLines, int maxSignatures) {

    /**
     * Defaults sized for checkpoints: 64 KiB, 1024 text lines, 100 signatures (the signature cap of the Go
     * {@code golang.org/x/mod/sumdb/note} reference implementation).
     */
    public static final NoteLimits DEFAULT = new NoteLimits(64 * 1024, 1024, 100);

    /**
     * @throws MalformedNoteException when a limit is below 1
     */
    public NoteLimits {
        if (maxNoteBytes < 1 || maxTextLines < 1 || maxSignatures < 1) {
            throw new MalformedNoteException("note limits must be positive: " + maxNoteBytes + ", " + maxTextLines
                    + ", " + maxSignatures);
        }
    }
}
