package io.cocoplane.registry.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cocoplane.contracts.ImageDeleted;
import io.cocoplane.contracts.ImagePushed;
import io.cocoplane.contracts.LayerInfo;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.ocicrypt.LayerEncryptionInfo;
import io.cocoplane.ocicrypt.MalformedAnnotationException;
import io.cocoplane.ocicrypt.ManifestEncryptionSummary;
import io.cocoplane.ocicrypt.ManifestInspector;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.registry.RegistryProperties;
import io.cocoplane.registry.oci.Digest;
import io.cocoplane.registry.oci.ManifestParser;
import io.cocoplane.registry.oci.OciError;
import io.cocoplane.registry.oci.OciNames;
import io.cocoplane.registry.oci.ParsedManifest;
import io.cocoplane.registry.oci.RegistryException;
import io.cocoplane.registry.store.Views.LayerView;
import io.cocoplane.registry.store.Views.Referrer;

/**
 * The registry's metadata operations, each in one database transaction, except the reads and the one-statement update
 * on the blob push/pull path ({@link #blobSize}, {@link #manifest}, {@link #uploadOffset}, {@link #advanceUpload}):
 * those run in auto-commit, where a single statement is atomic on its own and, at PostgreSQL's READ COMMITTED, two
 * reads see nothing less consistent than in one transaction; this saves the {@code BEGIN}/{@code COMMIT} round trip
 * on every blob and manifest request. A manifest push or delete publishes
 * {@code image.pushed} / {@code image.deleted} through the transactional outbox in the same transaction, so the event
 * exists if and only if the change commits.
 */
@Service
public class RegistryService {

    private static final Logger log = LoggerFactory.getLogger(RegistryService.class);

    private final RegistryMetadata db;
    private final EventPublisher events;
    private final RegistryProperties props;
    private final Clock clock;

    /**
     * @param db     SQL access
     * @param events outbox publisher
     * @param props  registry settings
     */
    public RegistryService(RegistryMetadata db, EventPublisher events, RegistryProperties props) {
        this.db = db;
        this.events = events;
        this.props = props;
        this.clock = Clock.systemUTC();
    }

    /**
     * Result of a manifest PUT.
     *
     * @param digest  the manifest digest
     * @param subject the OCI subject digest, or null
     */
    public record PutResult(String digest, String subject) {
    }

    /**
     * Stores a manifest byte for byte, records its references, encryption state and tag, and publishes
     * {@code image.pushed}.
     *
     * @param repository  a valid repository name
     * @param reference   a tag or a digest
     * @param bytes       the manifest bytes
     * @param contentType the PUT's {@code Content-Type}
     * @return digest and subject
     * @throws RegistryException MANIFEST_INVALID (bad JSON or tag), DIGEST_INVALID (digest reference does not match),
     *                           MANIFEST_BLOB_UNKNOWN (a referenced blob or child manifest is not in the repository)
     */
    @Transactional
    public PutResult putManifest(String repository, String reference, byte[] bytes, String contentType) {
        ParsedManifest pm = ManifestParser.parse(bytes, contentType);
        String tag = null;
        Digest digest;
        if (OciNames.looksLikeDigest(reference)) {
            Digest claimed = Digest.parse(reference);
            digest = digestOf(bytes, claimed.algorithm());
            if (!digest.equals(claimed)) {
                throw new RegistryException(OciError.DIGEST_INVALID, 400, "manifest digest does not match reference",
                        digest.toString());
            }
        } else {
            if (!OciNames.isValidTag(reference)) {
                throw new RegistryException(OciError.MANIFEST_INVALID, "invalid tag");
            }
            tag = reference;
            digest = Digest.sha256(bytes);
        }
        db.ensureRepository(repository);
        List<ParsedManifest.Descriptor> blobs = new ArrayList<>();
        if (pm.config() != null) {
            blobs.add(pm.config());
        }
        blobs.addAll(pm.layers());
        for (ParsedManifest.Descriptor d : blobs) {
            if (!d.external() && db.linkedBlobSize(repository, d.digest().toString()).isEmpty()) {
                throw new RegistryException(OciError.MANIFEST_BLOB_UNKNOWN, 400, "blob unknown to repository",
                        d.digest().toString());
            }
        }
        for (ParsedManifest.Descriptor d : pm.manifests()) {
            if (!db.manifestExists(repository, d.digest().toString())) {
                throw new RegistryException(OciError.MANIFEST_BLOB_UNKNOWN, 400, "manifest unknown to repository",
                        d.digest().toString());
            }
        }
        Encryption enc = pm.index() ? new Encryption(List.of(), null) : inspect(pm, bytes);
        List<String> keyIds = enc.keyIds();
        String d = digest.toString();
        String storedType = contentType == null || contentType.isBlank() ? pm.mediaType()
                : io.cocoplane.registry.oci.MediaTypes.stripParameters(contentType);
        String subject = pm.subject() == null ? null : pm.subject().digest().toString();
        boolean inserted = db.insertManifest(repository, d, pm.mediaType(), storedType, bytes,
                pm.effectiveArtifactType(), subject, Json.write(pm.annotations()), enc.anyEncrypted(),
                Json.write(keyIds), enc.error());
        if (inserted) {
            int pos = 0;
            if (pm.config() != null) {
                db.insertReference(repository, d, "config", 0, pm.config().digest().toString());
            }
            for (ParsedManifest.Descriptor l : pm.layers()) {
                db.insertReference(repository, d, "layer", pos++, l.digest().toString());
            }
            pos = 0;
            for (ParsedManifest.Descriptor m : pm.manifests()) {
                db.insertReference(repository, d, "manifest", pos++, m.digest().toString());
            }
            for (LayerView l : enc.layers()) {
                db.insertLayer(repository, d, l);
            }
        }
        if (tag != null) {
            db.putTag(repository, tag, d);
        }
        List<LayerInfo> layerInfos = enc.layers().stream().map(l -> new LayerInfo(l.digest(), l.mediaType(), l.size(),
                l.encrypted(), l.recipients(), l.keyIds())).toList();
        events.publish(new ImagePushed(repository, d, db.tagsOf(repository, d), pm.mediaType(), layerInfos, keyIds,
                subject));
        return new PutResult(d, subject);
    }

    /**
     * Deletes a tag, or a manifest with all its tags (publishing {@code image.deleted}).
     *
     * @param repository repository name
     * @param reference  tag or digest
     * @throws RegistryException MANIFEST_UNKNOWN (404) when there is nothing to delete; DIGEST_INVALID for a malformed
     *                           digest
     */
    @Transactional
    public void deleteManifest(String repository, String reference) {
        if (!OciNames.looksLikeDigest(reference)) {
            if (!OciNames.isValidTag(reference) || !db.deleteTag(repository, reference)) {
                throw new RegistryException(OciError.MANIFEST_UNKNOWN, "manifest unknown");
            }
            return;
        }
        String digest = Digest.parse(reference).toString();
        List<String> tags = db.tagsOf(repository, digest);
        if (!db.deleteManifest(repository, digest)) {
            throw new RegistryException(OciError.MANIFEST_UNKNOWN, "manifest unknown");
        }
        events.publish(new ImageDeleted(repository, digest, tags));
    }

    /**
     * @param repository  repository name
     * @param reference   tag or digest
     * @param withContent whether to load the bytes
     * @return the manifest, or empty
     * @throws RegistryException DIGEST_INVALID for a malformed digest
     */
    public Optional<StoredManifest> manifest(String repository, String reference, boolean withContent) {
        String digest;
        if (OciNames.looksLikeDigest(reference)) {
            digest = Digest.parse(reference).toString();
        } else {
            if (!OciNames.isValidTag(reference)) {
                return Optional.empty();
            }
            Optional<String> t = db.tagTarget(repository, reference);
            if (t.isEmpty()) {
                return Optional.empty();
            }
            digest = t.get();
        }
        return db.manifest(repository, digest, withContent);
    }

    /** Links a committed blob to a repository (creating the repository). */
    @Transactional
    public void linkBlob(String repository, Digest digest, long size) {
        db.ensureRepository(repository);
        db.linkBlob(repository, digest.toString(), size);
    }

    /** @return the size of a blob linked to the repository, or empty */
    public Optional<Long> blobSize(String repository, Digest digest) {
        return db.linkedBlobSize(repository, digest.toString());
    }

    /** Removes a blob link; the bytes go at the next garbage collection. @return false when it was not linked */
    @Transactional
    public boolean unlinkBlob(String repository, Digest digest) {
        return db.unlinkBlob(repository, digest.toString());
    }

    /**
     * Cross-repository mount: links the blob of {@code from} into {@code repository}.
     *
     * @return the blob size when mounted, empty when {@code from} does not hold it
     */
    @Transactional
    public Optional<Long> mount(String repository, String from, Digest digest) {
        Optional<Long> size = db.linkedBlobSize(from, digest.toString());
        size.ifPresent(s -> {
            db.ensureRepository(repository);
            db.linkBlob(repository, digest.toString(), s);
        });
        return size;
    }

    /** @return whether the repository exists */
    @Transactional(readOnly = true)
    public boolean repositoryExists(String repository) {
        return db.repositoryExists(repository);
    }

    /** @return up to {@code limit} tags after {@code last} (exclusive), in byte order */
    @Transactional(readOnly = true)
    public List<String> tags(String repository, String last, int limit) {
        return db.tags(repository, last, limit);
    }

    /** @return up to {@code limit} repository names after {@code last}, in byte order */
    @Transactional(readOnly = true)
    public List<String> repositories(String last, int limit) {
        return db.repositories(last, limit);
    }

    /** @return the manifests of the repository whose subject is {@code subject}, optionally of one artifact type */
    @Transactional(readOnly = true)
    public List<Referrer> referrers(String repository, Digest subject, String artifactType, int limit) {
        return db.referrers(repository, subject.toString(), artifactType, limit);
    }

    // --- upload sessions ---

    /** Opens an upload session. @return its id */
    @Transactional
    public UUID openUpload(String repository) {
        db.ensureRepository(repository);
        UUID id = UUID.randomUUID();
        db.createUpload(id, repository, clock.instant().plus(props.uploads().expiry()));
        return id;
    }

    /** @return the bytes received so far by a live session of this repository, or empty */
    public Optional<Long> uploadOffset(UUID id, String repository) {
        return db.uploadSize(id, repository);
    }

    /** Moves a session's offset from {@code from} to {@code to}. @return false when another request moved it first */
    public boolean advanceUpload(UUID id, long from, long to) {
        return db.advanceUpload(id, from, to, clock.instant().plus(props.uploads().expiry()));
    }

    /** Forgets a session. @return false when unknown */
    @Transactional
    public boolean closeUpload(UUID id) {
        return db.deleteUpload(id);
    }

    /** Commits a finished upload: links the blob and forgets the session, atomically. */
    @Transactional
    public void completeUpload(UUID id, String repository, Digest digest, long size) {
        db.ensureRepository(repository);
        db.linkBlob(repository, digest.toString(), size);
        db.deleteUpload(id);
    }

    /** @return up to {@code limit} expired sessions */
    @Transactional(readOnly = true)
    public List<UUID> expiredUploads(int limit) {
        return db.expiredUploads(limit);
    }

    // --- garbage collection ---

    /** @return unreferenced blobs last linked before {@code cutoff} */
    @Transactional(readOnly = true)
    public List<String> unreferencedBlobs(Instant cutoff, int limit) {
        return db.unreferencedBlobs(cutoff, limit);
    }

    /** @return the recorded size of a blob, 0 when unknown */
    @Transactional(readOnly = true)
    public long recordedBlobSize(String digest) {
        return db.blobSize(digest);
    }

    /** Deletes a blob's metadata if it is still unreferenced and older than cutoff. @return true when deleted */
    @Transactional
    public boolean forgetUnreferencedBlob(String digest, Instant cutoff) {
        return db.deleteUnreferencedBlob(digest, cutoff);
    }

    /** @return true when the blob has metadata */
    @Transactional(readOnly = true)
    public boolean blobKnown(String digest) {
        return db.blobKnown(digest);
    }

    /** @return the configured garbage-collection grace period */
    public Duration gcGrace() {
        return props.gc().grace();
    }

    private static Digest digestOf(byte[] bytes, String algorithm) {
        return new Digest(algorithm, java.util.HexFormat.of().formatHex(Digest.newMessageDigest(algorithm).digest(bytes)));
    }

    /** Encryption state of a manifest's layers. */
    private record Encryption(List<LayerView> layers, String error) {
        boolean anyEncrypted() {
            return layers.stream().anyMatch(LayerView::encrypted);
        }

        List<String> keyIds() {
            Set<String> out = new LinkedHashSet<>();
            layers.forEach(l -> out.addAll(l.keyIds()));
            return List.copyOf(out);
        }
    }

    /**
     * Reads the ocicrypt annotations with {@link ManifestInspector}. A manifest whose annotations the inspector refuses
     * is still stored (a registry must not reject unknown content); its layers are then recorded from the descriptors
     * with the {@code +encrypted} flag only, and the reason is kept.
     */
    private static Encryption inspect(ParsedManifest pm, byte[] bytes) {
        try {
            ManifestEncryptionSummary s = ManifestInspector.inspect(bytes);
            List<LayerView> out = new ArrayList<>();
            for (LayerEncryptionInfo l : s.layers()) {
                out.add(new LayerView(l.index(), l.digest(), l.mediaType(), l.size(), l.encrypted(),
                        l.recipientKinds().stream().map(RegistryService::contractRecipient).toList(),
                        l.jweAlgorithms(), l.keyIds()));
            }
            return new Encryption(out, null);
        } catch (MalformedAnnotationException | RuntimeException e) {
            log.warn("manifest layers' ocicrypt annotations could not be read: {}", e.getMessage());
            List<LayerView> out = new ArrayList<>();
            int i = 0;
            for (ParsedManifest.Descriptor d : pm.layers()) {
                out.add(new LayerView(i++, d.digest().toString(), d.mediaType(), d.size(),
                        OciMediaTypes.isEncrypted(d.mediaType()), List.of(), List.of(), List.of()));
            }
            return new Encryption(out, e.getMessage());
        }
    }

    /** ocicrypt's {@code provider:<name>} becomes the contract's {@code provider.<name>} (contracts LayerInfo). */
    static String contractRecipient(String kind) {
        return kind.startsWith("provider:") ? "provider." + kind.substring("provider:".length()) : kind;
    }
}
