package io.cocoplane.eventing;

/**
 * A record that can never be handled: not a CloudEvent, an unknown data content type, data that does not parse or
 * does not validate against its schema, or a value over the size limit. Not retried: the record goes straight to the
 * dead-letter topic with this message as the reason, and the partition moves on.
 */
public class PoisonRecordException extends RuntimeException {

    /** @param message the reason, written to the dead-letter record's headers */
    public PoisonRecordException(String message) {
        super(message);
    }

    /**
     * @param message the reason
     * @param cause   the parse or validation failure
     */
    public PoisonRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
