package io.cocoplane.katasim;

/**
 * A start attempt failed the way Kata reports it: at sandbox creation (Warning event {@code FailedCreatePodSandBox},
 * pod stays {@code Pending}/{@code ContainerCreating}) or at container creation (waiting reason
 * {@code RunContainerError} and Warning event {@code Failed}). The message is the runtime's error text.
 */
final class GuestFailure extends Exception {

    private static final long serialVersionUID = 1L;

    /** Where the attempt failed. */
    enum Stage {
        /** The VM / agent never became usable. */
        SANDBOX,
        /** The sandbox is up; creating or starting a container failed. */
        CONTAINER
    }

    /** Prefix the kubelet puts before a sandbox error from the CRI runtime. */
    static final String SANDBOX_PREFIX = "Failed to create pod sandbox: rpc error: code = Unknown desc = "
            + "failed to create containerd task: failed to create shim task: ";
    /** Prefix of a container creation error from the Kata shim. */
    static final String CONTAINER_PREFIX = "failed to create containerd task: failed to create shim task: ";

    private final Stage stage;

    private GuestFailure(Stage stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    /**
     * @param detail the runtime's error, without the kubelet prefix
     * @return a sandbox failure whose message carries {@link #SANDBOX_PREFIX}
     */
    static GuestFailure sandbox(String detail) {
        return new GuestFailure(Stage.SANDBOX, SANDBOX_PREFIX + detail, null);
    }

    /**
     * @param detail the runtime's error, without the shim prefix
     * @param cause  the underlying exception, or null
     * @return a container failure whose message carries {@link #CONTAINER_PREFIX}
     */
    static GuestFailure container(String detail, Throwable cause) {
        return new GuestFailure(Stage.CONTAINER, CONTAINER_PREFIX + detail, cause);
    }

    /** @return where the attempt failed */
    Stage stage() {
        return stage;
    }
}
