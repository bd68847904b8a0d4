package io.cocoplane.registry.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import io.cocoplane.registry.oci.BlobStore;
import io.cocoplane.registry.oci.Digest;
import io.cocoplane.registry.store.Views.GcReport;

/**
 * Garbage collection of blobs no manifest refers to (mark = {@code manifest_references}, sweep = {@code blobs} rows
 * and files), and of expired upload sessions. Blobs linked or written within the grace period are kept, so a push
 * in progress (blobs uploaded, manifest not yet put) is never collected. A dry run reports without deleting.
 */
@Service
public class GarbageCollector {

    private static final Logger log = LoggerFactory.getLogger(GarbageCollector.class);
    private static final int BATCH = 10_000;

    private final RegistryService registry;
    private final BlobStore store;

    /**
     * @param registry metadata operations
     * @param store    blob store
     */
    public GarbageCollector(RegistryService registry, BlobStore store) {
        this.registry = registry;
        this.store = store;
    }

    /**
     * @param dryRun report only
     * @return what was (or would be) deleted
     */
    public GcReport collect(boolean dryRun) {
        Instant cutoff = Instant.now().minus(registry.gcGrace());
        try {
            List<String> blobs = new ArrayList<>();
            long bytes = 0;
            for (String digest : registry.unreferencedBlobs(cutoff, BATCH)) {
                long size = registry.recordedBlobSize(digest);
                if (dryRun) {
                    blobs.add(digest);
                    bytes += size;
                } else if (registry.forgetUnreferencedBlob(digest, cutoff)) {
                    store.delete(Digest.parse(digest));
                    blobs.add(digest);
                    bytes += size;
                }
            }
            List<String> orphans = new ArrayList<>();
            for (Digest d : store.listBlobs(cutoff)) {
                if (!registry.blobKnown(d.toString())) {
                    orphans.add(d.toString());
                    if (!dryRun) {
                        store.delete(d);
                    }
                }
            }
            int expired = dryRun ? registry.expiredUploads(BATCH).size() : expireUploads();
            if (!dryRun) {
                store.deleteStaleTemporaries(cutoff);
                log.info("garbage collection deleted {} blobs ({} bytes), {} orphan files, {} expired uploads",
                        blobs.size(), bytes, orphans.size(), expired);
            }
            return new GcReport(dryRun, blobs, bytes, orphans, expired);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Removes expired upload sessions and their files.
     *
     * @return the number removed
     */
    public int expireUploads() {
        int n = 0;
        for (UUID id : registry.expiredUploads(BATCH)) {
            if (registry.closeUpload(id)) {
                n++;
            }
            try {
                store.deleteUpload(id.toString());
            } catch (IOException e) {
                log.warn("could not delete upload file {}: {}", id, e.toString());
            }
        }
        return n;
    }
}
