package io.cocoplane.gateway.web;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import io.cocoplane.gateway.upstream.Upstream;
import io.cocoplane.gateway.upstream.UpstreamException;
import io.cocoplane.gateway.upstream.UpstreamResponse;

/**
 * How an upstream answer becomes the gateway's answer: 2xx and 4xx (but 401/403, which concern the gateway's own
 * credential) are relayed with their body and content type; 1xx, 3xx, 401, 403 and 5xx become 502.
 */
final class Relay {

    private Relay() {
    }

    /**
     * @param r        upstream answer
     * @param upstream which service
     * @return the relayed answer
     * @throws UpstreamException for a status that is not relayed
     */
    static ResponseEntity<byte[]> relay(UpstreamResponse r, Upstream upstream) {
        check(r, upstream);
        MediaType type = r.contentType() == null ? MediaType.APPLICATION_JSON : r.contentType();
        return ResponseEntity.status(r.status()).contentType(type).body(r.body());
    }

    /**
     * @param r        upstream answer
     * @param upstream which service
     * @throws UpstreamException for 1xx, 3xx, 401, 403 or 5xx
     */
    static void check(UpstreamResponse r, Upstream upstream) {
        int s = r.status();
        if (s == 401 || s == 403) {
            throw new UpstreamException(upstream, false, "the " + upstream.id()
                    + " service refused the gateway's credential (" + s + ")");
        }
        if (s < 200 || (s >= 300 && s < 400) || s >= 500) {
            throw new UpstreamException(upstream, false, "the " + upstream.id() + " service answered " + s);
        }
    }

    /**
     * An upstream 4xx to a write, as a problem that carries the status but not the upstream body.
     *
     * @param r        upstream answer (4xx)
     * @param upstream which service
     * @return the problem answer
     */
    static ResponseEntity<Object> refusal(UpstreamResponse r, Upstream upstream) {
        HttpStatus status = HttpStatus.resolve(r.status());
        if (status == null) {
            status = HttpStatus.BAD_REQUEST;
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(status, "upstream-refused", "the " + upstream.id() + " service refused the "
                        + "request (" + r.status() + ")"));
    }
}
