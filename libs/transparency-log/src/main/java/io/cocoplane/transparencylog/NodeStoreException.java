package io.cocoplane.transparencylog;

/**
 * The {@link NodeStore} behind a {@link MerkleTree} lacks a node hash that a tree of the recorded size must hold, or returned a value that is not a 32-byte hash: the stored state is inconsistent with the tree size.
 */
public final class NodeStoreException extends TransparencyLogException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     */
    public NodeStoreException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause   the underlying exception
     */
    public NodeStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
