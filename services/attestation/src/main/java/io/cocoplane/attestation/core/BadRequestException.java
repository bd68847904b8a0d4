package io.cocoplane.attestation.core;

/**
 * A request to this service is malformed (not JSON, a missing or mistyped member, a bad base64 flavour, an unknown TEE
 * or hash algorithm, an invalid init-data document, a size or count limit exceeded). Answered as 400 problem+json.
 */
public class BadRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the member
     */
    public BadRequestException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the member
     * @param cause   the underlying failure
     */
    public BadRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
