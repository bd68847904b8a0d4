package io.cocoplane.ocicrypt;

/**
 * Thrown from {@code read()} of a decrypting layer stream when the ciphertext ends before (or runs past) the size
 * announced by the layer descriptor. Without a known size a truncated stream is reported as an HMAC mismatch, i.e. a
 * plain {@link LayerIntegrityException}.
 */
public class LayerTruncatedException extends LayerIntegrityException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message expected and actual byte counts
     */
    public LayerTruncatedException(String message) {
        super(message);
    }
}
