package io.cocoplane.ocicrypt;

/**
 * Thrown when the layer's private options cannot be recovered from any key-wrap annotation with the keys at hand:
 * no JWE recipient matches any supplied private key (wrong key, or RSA-OAEP / AES-GCM authentication failure), the
 * {@link KeyResolver} knows no KEK for a CoCo packet's {@code kid}, or AES-256-GCM unwrapping of the packet fails. The
 * message mirrors ocicrypt's "no suitable key unwrapper found or none of the private keys could be used for
 * decryption" and never contains key material.
 */
public class KeyUnwrapException extends OcicryptException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message why no key could unwrap
     */
    public KeyUnwrapException(String message) {
        super(message);
    }

    /**
     * @param message why no key could unwrap
     * @param cause   the last underlying crypto failure
     */
    public KeyUnwrapException(String message, Throwable cause) {
        super(message, cause);
    }
}
