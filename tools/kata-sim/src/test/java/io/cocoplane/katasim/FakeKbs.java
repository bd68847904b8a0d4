package io.cocoplane.katasim;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.kbsprotocol.AttestResponse;
import io.cocoplane.kbsprotocol.Attestation;
import io.cocoplane.kbsprotocol.Challenge;
import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.InvalidResourcePathException;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.KbsProtocolException;
import io.cocoplane.kbsprotocol.Request;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.kbsprotocol.TeePubKey;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.sample.SampleVerifier;
import tools.jackson.databind.json.JsonMapper;

/**
 * A KBS on 127.0.0.1 built from the libs/kbs-protocol server-side pieces: {@code /auth} answers a fresh
 * {@link Challenge} and a session cookie; {@code /attest} checks the nonce, recomputes the runtime-data digest with its
 * own nonce and the parsed TEE key, hashes the init-data TOML it received and has libs/tee-evidence's
 * {@link SampleVerifier} check both bindings; resources are released (JWE to the attested TEE key, {@link JweCodec})
 * only to a session whose init-data digest is bound to a live workload ({@link #boundInitData}) and whose launch
 * digest is allowed ({@link #allowedLaunchDigests}, trustee's sample default {@code abcde} when the evidence names
 * none), else 403 {@code PolicyDeny}. {@link #denyStatus} refuses every resource with that status.
 */
final class FakeKbs implements AutoCloseable {

    /** What one successful /attest carried. */
    record Attested(String initDataBody, String initDataDigest, String evidenceInitData, String launchDigest) {
    }

    final AtomicInteger auths = new AtomicInteger();
    final AtomicInteger attests = new AtomicInteger();
    final List<String> resourceGets = new CopyOnWriteArrayList<>();
    final List<Attested> attested = new CopyOnWriteArrayList<>();
    final Map<String, byte[]> resources = new ConcurrentHashMap<>();
    final Set<String> boundInitData = ConcurrentHashMap.newKeySet();
    final Set<String> allowedLaunchDigests = ConcurrentHashMap.newKeySet();
    volatile int denyStatus;
    /** When set, /auth waits on it (up to 60 s) after counting down {@link #authEntered}. */
    volatile CountDownLatch holdAuth;
    final CountDownLatch authEntered = new CountDownLatch(1);

    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final SecureRandom random = new SecureRandom();
    private final SampleVerifier verifier = SampleVerifier.enableForDevelopment();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final class Session {
        final Challenge challenge;
        volatile TeePubKey key;
        volatile String initDataDigest;
        volatile String launchDigest;

        Session(Challenge challenge) {
            this.challenge = challenge;
        }
    }

    FakeKbs() throws IOException {
        allowedLaunchDigests.add("abcde");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/kbs/v0/", this::handle);
        server.start();
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    @Override
    public void close() {
        CountDownLatch h = holdAuth;
        if (h != null) {
            h.countDown();
        }
        server.stop(0);
        pool.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/kbs/v0/auth")) {
                auth(ex, body);
            } else if (path.equals("/kbs/v0/attest")) {
                attest(ex, body);
            } else if (path.startsWith("/kbs/v0/resource/") && ex.getRequestMethod().equals("GET")) {
                resource(ex, path.substring("/kbs/v0/resource/".length()));
            } else {
                error(ex, 404, "PluginNotFound", "plugin not found");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void auth(HttpExchange ex, byte[] body) throws IOException, InterruptedException {
        auths.incrementAndGet();
        authEntered.countDown();
        CountDownLatch hold = holdAuth;
        if (hold != null && !hold.await(60, TimeUnit.SECONDS)) {
            return;
        }
        Request req;
        try {
            req = Request.parse(body);
        } catch (KbsProtocolException e) {
            error(ex, 400, "SerdeError", e.getMessage());
            return;
        }
        if (!req.isSupportedVersion() || !"sample".equals(req.tee().wireName())) {
            error(ex, 401, "AttestationError", "unsupported version or TEE");
            return;
        }
        Challenge c = Challenge.generate(random);
        String id = UUID.randomUUID().toString().replace("-", "");
        sessions.put(id, new Session(c));
        ex.getResponseHeaders().add("Set-Cookie", "kbs-session-id=" + id);
        send(ex, 200, c.toJsonBytes());
    }

    private Session session(HttpExchange ex) {
        for (String header : ex.getRequestHeaders().getOrDefault("Cookie", List.of())) {
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
        Session s = session(ex);
        if (s == null) {
            error(ex, 401, "AttestationError", "no session");
            return;
        }
        Attestation a;
        try {
            a = Attestation.parse(body);
        } catch (KbsProtocolException e) {
            error(ex, 400, "SerdeError", e.getMessage());
            return;
        }
        if (!a.runtimeData().nonce().equals(s.challenge.nonce())) {
            error(ex, 401, "AttestationError", "nonce mismatch");
            return;
        }
        byte[] reportData = RuntimeDataHash.digest(HashAlgorithm.SHA384, RuntimeDataHash.primaryCanonical(
                s.challenge.nonce(), a.runtimeData().teePubKey(), a.teeEvidence().additionalEvidence()));
        String body0 = a.optionalInitData().map(d -> d.body()).orElse(null);
        byte[] initDigest = body0 == null ? null
                : InitDataDocument.parse(body0.getBytes(StandardCharsets.UTF_8)).digest().value();
        Claims claims;
        try {
            claims = verifier.verify(JSON.writeValueAsBytes(a.teeEvidence().primaryEvidence()),
                    new ExpectedValues(reportData, initDigest));
        } catch (EvidenceRefusedException e) {
            error(ex, 401, "AttestationError", "Attestation error: " + e.getMessage());
            return;
        }
        s.key = a.runtimeData().teePubKey();
        s.initDataDigest = initDigest == null ? null : HexFormat.of().formatHex(initDigest);
        s.launchDigest = claims.get("launch_digest") instanceof String l ? l : "abcde";
        attested.add(new Attested(body0, s.initDataDigest, claims.initData(),
                claims.get("launch_digest") instanceof String l ? l : null));
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}").getBytes(StandardCharsets.UTF_8));
        send(ex, 200, new AttestResponse("eyJhbGciOiJub25lIn0." + payload + ".c2ln").toJsonBytes());
    }

    private void resource(HttpExchange ex, String rawPath) throws IOException {
        ResourcePath p;
        try {
            p = ResourcePath.parse(rawPath);
        } catch (InvalidResourcePathException e) {
            error(ex, 404, "InvalidRequestPath", e.getMessage());
            return;
        }
        resourceGets.add(p.toString());
        Session s = session(ex);
        if (s == null || s.key == null) {
            error(ex, 401, "TokenNotFound", "Attestation Token not found");
            return;
        }
        if (denyStatus != 0) {
            error(ex, denyStatus, "PolicyDeny", "Access denied by policy: test KBS denies every resource");
            return;
        }
        if (s.initDataDigest == null || !boundInitData.contains(s.initDataDigest)) {
            error(ex, 403, "PolicyDeny", "Access denied by policy: init-data " + s.initDataDigest
                    + " matches no live workload");
            return;
        }
        if (!allowedLaunchDigests.contains(s.launchDigest)) {
            error(ex, 403, "PolicyDeny", "Access denied by policy: ear.status is not affirming (launch_digest "
                    + s.launchDigest + " not in the reference values)");
            return;
        }
        byte[] value = resources.get(p.toString());
        if (value == null) {
            error(ex, 404, "ResourceNotFound", "no resource at " + p);
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
