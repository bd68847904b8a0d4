package io.cocoplane.kbsprotocol;

/**
 * A resource {@code Response} JWE (note §2.4) could not be built or decrypted: refused or unknown {@code alg}/{@code enc}, a malformed protected header, a wrong key type for the header, a wrong field length, or an authentication (GCM tag / key unwrap) failure.
 */
public class JweException extends KbsProtocolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the offending member or value
     */
    public JweException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the offending member or value
     * @param cause   the underlying failure
     */
    public JweException(String message, Throwable cause) {
        super(message, cause);
    }
}
