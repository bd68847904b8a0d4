package io.cocoplane.keybroker.domain;

/**
 * A stored secret cannot be opened: its data key is wrapped under an unknown master key, or a GCM tag does not verify
 * (the row was altered, moved to another path or version, or the wrong master key is configured).
 */
public final class SecretIntegrityException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message what failed (never key material) */
    public SecretIntegrityException(String message) {
        super(message);
    }

    /**
     * @param message what failed
     * @param cause   the JCA failure
     */
    public SecretIntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
