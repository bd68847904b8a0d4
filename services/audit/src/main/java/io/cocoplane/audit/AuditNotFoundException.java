package io.cocoplane.audit;

/**
 * The requested entry or checkpoint does not exist (yet). Answered with 404 and an RFC 9457 problem.
 */
public final class AuditNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was not found
     */
    public AuditNotFoundException(String message) {
        super(message);
    }
}
