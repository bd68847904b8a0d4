package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

import com.zaxxer.hikari.HikariDataSource;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.ImagePushed;
import io.cocoplane.contracts.LayerInfo;
import io.cocoplane.contracts.WorkloadStateChanged;
import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.KbsErrorResponseException;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.kbsprotocol.Response;
import io.cocoplane.kbsprotocol.Tee;
import io.cocoplane.kbsprotocol.TeeKeyPair;
import io.cocoplane.keybroker.persistence.BindingRepository;
import tools.jackson.databind.JsonNode;

/** Full RCAR flows with the kbs-protocol {@link KbsClient} against the key broker and the stub attestation service. */
class RcarFlowTest extends KeyBrokerTestBase {

    @Autowired
    DataSource dataSource;
    @Autowired
    io.cocoplane.keybroker.domain.EarTokenVerifier tokens;

    private KbsClient client(InitData init, TeeKeyPair keys) {
        KbsClient.Builder b = KbsClient.builder(base(), new TestEvidenceProvider(Tee.SNP, digest(init)))
                .initData(init);
        if (keys != null) {
            b.keyPair(keys);
        }
        return b.build();
    }

    @Test
    void boundWorkloadReceivesItsSecretAndAnotherInitDataIsDeniedWithAnEvent() {
        String wl = unique("wl");
        String path = "team-a/key/" + unique("model");
        byte[] secret = ("model key " + wl).getBytes(StandardCharsets.UTF_8);
        putSecret(path, secret);
        InitData bound = initData(wl);
        schedule(wl, digest(bound), "sha256:" + "a".repeat(64), List.of(path));

        KbsClient good = client(bound, null);
        long checks = tokens.signatureChecks();
        assertThat(good.getResource(ResourcePath.parse(path))).isEqualTo(secret);
        assertThat(good.handshakeCount()).isEqualTo(1);
        // the token is verified when /attest returns it; the release on the same session does not check it again
        assertThat(tokens.signatureChecks() - checks).isEqualTo(1);
        JsonNode released = keyEvents(path, EventCatalog.KEY_RELEASED, 1).get(0);
        assertThat(released.get("workloadId").asString()).isEqualTo(wl);
        assertThat(released.get("initDataDigest").asString()).isEqualTo(digest(bound));
        assertThat(released.get("tee").asString()).isEqualTo("snp");

        // the same kind of evidence, but the TEE was launched with other init-data
        InitData other = initData(wl + "-other");
        KbsClient stranger = client(other, null);
        assertThatThrownBy(() -> stranger.getResource(ResourcePath.parse(path)))
                .isInstanceOfSatisfying(KbsErrorResponseException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(403);
                    assertThat(e.error().orElseThrow().variant()).isEqualTo("PolicyDeny");
                });
        JsonNode denied = keyEvents(path, EventCatalog.KEY_DENIED, 1).get(0);
        assertThat(denied.get("initDataDigest").asString()).isEqualTo(digest(other));
        assertThat(denied.get("reason").asString()).contains("no live workload is bound to init-data");
        assertThat(denied.toString()).doesNotContain(new String(secret, StandardCharsets.UTF_8));
    }

    @Test
    void theImageKekIsAllowedAutomaticallyAndATerminatedWorkloadLosesItsBinding() {
        String wl = unique("wl");
        String kek = "kek/image/" + unique("k");
        String imageDigest = "sha256:" + "b".repeat(63) + "1";
        byte[] value = "kek bytes".getBytes(StandardCharsets.UTF_8);
        putSecret(kek, value);
        publish(EventCatalog.IMAGE_PUSHED, new ImagePushed("app", imageDigest, List.of("v1"),
                "application/vnd.oci.image.manifest.v1+json", List.of(new LayerInfo("sha256:" + "c".repeat(64),
                "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", 10, true, List.of("provider.attestation-agent"),
                List.of("kbs:///" + kek))), List.of("kbs:///" + kek), null));
        InitData init = initData(wl);
        schedule(wl, digest(init), imageDigest, List.of());

        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM kbs_image_keys WHERE image_digest = ?", Long.class, imageDigest) == 1);
        assertThat(client(init, null).getResource(ResourcePath.parse(kek))).isEqualTo(value);

        // the binding lookup holds one pooled connection at a time: with a pool of one and its shortest wait, a query
        // nested in the row callback (a second connection while the first is held) fails instead of answering
        String lookupKey = jdbc.queryForObject("SELECT lookup_key FROM kbs_workload_binding WHERE workload_id = ?",
                String.class, wl);
        try (HikariDataSource one = new HikariDataSource()) {
            HikariDataSource pool = (HikariDataSource) dataSource;
            one.setJdbcUrl(pool.getJdbcUrl());
            one.setUsername(pool.getUsername());
            one.setPassword(pool.getPassword());
            one.setMaximumPoolSize(1);
            one.setConnectionTimeout(250);
            assertThat(new BindingRepository(new JdbcTemplate(one)).liveByLookupKey(lookupKey)).singleElement()
                    .satisfies(b -> {
                        assertThat(b.workloadId()).isEqualTo(wl);
                        assertThat(b.allowedResources()).contains(kek);
                    });
        }

        publish(EventCatalog.WORKLOAD_STATE_CHANGED, new WorkloadStateChanged(wl, "RUNNING", "TERMINATED", null, null));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM kbs_workload_binding WHERE workload_id = ? AND NOT live", Long.class, wl) == 1);
        assertThatThrownBy(() -> client(init, null).getResource(ResourcePath.parse(kek)))
                .isInstanceOfSatisfying(KbsErrorResponseException.class, e -> assertThat(e.statusCode()).isEqualTo(403));
    }

    @Test
    void responsesDecryptWithIndependentDecodersEcAndRsa() throws Exception {
        String wl = unique("wl");
        String path = "team-b/secret/" + unique("s");
        byte[] secret = "independent decoders".getBytes(StandardCharsets.UTF_8);
        putSecret(path, secret);
        InitData init = initData(wl);
        schedule(wl, digest(init), "sha256:" + "d".repeat(64), List.of(path));

        // EC P-256: the Rust client's way (AAD rebuilt from the parsed header) and nimbus
        TeeKeyPair ec = TeeKeyPair.generateEc();
        KbsClient ecClient = client(init, ec);
        ecClient.attest();
        Response ecResponse = Response.parse(get(path, ecClient.token().orElseThrow()));
        assertThat(JweCodec.defaults().decrypt(ecResponse, ec.privateKey())).isEqualTo(secret);
        assertThat(new String(ecResponse.protectedHeaderBytes(), StandardCharsets.UTF_8))
                .isEqualTo(JweCodec.rebuildProtectedHeader(ecResponse.protectedHeaderBytes()))
                .startsWith("{\"alg\":\"ECDH-ES+A256KW\",\"enc\":\"A256GCM\",\"epk\":{\"crv\":\"P-256\",\"kty\":\"EC\",");
        JWEObject ecJwe = JWEObject.parse(compact(ecResponse));
        ecJwe.decrypt(new ECDHDecrypter((java.security.interfaces.ECPrivateKey) ec.privateKey()));
        assertThat(ecJwe.getPayload().toBytes()).isEqualTo(secret);

        // RSA-OAEP-256: nimbus directly
        TeeKeyPair rsa = TeeKeyPair.generateRsa("RSA-OAEP-256");
        KbsClient rsaClient = client(init, rsa);
        rsaClient.attest();
        Response rsaResponse = Response.parse(get(path, rsaClient.token().orElseThrow()));
        assertThat(new String(rsaResponse.protectedHeaderBytes(), StandardCharsets.UTF_8))
                .isEqualTo("{\"alg\":\"RSA-OAEP-256\",\"enc\":\"A256GCM\"}");
        JWEObject rsaJwe = JWEObject.parse(compact(rsaResponse));
        rsaJwe.decrypt(new RSADecrypter(rsa.privateKey()));
        assertThat(rsaJwe.getPayload().toBytes()).isEqualTo(secret);
        assertThat(JweCodec.defaults().decrypt(rsaResponse, rsa.privateKey())).isEqualTo(secret);
    }

    /** GET with the token as Bearer (passport mode). */
    private byte[] get(String path, String token) {
        var r = send("GET", "/kbs/v0/resource/" + path, null, "Authorization", "Bearer " + token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body().getBytes(StandardCharsets.UTF_8);
    }

    private static String compact(Response r) {
        return r.protectedHeader() + "." + r.encryptedKey() + "." + r.iv() + "." + r.ciphertext() + "." + r.tag();
    }
}
