package io.cocoplane.transparencylog;

/**
 * A signed note could not be verified: no signature line from a trusted key verified, or a signature line that names a trusted key (same key name and key ID) carries a signature that does not verify, or the checkpoint origin is not the expected one.
 */
public final class NoteVerificationException extends TransparencyLogException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     */
    public NoteVerificationException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause   the underlying exception
     */
    public NoteVerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
