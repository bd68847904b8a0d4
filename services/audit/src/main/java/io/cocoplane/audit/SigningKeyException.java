package io.cocoplane.audit;

/**
 * The log's signing key cannot be loaded or stored: the configured file is unreadable, not PKCS#8 PEM, or not an
 * Ed25519 key (RFC 8410), or it cannot be written. Fails startup: the log never signs with an ephemeral key.
 */
public final class SigningKeyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what went wrong
     * @param cause   the underlying exception, or null
     */
    public SigningKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
