package io.cocoplane.audit;

/**
 * A request parameter is outside its documented range (negative index, index beyond the tree, tree size 0, {@code
 * from > to}, limit above 1000, over-long filter...). Answered with 400 and an RFC 9457 problem.
 */
public final class InvalidAuditRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message what was wrong, naming the parameter and its allowed range
     */
    public InvalidAuditRequestException(String message) {
        super(message);
    }
}
