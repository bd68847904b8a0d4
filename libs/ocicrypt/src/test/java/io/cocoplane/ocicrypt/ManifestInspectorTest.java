package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class ManifestInspectorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String GZ = "application/vnd.oci.image.layer.v1.tar+gzip";
    private static final String D = "sha256:" + "ab".repeat(32);

    private static ObjectNode manifest() {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OciMediaTypes.OCI_MANIFEST);
        ObjectNode cfg = m.putObject("config");
        cfg.put("mediaType", "application/vnd.oci.image.config.v1+json");
        cfg.put("digest", "sha256:" + "c".repeat(64));
        cfg.put("size", 370);
        m.putArray("layers");
        return m;
    }

    private static void addLayer(ObjectNode m, String mediaType, char digestChar, Map<String, String> ann) {
        ObjectNode l = ((ArrayNode) m.get("layers")).addObject();
        l.put("mediaType", mediaType);
        l.put("digest", "sha256:" + String.valueOf(digestChar).repeat(64));
        l.put("size", 328);
        if (!ann.isEmpty()) {
            ObjectNode a = l.putObject("annotations");
            ann.forEach(a::put);
        }
    }

    private static Map<String, String> encryptedAnnotations(List<JweRecipient> jwe, CocoRecipient coco)
            throws Exception {
        EncryptingLayerStream s = LayerCipher.encrypt(new ByteArrayInputStream(new byte[10]));
        s.readAllBytes();
        return OcicryptLayers.annotations(s.result(), jwe, coco);
    }

    @Test
    void listsEncryptionStateRecipientKindsAndKbsKeyIds() throws Exception {
        ObjectNode m = manifest();
        addLayer(m, GZ, 'a', Map.of());
        addLayer(m, GZ + "+encrypted", 'b', encryptedAnnotations(
                List.of(JweRecipient.of(TestKeys.RSA.getPublic()), JweRecipient.of(TestKeys.EC.getPublic())),
                new CocoRecipient("kbs:///default/image-kek/layer1", TestKeys.random(32))));
        addLayer(m, GZ + "+encrypted", 'd', encryptedAnnotations(List.of(),
                new CocoRecipient("kbs:///default/image-kek/layer2", TestKeys.random(32))));
        Map<String, String> other = new java.util.LinkedHashMap<>(encryptedAnnotations(List.of(),
                new CocoRecipient("kbs:///default/image-kek/layer1", TestKeys.random(32))));
        other.put("org.opencontainers.image.enc.keys.pkcs7", "MIIB");
        other.put("org.opencontainers.image.enc.keys.provider.my-kms", "b3BhcXVl");
        addLayer(m, "application/vnd.oci.image.layer.v1.tar+encrypted", 'e', other);

        ManifestEncryptionSummary s = ManifestInspector.inspect(JSON.writeValueAsBytes(m));

        assertThat(s.layers()).hasSize(4);
        assertThat(s.anyEncrypted()).isTrue();
        assertThat(s.allEncrypted()).isFalse();
        LayerEncryptionInfo plain = s.layers().get(0);
        assertThat(plain.encrypted()).isFalse();
        assertThat(plain.recipientKinds()).isEmpty();
        assertThat(plain.digest()).isEqualTo("sha256:" + "a".repeat(64));
        assertThat(plain.size()).isEqualTo(328);

        LayerEncryptionInfo l1 = s.layers().get(1);
        assertThat(l1.encrypted()).isTrue();
        assertThat(l1.recipientKinds()).containsExactly("jwe", "provider:attestation-agent");
        assertThat(l1.jweAlgorithms()).containsExactly("RSA-OAEP", "ECDH-ES+A256KW");
        assertThat(l1.keyIds()).containsExactly("kbs:///default/image-kek/layer1");

        assertThat(s.layers().get(3).recipientKinds())
                .containsExactly("provider:attestation-agent", "pkcs7", "provider:my-kms");
        assertThat(s.keyIds()).containsExactly("kbs:///default/image-kek/layer1", "kbs:///default/image-kek/layer2");
        assertThat(s.kbsKeyIds()).isEqualTo(s.keyIds());
    }

    @Test
    void allEncryptedNeedsEveryLayer() throws Exception {
        ObjectNode m = manifest();
        addLayer(m, GZ + "+encrypted", 'b', Map.of());
        assertThat(ManifestInspector.inspect(JSON.writeValueAsBytes(m)).allEncrypted()).isTrue();
        assertThat(ManifestInspector.inspect(JSON.writeValueAsBytes(manifest())).allEncrypted()).isFalse();
    }

    @Test
    void malformedCocoPacketInAManifestIsRejected() {
        ObjectNode m = manifest();
        addLayer(m, GZ + "+encrypted", 'b', Map.of(KeyProviderPacket.ANNOTATION, "e30="));
        assertThatThrownBy(() -> ManifestInspector.inspect(JSON.writeValueAsBytes(m)))
                .isInstanceOf(MalformedAnnotationException.class).hasMessageContaining("kid");
    }

    @Test
    void malformedManifestsAreTyped() {
        String[] bad = {"", "[]", "{}", "{\"schemaVersion\":1,\"layers\":[]}",
            "{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.OCI_INDEX + "\",\"manifests\":[]}",
            "{\"schemaVersion\":2,\"manifests\":[],\"layers\":[]}",
            "{\"schemaVersion\":2,\"layers\":{}}",
            "{\"schemaVersion\":2,\"layers\":[1]}",
            "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"nope\",\"size\":1}]}",
            "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"sha256:ab\",\"size\":1}]}",
            "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"sha256:" + "AB".repeat(32)
                    + "\",\"size\":1}]}",
            "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"" + D + "\",\"size\":-1}]}",
            "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"" + D + "\",\"size\":1.5}]}",
            "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":1,\"digest\":\"" + D + "\",\"size\":1}]}",
            "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"" + D + "\",\"size\":1,"
                    + "\"annotations\":{\"a\":1}}]}",
            "{\"schemaVersion\":2,\"schemaVersion\":2,\"layers\":[]}",
            "{\"schemaVersion\":2,\"layers\":[]} trailing",
            "[".repeat(100)};
        for (String s : bad) {
            assertThatThrownBy(() -> ManifestInspector.inspect(s.getBytes(StandardCharsets.UTF_8))).as(s)
                    .isInstanceOf(MalformedAnnotationException.class);
        }
        assertThatThrownBy(() -> ManifestInspector.inspect(new byte[ManifestInspector.MAX_MANIFEST_BYTES + 1]))
                .isInstanceOf(MalformedAnnotationException.class);
    }

    @Test
    void minimalValidLayerIsAccepted() throws Exception {
        String ok = "{\"schemaVersion\":2,\"layers\":[{\"mediaType\":\"x\",\"digest\":\"" + D + "\",\"size\":0}]}";
        LayerEncryptionInfo l = ManifestInspector.inspect(ok.getBytes(StandardCharsets.UTF_8)).layers().get(0);
        assertThat(l.digest()).isEqualTo(D);
        assertThat(l.encrypted()).isFalse();
    }

    @Test
    void tooManyLayersIsRejected() {
        ObjectNode m = manifest();
        for (int i = 0; i <= ManifestInspector.MAX_LAYERS; i++) {
            addLayer(m, GZ, 'a', Map.of());
        }
        assertThatThrownBy(() -> ManifestInspector.inspect(JSON.writeValueAsBytes(m)))
                .isInstanceOf(MalformedAnnotationException.class).hasMessageContaining("layers");
    }
}
