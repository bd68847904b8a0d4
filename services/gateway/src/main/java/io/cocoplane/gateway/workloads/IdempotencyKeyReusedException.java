package io.cocoplane.gateway.workloads;

/** An {@code Idempotency-Key} came back with a different request than the one it was first used for (HTTP 422). */
public class IdempotencyKeyReusedException extends RuntimeException {

    /** Creates it. */
    public IdempotencyKeyReusedException() {
        super("this Idempotency-Key was already used with a different request body");
    }
}
