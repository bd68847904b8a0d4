package io.cocoplane.katasim;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Collection;
import java.util.Locale;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Transport rules of the simulated guest: TLS by default, plain {@code http} only to a loopback host and only when
 * the development switch {@link KataNodeConfig#allowPlainHttpToLoopback()} is on; a KBS certificate from the
 * init-data ({@code aa.toml cert} / {@code cdh.toml kbs_cert}) becomes the only trust anchor for that KBS.
 */
final class Transport {

    /** Largest certificate PEM accepted from init-data, in characters. */
    static final int MAX_CERT_PEM_CHARS = 64 * 1024;

    private Transport() {
    }

    /**
     * @param host a URI host, possibly a bracketed IPv6 literal
     * @return true for {@code localhost} and loopback IP literals ({@code 127.0.0.0/8}, {@code ::1}); names other than
     *         {@code localhost} are never resolved and count as remote
     */
    static boolean isLoopbackHost(String host) {
        if (host == null || host.isEmpty()) {
            return false;
        }
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.toLowerCase(Locale.ROOT).equals("localhost")) {
            return true;
        }
        boolean literal = h.indexOf(':') >= 0 || h.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        if (!literal) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress(); // a literal: no DNS lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * Checks that a URL may be used.
     *
     * @param uri                      the URL
     * @param allowPlainHttpToLoopback the development switch
     * @param what                     what the URL is, for the message (e.g. {@code "KBS"})
     * @return {@code uri}
     * @throws IllegalArgumentException when the scheme is not http(s), or it is http and either the host is not
     *                                  loopback or the switch is off
     */
    static URI checkScheme(URI uri, boolean allowPlainHttpToLoopback, String what) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https")) {
            return uri;
        }
        if (!scheme.equals("http")) {
            throw new IllegalArgumentException(what + " URL " + uri + " is not http(s)");
        }
        if (!isLoopbackHost(uri.getHost())) {
            throw new IllegalArgumentException("plain http to " + what + " at non-loopback host " + uri.getHost()
                    + " is refused (TLS is required)");
        }
        if (!allowPlainHttpToLoopback) {
            throw new IllegalArgumentException("plain http to " + what + " at " + uri.getHost()
                    + " is refused: enable the development switch allowPlainHttpToLoopback");
        }
        return uri;
    }

    /**
     * @param connectTimeout connect timeout
     * @param trustedPem     PEM certificates that become the only trust anchors, or {@code null} for the JDK's default
     *                       trust store
     * @return a client that follows redirects except https to http
     * @throws IllegalArgumentException when the PEM is too long, holds no certificate or cannot be parsed
     */
    static HttpClient httpClient(Duration connectTimeout, String trustedPem) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout)
                .followRedirects(HttpClient.Redirect.NORMAL);
        if (trustedPem != null) {
            b.sslContext(sslContext(trustedPem));
        }
        return b.build();
    }

    private static SSLContext sslContext(String pem) {
        if (pem.length() > MAX_CERT_PEM_CHARS) {
            throw new IllegalArgumentException("KBS certificate PEM longer than " + MAX_CERT_PEM_CHARS + " characters");
        }
        try {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new IllegalArgumentException("KBS certificate PEM holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate c : certs) {
                ks.setCertificateEntry("kbs-" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("KBS certificate PEM cannot be used: " + e.getMessage(), e);
        }
    }
}
