package io.cocoplane.kbsprotocol;

/**
 * An RCAR message (note §2 of kbs-attestation.md) is not valid JSON, lacks a required member, has a member of the wrong JSON type or base64 flavour, or exceeds a size/count limit of {@link RcarJson}.
 */
public class InvalidMessageException extends KbsProtocolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the offending member or value
     */
    public InvalidMessageException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the offending member or value
     * @param cause   the underlying failure
     */
    public InvalidMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}
