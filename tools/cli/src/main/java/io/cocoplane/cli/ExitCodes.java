package io.cocoplane.cli;

/**
 * The process exit codes of {@code cococtl}. They are part of its interface: scripts branch on them.
 */
public final class ExitCodes {

    /** The command did what was asked. */
    public static final int OK = 0;
    /** Bad command line (unknown option, missing argument, invalid value) or an unexpected local error. */
    public static final int USAGE = 1;
    /** The server refused the request (4xx other than 404, or 5xx); its problem {@code detail} is printed. */
    public static final int REFUSED = 2;
    /** The server answered 404 (workload, image, entry, checkpoint or secret unknown). */
    public static final int NOT_FOUND = 3;
    /** A signature, Merkle proof, digest or consistency check failed: the data must not be trusted. */
    public static final int VERIFICATION_FAILED = 4;
    /** {@code workload wait}: the workload reached FAILED (or was terminated) instead of the awaited state. */
    public static final int WORKLOAD_FAILED = 5;
    /** The server could not be reached, or did not answer in time. */
    public static final int NETWORK = 6;
    /** {@code workload wait}: the awaited state was not reached within {@code --timeout}. */
    public static final int WAIT_TIMEOUT = 7;

    private ExitCodes() {
    }
}
