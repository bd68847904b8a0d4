package io.cocoplane.transparencylog;

/**
 * A signed note (c2sp.org/signed-note), checkpoint body (c2sp.org/tlog-checkpoint) or verifier/signer key string is not well formed, or exceeds a {@link NoteLimits} limit.
 */
public final class MalformedNoteException extends TransparencyLogException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     */
    public MalformedNoteException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause   the underlying exception
     */
    public MalformedNoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
