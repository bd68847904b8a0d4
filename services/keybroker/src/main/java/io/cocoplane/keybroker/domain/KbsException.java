package io.cocoplane.keybroker.domain;

/**
 * A refusal of the key broker, rendered as the trustee error body {@code {"type":".../errors/<variant>","detail"}}
 * (note §1.4) with an honest HTTP status instead of trustee's blanket 401 (hazard §10 #7): 400 malformed message,
 * 401 unauthenticated (no, bad or expired token; failed attestation), 403 policy denial or admin role not allowed,
 * 404 unknown path or resource, 413 body too large, 429 too many sessions, 503 attestation service unavailable.
 * The detail never contains secret material.
 */
public final class KbsException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final String variant;

    /**
     * @param status  HTTP status
     * @param variant trustee error variant name (or a cocoplane one), e.g. {@code PolicyDeny}
     * @param detail  human-readable detail
     */
    public KbsException(int status, String variant, String detail) {
        super(detail);
        this.status = status;
        this.variant = variant;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the variant name */
    public String variant() {
        return variant;
    }

    /** @return 400 {@code SerdeError}: the body is not the expected message */
    public static KbsException malformed(String detail) {
        return new KbsException(400, "SerdeError", detail);
    }

    /** @return 404 {@code InvalidRequestPath}: the path is not {@code repository/type/tag} of note §1.1 */
    public static KbsException invalidPath(String detail) {
        return new KbsException(404, "InvalidRequestPath", detail);
    }

    /** @return 404 {@code PluginNotFound}: no such endpoint under {@code /kbs/v0/} */
    public static KbsException pluginNotFound(String detail) {
        return new KbsException(404, "PluginNotFound", detail);
    }

    /** @return 404 {@code ResourceNotFound}: the path is valid but nothing is stored there */
    public static KbsException resourceNotFound(String detail) {
        return new KbsException(404, "ResourceNotFound", detail);
    }

    /** @return 401 {@code TokenNotFound}: neither an attested session cookie nor a bearer token */
    public static KbsException tokenNotFound(String detail) {
        return new KbsException(401, "TokenNotFound", detail);
    }

    /** @return 401 {@code TokenVerifierError}: the EAR token failed verification */
    public static KbsException tokenInvalid(String detail) {
        return new KbsException(401, "TokenVerifierError", detail);
    }

    /** @return 401 {@code AttestationError}: the handshake or the evidence was refused */
    public static KbsException attestation(String detail) {
        return new KbsException(401, "AttestationError", detail);
    }

    /** @return 403 {@code PolicyDeny}: the release policy said no */
    public static KbsException policyDeny(String detail) {
        return new KbsException(403, "PolicyDeny", detail);
    }

    /** @return 401 {@code AdminAuthAccess}: the admin caller is not authenticated */
    public static KbsException adminUnauthenticated(String detail) {
        return new KbsException(401, "AdminAuthAccess", detail);
    }

    /** @return 403 {@code AdminAuthAccess}: the admin caller's role may not use this endpoint */
    public static KbsException adminForbidden(String detail) {
        return new KbsException(403, "AdminAuthAccess", detail);
    }

    /** @return 413 {@code PayloadTooLarge} */
    public static KbsException tooLarge(String detail) {
        return new KbsException(413, "PayloadTooLarge", detail);
    }

    /** @return 429 {@code TooManySessions} */
    public static KbsException tooManySessions(String detail) {
        return new KbsException(429, "TooManySessions", detail);
    }

    /** @return 503 {@code AttestationServiceUnavailable} */
    public static KbsException unavailable(String detail) {
        return new KbsException(503, "AttestationServiceUnavailable", detail);
    }
}
