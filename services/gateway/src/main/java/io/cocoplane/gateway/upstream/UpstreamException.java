package io.cocoplane.gateway.upstream;

/**
 * An upstream could not give a usable answer: unreachable, too slow ({@link #timeout()}, answered as 504), or it
 * answered with a server error, a redirect, a refusal of the gateway's credential or an over-long body (502).
 */
public class UpstreamException extends RuntimeException {

    private final Upstream upstream;
    private final boolean timeout;

    /**
     * @param upstream which service
     * @param timeout  whether the failure was a timeout
     * @param detail   what happened (no request or response content)
     */
    public UpstreamException(Upstream upstream, boolean timeout, String detail) {
        super(detail);
        this.upstream = upstream;
        this.timeout = timeout;
    }

    /** @return which service */
    public Upstream upstream() {
        return upstream;
    }

    /** @return whether the failure was a timeout */
    public boolean timeout() {
        return timeout;
    }
}
