package io.cocoplane.transparencylog;

/**
 * An inclusion, consistency, subtree inclusion or subtree consistency proof was rejected: wrong proof length, a hash that is not 32 bytes, an invalid subtree or size combination, or a root that does not match the one recomputed from the proof (RFC 9162 §2.1.3.2, §2.1.4.2; draft-ietf-plants-merkle-tree-certs subtree proofs).
 */
public final class InvalidProofException extends TransparencyLogException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     */
    public InvalidProofException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause   the underlying exception
     */
    public InvalidProofException(String message, Throwable cause) {
        super(message, cause);
    }
}
