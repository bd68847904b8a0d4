package io.cocoplane.ocicrypt;

import java.io.IOException;

/**
 * Thrown from {@code read()} of a decrypting layer stream ({@link LayerCipher#decrypt}) when the layer is not authentic:
 * the HMAC-SHA256 over the ciphertext differs from the {@code hmac} of the public options, or the sha256 of the
 * plaintext differs from the {@code digest} of the private options. It is an {@link IOException} because it surfaces
 * through {@link java.io.InputStream}. As in ocicrypt (registry note §3.5), up to all but the last held-back bytes may
 * already have been handed to the consumer, which must discard them.
 */
public class LayerIntegrityException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message which check failed
     */
    public LayerIntegrityException(String message) {
        super(message);
    }
}
