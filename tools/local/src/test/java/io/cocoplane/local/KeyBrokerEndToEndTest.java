package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.test.KafkaTopicReader;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.katasim.SimulatedGuest;
import io.cocoplane.kbsprotocol.Attestation;
import io.cocoplane.kbsprotocol.Challenge;
import io.cocoplane.kbsprotocol.CompositeEvidence;
import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.EvidenceRequest;
import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.KbsErrorResponseException;
import io.cocoplane.kbsprotocol.Request;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.kbsprotocol.Response;
import io.cocoplane.kbsprotocol.RuntimeData;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.kbsprotocol.Tee;
import io.cocoplane.kbsprotocol.TeeKeyPair;
import io.cocoplane.local.demo.Demo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Issue 5 must-show (note kbs-attestation.md §1–5, hazards §10) against the whole local stack: the real key broker and
 * attestation service on Kafka and PostgreSQL, sample TEE enabled (development profile). The test plays the guest over
 * HTTP with {@code libs/kbs-protocol} and the simulated Kata node's own sample evidence ({@link SimulatedGuest}); the
 * workload is bound the real way: deployed through the gateway with {@code cococtl}, the orchestrator emits
 * {@code workload.scheduled}, and the guest attests with the init-data read from its pod's annotation in the
 * simulated Kubernetes API.
 *
 * <p>Each refusal is its own test and asserts the exact status, the trustee {@code {type, detail}} body, and that
 * nothing was released: the key broker's storage-read counter ({@code cocoplane.keybroker.resource.reads}, counted
 * only once a request has passed every check) does not move, and no JWE is answered.
 */
@ExtendWith(RunningStack.class)
class KeyBrokerEndToEndTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String SECRET_PATH = "default/e2e-kbs/secret";
    private static final byte[] SECRET = "the bound workload's secret".getBytes(StandardCharsets.UTF_8);
    private static final String SVN = "1";
    private static final String KEY_DENIED = "io.cocoplane.key.denied.v1";
    private static final String KEY_RELEASED = "io.cocoplane.key.released.v1";

    private static RunningStack.Stack stack;
    private static String workloadId;
    private static InitDataDocument initData;

    @BeforeAll
    static void bindAWorkload(RunningStack.Stack s) throws IOException {
        stack = s;
        Path secret = s.work().resolve("kbs-e2e-secret");
        Files.write(secret, SECRET);
        s.ctlOk("admin", "secret", "put", SECRET_PATH, "--from-file", secret.toString());
        Demo.Ctl deploy = s.deploy("kbs-e2e", SECRET_PATH);
        assertThat(deploy.code()).as(deploy.toString()).isZero();
        assertThat(deploy.json().path("state").asString()).as(deploy.toString()).isEqualTo("RUNNING");
        workloadId = deploy.json().path("id").asString();
        initData = s.initData(workloadId);
    }

    // ------------------------------------------------------------------ the guest, message by message

    /** One guest: a TEE key pair and the init-data it attests with. */
    private static final class Guest {
        final TeeKeyPair keys = TeeKeyPair.generateEc();
        final InitDataDocument doc;

        Guest(InitDataDocument doc) {
            this.doc = doc;
        }

        /** A session: cookie header value and challenge. */
        record Session(String cookie, Challenge challenge) {
        }

        Session auth() {
            HttpResponse<byte[]> r = post("/kbs/v0/auth", Request.forTee(Tee.SAMPLE).toJsonBytes(), null);
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
            return new Session(setCookie.substring(0, setCookie.indexOf(';')), Challenge.parse(r.body()));
        }

        /** The Attestation for {@code nonce} with this guest's evidence; {@code corrupt}: report_data of zeros. */
        byte[] attestation(Challenge challenge, String nonce, boolean corrupt) {
            String canonical = RuntimeDataHash.primaryCanonical(nonce, keys.teePubKey(), "");
            var hash = challenge.selectedHashAlgorithm();
            JsonNode evidence = SimulatedGuest.sampleEvidence(SVN, doc.digest().hex()).primaryEvidence(
                    new EvidenceRequest(nonce, hash, RuntimeDataHash.digest(hash, canonical), canonical));
            if (corrupt) {
                ((ObjectNode) evidence).put("report_data", Base64.getEncoder().encodeToString(
                        new byte[RuntimeDataHash.digest(hash, canonical).length]));
            }
            return new Attestation(new InitData(InitData.FORMAT_TOML, doc.text()), new RuntimeData(nonce,
                    keys.teePubKey()), new CompositeEvidence(evidence, "")).toJsonBytes();
        }

        HttpResponse<byte[]> attest(Session s, byte[] body) {
            return post("/kbs/v0/attest", body, s.cookie());
        }

        /** auth + attest with correct evidence: the session and its EAR token. */
        String attestedToken(Session s) {
            HttpResponse<byte[]> r = attest(s, attestation(s.challenge(), s.challenge().nonce(), false));
            assertThat(r.statusCode()).as(text(r)).isEqualTo(200);
            return JSON.readTree(r.body()).path("token").asString();
        }
    }

    private static HttpResponse<byte[]> post(String path, byte[] body, String cookie) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.keybroker() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        return send(b);
    }

    /** {@code GET /kbs/v0/resource/<rawPath>} with a session cookie and/or a bearer token (either may be null). */
    private static HttpResponse<byte[]> resource(String rawPath, String cookie, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(stack.keybroker() + "/kbs/v0/resource/" + rawPath))
                .timeout(Duration.ofSeconds(30)).GET();
        if (cookie != null) {
            b.header("Cookie", cookie);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return send(b);
    }

    private static HttpResponse<byte[]> send(HttpRequest.Builder b) {
        try {
            return stack.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String text(HttpResponse<byte[]> r) {
        return r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8);
    }

    /** Asserts status, trustee error type and a detail fragment. */
    private static void assertRefused(HttpResponse<byte[]> r, int status, String variant, String detail) {
        assertThat(r.statusCode()).as(text(r)).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/json"));
        ErrorInformation e = ErrorInformation.parse(r.body());
        assertThat(e.type()).isEqualTo(ErrorInformation.TYPE_PREFIX + variant);
        assertThat(e.detail()).contains(detail);
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).doesNotContain("\"ciphertext\"")
                .doesNotContain("\"token\"");
    }

    /** The key broker's count of resource reads that passed every check (actuator metric). */
    private static double storageReads() {
        HttpResponse<String> r = stack.get(stack.keybroker() + "/actuator/metrics/cocoplane.keybroker.resource.reads",
                null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body()).path("measurements").get(0).path("value").asDouble();
    }

    /** Waits (up to 30 s: the outbox relay is asynchronous) for a {@code coco.key.events} record about the secret. */
    private static JsonNode keyEvent(String ceType, java.util.function.Predicate<JsonNode> which) {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            for (ConsumerRecord<String, byte[]> r : KafkaTopicReader.readKey(stack.kafka(), Topics.KEY_EVENTS,
                    SECRET_PATH)) {
                Header type = r.headers().lastHeader("ce_type");
                if (type != null && ceType.equals(new String(type.value(), StandardCharsets.UTF_8))) {
                    JsonNode data = JSON.readTree(r.value());
                    if (which.test(data)) {
                        return data;
                    }
                }
            }
            if (System.nanoTime() > until) {
                throw new AssertionError("no " + ceType + " matching on " + Topics.KEY_EVENTS + " after 30 s");
            }
            sleep(500);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ tokens

    private static JsonNode claims(String compact) {
        return JSON.readTree(Base64.getUrlDecoder().decode(compact.split("\\.")[1]));
    }

    private static String kid(String compact) {
        return JSON.readTree(Base64.getUrlDecoder().decode(compact.split("\\.")[0])).path("kid").asString();
    }

    /** The genuine token's claims with {@code iat}/{@code exp} moved, as a JWS payload. */
    private static Payload claimsAt(String genuine, Instant iat, Instant exp) {
        ObjectNode c = (ObjectNode) claims(genuine);
        c.put("iat", iat.getEpochSecond());
        c.put("exp", exp.getEpochSecond());
        return new Payload(JSON.writeValueAsString(c));
    }

    private static String sign(JWSHeader header, Payload payload, ECPrivateKey key) throws Exception {
        JWSObject jws = new JWSObject(header, payload);
        jws.sign(new ECDSASigner(key));
        return jws.serialize();
    }

    /** The attestation service's EAR signing key, from its schema in the stack's PostgreSQL. */
    private static ECPrivateKey attestationSigningKey() throws Exception {
        String pem;
        try (Connection c = DriverManager.getConnection(stack.jdbcUrl(), ServiceConfig.DATABASE,
                ServiceConfig.DATABASE); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT private_key_pem FROM attestation.signing_key WHERE id = 1")) {
            assertThat(rs.next()).as("attestation.signing_key holds the EAR key").isTrue();
            pem = rs.getString(1);
        }
        String body = pem.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
        return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                Base64.getMimeDecoder().decode(body)));
    }

    private static KeyPair attackerKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /**
     * A token with the genuine claims (fresh {@code exp}) and kid, signed by an attacker key the header itself names.
     */
    private static void assertHeaderKeyTokenRefused(UnaryOperator<JWSHeader.Builder> headerKey, KeyPair attacker)
            throws Exception {
        Guest guest = new Guest(initData);
        Guest.Session s = guest.auth();
        String genuine = guest.attestedToken(s);
        Instant now = Instant.now();
        JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(kid(genuine));
        String forged = sign(headerKey.apply(h).build(), claimsAt(genuine, now, now.plusSeconds(300)),
                (ECPrivateKey) attacker.getPrivate());
        double before = storageReads();
        assertRefused(resource(SECRET_PATH, null, forged), 401, "TokenVerifierError",
                "token header carries its own key (jwk/jku/x5c/x5u)");
        assertThat(storageReads()).isEqualTo(before);
    }

    // ------------------------------------------------------------------ the must-show

    @Test
    void theBoundWorkloadReceivesItsSecret() {
        KbsClient client = KbsClient.builder(URI.create(stack.keybroker()),
                        SimulatedGuest.sampleEvidence(SVN, initData.digest().hex()))
                .initData(new InitData(InitData.FORMAT_TOML, initData.text())).build();
        double before = storageReads();
        assertThat(client.getResource(ResourcePath.parse(SECRET_PATH))).isEqualTo(SECRET);
        assertThat(storageReads()).isEqualTo(before + 1);
        String jti = claims(client.token().orElseThrow()).path("jti").asString();
        JsonNode released = keyEvent(KEY_RELEASED, d -> jti.equals(d.path("tokenId").asString()));
        assertThat(released.path("workloadId").asString()).isEqualTo(workloadId);
        assertThat(released.path("initDataDigest").asString()).isEqualTo(initData.digest().hex());
        assertThat(released.path("tee").asString()).isEqualTo("sample");
    }

    @Test
    void theSameEvidenceWithAnotherInitDataDigestIsDenied403AndTheDenialIsAnEvent() {
        InitDataDocument other = SimulatedGuest.otherInitData(initData);
        assertThat(other.digest().hex()).isNotEqualTo(initData.digest().hex());
        KbsClient client = KbsClient.builder(URI.create(stack.keybroker()),
                        SimulatedGuest.sampleEvidence(SVN, other.digest().hex()))
                .initData(new InitData(InitData.FORMAT_TOML, other.text())).build();
        double before = storageReads();
        assertThatThrownBy(() -> client.getResource(ResourcePath.parse(SECRET_PATH)))
                .isInstanceOfSatisfying(KbsErrorResponseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    ErrorInformation info = e.error().orElseThrow();
                    assertThat(info.type()).isEqualTo(ErrorInformation.TYPE_PREFIX + "PolicyDeny");
                    assertThat(info.detail()).startsWith("Access denied by policy: ")
                            .contains("no live workload is bound to init-data " + other.digest().hex());
                });
        assertThat(client.handshakeCount()).as("attestation itself passed: the denial is the release").isEqualTo(1);
        assertThat(storageReads()).isEqualTo(before);
        String jti = claims(client.token().orElseThrow()).path("jti").asString();
        JsonNode denied = keyEvent(KEY_DENIED, d -> jti.equals(d.path("tokenId").asString()));
        assertThat(denied.path("resourcePath").asString()).isEqualTo(SECRET_PATH);
        assertThat(denied.path("initDataDigest").asString()).isEqualTo(other.digest().hex());
        assertThat(denied.path("tee").asString()).isEqualTo("sample");
        assertThat(denied.path("workloadId").isMissingNode() || denied.path("workloadId").isNull()).isTrue();
        assertThat(denied.path("reason").asString()).contains("no live workload is bound to init-data");
    }

    @Test
    void aNonceFromAnotherSessionIsRefused() {
        Guest guest = new Guest(initData);
        Guest.Session a = guest.auth();
        Guest.Session b = guest.auth();
        double before = storageReads();
        assertRefused(guest.attest(b, guest.attestation(b.challenge(), a.challenge().nonce(), false)), 401,
                "AttestationError", "runtime-data nonce is not this session's challenge");
        assertRefused(resource(SECRET_PATH, b.cookie(), null), 401, "TokenNotFound", "no attested kbs-session-id");
        assertThat(storageReads()).isEqualTo(before);
    }

    @Test
    void aReplayedAttestIsRefused() {
        Guest guest = new Guest(initData);
        Guest.Session s = guest.auth();
        byte[] body = guest.attestation(s.challenge(), s.challenge().nonce(), false);
        assertThat(guest.attest(s, body).statusCode()).isEqualTo(200);
        double before = storageReads();
        assertRefused(guest.attest(s, body), 401, "AttestationError", "nonce was already used");
        // the recorded message replayed into a fresh session binds the old nonce, not the new one
        Guest.Session fresh = guest.auth();
        assertRefused(guest.attest(fresh, body), 401, "AttestationError",
                "runtime-data nonce is not this session's challenge");
        assertRefused(resource(SECRET_PATH, fresh.cookie(), null), 401, "TokenNotFound",
                "no attested kbs-session-id");
        assertThat(storageReads()).isEqualTo(before);
    }

    @Test
    void aNonceIsNotReusedAfterAFailedAttest() {
        Guest guest = new Guest(initData);
        Guest.Session s = guest.auth();
        double before = storageReads();
        assertRefused(guest.attest(s, guest.attestation(s.challenge(), s.challenge().nonce(), true)), 401,
                "AttestationError", "attestation service refused the evidence");
        assertRefused(guest.attest(s, guest.attestation(s.challenge(), s.challenge().nonce(), false)), 401,
                "AttestationError", "nonce was already used");
        assertRefused(resource(SECRET_PATH, s.cookie(), null), 401, "TokenNotFound", "no attested kbs-session-id");
        assertThat(storageReads()).isEqualTo(before);
    }

    /** A malformed path with an attested session of the bound workload in hand: 404 before any storage read. */
    private static void assertPathRefused(String rawPath, String detail) {
        Guest guest = new Guest(initData);
        Guest.Session s = guest.auth();
        guest.attestedToken(s);
        double before = storageReads();
        assertRefused(resource(rawPath, s.cookie(), null), 404, "InvalidRequestPath", detail);
        assertThat(storageReads()).isEqualTo(before);
        // the same session does get the secret on the proper path: only the path was refused
        HttpResponse<byte[]> ok = resource(SECRET_PATH, s.cookie(), null);
        assertThat(ok.statusCode()).as(text(ok)).isEqualTo(200);
        assertThat(guest.keys.decrypt(Response.parse(ok.body()), JweCodec.defaults())).isEqualTo(SECRET);
    }

    @Test
    void aDotDotPathIsRefused() {
        assertPathRefused("default/../secret", "type segment \"..\" does not match [A-Za-z0-9_-][A-Za-z0-9_.-]*");
        assertPathRefused("default/e2e-kbs/..", "tag segment \"..\" does not match");
    }

    @Test
    void aDotSegmentPathIsRefused() {
        assertPathRefused("default/.e2e-kbs/secret", "type segment \".e2e-kbs\" does not match");
    }

    @Test
    void aTwoSegmentPathIsRefused() {
        assertPathRefused("e2e-kbs/secret", "expected 3 segments repository/type/tag, got 2");
    }

    @Test
    void aFourSegmentPathIsRefused() {
        assertPathRefused("default/e2e-kbs/secret/1", "expected 3 segments repository/type/tag, got 4");
    }

    @Test
    void aTokenSignedByTheKeyInItsJwkHeaderIsRefused() throws Exception {
        KeyPair attacker = attackerKey();
        ECKey jwk = new ECKey.Builder(Curve.P_256, (ECPublicKey) attacker.getPublic()).build();
        assertHeaderKeyTokenRefused(h -> h.jwk(jwk), attacker);
    }

    @Test
    void aTokenSignedByTheKeyInItsX5cHeaderIsRefused() throws Exception {
        KeyPair attacker = attackerKey();
        X500Name name = new X500Name("CN=CoCo-Attestation-Service");
        Instant now = Instant.now();
        byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), name, attacker.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(attacker.getPrivate())).getEncoded();
        assertHeaderKeyTokenRefused(h -> h.x509CertChain(List.of(com.nimbusds.jose.util.Base64.encode(der))),
                attacker);
    }

    @Test
    void aTokenSignedByTheKeyAtItsJkuHeaderIsRefused() throws Exception {
        KeyPair attacker = attackerKey();
        assertHeaderKeyTokenRefused(h -> h.jwkURL(URI.create("http://127.0.0.1:" + stack.ports().gateway()
                + "/attacker/jwks.json")), attacker);
    }

    @Test
    void anExpiredTokenSignedByTheAttestationServiceKeyIsRefused() throws Exception {
        Guest guest = new Guest(initData);
        Guest.Session s = guest.auth();
        String genuine = guest.attestedToken(s);
        ECPrivateKey key = attestationSigningKey();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).keyID(kid(genuine))
                .build();
        Instant now = Instant.now();
        // control: the same claims re-signed with the service's key and a live exp are released
        String live = sign(header, claimsAt(genuine, now, now.plusSeconds(300)), key);
        HttpResponse<byte[]> ok = resource(SECRET_PATH, null, live);
        assertThat(ok.statusCode()).as(text(ok)).isEqualTo(200);
        assertThat(guest.keys.decrypt(Response.parse(ok.body()), JweCodec.defaults())).isEqualTo(SECRET);

        Instant exp = now.minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        String expired = sign(header, claimsAt(genuine, exp.minus(Duration.ofMinutes(5)), exp), key);
        double before = storageReads();
        assertRefused(resource(SECRET_PATH, null, expired), 401, "TokenVerifierError", "token expired at " + exp);
        assertThat(storageReads()).isEqualTo(before);
        JsonNode denied = keyEvent(KEY_DENIED, d -> d.path("reason").asString()
                .equals("TokenVerifierError: token expired at " + exp));
        assertThat(denied.path("resourcePath").asString()).isEqualTo(SECRET_PATH);
        assertThat(Optional.ofNullable(denied.get("tokenId")).filter(n -> !n.isNull())).isEmpty();
    }
}
