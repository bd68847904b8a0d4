package io.cocoplane.registry.auth;

/** A bearer token that is malformed, badly signed, expired, or issued for another service or by another issuer. */
public class InvalidTokenException extends Exception {

    /** @param message why the token was refused (no token content) */
    public InvalidTokenException(String message) {
        super(message);
    }
}
