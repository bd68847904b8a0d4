package io.cocoplane.kbsprotocol;

/**
 * A resource path violates the grammar of note §1.1 (exactly three {@code /}-separated segments, each matching {@code [A-Za-z0-9_-][A-Za-z0-9_.-]*}, at most {@link ResourcePath#MAX_SEGMENT_LENGTH} characters).
 */
public class InvalidResourcePathException extends KbsProtocolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the offending member or value
     */
    public InvalidResourcePathException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the offending member or value
     * @param cause   the underlying failure
     */
    public InvalidResourcePathException(String message, Throwable cause) {
        super(message, cause);
    }
}
