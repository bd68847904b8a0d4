package io.cocoplane.attestation.core;

/**
 * An admin API call is not authenticated: no admin key is configured (the API is closed), the {@code Authorization}
 * header is missing or not {@code Bearer}, or the JWT is malformed, not EdDSA, badly signed, expired, for another
 * issuer/audience, or lacks {@code "role":"admin"}. Answered as 401 with {@code WWW-Authenticate: Bearer}.
 */
public class AdminAuthenticationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message why (safe to return to the caller)
     */
    public AdminAuthenticationException(String message) {
        super(message);
    }
}
