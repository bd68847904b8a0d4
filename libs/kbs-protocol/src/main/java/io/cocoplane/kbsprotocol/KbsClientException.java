package io.cocoplane.kbsprotocol;

/**
 * The {@link KbsClient} failed: I/O error, timeout, interruption, an evidence provider failure, or a response the
 * protocol does not allow (wrong status, missing {@code kbs-session-id} cookie, malformed body — the latter carries the
 * {@link InvalidMessageException}/{@link JweException} as cause). See {@link KbsErrorResponseException} for non-2xx
 * answers.
 */
public class KbsClientException extends KbsProtocolException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what failed, naming the endpoint
     */
    public KbsClientException(String message) {
        super(message);
    }

    /**
     * @param message what failed, naming the endpoint
     * @param cause   the underlying failure
     */
    public KbsClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
