package io.cocoplane.kbsprotocol;

/**
 * A {@code tee-pubkey} JWK (note §2.3) is malformed: unknown {@code kty}/{@code crv}/{@code alg}, a coordinate of the wrong length or base64 flavour, a point not on its curve, or an RSA modulus outside the accepted size range.
 */
public class InvalidTeePubKeyException extends KbsProtocolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the offending member or value
     */
    public InvalidTeePubKeyException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the offending member or value
     * @param cause   the underlying failure
     */
    public InvalidTeePubKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
