package io.cocoplane.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;

import io.cocoplane.testkit.SharedTestData;

/** The skopeo-made OCI layout in {@code shared/testdata/images/ocicrypt-fixture} (skipped when absent). */
final class Fixture {

    static final List<String> TAGS = List.of("plain", "encrypted", "encrypted-multi", "coco-kbs");
    static final String COCO_KID = "kbs:///default/image-kek/coco-fixture";

    final Path dir;
    final Path layout;

    private Fixture(Path dir) {
        this.dir = dir;
        this.layout = dir.resolve("oci-layout");
    }

    static Fixture require() {
        return new Fixture(SharedTestData.require("images/ocicrypt-fixture"));
    }

    /** @return the manifest digest the layout's index.json gives for a tag */
    String manifestDigest(String tag) {
        JsonNode index = OciHttp.JSON.readTree(read(layout.resolve("index.json")));
        for (JsonNode m : index.get("manifests")) {
            if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asString())) {
                return m.get("digest").asString();
            }
        }
        throw new IllegalArgumentException("no tag " + tag);
    }

    byte[] blob(String digest) {
        return read(layout.resolve("blobs/sha256").resolve(digest.substring("sha256:".length())));
    }

    byte[] manifest(String tag) {
        return blob(manifestDigest(tag));
    }

    /** @return the config and layer digests of a tag's manifest */
    List<String> blobDigests(String tag) {
        JsonNode m = OciHttp.JSON.readTree(manifest(tag));
        List<String> out = new ArrayList<>();
        out.add(m.get("config").get("digest").asString());
        m.get("layers").forEach(l -> out.add(l.get("digest").asString()));
        return out;
    }

    Path key(String name) {
        return dir.resolve("keys").resolve(name);
    }

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
