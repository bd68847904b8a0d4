package io.cocoplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cocoplane.ocicrypt.DecryptionKeys;
import io.cocoplane.ocicrypt.ManifestEncryptionSummary;
import io.cocoplane.ocicrypt.ManifestInspector;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.ocicrypt.OcicryptLayers;
import tools.jackson.databind.JsonNode;

/**
 * {@code image encrypt} with the CoCo scheme: the KEK the CLI stored through the (stub) gateway decrypts every
 * layer with libs/ocicrypt back to the original blob; pushing to a registry uses a Docker token from the gateway.
 */
class ImageEncryptCocoTest {

    static final String KEK_PATH = "/api/v1/secrets/default/image-kek/";

    @TempDir
    Path dir;
    StubServer gw;

    @BeforeEach
    void start() throws Exception {
        gw = new StubServer();
        gw.on("GET", "/api/v1/secrets", q -> StubServer.Response.json(200,
                "{\"resources\":[{\"path\":\"default/image-kek/taken\",\"size\":32}]}"));
        gw.on("PUT", KEK_PATH + ".+", q -> StubServer.Response.json(200, "{\"path\":\""
                + q.path().substring("/api/v1/secrets/".length()) + "\",\"size\":" + q.body().length + "}"));
        gw.on("DELETE", KEK_PATH + ".+", q -> StubServer.Response.empty(204, Map.of()));
        gw.on("GET", "/auth/token", q -> StubServer.Response.json(200,
                "{\"token\":\"reg-token\",\"access_token\":\"reg-token\",\"expires_in\":300}"));
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Cli.Run run(String... args) {
        return Cli.run(Cli.env(dir.resolve("cfg"), gw.url()), args);
    }

    /** The KEK the CLI sent for {@code name}. */
    private byte[] kek(String name) {
        List<StubServer.Request> puts = gw.requests("PUT", KEK_PATH + name);
        assertThat(puts).hasSize(1);
        assertThat(puts.get(0).header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(puts.get(0).header("Authorization")).isEqualTo("Bearer test-token");
        return puts.get(0).body();
    }

    /** Decrypts every layer of {@code manifest} from {@code blobs} with the KEK and returns the plaintext digests. */
    static List<String> decryptLayers(JsonNode manifest, java.util.function.Function<String, byte[]> blobs,
            String kid, byte[] kek) throws Exception {
        List<String> out = new ArrayList<>();
        for (JsonNode l : manifest.get("layers")) {
            assertThat(l.get("mediaType").asString()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip+encrypted");
            Map<String, String> ann = new LinkedHashMap<>();
            l.get("annotations").properties().forEach(e -> ann.put(e.getKey(), e.getValue().asString()));
            assertThat(ann).containsKeys("org.opencontainers.image.enc.keys.provider.attestation-agent",
                    "org.opencontainers.image.enc.pubopts").doesNotContainKey("org.opencontainers.image.enc.keys.jwe");
            byte[] ciphertext = blobs.apply(l.get("digest").asString());
            assertThat(Digests.of(ciphertext)).isEqualTo(l.get("digest").asString());
            assertThat((long) ciphertext.length).isEqualTo(l.get("size").asLong());
            DecryptionKeys keys = DecryptionKeys.of(id -> id.equals(kid) ? Optional.of(kek) : Optional.empty());
            try (InputStream plain = OcicryptLayers.decrypt(new java.io.ByteArrayInputStream(ciphertext), ann,
                    ciphertext.length, keys)) {
                out.add(Digests.of(plain.readAllBytes()));
            }
        }
        return out;
    }

    @Test
    void theKekStoredInTheKeyBrokerDecryptsEveryLayer() throws Exception {
        TestImages.Image image = TestImages.build(3, 30_000, 11);
        Path src = dir.resolve("plain");
        TestImages.writeLayout(image, src, "v1");
        Path enc = dir.resolve("enc");
        Cli.Run r = run("image", "encrypt", "oci:" + src + ":v1", "--dest", "oci:" + enc + ":v2", "--key-name",
                "llm-chat-1", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        byte[] kek = kek("llm-chat-1");
        assertThat(kek).hasSize(32);
        String kid = "kbs:///default/image-kek/llm-chat-1";
        JsonNode result = Json.MAPPER.readTree(r.out());
        assertThat(result.get("keyId").asString()).isEqualTo(kid);

        OciLayout layout = OciLayout.open(enc);
        byte[] manifestBytes = layout.manifest("v2").bytes();
        assertThat(result.get("manifestDigest").asString()).isEqualTo(Digests.of(manifestBytes));
        JsonNode manifest = Json.MAPPER.readTree(manifestBytes);
        assertThat(manifest.get("mediaType").asString()).isEqualTo(OciMediaTypes.OCI_MANIFEST);
        assertThat(manifest.get("config").get("digest").asString()).isEqualTo(image.configDigest());
        assertThat(manifest.get("annotations").get("org.opencontainers.image.title").asString())
                .isEqualTo("cococtl test image");
        ManifestEncryptionSummary summary = ManifestInspector.inspect(manifestBytes);
        assertThat(summary.allEncrypted()).isTrue();
        assertThat(summary.kbsKeyIds()).containsExactly(kid);

        List<String> plain = decryptLayers(manifest, d -> {
            try {
                return Files.readAllBytes(layout.blobPath(d));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, kid, kek);
        assertThat(plain).containsExactlyElementsOf(image.layerDigests());
        try (var files = Files.list(enc.resolve("blobs"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("sha256"); // no temp files left
        }
    }

    @Test
    void aWrongKekDoesNotDecrypt() throws Exception {
        TestImages.Image image = TestImages.build(1, 100, 12);
        TestImages.writeLayout(image, dir.resolve("plain"), "v1");
        Cli.Run r = run("image", "encrypt", "oci:" + dir.resolve("plain") + ":v1", "--dest",
                "oci:" + dir.resolve("enc") + ":v1", "--key-name", "k1");
        assertThat(r.exit()).as(r.toString()).isZero();
        byte[] wrong = kek("k1").clone();
        wrong[0] ^= 1;
        OciLayout layout = OciLayout.open(dir.resolve("enc"));
        JsonNode manifest = Json.MAPPER.readTree(layout.manifest("v1").bytes());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> decryptLayers(manifest, d -> {
            try {
                return Files.readAllBytes(layout.blobPath(d));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, "kbs:///default/image-kek/k1", wrong)).isInstanceOf(io.cocoplane.ocicrypt.KeyUnwrapException.class);
    }

    @Test
    void anExistingKekIsNotOverwrittenWithoutReplaceKey() throws Exception {
        TestImages.writeLayout(TestImages.build(1, 100, 13), dir.resolve("plain"), "v1");
        Cli.Run r = run("image", "encrypt", "oci:" + dir.resolve("plain") + ":v1", "--dest",
                "oci:" + dir.resolve("enc") + ":v1", "--key-name", "taken");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("already holds default/image-kek/taken");
        assertThat(gw.requests("PUT", KEK_PATH)).isEmpty();
        assertThat(dir.resolve("enc")).doesNotExist();
    }

    @Test
    void aCorruptSourceLayerExitsFourAndTheKekIsWithdrawn() throws Exception {
        TestImages.Image image = TestImages.build(2, 5000, 14);
        Path src = dir.resolve("plain");
        TestImages.writeLayout(image, src, "v1");
        Path blob = OciLayout.open(src).blobPath(image.layerDigests().get(1));
        byte[] b = Files.readAllBytes(blob);
        b[b.length / 2] ^= 1;
        Files.write(blob, b);
        Cli.Run r = run("image", "encrypt", "oci:" + src + ":v1", "--dest", "oci:" + dir.resolve("enc") + ":v1");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.VERIFICATION_FAILED);
        assertThat(r.err()).contains("layer 2: blob content digest");
        assertThat(gw.requests("DELETE", KEK_PATH + "enc-v1")).hasSize(1); // default name: <dir>-<tag>
        JsonNode index = Json.MAPPER.readTree(Files.readAllBytes(dir.resolve("enc").resolve("index.json")));
        assertThat(index.get("manifests")).isEmpty(); // no image was tagged
    }

    @Test
    void pushesToARegistryWithATokenFromTheGatewayAndPullsFromOne() throws Exception {
        try (StubRegistry registry = new StubRegistry(gw.url() + "/auth/token", "reg-token")) {
            TestImages.Image image = TestImages.build(2, 20_000, 15);
            registry.put("src/app", "v1", image, OciMediaTypes.OCI_MANIFEST);
            Cli.Run r = run("image", "encrypt", "docker://" + registry.host() + "/src/app:v1", "--dest",
                    "docker://" + registry.host() + "/enc/app:v1", "--plain-http", "--output", "json");
            assertThat(r.exit()).as(r.toString()).isZero();
            byte[] kek = kek("enc-app-v1");

            List<StubServer.Request> tokens = gw.requests("GET", "/auth/token");
            assertThat(tokens).extracting(t -> t.param("scope"))
                    .containsExactlyInAnyOrder("repository:src/app:pull", "repository:enc/app:pull,push");
            assertThat(tokens).allSatisfy(t -> {
                assertThat(t.param("service")).isEqualTo("cocoplane-registry");
                assertThat(t.header("Authorization")).isEqualTo("Bearer test-token");
            });
            byte[] manifestBytes = registry.manifests.get("enc/app:v1");
            assertThat(manifestBytes).isNotNull();
            assertThat(registry.manifestTypes.get(Digests.of(manifestBytes))).isEqualTo(OciMediaTypes.OCI_MANIFEST);
            JsonNode manifest = Json.MAPPER.readTree(manifestBytes);
            assertThat(registry.blobs).containsKey(manifest.get("config").get("digest").asString());
            List<String> plain = decryptLayers(manifest, registry.blobs::get, "kbs:///default/image-kek/enc-app-v1",
                    kek);
            assertThat(plain).containsExactlyElementsOf(image.layerDigests());
            assertThat(Json.MAPPER.readTree(r.out()).get("manifestDigest").asString())
                    .isEqualTo(Digests.of(manifestBytes));
        }
    }

    @Test
    void inspectReportsTheKeyIdOfAnEncryptedLayout() throws Exception {
        TestImages.writeLayout(TestImages.build(2, 100, 16), dir.resolve("plain"), "v1");
        assertThat(run("image", "encrypt", "oci:" + dir.resolve("plain") + ":v1", "--dest",
                "oci:" + dir.resolve("enc") + ":v1", "--key-name", "k2").exit()).isZero();
        Cli.Run r = run("image", "inspect", "oci:" + dir.resolve("enc") + ":v1", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode o = Json.MAPPER.readTree(r.out());
        assertThat(o.get("encrypted").asBoolean()).isTrue();
        assertThat(o.get("kbsKeyIds").get(0).asString()).isEqualTo("kbs:///default/image-kek/k2");
        assertThat(o.get("layers").get(1).get("recipients").get(0).asString()).isEqualTo("provider:attestation-agent");
    }
}
