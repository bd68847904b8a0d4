package io.cocoplane.local.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import tools.jackson.databind.json.JsonMapper;

/**
 * The demo's small {@code llm-chat} image as an OCI image layout (image-spec {@code image-layout.md}): one
 * uncompressed tar layer ({@code application/vnd.oci.image.layer.v1.tar}) holding a few files that stand for model
 * weights and a server script, an OCI config whose {@code rootfs.diff_ids} is the layer's digest, a manifest and an
 * {@code index.json} naming it with tag {@code 1}.
 */
public final class LlmChatImage {

    /** The tag the layout's manifest carries ({@code org.opencontainers.image.ref.name}). */
    public static final String TAG = "1";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LlmChatImage() {
    }

    /**
     * Writes the layout into {@code dir} (created; existing files of the same names are replaced).
     *
     * @param dir the layout directory
     * @return the manifest's digest ({@code sha256:<64 hex>})
     * @throws IOException when the directory cannot be written
     */
    public static String write(Path dir) throws IOException {
        Path blobs = dir.resolve("blobs").resolve("sha256");
        Files.createDirectories(blobs);
        byte[] layer = layer();
        String layerDigest = put(blobs, layer);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", "amd64");
        config.put("os", "linux");
        // sorted maps: the same bytes, hence the same digests, on every run
        config.put("config", new TreeMap<>(Map.of("Entrypoint", List.of("/app/serve.sh"), "Env",
                List.of("MODEL=/models/llm-chat/weights.bin"))));
        config.put("rootfs", new TreeMap<>(Map.of("type", "layers", "diff_ids", List.of(layerDigest))));
        byte[] configBytes = JSON.writeValueAsBytes(config);
        String configDigest = put(blobs, configBytes);
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.put("config", descriptor("application/vnd.oci.image.config.v1+json", configDigest,
                configBytes.length));
        manifest.put("layers", List.of(descriptor("application/vnd.oci.image.layer.v1.tar", layerDigest,
                layer.length)));
        byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
        String manifestDigest = put(blobs, manifestBytes);
        Map<String, Object> m = descriptor("application/vnd.oci.image.manifest.v1+json", manifestDigest,
                manifestBytes.length);
        m.put("annotations", new TreeMap<>(Map.of("org.opencontainers.image.ref.name", TAG)));
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        index.put("manifests", List.of(m));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
        return manifestDigest;
    }

    private static byte[] layer() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            // deterministic "weights": 64 KiB of a fixed pattern, so the image digest is the same on every run
            byte[] weights = new byte[64 * 1024];
            for (int i = 0; i < weights.length; i++) {
                weights[i] = (byte) (i * 31 + 7);
            }
            file(tar, "models/llm-chat/weights.bin", weights, 0644);
            file(tar, "models/llm-chat/tokenizer.json",
                    "{\"model\":\"llm-chat\",\"vocab_size\":32000}\n".getBytes(StandardCharsets.UTF_8), 0644);
            file(tar, "app/serve.sh", ("#!/bin/sh\n# serves the model; it reads its key from the key broker via the "
                    + "confidential data hub\nexec llm-serve --model \"$MODEL\" --port 8000\n")
                    .getBytes(StandardCharsets.UTF_8), 0755);
        }
        return bytes.toByteArray();
    }

    private static void file(TarArchiveOutputStream tar, String name, byte[] data, int mode) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(data.length);
        e.setMode(mode);
        e.setModTime(0L);
        tar.putArchiveEntry(e);
        tar.write(data);
        tar.closeArchiveEntry();
    }

    private static Map<String, Object> descriptor(String mediaType, String digest, long size) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("mediaType", mediaType);
        d.put("digest", digest);
        d.put("size", size);
        return d;
    }

    private static String put(Path blobs, byte[] data) throws IOException {
        String hex;
        try {
            hex = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.write(blobs.resolve(hex), data);
        return "sha256:" + hex;
    }
}
