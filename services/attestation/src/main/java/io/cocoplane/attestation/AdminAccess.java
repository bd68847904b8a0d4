package io.cocoplane.attestation;

import io.cocoplane.attestation.core.AdminAuthenticationException;
import io.cocoplane.attestation.core.AdminTokenVerifier;

/**
 * The admin API gate: a configured {@link AdminTokenVerifier}, or none — then every call is refused (closed by
 * default).
 */
public final class AdminAccess {

    private final AdminTokenVerifier verifier;

    /**
     * @param verifier the verifier, or {@code null} when no admin key is configured
     */
    public AdminAccess(AdminTokenVerifier verifier) {
        this.verifier = verifier;
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @return the admin's name
     * @throws AdminAuthenticationException when closed or the token is not acceptable
     */
    public String authenticate(String authorization) {
        if (verifier == null) {
            throw new AdminAuthenticationException("the admin API is closed: no admin public key is configured");
        }
        return verifier.authenticate(authorization);
    }
}
