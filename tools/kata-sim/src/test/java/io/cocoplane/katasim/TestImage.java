package io.cocoplane.katasim;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import io.cocoplane.ocicrypt.CocoRecipient;
import io.cocoplane.ocicrypt.EncryptingLayerStream;
import io.cocoplane.ocicrypt.LayerCipher;
import io.cocoplane.ocicrypt.LayerEncryptionResult;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.ocicrypt.OcicryptLayers;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OCI image built in the test: gzip layers, optionally encrypted with libs/ocicrypt under a chosen KEK with the
 * CoCo key-provider annotation (as {@code cococtl image encrypt} does), a config whose {@code rootfs.diff_ids} are the
 * sha256 of the plain tars, and the manifest.
 */
final class TestImage {

    /**
     * One layer.
     *
     * @param plainBytes size of the (pseudo-random) uncompressed tar
     * @param kid        CoCo key id, or null for a plain layer
     * @param kek        32-byte KEK, or null for a plain layer
     */
    record Layer(int plainBytes, String kid, byte[] kek) {
        static Layer plain(int size) {
            return new Layer(size, null, null);
        }

        static Layer encrypted(int size, String kid, byte[] kek) {
            return new Layer(size, kid, kek);
        }
    }

    static final JsonMapper JSON = JsonMapper.builder().build();

    final String repository;
    final Map<String, byte[]> blobs = new LinkedHashMap<>();
    final List<String> diffIds = new ArrayList<>();
    final List<String> layerDigests = new ArrayList<>();
    byte[] manifest;
    String digest;

    private TestImage(String repository) {
        this.repository = repository;
    }

    /**
     * @param repository   repository name
     * @param layers       the layers
     * @param corruptDiffId index of the layer whose diff_id in the config is wrong, or -1
     * @return the image
     */
    static TestImage build(String repository, List<Layer> layers, int corruptDiffId) throws Exception {
        TestImage img = new TestImage(repository);
        Random random = new Random(repository.hashCode());
        ArrayNode layerNodes = JSON.createArrayNode();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            byte[] tar = new byte[l.plainBytes()];
            random.nextBytes(tar);
            for (int j = 0; j < tar.length; j += 3) {
                tar[j] = 'a'; // compressible, like a real tar
            }
            String diffId = sha256(tar);
            if (i == corruptDiffId) {
                byte[] other = tar.clone();
                other[0] ^= 1;
                diffId = sha256(other);
            }
            img.diffIds.add(diffId);
            byte[] gz = gzip(tar);
            ObjectNode d = layerNodes.addObject();
            if (l.kid() == null) {
                d.put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip");
                d.put("digest", sha256(gz));
                d.put("size", gz.length);
                img.blobs.put(sha256(gz), gz);
                img.layerDigests.add(sha256(gz));
            } else {
                EncryptingLayerStream enc = LayerCipher.encrypt(new ByteArrayInputStream(gz));
                byte[] ct = enc.readAllBytes();
                LayerEncryptionResult r = enc.result();
                Map<String, String> ann = OcicryptLayers.annotations(r, List.of(), new CocoRecipient(l.kid(), l.kek()));
                d.put("mediaType", OciMediaTypes.toEncrypted("application/vnd.oci.image.layer.v1.tar+gzip"));
                d.put("digest", r.ciphertextDigest());
                d.put("size", r.size());
                ObjectNode a = d.putObject("annotations");
                ann.forEach(a::put);
                img.blobs.put(r.ciphertextDigest(), ct);
                img.layerDigests.add(r.ciphertextDigest());
            }
        }
        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        img.diffIds.forEach(ids::add);
        byte[] configBytes = JSON.writeValueAsBytes(config);
        img.blobs.put(sha256(configBytes), configBytes);

        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OciMediaTypes.OCI_MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", "application/vnd.oci.image.config.v1+json");
        c.put("digest", sha256(configBytes));
        c.put("size", configBytes.length);
        m.set("layers", layerNodes);
        img.manifest = JSON.writeValueAsBytes(m);
        img.digest = sha256(img.manifest);
        return img;
    }

    /** @return {@code <registry>/<repository>@<digest>} */
    String reference(String registry) {
        return registry + "/" + repository + "@" + digest;
    }

    static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        }
        return out.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
