package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.katasim.SimulatedGuest;
import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.local.demo.Demo;
import io.cocoplane.ocicrypt.DecryptionKeys;
import io.cocoplane.ocicrypt.KeyProviderPacket;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.ocicrypt.OcicryptLayers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 8 must-show: an image encrypted with the CoCo scheme by {@code cococtl image encrypt} (KEK stored in the key
 * broker through the gateway) and pushed to the stack's registry is decrypted by {@code libs/ocicrypt} with the KEK an
 * attested guest fetches from the real key broker over RCAR. The test plays the guest of a workload deployed with that
 * image (init-data from its pod annotation, sample evidence as the simulated node makes it), pulls the encrypted
 * manifest and layers from the registry with a pull token from the gateway, and compares every decrypted layer's
 * digest with the original layout's.
 *
 * <p>The simulated Kata node does the same inside the stack for every pod (LocalStackTest's demo run reaches RUNNING
 * only that way), but it only reports "RUNNING"; this test asserts the digests themselves.
 */
@ExtendWith(RunningStack.class)
class CocoImageKeyBrokerDecryptTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    /** The layer digests of the unencrypted OCI layout's (only) manifest. */
    private static List<String> originalLayerDigests(Path layout) throws Exception {
        JsonNode index = JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
        JsonNode manifest = JSON.readTree(blob(layout, index.get("manifests").get(0).get("digest").asString()));
        return manifest.get("layers").findValuesAsString("digest");
    }

    private static byte[] blob(Path layout, String digest) throws Exception {
        return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    private static HttpResponse<byte[]> registryGet(RunningStack.Stack stack, String path, String token,
                                                    String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + stack.registry() + path))
                .header("Authorization", "Bearer " + token);
        if (accept != null) {
            b.header("Accept", accept);
        }
        return stack.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void theKekFromTheKeyBrokerDecryptsEveryLayerToTheOriginalDigest(RunningStack.Stack stack) throws Exception {
        RunningStack.PushedImage image = stack.pushedImage();
        assertThat(image.encryptOutput().path("scheme").asString()).isEqualTo("coco");
        assertThat(image.encryptOutput().path("keyId").asString()).isEqualTo(image.keyId());

        // a workload running the image: its init-data digest is bound to the image's KEK in the key broker
        Demo.Ctl deploy = stack.deploy("coco-image-e2e");
        assertThat(deploy.code()).as(deploy.toString()).isZero();
        InitDataDocument initData = stack.initData(deploy.json().path("id").asString());

        // the encrypted image as the registry serves it (pull token from the gateway, registry client credentials)
        String basic = "Basic " + Base64.getEncoder().encodeToString((stack.credentials().registryUser() + ":"
                + stack.credentials().registryPassword()).getBytes());
        HttpResponse<String> t = stack.get(stack.gateway() + "/auth/token?service=" + ServiceConfig.REGISTRY_SERVICE
                + "&scope=repository:" + image.repository() + ":pull", basic);
        assertThat(t.statusCode()).as(t.body()).isEqualTo(200);
        String pull = JSON.readTree(t.body()).get("token").asString();
        HttpResponse<byte[]> m = registryGet(stack, "/v2/" + image.repository() + "/manifests/" + image.tag(), pull,
                OciMediaTypes.OCI_MANIFEST);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(sha256(m.body())).isEqualTo(image.encryptOutput().path("manifestDigest").asString());
        JsonNode manifest = JSON.readTree(m.body());

        // the guest: RCAR with the real key broker, then the KEK named by each layer's key-provider packet
        KbsClient guest = KbsClient.builder(URI.create(stack.keybroker()),
                        SimulatedGuest.sampleEvidence("1", initData.digest().hex()))
                .initData(new InitData(InitData.FORMAT_TOML, initData.text())).build();
        byte[] kek = guest.getResource(ResourcePath.parse(image.kekPath()));
        assertThat(kek).hasSize(32);

        List<String> decrypted = new ArrayList<>();
        for (JsonNode layer : manifest.get("layers")) {
            assertThat(OciMediaTypes.isEncrypted(layer.get("mediaType").asString())).isTrue();
            Map<String, String> annotations = new LinkedHashMap<>();
            layer.get("annotations").properties().forEach(e -> annotations.put(e.getKey(), e.getValue().asString()));
            String kid = KeyProviderPacket.parseAnnotation(annotations.get(KeyProviderPacket.ANNOTATION)).kid();
            assertThat(kid).isEqualTo(image.keyId());
            HttpResponse<byte[]> b = registryGet(stack, "/v2/" + image.repository() + "/blobs/"
                    + layer.get("digest").asString(), pull, null);
            assertThat(b.statusCode()).isEqualTo(200);
            assertThat(sha256(b.body())).isEqualTo(layer.get("digest").asString());
            DecryptionKeys keys = DecryptionKeys.of(id -> id.equals(kid) ? Optional.of(kek.clone()) : Optional.empty());
            try (InputStream plain = OcicryptLayers.decrypt(new ByteArrayInputStream(b.body()), annotations,
                    layer.get("size").asLong(), keys)) {
                decrypted.add(sha256(plain.readAllBytes()));
            }
        }
        assertThat(decrypted).isNotEmpty().containsExactlyElementsOf(originalLayerDigests(image.plainLayout()));
        assertThat(manifest.get("layers").findValuesAsString("digest")).doesNotContainAnyElementsOf(decrypted);
    }
}
