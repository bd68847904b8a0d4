package io.cocoplane.audit;

/**
 * Another integrity check holds the lock for longer than a caller is willing to wait. Answered with 503.
 */
public final class IntegrityCheckBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what is busy
     */
    public IntegrityCheckBusyException(String message) {
        super(message);
    }
}
