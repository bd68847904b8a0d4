package io.cocoplane.katasim;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cocoplane.ocicrypt.DecryptionKeys;
import io.cocoplane.ocicrypt.KeyProviderPacket;
import io.cocoplane.ocicrypt.LayerIntegrityException;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.ocicrypt.OcicryptException;
import io.cocoplane.ocicrypt.OcicryptLayers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The guest pull of one image (image-rs / CDH, registry note §4.2): manifest and config from the registry, then for
 * each layer: stream the blob to a scratch file in the work directory (digest and size checked), and if it is
 * encrypted take the {@code kbs:///} key id from its {@value KeyProviderPacket#ANNOTATION} packet, get the KEK through
 * the {@link KeyFetcher} (the attested KBS session), unwrap and stream-decrypt with {@code libs/ocicrypt}; decompress
 * and compare the sha256 of the plain tar with the config's {@code rootfs.diff_ids[i]}. The scratch file is deleted
 * whatever happens; no layer is ever held in memory.
 */
final class ImagePuller {

    /** Fetches a KEK by key id over the attested KBS session. */
    @FunctionalInterface
    interface KeyFetcher {
        /**
         * @param kid the packet's key id
         * @return the KEK bytes (the caller wipes them)
         * @throws GuestFailure         when the KBS refuses or the id is not a KBS resource URI
         * @throws InterruptedException when interrupted
         */
        byte[] fetch(String kid) throws GuestFailure, InterruptedException;
    }

    /** The error text image-rs gives for any layer decryption failure (gc {@code image-rs/src/decrypt.rs}). */
    static final String DECRYPT_FAILED = "Failed to decrypt the image layer, please ensure that the decryption key "
            + "is placed and correct";

    private static final Logger log = LoggerFactory.getLogger(ImagePuller.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RegistryClient registry;
    private final KataNodeConfig config;
    private final KeyFetcher keys;
    private final PodRef pod;
    private final Counters counters;

    ImagePuller(RegistryClient registry, KataNodeConfig config, KeyFetcher keys, PodRef pod, Counters counters) {
        this.registry = registry;
        this.config = config;
        this.keys = keys;
        this.pod = pod;
        this.counters = counters;
    }

    /**
     * Pulls and verifies an image.
     *
     * @param ref the image
     * @return the manifest digest that was pulled (the platform manifest when {@code ref} names an index)
     * @throws GuestFailure         ({@link GuestFailure.Stage#CONTAINER}) on any pull, key, decryption or diff_id failure
     * @throws InterruptedException when the attempt is cancelled
     */
    String pull(ImageRef ref) throws GuestFailure, InterruptedException {
        RegistryClient.Manifest manifest;
        List<String> diffIds;
        try {
            manifest = registry.manifest(ref, config.platform(), config.maxLayers(), config.maxLayerBytes());
            diffIds = diffIds(registry.smallBlob(ref, manifest.config(), RegistryClient.MAX_CONFIG_BYTES));
        } catch (PullException e) {
            throw pullFailure(ref, e.getMessage(), e);
        }
        if (diffIds.size() != manifest.layers().size()) {
            throw pullFailure(ref, "config lists " + diffIds.size() + " diff_ids for " + manifest.layers().size()
                    + " layers", null);
        }
        for (int i = 0; i < manifest.layers().size(); i++) {
            layer(ref, i, manifest.layers().get(i), diffIds.get(i));
        }
        return manifest.digest();
    }

    private void layer(ImageRef ref, int i, RegistryClient.Descriptor d, String diffId)
            throws GuestFailure, InterruptedException {
        Path scratch = null;
        try {
            scratch = Files.createTempFile(config.workDir(), "layer-" + pod.uid() + "-" + i + "-", ".blob",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                registry.blobToFile(ref, d, scratch);
            } catch (PullException e) {
                throw pullFailure(ref, "layer " + i + ": " + e.getMessage(), e);
            }
            boolean encrypted = OciMediaTypes.isEncrypted(d.mediaType());
            String plainType = d.mediaType();
            InputStream blob = Files.newInputStream(scratch);
            InputStream plain = blob;
            byte[] kek = null;
            try {
                if (encrypted) {
                    String packetValue = d.annotations().get(KeyProviderPacket.ANNOTATION);
                    if (packetValue == null) {
                        throw decryptFailure(i, d, "no " + KeyProviderPacket.ANNOTATION + " annotation (the guest "
                                + "holds no private keys for other key-wrap schemes)", null);
                    }
                    String kid;
                    try {
                        kid = KeyProviderPacket.parseAnnotation(packetValue).kid();
                        plainType = OciMediaTypes.toDecrypted(d.mediaType());
                    } catch (OcicryptException e) {
                        throw decryptFailure(i, d, e.getMessage(), e);
                    }
                    kek = keys.fetch(kid);
                    byte[] key = kek;
                    DecryptionKeys decryptionKeys = DecryptionKeys.of(id -> id.equals(kid)
                            ? Optional.of(key.clone()) : Optional.empty());
                    try {
                        plain = OcicryptLayers.decrypt(blob, d.annotations(), d.size(), decryptionKeys);
                    } catch (OcicryptException e) {
                        throw decryptFailure(i, d, e.getMessage(), e);
                    }
                }
                String actual = uncompressedDigest(ref, i, d, plainType, plain, encrypted, diffId);
                if (!actual.equals(diffId)) {
                    throw pullFailure(ref, "layer " + i + " (" + d.digest() + ") diff_id mismatch: uncompressed "
                            + "content is " + actual + ", config rootfs.diff_ids[" + i + "] is " + diffId, null);
                }
            } finally {
                if (kek != null) {
                    Arrays.fill(kek, (byte) 0);
                }
                closeQuietly(plain);
                closeQuietly(blob);
            }
            counters.layersVerified.increment();
            log.info("pod {}: layer {} {} ok ({} -> diff_id {})", pod, i, encrypted ? "decrypted" : "verified",
                    d.digest(), diffId);
        } catch (IOException e) {
            throw pullFailure(ref, "layer " + i + ": scratch file in " + config.workDir() + ": " + e, e);
        } finally {
            if (scratch != null) {
                try {
                    Files.deleteIfExists(scratch);
                } catch (IOException e) {
                    log.warn("pod {}: cannot delete scratch file {}: {}", pod, scratch, e.toString());
                }
            }
        }
    }

    /** Decompresses (tar+gzip) or passes (tar) the plain layer and hashes it, bounded by maxUnpackedLayerBytes. */
    private String uncompressedDigest(ImageRef ref, int i, RegistryClient.Descriptor d, String plainType,
            InputStream plain, boolean encrypted, String diffId) throws GuestFailure, InterruptedException {
        MessageDigest md = Digests.hashFor(diffId);
        long limit = config.maxUnpackedLayerBytes();
        long total = 0;
        try {
            InputStream tar;
            if (plainType.endsWith("tar+gzip") || plainType.endsWith(".tar.gzip")) {
                tar = new GZIPInputStream(new BufferedInputStream(plain, 64 * 1024), 64 * 1024);
            } else if (plainType.endsWith("tar")) {
                tar = plain;
            } else {
                throw pullFailure(ref, "layer " + i + " has media type " + plainType
                        + ", which the simulated guest cannot unpack (tar and tar+gzip only)", null);
            }
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = tar.read(buf)) >= 0) {
                total += n;
                if (total > limit) {
                    throw pullFailure(ref, "layer " + i + " unpacks to more than " + limit + " bytes", null);
                }
                md.update(buf, 0, n);
                if (Thread.interrupted()) {
                    throw new InterruptedException("layer unpacking interrupted");
                }
            }
        } catch (LayerIntegrityException e) {
            throw decryptFailure(i, d, e.getMessage(), e);
        } catch (IOException e) {
            if (encrypted) {
                // garbage after decryption (tampered ciphertext, wrong key): the HMAC at end of stream says which
                try {
                    plain.transferTo(java.io.OutputStream.nullOutputStream());
                } catch (LayerIntegrityException integrity) {
                    throw decryptFailure(i, d, integrity.getMessage(), integrity);
                } catch (IOException ignored) {
                    // not an integrity failure: report the unpacking error below
                }
            }
            throw pullFailure(ref, "layer " + i + " (" + d.digest() + ") cannot be unpacked: " + e, e);
        }
        return Digests.format(diffId, md.digest());
    }

    private static List<String> diffIds(byte[] config) throws PullException {
        JsonNode root;
        try {
            root = JSON.readTree(config);
        } catch (JacksonException e) {
            throw new PullException("image config is not JSON: " + e.getOriginalMessage(), e);
        }
        JsonNode ids = root.path("rootfs").path("diff_ids");
        if (!ids.isArray()) {
            throw new PullException("image config has no rootfs.diff_ids");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isString() || !id.stringValue().matches("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}")) {
                throw new PullException("image config rootfs.diff_ids holds a non-digest: " + id);
            }
            out.add(id.stringValue());
        }
        return out;
    }

    private static GuestFailure pullFailure(ImageRef ref, String detail, Throwable cause) {
        return GuestFailure.container("failed to pull image \"" + ref + "\": " + detail, cause);
    }

    private static GuestFailure decryptFailure(int i, RegistryClient.Descriptor d, String detail, Throwable cause) {
        return GuestFailure.container(DECRYPT_FAILED + ": layer " + i + " (" + d.digest() + "): " + detail, cause);
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // scratch file streams: nothing to recover
        }
    }
}
