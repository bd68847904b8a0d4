package io.cocoplane.ocicrypt;

/**
 * Thrown when an ocicrypt structure is syntactically or semantically invalid: bad base64, bad JSON, a missing or
 * wrongly-sized field (for example a nonce that is not 16 bytes), an unsupported cipher, wrap type or media type, or a
 * size or count above this library's limits. Also used for OCI manifests handed to {@link ManifestInspector}.
 */
public class MalformedAnnotationException extends OcicryptException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the field or annotation concerned
     */
    public MalformedAnnotationException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the field or annotation concerned
     * @param cause   the underlying parser failure
     */
    public MalformedAnnotationException(String message, Throwable cause) {
        super(message, cause);
    }
}
