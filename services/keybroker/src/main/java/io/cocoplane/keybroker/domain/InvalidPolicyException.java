package io.cocoplane.keybroker.domain;

/** A release policy that does not compile to a CEL boolean expression, or is too long. */
public final class InvalidPolicyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** @param message the compiler's complaint */
    public InvalidPolicyException(String message) {
        super(message);
    }
}
