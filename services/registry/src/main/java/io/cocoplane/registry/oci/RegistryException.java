package io.cocoplane.registry.oci;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the registry refuses, carrying the OCI error code, the HTTP status, an optional detail and extra response
 * headers (for example {@code Range} and {@code Location} on a 416, or {@code WWW-Authenticate} on a 401). The web
 * layer renders it as {@code {"errors":[{"code","message","detail"}]}}.
 */
public class RegistryException extends RuntimeException {

    private final OciError code;
    private final int status;
    private final String detail;
    private final Map<String, String> headers = new LinkedHashMap<>();

    /**
     * @param code    OCI error code; its default status is used
     * @param message human-readable message (never echoes secrets)
     */
    public RegistryException(OciError code, String message) {
        this(code, code.status(), message, null);
    }

    /**
     * @param code    OCI error code
     * @param status  HTTP status
     * @param message human-readable message
     * @param detail  free-form detail, or null
     */
    public RegistryException(OciError code, int status, String message, String detail) {
        super(message);
        this.code = code;
        this.status = status;
        this.detail = detail;
    }

    /** Adds a response header; returns this. */
    public RegistryException header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    /** @return the OCI error code */
    public OciError code() {
        return code;
    }

    /** @return the HTTP status */
    public int status() {
        return status;
    }

    /** @return the detail, or null */
    public String detail() {
        return detail;
    }

    /** @return extra response headers */
    public Map<String, String> headers() {
        return headers;
    }
}
