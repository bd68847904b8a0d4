package io.cocoplane.gateway.domain;

import java.util.Map;

/**
 * A request the gateway refuses because of its content (HTTP 400). {@link #errors()} maps a field name (JSON pointer
 * style, e.g. {@code resources[2]}) to what is wrong with it; the messages never echo submitted secret material.
 */
public class InvalidRequestException extends RuntimeException {

    private final transient Map<String, String> errors;

    /**
     * @param detail human-readable summary
     * @param errors field to message, may be empty
     */
    public InvalidRequestException(String detail, Map<String, String> errors) {
        super(detail);
        this.errors = Map.copyOf(errors);
    }

    /** @param detail human-readable summary */
    public InvalidRequestException(String detail) {
        this(detail, Map.of());
    }

    /** @return field to message */
    public Map<String, String> errors() {
        return errors;
    }
}
