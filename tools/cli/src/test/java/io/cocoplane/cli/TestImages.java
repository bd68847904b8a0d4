package io.cocoplane.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import io.cocoplane.ocicrypt.OciMediaTypes;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small plain images made in Java: ustar layers, gzip, config with diff_ids, OCI manifest and layout. */
final class TestImages {

    /**
     * A built image.
     *
     * @param layerDigests digests of the gzip layer blobs, in order
     * @param layers       the gzip layer blobs
     * @param config       config bytes
     * @param manifest     manifest bytes
     */
    record Image(List<String> layerDigests, List<byte[]> layers, byte[] config, byte[] manifest) {
        String configDigest() {
            return Digests.of(config);
        }

        String manifestDigest() {
            return Digests.of(manifest);
        }
    }

    private TestImages() {
    }

    /** A POSIX ustar archive of the given files (name → content), with fixed metadata. */
    static byte[] tar(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            byte[] h = new byte[512];
            put(h, 0, f.getKey(), 100);
            put(h, 100, "0000644", 8);
            put(h, 108, "0000000", 8);
            put(h, 116, "0000000", 8);
            put(h, 124, String.format("%011o", f.getValue().length), 12);
            put(h, 136, String.format("%011o", 1_700_000_000L), 12);
            java.util.Arrays.fill(h, 148, 156, (byte) ' ');
            h[156] = '0';
            put(h, 257, "ustar", 6);
            put(h, 263, "00", 2);
            int sum = 0;
            for (byte b : h) {
                sum += b & 0xff;
            }
            put(h, 148, String.format("%06o", sum), 7);
            h[155] = ' ';
            out.write(h);
            out.write(f.getValue());
            int pad = (512 - f.getValue().length % 512) % 512;
            out.write(new byte[pad]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] h, int off, String s, int len) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, len));
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    /** Builds an image of {@code layerCount} layers; layer i holds a few files, one of {@code bigBytes} random. */
    static Image build(int layerCount, int bigBytes, long seed) throws IOException {
        Random random = new Random(seed);
        List<byte[]> layers = new ArrayList<>();
        List<String> digests = new ArrayList<>();
        ObjectNode config = Json.object();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        config.putObject("config").putArray("Cmd").add("/bin/app");
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode diffIds = rootfs.putArray("diff_ids");
        for (int i = 0; i < layerCount; i++) {
            byte[] big = new byte[bigBytes];
            random.nextBytes(big);
            Map<String, byte[]> files = new java.util.LinkedHashMap<>();
            files.put("app/layer" + i + ".txt", ("layer " + i + " seed " + seed + "\n").getBytes(StandardCharsets.UTF_8));
            files.put("app/blob" + i + ".bin", big);
            byte[] tar = tar(files);
            diffIds.add(Digests.of(tar));
            byte[] gz = gzip(tar);
            layers.add(gz);
            digests.add(Digests.of(gz));
        }
        byte[] configBytes = Json.bytes(config);
        ObjectNode m = Json.object();
        m.put("schemaVersion", 2);
        m.put("mediaType", OciMediaTypes.OCI_MANIFEST);
        ObjectNode c = m.putObject("config");
        c.put("mediaType", "application/vnd.oci.image.config.v1+json");
        c.put("digest", Digests.of(configBytes));
        c.put("size", configBytes.length);
        ArrayNode ls = m.putArray("layers");
        for (int i = 0; i < layerCount; i++) {
            ObjectNode l = ls.addObject();
            l.put("mediaType", "application/vnd.oci.image.layer.v1.tar+gzip");
            l.put("digest", digests.get(i));
            l.put("size", layers.get(i).length);
        }
        m.putObject("annotations").put("org.opencontainers.image.title", "cococtl test image");
        return new Image(digests, layers, configBytes, Json.bytes(m));
    }

    /** Writes the image into an OCI layout under {@code tag}. */
    static void writeLayout(Image image, Path dir, String tag) throws IOException {
        OciLayout layout = OciLayout.create(dir);
        for (byte[] l : image.layers()) {
            layout.putBlob(l, Digests.of(l));
        }
        layout.putBlob(image.config(), image.configDigest());
        layout.putManifest(tag, image.manifest(), OciMediaTypes.OCI_MANIFEST);
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair ec() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** Writes {@code pub.pem} (SPKI) and {@code priv.pem} (PKCS#8) into {@code dir}. */
    static void writePem(KeyPair kp, Path pub, Path priv) throws IOException {
        Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        Files.writeString(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
