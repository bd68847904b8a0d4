package io.cocoplane.gateway.web;

/** A request body is larger than the configured limit (HTTP 413). */
public class PayloadTooLargeException extends RuntimeException {

    /** @param limit the limit in bytes */
    public PayloadTooLargeException(long limit) {
        super("request body larger than " + limit + " bytes");
    }
}
