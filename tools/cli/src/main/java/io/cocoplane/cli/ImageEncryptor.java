package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.cocoplane.ocicrypt.CocoRecipient;
import io.cocoplane.ocicrypt.EncryptingLayerStream;
import io.cocoplane.ocicrypt.JweRecipient;
import io.cocoplane.ocicrypt.LayerCipher;
import io.cocoplane.ocicrypt.LayerEncryptionResult;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.ocicrypt.OcicryptException;
import io.cocoplane.ocicrypt.OcicryptLayers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Encrypts an image the way {@code skopeo copy --encryption-key} does (registry note §3): every layer is encrypted
 * with {@code AES_256_CTR_HMAC_SHA256} under a fresh layer key, streaming through a temporary file (never held in
 * memory), and its private options are wrapped for the JWE recipients and/or the CoCo recipient
 * ({@code org.opencontainers.image.enc.keys.jwe}, {@code ...keys.provider.attestation-agent},
 * {@code ...enc.pubopts}). The config is copied unchanged (its {@code rootfs.diff_ids} stay the plaintext digests),
 * the new manifest is an OCI image manifest with {@code +encrypted} layer media types. Docker media types are mapped
 * to their OCI equivalents first, as skopeo does.
 *
 * <p>Every source blob is checked against its descriptor digest and size while it is read; a mismatch aborts with
 * {@link ExitCodes#VERIFICATION_FAILED} before anything is written to the destination manifest.
 */
final class ImageEncryptor {

    static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    static final Map<String, String> DOCKER_TO_OCI_LAYER = Map.of(
            "application/vnd.docker.image.rootfs.diff.tar.gzip", "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip");

    /**
     * One encrypted layer.
     *
     * @param plainDigest  digest of the source layer blob
     * @param digest       digest of the ciphertext blob
     * @param size         ciphertext size in bytes
     * @param mediaType    the encrypted media type
     */
    record Layer(String plainDigest, String digest, long size, String mediaType) {
    }

    /**
     * The outcome.
     *
     * @param manifest       the new manifest bytes
     * @param manifestDigest their digest
     * @param layers         the layers in order
     */
    record Result(byte[] manifest, String manifestDigest, List<Layer> layers) {
    }

    private final Progress progress;

    ImageEncryptor(Progress progress) {
        this.progress = progress;
    }

    /**
     * Reads a manifest or, when given an index, the manifest of {@code platform} ({@code os/arch[/variant]}).
     */
    static ImageStore.Manifest resolve(ImageStore src, String reference, String platform) throws IOException {
        ImageStore.Manifest m = src.manifest(reference);
        String type = m.mediaType();
        if (OciMediaTypes.OCI_INDEX.equals(type) || OciMediaTypes.DOCKER_MANIFEST_LIST.equals(type)) {
            JsonNode index = Json.parse(m.bytes(), "image index", ExitCodes.REFUSED);
            String[] want = platform.split("/");
            List<String> seen = new ArrayList<>();
            for (JsonNode d : index.path("manifests")) {
                JsonNode p = d.path("platform");
                String os = Json.text(p, "os");
                String arch = Json.text(p, "architecture");
                String variant = Json.text(p, "variant");
                seen.add(os + "/" + arch + (variant == null ? "" : "/" + variant));
                if (want[0].equals(os) && want.length > 1 && want[1].equals(arch)
                        && (want.length < 3 || want[2].equals(variant))) {
                    String digest = Digests.require(Json.text(d, "digest"), "index entry");
                    ImageStore.Manifest chosen = src.manifest(digest);
                    if (!Digests.of(chosen.bytes()).equals(digest)) {
                        throw new CliException(ExitCodes.VERIFICATION_FAILED, "manifest " + digest
                                + " does not match its digest");
                    }
                    return chosen;
                }
            }
            throw new CliException(ExitCodes.NOT_FOUND, "no manifest for platform " + platform + " in the index "
                    + "(has " + seen + ")");
        }
        return m;
    }

    /**
     * Encrypts {@code manifest}'s image from {@code src} into {@code dst} under {@code tag}.
     *
     * @throws CliException {@link ExitCodes#USAGE} for a layer that cannot be encrypted (unknown or already
     *                      encrypted media type), {@link ExitCodes#VERIFICATION_FAILED} for a blob that does not match
     *                      its descriptor
     */
    Result encrypt(ImageStore src, ImageStore.Manifest manifest, ImageStore dst, String tag,
            List<JweRecipient> jwe, CocoRecipient coco) throws IOException {
        String type = manifest.mediaType();
        if (!OciMediaTypes.OCI_MANIFEST.equals(type) && !OciMediaTypes.DOCKER_MANIFEST.equals(type)) {
            throw new CliException(ExitCodes.USAGE, "unsupported manifest media type " + type);
        }
        ObjectNode in = Json.parseObject(manifest.bytes(), "manifest", ExitCodes.REFUSED);
        JsonNode config = in.path("config");
        String configDigest = Digests.require(Json.text(config, "digest"), "config");
        byte[] configBytes;
        try (InputStream c = new Digests.Verifying(src.openBlob(configDigest), configDigest,
                config.path("size").asLong(-1))) {
            configBytes = HttpResult.readLimited(c, ImageStore.MAX_CONFIG_BYTES, "config");
        } catch (Digests.MismatchException e) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "config: " + e.getMessage(), e);
        }
        dst.putBlob(configBytes, configDigest);

        ObjectNode out = Json.object();
        out.put("schemaVersion", 2);
        out.put("mediaType", OciMediaTypes.OCI_MANIFEST);
        ObjectNode outConfig = out.putObject("config");
        String configType = Json.text(config, "mediaType");
        outConfig.put("mediaType", DOCKER_CONFIG.equals(configType) ? OCI_CONFIG : configType);
        outConfig.put("digest", configDigest);
        outConfig.put("size", configBytes.length);
        ArrayNode outLayers = out.putArray("layers");
        List<Layer> layers = new ArrayList<>();
        JsonNode inLayers = in.path("layers");
        if (!inLayers.isArray() || inLayers.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "the image has no layers");
        }
        int i = 0;
        for (JsonNode l : inLayers) {
            i++;
            Layer layer = encryptLayer(src, dst, l, i, inLayers.size(), jwe, coco, outLayers.addObject());
            layers.add(layer);
        }
        if (in.has("annotations")) {
            out.set("annotations", in.get("annotations"));
        }
        byte[] bytes = Json.bytes(out);
        dst.putManifest(tag, bytes, OciMediaTypes.OCI_MANIFEST);
        return new Result(bytes, Digests.of(bytes), layers);
    }

    private Layer encryptLayer(ImageStore src, ImageStore dst, JsonNode l, int i, int n, List<JweRecipient> jwe,
            CocoRecipient coco, ObjectNode desc) throws IOException {
        String digest = Digests.require(Json.text(l, "digest"), "layer " + i);
        long size = l.path("size").asLong(-1);
        String mediaType = Json.text(l, "mediaType");
        mediaType = DOCKER_TO_OCI_LAYER.getOrDefault(mediaType, mediaType);
        if (OciMediaTypes.isEncrypted(mediaType)) {
            throw new CliException(ExitCodes.USAGE, "layer " + i + " (" + digest + ") is already encrypted");
        }
        String encType;
        try {
            encType = OciMediaTypes.toEncrypted(mediaType);
        } catch (OcicryptException e) {
            throw new CliException(ExitCodes.USAGE, "layer " + i + ": " + e.getMessage(), e);
        }
        String label = "layer " + i + "/" + n + " " + short12(digest);
        progress.line(label + ": encrypting " + Progress.size(size));
        Path tmp = dst.newTempFile();
        boolean done = false;
        try {
            LayerEncryptionResult result;
            InputStream plain = new Digests.Verifying(progress.track(src.openBlob(digest), label, size), digest, size);
            try (EncryptingLayerStream enc = LayerCipher.encrypt(plain); OutputStream os = Files.newOutputStream(tmp)) {
                enc.transferTo(os);
                result = enc.result();
            } catch (Digests.MismatchException e) {
                throw new CliException(ExitCodes.VERIFICATION_FAILED, "layer " + i + ": " + e.getMessage(), e);
            }
            Map<String, String> enc;
            try {
                enc = OcicryptLayers.annotations(result, jwe, coco);
            } catch (OcicryptException e) {
                throw new CliException(ExitCodes.USAGE, "layer " + i + ": key wrapping failed: " + e.getMessage(), e);
            }
            desc.put("mediaType", encType);
            desc.put("digest", result.ciphertextDigest());
            desc.put("size", result.size());
            ObjectNode ann = desc.putObject("annotations");
            l.path("annotations").properties().forEach(e -> {
                if (!e.getKey().startsWith(OcicryptLayers.ENC_PREFIX) && e.getValue().isString()) {
                    ann.put(e.getKey(), e.getValue().asString());
                }
            });
            enc.forEach(ann::put);
            progress.line(label + ": pushing " + short12(result.ciphertextDigest()) + " to " + dst);
            dst.putBlob(tmp, result.ciphertextDigest(), result.size());
            done = true;
            return new Layer(digest, result.ciphertextDigest(), result.size(), encType);
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
    }

    static String short12(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
