package io.cocoplane.ocicrypt;

/**
 * Base of the checked exceptions thrown by this library when an ocicrypt annotation, key, packet or manifest cannot be
 * used. Stream-time failures of a layer (HMAC mismatch, truncation) are {@link LayerIntegrityException}s instead,
 * because they surface from {@link java.io.InputStream#read()} and must therefore be {@link java.io.IOException}s.
 */
public class OcicryptException extends Exception {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the field or annotation concerned
     */
    public OcicryptException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the field or annotation concerned
     * @param cause   the underlying parser or crypto failure
     */
    public OcicryptException(String message, Throwable cause) {
        super(message, cause);
    }
}
