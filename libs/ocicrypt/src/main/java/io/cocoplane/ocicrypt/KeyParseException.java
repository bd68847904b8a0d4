package io.cocoplane.ocicrypt;

/**
 * Thrown by {@link KeyMaterial} when a PEM, DER or JWK key cannot be parsed: unknown PEM type, corrupt encoding, wrong
 * or missing password for an encrypted key, an unsupported key algorithm (only RSA and EC are used by ocicrypt's JWE
 * scheme), or input above the size limit.
 */
public class KeyParseException extends OcicryptException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong with the key input
     */
    public KeyParseException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong with the key input
     * @param cause   the underlying parser failure
     */
    public KeyParseException(String message, Throwable cause) {
        super(message, cause);
    }
}
