package io.cocoplane.transparencylog;

/**
 * A leaf index, tree size or subtree range passed to {@link MerkleTree} lies outside the tree (for example an index not below the tree size, a size larger than the current size, or an invalid subtree), or the tree is full (2^63 - 1 leaves).
 */
public final class TreeRangeException extends TransparencyLogException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong
     */
    public TreeRangeException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause   the underlying exception
     */
    public TreeRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
