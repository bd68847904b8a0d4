package io.cocoplane.kbsprotocol;

/**
 * Root of every exception this library throws on bad input or a failed protocol step. It is unchecked so callers can
 * let it travel up; catch a subclass to react to one failure class:
 * <ul>
 *   <li>{@link InvalidMessageException} — an RCAR message (note §2) is not valid JSON, misses a member, has a member of
 *       the wrong JSON type, a wrong base64 flavour, or exceeds a size limit;</li>
 *   <li>{@link InvalidTeePubKeyException} — a {@code tee-pubkey} JWK (note §2.3) is malformed or not on its curve;</li>
 *   <li>{@link InvalidResourcePathException} — a resource path violates the grammar of note §1.1;</li>
 *   <li>{@link JweException} — a resource {@code Response} JWE (note §2.4) cannot be built or decrypted, or uses a
 *       refused algorithm;</li>
 *   <li>{@link KbsClientException} — the KBS client failed (transport, timeout, unexpected status), with
 *       {@link KbsErrorResponseException} when the KBS answered with its {@code {type, detail}} error body.</li>
 * </ul>
 */
public class KbsProtocolException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the offending member or value
     */
    public KbsProtocolException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong, naming the offending member or value
     * @param cause   the underlying failure (Jackson, JCA, nimbus, I/O)
     */
    public KbsProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
