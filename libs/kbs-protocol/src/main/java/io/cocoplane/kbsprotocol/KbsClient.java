package io.cocoplane.kbsprotocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import tools.jackson.databind.JsonNode;

/**
 * A KBS client over {@link HttpClient} that speaks RCAR protocol {@value Request#PROTOCOL_VERSION} (note §1–§2) like
 * the guest-components Rust client:
 * <ol>
 *   <li>{@code POST /kbs/v0/auth} with {@link Request#forTee(Tee)}; the response sets cookie {@code kbs-session-id}
 *       (note §1.3) and carries the {@link Challenge};</li>
 *   <li>the runtime-data digest {@code H(JCS({"additional-evidence":"","nonce":N,"tee-pubkey":K}))} is handed to the
 *       {@link EvidenceProvider}; {@code POST /kbs/v0/attest} sends the {@link Attestation} with the cookie and receives
 *       the EAR token;</li>
 *   <li>{@code GET /kbs/v0/resource/<repo>/<type>/<tag>} with the cookie returns a JWE {@link Response} that is
 *       decrypted with the {@link TeeKeyPair}.</li>
 * </ol>
 * Re-attestation: before a GET when there is no token or its (unverified) {@code exp} has passed on the client's
 * clock, and after every 401 on a GET (the session or token expired, note §1.3/§10 #560) — at most
 * {@link Builder#maxResourceAttempts(int)} GETs (default 3, as the Rust client); a 404 fails at once. {@code /auth}
 * and {@code /attest} are not retried. Every request has the configured timeout (default 30 s). Response bodies are
 * read up to {@link RcarJson#MAX_MESSAGE_BYTES} (handshake) or {@link RcarJson#MAX_RESPONSE_BYTES} (resource).
 *
 * <p>Thread-safe: methods are {@code synchronized}; one client holds one session.
 */
public final class KbsClient {

    /** Name of the session cookie. */
    public static final String SESSION_COOKIE = "kbs-session-id";
    /** The API prefix. */
    public static final String PREFIX = "/kbs/v0";

    private final URI baseUri;
    private final HttpClient http;
    private final Duration timeout;
    private final EvidenceProvider evidenceProvider;
    private final TeeKeyPair keyPair;
    private final InitData initData;
    private final JweCodec codec;
    private final Clock clock;
    private final int maxResourceAttempts;

    private String sessionId;
    private AttestResponse token;
    private int handshakes;

    private KbsClient(Builder b) {
        this.baseUri = b.baseUri;
        this.timeout = b.timeout;
        this.http = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.evidenceProvider = b.evidenceProvider;
        this.keyPair = b.keyPair != null ? b.keyPair : TeeKeyPair.generateEc();
        this.initData = b.initData;
        this.codec = b.codec;
        this.clock = b.clock;
        this.maxResourceAttempts = b.maxResourceAttempts;
    }

    /**
     * Starts a builder.
     *
     * @param baseUri          the KBS root, e.g. {@code https://kbs.example:8080} (scheme http or https, no path
     *                         other than {@code /}, no query)
     * @param evidenceProvider the attester
     * @return the builder
     * @throws KbsClientException when the URI is not an absolute http(s) URI without path/query, or the provider is null
     */
    public static Builder builder(URI baseUri, EvidenceProvider evidenceProvider) {
        return new Builder(baseUri, evidenceProvider);
    }

    /**
     * @return the TEE key pair whose public half is sent in {@code runtime-data}
     */
    public TeeKeyPair keyPair() {
        return keyPair;
    }

    /**
     * @return how many RCAR handshakes ({@code /auth} + {@code /attest}) this client has completed
     */
    public synchronized int handshakeCount() {
        return handshakes;
    }

    /**
     * @return the current EAR token, if attested
     */
    public synchronized Optional<String> token() {
        return Optional.ofNullable(token).map(AttestResponse::token);
    }

    /**
     * Runs the RCAR handshake now (even when a token is held).
     *
     * @return the EAR token (compact JWS)
     * @throws KbsErrorResponseException when {@code /auth} or {@code /attest} answers non-200
     * @throws KbsClientException        on transport failure, timeout, missing cookie, malformed bodies or an
     *                                   evidence-provider failure
     */
    public synchronized String attest() {
        sessionId = null;
        token = null;
        Request request = Request.forTee(evidenceProvider.tee());
        HttpResult auth = send(PREFIX + "/auth", "POST", request.toJsonBytes(), RcarJson.MAX_MESSAGE_BYTES);
        expectOk(auth);
        String cookie = sessionCookie(auth.headers).orElseThrow(() ->
                new KbsClientException(PREFIX + "/auth: response did not set the " + SESSION_COOKIE + " cookie"));
        Challenge challenge = parse(auth, () -> Challenge.parse(auth.body));
        sessionId = cookie;

        RuntimeData runtimeData = new RuntimeData(challenge.nonce(), keyPair.teePubKey());
        HashAlgorithm hash = parse(auth, challenge::selectedHashAlgorithm);
        String canonical = RuntimeDataHash.primaryCanonical(runtimeData.nonce(), runtimeData.teePubKey(), "");
        EvidenceRequest er = new EvidenceRequest(challenge.nonce(), hash, RuntimeDataHash.digest(hash, canonical),
                canonical);
        JsonNode evidence;
        try {
            evidence = evidenceProvider.primaryEvidence(er);
        } catch (RuntimeException e) {
            throw new KbsClientException("evidence provider failed: " + e.getMessage(), e);
        }
        if (evidence == null) {
            throw new KbsClientException("evidence provider returned no evidence");
        }
        Attestation attestation = new Attestation(initData, runtimeData, new CompositeEvidence(evidence, ""));
        HttpResult att = send(PREFIX + "/attest", "POST", attestation.toJsonBytes(), RcarJson.MAX_MESSAGE_BYTES);
        expectOk(att);
        sessionCookie(att.headers).ifPresent(c -> sessionId = c);
        token = parse(att, () -> AttestResponse.parse(att.body));
        handshakes++;
        return token.token();
    }

    /**
     * Fetches and decrypts a resource, attesting first when needed and re-attesting after a 401.
     *
     * @param path the resource path
     * @return the decrypted resource bytes
     * @throws KbsErrorResponseException when the GET answers 404, or still 401 after the last attempt, or another
     *                                   non-200 status (carrying the KBS's {@code {type, detail}})
     * @throws KbsClientException        on transport failure, timeout, or a body that is not a valid JWE for this key
     *                                   (cause {@link InvalidMessageException} / {@link JweException})
     */
    public synchronized byte[] getResource(ResourcePath path) {
        if (path == null) {
            throw new KbsClientException("no resource path");
        }
        KbsErrorResponseException last = null;
        for (int attempt = 1; attempt <= maxResourceAttempts; attempt++) {
            if (token == null || expired(token)) {
                attest();
            }
            HttpResult r = send(path.toUriPath(), "GET", null, RcarJson.MAX_RESPONSE_BYTES);
            if (r.status == 200) {
                Response response = parse(r, () -> Response.parse(r.body));
                try {
                    return keyPair.decrypt(response, codec);
                } catch (JweException e) {
                    throw new KbsClientException(r.path + ": cannot decrypt the resource: " + e.getMessage(), e);
                }
            }
            last = errorOf(r);
            if (r.status != 401) {
                throw last;
            }
            token = null; // 401: session or token no longer valid, run RCAR again
        }
        throw last;
    }

    private boolean expired(AttestResponse t) {
        Optional<Instant> exp;
        try {
            exp = t.expiresAt();
        } catch (InvalidMessageException e) {
            return false; // opaque token: rely on the server's 401
        }
        return exp.isPresent() && !clock.instant().isBefore(exp.get());
    }

    private void expectOk(HttpResult r) {
        if (r.status != 200) {
            throw errorOf(r);
        }
    }

    private static KbsErrorResponseException errorOf(HttpResult r) {
        ErrorInformation info = null;
        try {
            info = ErrorInformation.parse(r.body);
        } catch (InvalidMessageException ignored) {
            // not a KBS error object; the raw prefix goes into the message
        }
        String prefix = new String(r.body, 0, Math.min(r.body.length, 200), StandardCharsets.UTF_8);
        return new KbsErrorResponseException(r.path, r.status, info, prefix);
    }

    private interface Parser<T> {
        T parse();
    }

    private static <T> T parse(HttpResult r, Parser<T> p) {
        try {
            return p.parse();
        } catch (KbsProtocolException e) {
            throw new KbsClientException(r.path + ": malformed response: " + e.getMessage(), e);
        }
    }

    private record HttpResult(String path, int status, java.net.http.HttpHeaders headers, byte[] body) {
    }

    private HttpResult send(String path, String method, byte[] body, int maxBytes) {
        HttpRequest.Builder rb = HttpRequest.newBuilder(baseUri.resolve(path)).timeout(timeout);
        if (sessionId != null) {
            rb.header("Cookie", SESSION_COOKIE + "=" + sessionId);
        }
        if (body != null) {
            rb.header("Content-Type", "application/json");
            rb.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            HttpResponse<InputStream> resp = http.send(rb.build(), HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = resp.body()) {
                bytes = in.readNBytes(maxBytes + 1);
            }
            if (bytes.length > maxBytes) {
                throw new KbsClientException(path + ": response body larger than " + maxBytes + " bytes");
            }
            return new HttpResult(path, resp.statusCode(), resp.headers(), bytes);
        } catch (HttpTimeoutException e) {
            throw new KbsClientException(path + ": timed out after " + timeout, e);
        } catch (IOException e) {
            throw new KbsClientException(path + ": I/O error: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KbsClientException(path + ": interrupted", e);
        }
    }

    /**
     * Extracts the {@code kbs-session-id} value from {@code Set-Cookie} headers (RFC 6265 §4.1: name=value before the
     * first {@code ;}). Values must be 1..256 visible ASCII characters without {@code ;}, {@code ,} or spaces.
     *
     * @param headers response headers
     * @return the cookie value, if set
     */
    static Optional<String> sessionCookie(java.net.http.HttpHeaders headers) {
        List<String> cookies = headers.allValues("set-cookie");
        for (String c : cookies) {
            int semi = c.indexOf(';');
            String pair = (semi < 0 ? c : c.substring(0, semi)).trim();
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).trim().equals(SESSION_COOKIE)) {
                String value = pair.substring(eq + 1).trim();
                if (!value.isEmpty() && value.length() <= 256 && value.matches("[\\x21-\\x7e&&[^;,\"\\\\]]+")) {
                    return Optional.of(value);
                }
            }
        }
        return Optional.empty();
    }

    /** Builder of a {@link KbsClient}. */
    public static final class Builder {
        private final URI baseUri;
        private final EvidenceProvider evidenceProvider;
        private HttpClient httpClient;
        private Duration timeout = Duration.ofSeconds(30);
        private TeeKeyPair keyPair;
        private InitData initData;
        private JweCodec codec = JweCodec.defaults();
        private Clock clock = Clock.systemUTC();
        private int maxResourceAttempts = 3;

        private Builder(URI baseUri, EvidenceProvider evidenceProvider) {
            if (baseUri == null || !baseUri.isAbsolute() || baseUri.getScheme() == null
                    || !List.of("http", "https").contains(baseUri.getScheme().toLowerCase(Locale.ROOT))
                    || baseUri.getRawQuery() != null
                    || (baseUri.getRawPath() != null && !baseUri.getRawPath().isEmpty()
                            && !baseUri.getRawPath().equals("/"))) {
                throw new KbsClientException("KBS base URI must be an absolute http(s) URI without path or query");
            }
            if (evidenceProvider == null) {
                throw new KbsClientException("an evidence provider is required");
            }
            this.baseUri = baseUri;
            this.evidenceProvider = evidenceProvider;
        }

        /**
         * @param client the HTTP client to use (e.g. with a custom TLS context); default: a new client with connect
         *               timeout = request timeout and no redirects
         * @return this
         */
        public Builder httpClient(HttpClient client) {
            this.httpClient = client;
            return this;
        }

        /**
         * @param requestTimeout per-request timeout, 1 ms .. 10 min (default 30 s)
         * @return this
         * @throws KbsClientException when out of range
         */
        public Builder timeout(Duration requestTimeout) {
            if (requestTimeout == null || requestTimeout.isNegative() || requestTimeout.isZero()
                    || requestTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
                throw new KbsClientException("timeout must be in (0, 10 min]");
            }
            this.timeout = requestTimeout;
            return this;
        }

        /**
         * @param teeKeyPair the TEE key pair (default: fresh P-256)
         * @return this
         */
        public Builder keyPair(TeeKeyPair teeKeyPair) {
            this.keyPair = teeKeyPair;
            return this;
        }

        /**
         * @param data init-data sent in every {@link Attestation} (default none → JSON null)
         * @return this
         */
        public Builder initData(InitData data) {
            this.initData = data;
            return this;
        }

        /**
         * @param jweCodec the codec for decrypting resources (default {@link JweCodec#defaults()}: RSA1_5 refused)
         * @return this
         */
        public Builder jweCodec(JweCodec jweCodec) {
            if (jweCodec == null) {
                throw new KbsClientException("codec is required");
            }
            this.codec = jweCodec;
            return this;
        }

        /**
         * @param c the clock used to compare the token {@code exp} (default system UTC)
         * @return this
         */
        public Builder clock(Clock c) {
            if (c == null) {
                throw new KbsClientException("clock is required");
            }
            this.clock = c;
            return this;
        }

        /**
         * @param attempts maximum resource GETs per {@link #getResource} call, 1..10 (default 3)
         * @return this
         * @throws KbsClientException when out of range
         */
        public Builder maxResourceAttempts(int attempts) {
            if (attempts < 1 || attempts > 10) {
                throw new KbsClientException("maxResourceAttempts must be 1..10");
            }
            this.maxResourceAttempts = attempts;
            return this;
        }

        /**
         * @return the client
         */
        public KbsClient build() {
            return new KbsClient(this);
        }
    }
}
