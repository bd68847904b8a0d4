package io.cocoplane.kbsprotocol;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal KBS on 127.0.0.1 that behaves like trustee for the client tests (note §1): {@code /auth} sets the
 * {@code kbs-session-id} cookie and returns a 32-byte nonce; {@code /attest} checks the cookie, the nonce and the sample
 * evidence's report_data against its own recomputation of the runtime-data hash, and issues an ES256 token with an
 * {@code exp}; resource GETs need an attested session with an unexpired token and return the JWE. Errors are trustee
 * bodies, 404 only for bad paths, 401 otherwise.
 */
final class FakeKbs implements AutoCloseable {

    static final class Session {
        final Challenge challenge;
        volatile TeePubKey key;
        volatile Instant tokenExp;

        Session(Challenge challenge) {
            this.challenge = challenge;
        }
    }

    final AtomicInteger auths = new AtomicInteger();
    final AtomicInteger attests = new AtomicInteger();
    final AtomicInteger resourceGets = new AtomicInteger();
    final Map<String, Session> sessions = new ConcurrentHashMap<>();
    final Map<String, byte[]> resources = new ConcurrentHashMap<>();
    final CountDownLatch release = new CountDownLatch(1);

    volatile Duration tokenLifetime = Duration.ofMinutes(5);
    volatile boolean denyByPolicy;
    volatile boolean setCookie = true;
    volatile boolean hangOnAuth;
    volatile String lastCookieOnAttest;
    volatile Attestation lastAttestation;
    volatile String plainErrorOnAuth;
    final java.util.Set<String> notFoundPaths = ConcurrentHashMap.newKeySet();

    private final HttpServer server;
    private final Clock clock;
    private final ECPrivateKey signer;
    private final SecureRandom random = new SecureRandom();

    FakeKbs(Clock clock) throws Exception {
        this.clock = clock;
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        this.signer = (ECPrivateKey) g.generateKeyPair().getPrivate();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/kbs/v0/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Forget all sessions, as after a KBS restart or session/token expiry on the server side. */
    void dropSessions() {
        sessions.clear();
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            switch (path) {
                case "/kbs/v0/auth" -> auth(ex, body);
                case "/kbs/v0/attest" -> attest(ex, body);
                default -> {
                    if (path.startsWith("/kbs/v0/resource/") && ex.getRequestMethod().equals("GET")) {
                        resource(ex, path.substring("/kbs/v0/resource/".length()));
                    } else {
                        error(ex, 404, "PluginNotFound", "plugin not found");
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void auth(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        auths.incrementAndGet();
        if (hangOnAuth) {
            release.await();
            return;
        }
        if (plainErrorOnAuth != null) {
            ex.getResponseHeaders().add("Content-Type", "text/plain");
            byte[] b = plainErrorOnAuth.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            ex.sendResponseHeaders(502, b.length);
            ex.getResponseBody().write(b);
            return;
        }
        Request req;
        try {
            req = Request.parse(body);
        } catch (KbsProtocolException e) {
            error(ex, 401, "SerdeError", e.getMessage());
            return;
        }
        if (!req.isSupportedVersion()) {
            error(ex, 401, "AttestationError", "Attestation error: RCAR handshake Auth failed: KBS Client Protocol "
                    + "Version Mismatch: expect =0.4.0 while the request is " + req.version());
            return;
        }
        Challenge c = Challenge.generate(random);
        String id = UUID.randomUUID().toString().replace("-", "");
        sessions.put(id, new Session(c));
        if (setCookie) {
            ex.getResponseHeaders().add("Set-Cookie", "kbs-session-id=" + id + "; Expires=Thu, 01 Jan 2099 00:00:00 GMT");
        }
        send(ex, 200, c.toJsonBytes());
    }

    private Session session(HttpExchange ex) {
        List<String> cookies = ex.getRequestHeaders().getOrDefault("Cookie", List.of());
        for (String header : cookies) {
            for (String part : header.split(";")) {
                String[] kv = part.trim().split("=", 2);
                if (kv.length == 2 && kv[0].equals("kbs-session-id")) {
                    return sessions.get(kv[1]);
                }
            }
        }
        return null;
    }

    private void attest(HttpExchange ex, byte[] body) throws IOException {
        attests.incrementAndGet();
        lastCookieOnAttest = ex.getRequestHeaders().getFirst("Cookie");
        Session s = session(ex);
        if (s == null) {
            error(ex, 401, "AttestationError", "Attestation error: session not found");
            return;
        }
        Attestation a;
        try {
            a = Attestation.parse(body);
        } catch (KbsProtocolException e) {
            error(ex, 401, "SerdeError", e.getMessage());
            return;
        }
        lastAttestation = a;
        if (!a.runtimeData().nonce().equals(s.challenge.nonce())) {
            error(ex, 401, "AttestationError", "Attestation error: nonce mismatch");
            return;
        }
        // the KBS recomputes with its own nonce and the parsed key (note §4.1 step 3)
        byte[] expected = RuntimeDataHash.digest(HashAlgorithm.SHA384, RuntimeDataHash.primaryCanonical(
                s.challenge.nonce(), a.runtimeData().teePubKey(), a.teeEvidence().additionalEvidence()));
        String reportData = a.teeEvidence().primaryEvidence().path("report_data").asString("");
        if (!Base64.getEncoder().encodeToString(expected).equals(reportData)) {
            error(ex, 401, "AttestationError", "Attestation error: RCAR handshake Attest failed");
            return;
        }
        Instant exp = clock.instant().plus(tokenLifetime);
        String token;
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.ES256), new JWTClaimsSet.Builder()
                    .issuer("CoCo-Attestation-Service").issueTime(Date.from(clock.instant()))
                    .expirationTime(Date.from(exp)).build());
            jwt.sign(new ECDSASigner(signer));
            token = jwt.serialize();
        } catch (Exception e) {
            error(ex, 401, "TokenIssuerError", e.toString());
            return;
        }
        s.key = a.runtimeData().teePubKey();
        s.tokenExp = exp;
        send(ex, 200, new AttestResponse(token).toJsonBytes());
    }

    private void resource(HttpExchange ex, String rawPath) throws IOException {
        resourceGets.incrementAndGet();
        ResourcePath p;
        try {
            p = ResourcePath.parse(rawPath);
        } catch (InvalidResourcePathException e) {
            error(ex, 404, "InvalidRequestPath", "Invalid Request Path: " + e.getMessage());
            return;
        }
        if (notFoundPaths.contains(p.toString())) {
            error(ex, 404, "InvalidRequestPath", "Invalid Request Path: " + p);
            return;
        }
        Session s = session(ex);
        if (s == null || s.key == null) {
            error(ex, 401, "TokenNotFound", "Attestation Token not found");
            return;
        }
        if (!clock.instant().isBefore(s.tokenExp)) {
            error(ex, 401, "TokenVerifierError", "Token Verifier error: token expired");
            return;
        }
        if (denyByPolicy) {
            error(ex, 401, "PolicyDeny", "Access denied by policy");
            return;
        }
        byte[] value = resources.get(p.toString());
        if (value == null) {
            error(ex, 401, "PluginInternalError", "Plugin internal error: resource not found");
            return;
        }
        send(ex, 200, JweCodec.defaults().encrypt(value, s.key).toJsonBytes());
    }

    private static void error(HttpExchange ex, int status, String variant, String detail) throws IOException {
        send(ex, status, ErrorInformation.of(variant, detail).toJsonBytes());
    }

    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }
}
