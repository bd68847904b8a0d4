package io.cocoplane.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * Writes a single-layer OCI image layout: one uncompressed tar layer holding one file of random (incompressible)
 * bytes, a config, a manifest and an {@code index.json} naming it by a tag.
 */
final class OciImage {

    static final String LAYER_TYPE = "application/vnd.oci.image.layer.v1.tar";
    static final String CONFIG_TYPE = "application/vnd.oci.image.config.v1+json";
    static final String MANIFEST_TYPE = "application/vnd.oci.image.manifest.v1+json";

    record Built(String layerDigest, long layerSize, String manifestDigest) {
    }

    private OciImage() {
    }

    /**
     * @param layout  directory to create the layout in (created)
     * @param tag     the {@code org.opencontainers.image.ref.name}
     * @param payload bytes of random content in the layer's one file
     * @param seed    random seed (a new seed per run gives new blobs, so no registry can skip the upload)
     */
    static Built write(Path layout, String tag, long payload, long seed) throws IOException {
        Path blobs = layout.resolve("blobs/sha256");
        Files.createDirectories(blobs);
        Path tmp = blobs.resolve("layer.tmp");
        MessageDigest md = sha256();
        long size;
        try (OutputStream raw = Files.newOutputStream(tmp);
             var buffered = new java.io.BufferedOutputStream(raw, 1 << 20);
             DigestOutputStream out = new DigestOutputStream(buffered, md)) {
            size = writeTar(out, "bench.bin", payload, new SplittableRandom(seed));
        }
        String layerHex = HexFormat.of().formatHex(md.digest());
        Files.move(tmp, blobs.resolve(layerHex));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + layerHex + "\"]}}";
        String configHex = putBlob(blobs, config.getBytes(StandardCharsets.UTF_8));
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST_TYPE + "\",\"config\":{\"mediaType\":\""
                + CONFIG_TYPE + "\",\"digest\":\"sha256:" + configHex + "\",\"size\":"
                + config.getBytes(StandardCharsets.UTF_8).length + "},\"layers\":[{\"mediaType\":\"" + LAYER_TYPE
                + "\",\"digest\":\"sha256:" + layerHex + "\",\"size\":" + size + "}]}";
        byte[] mb = manifest.getBytes(StandardCharsets.UTF_8);
        String manifestHex = putBlob(blobs, mb);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(layout.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                + MANIFEST_TYPE + "\",\"digest\":\"sha256:" + manifestHex + "\",\"size\":" + mb.length
                + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
        return new Built("sha256:" + layerHex, size, "sha256:" + manifestHex);
    }

    /** Writes a POSIX ustar archive with one regular file of {@code payload} random bytes; returns its length. */
    static long writeTar(OutputStream out, String name, long payload, SplittableRandom random) throws IOException {
        out.write(tarHeader(name, payload));
        byte[] buf = new byte[1 << 20];
        long left = payload;
        while (left > 0) {
            random.nextBytes(buf);
            int n = (int) Math.min(buf.length, left);
            out.write(buf, 0, n);
            left -= n;
        }
        int pad = (int) ((512 - payload % 512) % 512);
        out.write(new byte[pad + 1024]); // padding to the block, then two zero blocks
        return 512 + payload + pad + 1024;
    }

    static byte[] tarHeader(String name, long size) {
        byte[] h = new byte[512];
        put(h, 0, name, 100);
        put(h, 100, "0000644", 8);
        put(h, 108, "0000000", 8);
        put(h, 116, "0000000", 8);
        put(h, 124, String.format("%011o", size), 12);
        put(h, 136, String.format("%011o", 1_700_000_000L), 12);
        java.util.Arrays.fill(h, 148, 156, (byte) ' ');
        h[156] = '0';
        put(h, 257, "ustar", 6);
        h[263] = '0';
        h[264] = '0';
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, String.format("%06o", sum), 7);
        h[155] = ' ';
        return h;
    }

    private static void put(byte[] h, int off, String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, h, off, Math.min(b.length, max));
    }

    private static String putBlob(Path blobs, byte[] content) throws IOException {
        String hex = HexFormat.of().formatHex(sha256().digest(content));
        Files.write(blobs.resolve(hex), content);
        return hex;
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
