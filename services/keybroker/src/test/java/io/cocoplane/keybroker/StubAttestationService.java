package io.cocoplane.keybroker;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cocoplane.kbsprotocol.RuntimeDataHash;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for the attestation service (note §9 REST shape, §5.1 token), on 127.0.0.1 with the JDK HTTP server.
 * {@code POST /attestation} checks what a real verifier checks about the binding — the evidence's {@code report_data}
 * (standard base64) must equal SHA-384 of the RFC 8785 form of the structured runtime data, and its {@code init_data}
 * (hex) must equal the digest of the init-data TOML when one is sent — and answers with an ES256 EAR token signed under
 * the current {@code kid}, whose JWKS it serves at {@code /.well-known/jwks.json}. Admin calls under {@code /api/v1/}
 * are recorded and answered 200. The evidence is otherwise trusted: hardware verification is the real service's job.
 */
final class StubAttestationService {

    private static StubAttestationService shared;

    /** A recorded admin call. */
    record AdminCall(String method, String path, String authorization, String body) {
    }

    private final HttpServer server;
    private final JsonMapper json = JsonMapper.builder().build();
    private volatile ECKey signingKey;
    private final List<ECKey> published = new CopyOnWriteArrayList<>();
    final List<AdminCall> adminCalls = new CopyOnWriteArrayList<>();
    final AtomicInteger attestations = new AtomicInteger();
    volatile String status = "affirming";
    volatile boolean down;

    private StubAttestationService() throws IOException {
        rotateKey();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/attestation", this::attestation);
        server.createContext("/.well-known/jwks.json", this::jwks);
        server.createContext("/api/v1/", this::admin);
        server.start();
    }

    static synchronized StubAttestationService shared() {
        if (shared == null) {
            try {
                shared = new StubAttestationService();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return shared;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Generates a new signing key with a new kid, published beside the old ones. */
    synchronized ECKey rotateKey() {
        try {
            signingKey = new ECKeyGenerator(Curve.P_256).keyID("as-" + UUID.randomUUID())
                    .algorithm(JWSAlgorithm.ES256).generate();
            published.add(signingKey);
            return signingKey;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    ECKey signingKey() {
        return signingKey;
    }

    /** Signs claims under the current kid as the real service does. */
    String mint(ObjectNode claims) {
        return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(signingKey.getKeyID())
                .build(), claims, signingKey);
    }

    String sign(JWSHeader header, ObjectNode claims, ECKey key) {
        try {
            JWSObject jws = new JWSObject(header, new Payload(json.writeValueAsBytes(claims)));
            jws.sign(new ECDSASigner(key));
            return jws.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * EAR claims of note §5.1.
     *
     * @param tee          TEE name of the annotated evidence
     * @param status       ear.status
     * @param initDataHex  init_data claim (hex) or null
     * @param runtimeData  runtime_data_claims
     * @param lifetimeSecs exp − iat (negative: already expired)
     */
    ObjectNode claims(String tee, String status, String initDataHex, JsonNode runtimeData, long lifetimeSecs) {
        long now = Instant.now().getEpochSecond();
        ObjectNode c = json.createObjectNode();
        c.put("eat_profile", "tag:github.com,2024:confidential-containers/Trustee");
        c.put("iat", lifetimeSecs < 0 ? now + 2 * lifetimeSecs : now);
        c.put("exp", now + lifetimeSecs);
        c.put("iss", "CoCo-Attestation-Service");
        c.put("jti", UUID.randomUUID().toString());
        c.putObject("ear.verifier-id").put("developer", "https://confidentialcontainers.org")
                .put("build", "stub");
        ObjectNode cpu0 = c.putObject("submods").putObject("cpu0");
        cpu0.put("ear.status", status);
        ObjectNode tv = cpu0.putObject("ear.trustworthiness-vector");
        int v = "affirming".equals(status) ? 2 : "warning".equals(status) ? 33 : 97;
        for (String k : List.of("instance-identity", "configuration", "executables", "file-system", "hardware",
                "runtime-opaque", "storage-opaque", "sourced-data")) {
            tv.put(k, v);
        }
        cpu0.put("ear.appraisal-policy-id", "default");
        ObjectNode ann = cpu0.putObject("ear.veraison.annotated-evidence");
        ann.putObject(tee).put("svn", "1");
        if (initDataHex != null) {
            ann.put("init_data", initDataHex);
            // the attestation service's extension claim with the full verified digest (EarTokenIssuer)
            cpu0.putObject("ear.cocoplane.init-data").put("algorithm", "sha256").put("digest", initDataHex);
        }
        if (runtimeData != null) {
            ann.set("runtime_data_claims", runtimeData);
        }
        ann.putNull("init_data_claims");
        return c;
    }

    private void attestation(HttpExchange ex) throws IOException {
        try (ex) {
            if (down) {
                reply(ex, 503, "text/plain", "down");
                return;
            }
            attestations.incrementAndGet();
            JsonNode req = json.readTree(read(ex));
            JsonNode vr = req.get("verification_requests").get(0);
            String tee = vr.get("tee").asString();
            JsonNode evidence = json.readTree(Base64.getUrlDecoder().decode(vr.get("evidence").asString()));
            JsonNode rd = vr.get("runtime_data").get("structured");
            byte[] expected = MessageDigest.getInstance("SHA-384").digest(RuntimeDataHash.canonicalize(rd)
                    .getBytes(StandardCharsets.UTF_8));
            String reported = evidence.path("report_data").asString("");
            if (!Base64.getEncoder().encodeToString(expected).equals(reported)) {
                reply(ex, 400, "text/plain", "report_data does not bind the runtime data");
                return;
            }
            String initHex = evidence.path("init_data").isString() ? evidence.get("init_data").asString() : null;
            JsonNode init = vr.get("init_data");
            if (init != null && init.has("init_data_toml")) {
                String digest = tomlDigest(init.get("init_data_toml").asString());
                if (initHex == null || !initHex.equals(digest)) {
                    reply(ex, 400, "text/plain", "init_data does not match the init-data TOML");
                    return;
                }
            }
            reply(ex, 200, "application/jwt", mint(claims(tee, status, initHex, rd, 300)));
        } catch (Exception e) {
            reply(ex, 500, "text/plain", "stub failure: " + e);
        }
    }

    static String tomlDigest(String toml) throws Exception {
        Matcher m = Pattern.compile("(?m)^algorithm\\s*=\\s*\"(sha256|sha384|sha512)\"").matcher(toml);
        String alg = m.find() ? m.group(1) : "sha384";
        String jca = Map.of("sha256", "SHA-256", "sha384", "SHA-384", "sha512", "SHA-512").get(alg);
        return HexFormat.of().formatHex(MessageDigest.getInstance(jca).digest(toml.getBytes(StandardCharsets.UTF_8)));
    }

    private void jwks(HttpExchange ex) throws IOException {
        try (ex) {
            if (down) {
                reply(ex, 503, "text/plain", "down");
                return;
            }
            reply(ex, 200, "application/json", new JWKSet(published.stream().map(k -> (com.nimbusds.jose.jwk.JWK)
                    k.toPublicJWK()).toList()).toString());
        }
    }

    private void admin(HttpExchange ex) throws IOException {
        try (ex) {
            adminCalls.add(new AdminCall(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Authorization"), new String(read(ex), StandardCharsets.UTF_8)));
            reply(ex, 200, "application/json", "{\"ok\":true}");
        }
    }

    private static byte[] read(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readAllBytes();
        }
    }

    private static void reply(HttpExchange ex, int status, String type, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
    }
}
