package io.cocoplane.cli;

/**
 * A failure that ends the command with a given {@link ExitCodes exit code}; its message is printed to stderr as
 * {@code error: <message>}.
 */
public final class CliException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int exitCode;

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message  what went wrong, for a person
     */
    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /**
     * @param exitCode one of {@link ExitCodes}
     * @param message  what went wrong, for a person
     * @param cause    the underlying failure
     */
    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** @return the exit code the process ends with */
    public int exitCode() {
        return exitCode;
    }
}
