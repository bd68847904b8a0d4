package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Decrypts the images that skopeo 1.9.3 / ocicrypt 1.0.3 (and the CoCo packet tool) wrote into
 * {@code shared/testdata/images/ocicrypt-fixture}. Skipped when the shared folder is absent.
 */
class FixtureInteropTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String FIXTURE = "images/ocicrypt-fixture";

    private record Layer(String mediaType, String digest, long size, Map<String, String> annotations, Path blob) {
    }

    private static Path fixture() {
        return SharedTestData.require(FIXTURE);
    }

    private static Path blob(String digest) {
        return fixture().resolve("oci-layout/blobs/sha256").resolve(digest.substring("sha256:".length()));
    }

    private static byte[] manifestBytes(String tag) throws Exception {
        JsonNode index = JSON.readTree(fixture().resolve("oci-layout/index.json").toFile());
        for (JsonNode m : index.get("manifests")) {
            if (tag.equals(m.get("annotations").get("org.opencontainers.image.ref.name").stringValue())) {
                return Files.readAllBytes(blob(m.get("digest").stringValue()));
            }
        }
        throw new AssertionError("tag " + tag + " not in the fixture index");
    }

    private static Layer layer0(String tag) throws Exception {
        JsonNode l = JSON.readTree(manifestBytes(tag)).get("layers").get(0);
        Map<String, String> ann = new LinkedHashMap<>();
        if (l.has("annotations")) {
            l.get("annotations").properties().forEach(e -> ann.put(e.getKey(), e.getValue().stringValue()));
        }
        String digest = l.get("digest").stringValue();
        return new Layer(l.get("mediaType").stringValue(), digest, l.get("size").longValue(), ann, blob(digest));
    }

    private static String diffId0() throws Exception {
        String cfg = JSON.readTree(manifestBytes("plain")).get("config").get("digest").stringValue();
        return JSON.readTree(Files.readAllBytes(blob(cfg))).get("rootfs").get("diff_ids").get(0).stringValue();
    }

    private static PrivateKey key(String name) throws Exception {
        return KeyMaterial.parsePrivateKey(Files.readAllBytes(fixture().resolve("keys").resolve(name)));
    }

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** Decrypts layer 0 of {@code tag} and checks it against the plain tag's layer digest and the config diff_id. */
    private static void assertDecryptsToPlain(String tag, DecryptionKeys keys) throws Exception {
        Layer plain = layer0("plain");
        Layer enc = layer0(tag);
        assertThat(enc.mediaType()).isEqualTo(OciMediaTypes.toEncrypted(plain.mediaType()));
        assertThat(OciMediaTypes.toDecrypted(enc.mediaType())).isEqualTo(plain.mediaType());
        byte[] out;
        try (InputStream in = OcicryptLayers.decrypt(Files.newInputStream(enc.blob()), enc.annotations(), enc.size(),
                keys)) {
            out = in.readAllBytes();
        }
        assertThat(sha256(out)).isEqualTo(plain.digest());
        assertThat(out.length).isEqualTo(plain.size());
        try (InputStream tar = new GZIPInputStream(new ByteArrayInputStream(out))) {
            assertThat(sha256(tar.readAllBytes())).isEqualTo(diffId0());
        }
        assertThat(OcicryptLayers.decryptedAnnotations(enc.annotations())).isEmpty();
    }

    @Test
    void encryptedTagOpensWithTheRsaKey() throws Exception {
        assertDecryptsToPlain("encrypted", DecryptionKeys.of(key("TEST-ONLY-DO-NOT-USE-rsa2048-private.pem")));
    }

    @Test
    void encryptedMultiTagOpensWithEitherKey() throws Exception {
        assertDecryptsToPlain("encrypted-multi", DecryptionKeys.of(key("TEST-ONLY-DO-NOT-USE-rsa2048-private.pem")));
        assertDecryptsToPlain("encrypted-multi", DecryptionKeys.of(key("TEST-ONLY-DO-NOT-USE-ec-p256-private.pem")));
    }

    @Test
    void cocoKbsTagOpensWithTheKek() throws Exception {
        byte[] kek = Files.readAllBytes(fixture().resolve("keys/TEST-ONLY-DO-NOT-USE-coco-kek-32bytes.bin"));
        String kid = "kbs:///default/image-kek/coco-fixture";
        assertDecryptsToPlain("coco-kbs", DecryptionKeys.of(k -> kid.equals(k) ? Optional.of(kek) : Optional.empty()));
    }

    @Test
    void wrongKeysAreRefusedWithTypedErrors() throws Exception {
        Layer enc = layer0("encrypted");
        DecryptionKeys ecOnly = DecryptionKeys.of(key("TEST-ONLY-DO-NOT-USE-ec-p256-private.pem"));
        assertThatThrownBy(() -> OcicryptLayers.decrypt(Files.newInputStream(enc.blob()), enc.annotations(),
                enc.size(), ecOnly)).isExactlyInstanceOf(KeyUnwrapException.class);
        Layer coco = layer0("coco-kbs");
        assertThatThrownBy(() -> OcicryptLayers.decrypt(Files.newInputStream(coco.blob()), coco.annotations(),
                coco.size(), DecryptionKeys.of(k -> Optional.of(new byte[32]))))
                .isExactlyInstanceOf(KeyUnwrapException.class);
    }

    @Test
    void reEncryptingThePlainLayerWithTheUnwrappedOptionsReproducesSkopeosCiphertext() throws Exception {
        Layer enc = layer0("encrypted");
        PrivateOptions p = OcicryptLayers.unwrapPrivateOptions(enc.annotations(),
                DecryptionKeys.of(key("TEST-ONLY-DO-NOT-USE-rsa2048-private.pem")));
        assertThat(p.digest()).isEqualTo(layer0("plain").digest());
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        LayerEncryptionResult r;
        try (EncryptingLayerStream s = LayerCipher.encrypt(Files.newInputStream(layer0("plain").blob()),
                p.symmetricKey(), p.nonce())) {
            s.transferTo(ct);
            r = s.result();
        }
        assertThat(ct.toByteArray()).isEqualTo(Files.readAllBytes(enc.blob()));
        assertThat(r.ciphertextDigest()).isEqualTo(enc.digest());
        assertThat(r.publicOptions()).isEqualTo(PublicOptions.parseAnnotation(enc.annotations().get(
                OcicryptLayers.PUBOPTS)));
    }

    @Test
    void rewrappingTheSkopeoLayerForAKekOpensTheSameBlob() throws Exception {
        Layer enc = layer0("encrypted");
        byte[] kek = TestKeys.random(32);
        Map<String, String> coco = OcicryptLayers.rewrap(enc.annotations(),
                DecryptionKeys.of(key("TEST-ONLY-DO-NOT-USE-rsa2048-private.pem")), List.of(),
                new CocoRecipient("kbs:///default/image-kek/rewrap", kek));
        byte[] out;
        try (InputStream in = OcicryptLayers.decrypt(Files.newInputStream(enc.blob()), coco, enc.size(),
                DecryptionKeys.of(k -> Optional.of(kek)))) {
            out = in.readAllBytes();
        }
        assertThat(sha256(out)).isEqualTo(layer0("plain").digest());
    }

    @Test
    void cocoPacketMatchesTheDecodedFile() throws Exception {
        Layer coco = layer0("coco-kbs");
        KeyProviderPacket p = KeyProviderPacket.parseAnnotation(coco.annotations().get(KeyProviderPacket.ANNOTATION));
        JsonNode decoded = JSON.readTree(fixture().resolve("decoded/coco-kbs-layer0-annotation-packet.json").toFile());
        assertThat(p.kid()).isEqualTo(decoded.get("kid").stringValue());
        assertThat(p.wrapType()).isEqualTo(decoded.get("wrap_type").stringValue());
        assertThat(JSON.readTree(p.toJson())).isEqualTo(decoded);
        // Our serialisation reproduces the annotation byte for byte (compact JSON, standard padded base64).
        assertThat(p.toAnnotationValue()).isEqualTo(coco.annotations().get(KeyProviderPacket.ANNOTATION));
    }

    @Test
    void privateOptionsMatchTheDecodedFile() throws Exception {
        PrivateOptions p = OcicryptLayers.unwrapPrivateOptions(layer0("encrypted").annotations(),
                DecryptionKeys.of(key("TEST-ONLY-DO-NOT-USE-rsa2048-private.pem")));
        JsonNode decoded = JSON.readTree(
                fixture().resolve("decoded/encrypted-layer0-privopts.DECRYPTED-TEST-ONLY.json").toFile());
        assertThat(JSON.readTree(p.toJson())).isEqualTo(decoded);
    }

    @Test
    void inspectorListsTheFixtureManifests() throws Exception {
        ManifestEncryptionSummary plain = ManifestInspector.inspect(manifestBytes("plain"));
        assertThat(plain.anyEncrypted()).isFalse();
        ManifestEncryptionSummary multi = ManifestInspector.inspect(manifestBytes("encrypted-multi"));
        assertThat(multi.allEncrypted()).isTrue();
        assertThat(multi.layers().get(0).recipientKinds()).containsExactly("jwe");
        assertThat(multi.layers().get(0).jweAlgorithms()).containsExactly("RSA-OAEP", "ECDH-ES+A256KW");
        assertThat(multi.keyIds()).isEmpty();
        ManifestEncryptionSummary coco = ManifestInspector.inspect(manifestBytes("coco-kbs"));
        assertThat(coco.layers().get(0).recipientKinds()).containsExactly("provider:attestation-agent");
        assertThat(coco.kbsKeyIds()).containsExactly("kbs:///default/image-kek/coco-fixture");
    }

    @Test
    void wrappingForTheFixturePublicKeysOpensWithTheFixturePrivateKeys() throws Exception {
        byte[] payload = "{\"symkey\":\"test\"}".getBytes();
        List<JweRecipient> recipients = List.of(
                JweRecipient.of(KeyMaterial.parsePublicKey(
                        Files.readAllBytes(fixture().resolve("keys/TEST-ONLY-rsa2048-public.pem")))),
                JweRecipient.of(KeyMaterial.parsePublicKey(
                        Files.readAllBytes(fixture().resolve("keys/TEST-ONLY-ec-p256-public.pem")))));
        String ann = JweKeyWrapper.wrap(payload, recipients);
        assertThat(JweKeyWrapper.unwrap(ann, List.of(key("TEST-ONLY-DO-NOT-USE-ec-p256-private.pem"))))
                .isEqualTo(payload);
        assertThat(JweKeyWrapper.unwrap(ann, List.of(key("TEST-ONLY-DO-NOT-USE-rsa2048-private.pem"))))
                .isEqualTo(payload);
    }
}
