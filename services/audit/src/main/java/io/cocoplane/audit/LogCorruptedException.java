package io.cocoplane.audit;

/**
 * The stored tree is inconsistent with itself (the root folded from the stored nodes differs from the committed
 * root in {@code tree_state}), so the appender refuses to extend it. The event's delivery fails and, after the
 * eventing retries, it goes to the dead-letter topic, from where it can be replayed once the log is repaired.
 */
public final class LogCorruptedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what differs
     */
    public LogCorruptedException(String message) {
        super(message);
    }
}
