package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import io.cocoplane.ocicrypt.OciMediaTypes;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An OCI image layout directory (image-spec {@code image-layout.md}): {@code oci-layout}
 * ({@code {"imageLayoutVersion":"1.0.0"}}), {@code index.json} (an image index whose manifest descriptors carry
 * {@code org.opencontainers.image.ref.name} = tag) and {@code blobs/sha256/<hex>}. Only sha256 digests are accepted,
 * which also keeps blob paths inside the directory. Writes go through a temporary file and a rename.
 */
final class OciLayout implements ImageStore {

    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final Path dir;

    private OciLayout(Path dir) {
        this.dir = dir;
    }

    /** Opens an existing layout. */
    static OciLayout open(Path dir) {
        if (!Files.isRegularFile(dir.resolve("oci-layout")) || !Files.isRegularFile(dir.resolve("index.json"))) {
            throw new CliException(ExitCodes.USAGE, dir + " is not an OCI image layout (no oci-layout/index.json)");
        }
        return new OciLayout(dir);
    }

    /** Opens a layout, creating the directory structure when it does not exist yet. */
    static OciLayout create(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
        if (!Files.exists(dir.resolve("oci-layout"))) {
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        }
        if (!Files.exists(dir.resolve("index.json"))) {
            ObjectNode index = Json.object();
            index.put("schemaVersion", 2);
            index.put("mediaType", OciMediaTypes.OCI_INDEX);
            index.putArray("manifests");
            writeAtomically(dir.resolve("index.json"), Json.bytes(index));
        }
        return new OciLayout(dir);
    }

    Path dir() {
        return dir;
    }

    Path blobPath(String digest) {
        Digests.require(digest, "blob");
        return dir.resolve("blobs").resolve("sha256").resolve(digest.substring("sha256:".length()));
    }

    private ObjectNode index() throws IOException {
        Path p = dir.resolve("index.json");
        if (Files.size(p) > MAX_MANIFEST_BYTES) {
            throw new CliException(ExitCodes.USAGE, p + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        return Json.parseObject(Files.readAllBytes(p), p.toString(), ExitCodes.USAGE);
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        JsonNode manifests = index().path("manifests");
        JsonNode found = null;
        List<String> tags = new ArrayList<>();
        for (JsonNode d : manifests) {
            String name = Json.text(d.path("annotations"), REF_NAME);
            if (name != null) {
                tags.add(name);
            }
            if (reference == null ? manifests.size() == 1
                    : reference.equals(name) || reference.equals(Json.text(d, "digest"))) {
                found = d;
            }
        }
        if (found == null) {
            throw new CliException(ExitCodes.NOT_FOUND, reference == null
                    ? dir + " holds " + manifests.size() + " images; name one with oci:<dir>:<tag> (tags: " + tags + ")"
                    : "no image tagged " + reference + " in " + dir + " (tags: " + tags + ")");
        }
        String digest = Digests.require(Json.text(found, "digest"), "index.json");
        byte[] bytes = readBlob(digest, MAX_MANIFEST_BYTES);
        String mediaType = Json.text(found, "mediaType");
        if (mediaType == null) {
            mediaType = Json.text(Json.parse(bytes, "manifest", ExitCodes.USAGE), "mediaType");
        }
        return new Manifest(bytes, mediaType);
    }

    /** Reads and verifies a small blob. */
    byte[] readBlob(String digest, int max) throws IOException {
        Path p = blobPath(digest);
        if (!Files.isRegularFile(p)) {
            throw new CliException(ExitCodes.NOT_FOUND, "blob " + digest + " missing from " + dir);
        }
        if (Files.size(p) > max) {
            throw new CliException(ExitCodes.USAGE, "blob " + digest + " is larger than " + max + " bytes");
        }
        byte[] data = Files.readAllBytes(p);
        if (!Digests.of(data).equals(digest)) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "blob " + digest + " in " + dir
                    + " does not match its digest");
        }
        return data;
    }

    @Override
    public InputStream openBlob(String digest) throws IOException {
        Path p = blobPath(digest);
        if (!Files.isRegularFile(p)) {
            throw new CliException(ExitCodes.NOT_FOUND, "blob " + digest + " missing from " + dir);
        }
        return Files.newInputStream(p);
    }

    @Override
    public void putBlob(Path file, String digest, long size) throws IOException {
        Path target = blobPath(digest);
        if (Files.exists(target)) {
            Files.deleteIfExists(file);
            return;
        }
        move(file, target);
    }

    @Override
    public void putBlob(byte[] data, String digest) throws IOException {
        Path target = blobPath(digest);
        if (!Files.exists(target)) {
            writeAtomically(target, data);
        }
    }

    @Override
    public void putManifest(String reference, byte[] manifest, String mediaType) throws IOException {
        String digest = Digests.of(manifest);
        putBlob(manifest, digest);
        ObjectNode index = index();
        ArrayNode old = index.withArray("manifests");
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (JsonNode d : old) {
            if (!reference.equals(Json.text(d.path("annotations"), REF_NAME))) {
                kept.add(d);
            }
        }
        ObjectNode desc = kept.addObject();
        desc.put("mediaType", mediaType);
        desc.put("digest", digest);
        desc.put("size", manifest.length);
        desc.putObject("annotations").put(REF_NAME, reference);
        index.set("manifests", kept);
        writeAtomically(dir.resolve("index.json"), Json.bytes(index));
    }

    @Override
    public Path newTempFile() throws IOException {
        return Files.createTempFile(dir.resolve("blobs"), ".cococtl-", ".tmp");
    }

    static void writeAtomically(Path target, byte[] data) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), ".cococtl-", ".tmp");
        try {
            Files.write(tmp, data);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    @Override
    public String toString() {
        return "oci:" + dir;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
