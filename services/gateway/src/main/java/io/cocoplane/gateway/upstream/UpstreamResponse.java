package io.cocoplane.gateway.upstream;

import org.springframework.http.MediaType;

/**
 * What an upstream answered.
 *
 * @param status      HTTP status code
 * @param contentType its {@code Content-Type}, or null
 * @param body        the body, at most {@code cocoplane.gateway.max-upstream-response} bytes
 */
public record UpstreamResponse(int status, MediaType contentType, byte[] body) {

    /** @return whether the status is 2xx */
    public boolean ok() {
        return status >= 200 && status < 300;
    }
}
