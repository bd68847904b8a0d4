package io.cocoplane.local.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The demo image layout: digests that match the blobs, a diff_id that matches the layer, the same bytes each run. */
class LlmChatImageTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private static String sha256(byte[] b) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    private byte[] blob(Path layout, String digest) throws Exception {
        byte[] b = Files.readAllBytes(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
        assertThat(sha256(b)).isEqualTo(digest);
        return b;
    }

    @Test
    void writesAConsistentDeterministicLayout() throws Exception {
        String digest = LlmChatImage.write(dir.resolve("a"));
        assertThat(LlmChatImage.write(dir.resolve("b"))).as("same bytes on every run").isEqualTo(digest);

        Path a = dir.resolve("a");
        JsonNode index = JSON.readTree(Files.readAllBytes(a.resolve("index.json")));
        JsonNode m = index.get("manifests").get(0);
        assertThat(m.get("digest").asString()).isEqualTo(digest);
        assertThat(m.get("annotations").get("org.opencontainers.image.ref.name").asString()).isEqualTo("1");
        JsonNode manifest = JSON.readTree(blob(a, digest));
        JsonNode layer = manifest.get("layers").get(0);
        byte[] tar = blob(a, layer.get("digest").asString());
        assertThat(layer.get("size").asLong()).isEqualTo(tar.length);
        JsonNode config = JSON.readTree(blob(a, manifest.get("config").get("digest").asString()));
        assertThat(config.get("rootfs").get("diff_ids").get(0).asString()).isEqualTo(sha256(tar));

        List<String> names = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName() + " " + Integer.toOctalString(e.getMode()));
            }
        }
        assertThat(names).containsExactly("models/llm-chat/weights.bin 644", "models/llm-chat/tokenizer.json 644",
                "app/serve.sh 755");
    }
}
