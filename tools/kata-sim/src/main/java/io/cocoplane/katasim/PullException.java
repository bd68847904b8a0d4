package io.cocoplane.katasim;

/** A registry pull failed; the message says what (HTTP status, digest mismatch, size, authorization). */
final class PullException extends Exception {

    private static final long serialVersionUID = 1L;

    PullException(String message) {
        super(message);
    }

    PullException(String message, Throwable cause) {
        super(message, cause);
    }
}
