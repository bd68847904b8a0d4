package io.cocoplane.transparencylog;

/**
 * Base class of every exception this library throws on bad input or a failed check. It is unchecked so that a
 * service can let it travel to its error mapper; the subclasses say what went wrong:
 * <ul>
 * <li>{@link InvalidProofException}: an inclusion or consistency proof (RFC 9162 §2.1.3.2, §2.1.4.2) or a subtree
 * proof (draft-ietf-plants-merkle-tree-certs) does not verify or is malformed;</li>
 * <li>{@link TreeRangeException}: an index or tree size outside what the tree holds;</li>
 * <li>{@link NodeStoreException}: the {@link NodeStore} lacks a node it must have, or returned a bad hash;</li>
 * <li>{@link MalformedNoteException}: a signed note, checkpoint or key string is not well formed;</li>
 * <li>{@link NoteVerificationException}: a signed note carries no valid signature from a trusted key.</li>
 * </ul>
 */
public abstract class TransparencyLogException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the offending field and value where that is safe to show
     */
    protected TransparencyLogException(String message) {
        super(message);
    }

    /**
     * @param message what was wrong
     * @param cause   the underlying exception
     */
    protected TransparencyLogException(String message, Throwable cause) {
        super(message, cause);
    }
}
