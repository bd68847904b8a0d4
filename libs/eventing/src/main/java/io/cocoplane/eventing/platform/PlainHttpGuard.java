package io.cocoplane.eventing.platform;

import java.net.InetAddress;
import java.net.UnknownHostException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;

/**
 * Refuses to start a service that would serve plain HTTP beyond loopback: without an SSL bundle
 * ({@code server.ssl.bundle}) or {@code server.ssl.enabled=true}, {@code server.address} must be a loopback address,
 * unless {@code cocoplane.http.allow-plain=true} is set explicitly (for example behind a TLS-terminating ingress), in
 * which case a warning is logged at every start.
 */
public final class PlainHttpGuard {

    private static final Logger log = LoggerFactory.getLogger(PlainHttpGuard.class);

    private PlainHttpGuard() {
    }

    /**
     * @param env the service's environment
     * @throws IllegalStateException when plain HTTP would be served on a non-loopback address without the explicit
     *                               opt-in
     */
    public static void check(Environment env) {
        boolean tls = env.containsProperty("server.ssl.bundle")
                || env.getProperty("server.ssl.enabled", Boolean.class, false);
        if (tls) {
            return;
        }
        String address = env.getProperty("server.address", "0.0.0.0");
        boolean loopback;
        try {
            loopback = InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            loopback = false;
        }
        if (loopback) {
            return;
        }
        if (env.getProperty("cocoplane.http.allow-plain", Boolean.class, false)) {
            log.warn("SERVING PLAIN HTTP ON {}: no TLS certificate is configured and cocoplane.http.allow-plain=true;"
                    + " use this only behind a TLS-terminating proxy", address);
            return;
        }
        throw new IllegalStateException("refusing to serve plain HTTP on " + address + ": configure"
                + " cocoplane.tls.certificate and cocoplane.tls.private-key (PEM), or bind a loopback address, or set"
                + " cocoplane.http.allow-plain=true explicitly");
    }
}
