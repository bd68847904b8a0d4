package io.cocoplane.registry.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Streaming writes with digest verification, size limits and rollback of failed chunks. */
class BlobStoreTest {

    @TempDir
    Path root;

    @Test
    void verifiedPutCommitsOnlyAMatchingDigestAndLeavesNoTemporaries() throws IOException {
        BlobStore store = new BlobStore(root, false);
        byte[] data = "hello blob".getBytes(StandardCharsets.UTF_8);
        Digest d = Digest.sha256(data);
        assertThat(store.putVerified(new ByteArrayInputStream(data), d, 100)).isEqualTo(data.length);
        assertThat(Files.readAllBytes(store.path(d))).isEqualTo(data);

        Digest wrong = Digest.sha256("other".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> store.putVerified(new ByteArrayInputStream(data), wrong, 100))
                .isInstanceOfSatisfying(RegistryException.class,
                        e -> assertThat(e.code()).isEqualTo(OciError.DIGEST_INVALID));
        assertThat(store.path(wrong)).doesNotExist();
        assertThatThrownBy(() -> store.putVerified(new ByteArrayInputStream(data), d, 5))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(413));
        try (var s = Files.list(store.tmpDir())) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void failedChunkIsRolledBackAndRunningDigestMatchesRehash() throws IOException {
        BlobStore store = new BlobStore(root, false);
        String id = UUID.randomUUID().toString();
        store.createUpload(id);
        MessageDigest md = Digest.newMessageDigest("sha256");
        store.appendUpload(id, 0, new ByteArrayInputStream(b("abc")), 100, md);
        InputStream failing = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (n++ < 3) {
                    return 'x';
                }
                throw new IOException("client went away");
            }
        };
        assertThatThrownBy(() -> store.appendUpload(id, 3, failing, 100, null)).isInstanceOf(IOException.class);
        assertThat(store.uploadSize(id)).isEqualTo(3);
        store.appendUpload(id, 3, new ByteArrayInputStream(b("def")), 100, md);
        Digest d = Digest.sha256(b("abcdef"));
        assertThat(store.commitUpload(id, d, md)).isEqualTo(6);
        assertThat(Files.readAllBytes(store.path(d))).isEqualTo(b("abcdef"));
        assertThat(store.uploadsDir().resolve(id)).doesNotExist();
    }

    @Test
    void withFsyncALargeStreamIsFlushedWhileItArrivesAndCommittedWhole() throws IOException {
        BlobStore store = new BlobStore(root, true);
        byte[] data = new byte[(int) (2 * BlobStore.FLUSH_EVERY + 12345)];
        new java.util.SplittableRandom(5).nextBytes(data);
        Digest d = Digest.sha256(data);
        assertThat(store.putVerified(new ByteArrayInputStream(data), d, data.length)).isEqualTo(data.length);
        assertThat(Files.readAllBytes(store.path(d))).isEqualTo(data);
        // one flush after the first 8 MiB at least (the second starts only if the first is done)
        assertThat(store.backgroundFlushes()).isBetween(1L, 2L);

        // a client that goes away after 12 MiB: the copy waits for its flush, then the chunk is rolled back
        String id = UUID.randomUUID().toString();
        store.createUpload(id);
        long flushesBefore = store.backgroundFlushes();
        InputStream failing = new InputStream() {
            long n;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (n >= 12L << 20) {
                    throw new IOException("client went away");
                }
                int r = (int) Math.min(len, (12L << 20) - n);
                n += r;
                return r;
            }
        };
        assertThatThrownBy(() -> store.appendUpload(id, 0, failing, Long.MAX_VALUE, null))
                .isInstanceOf(IOException.class).hasMessage("client went away");
        assertThat(store.backgroundFlushes()).isEqualTo(flushesBefore + 1);
        assertThat(store.uploadSize(id)).isZero();
        BlobStore noSync = new BlobStore(root.resolve("nosync"), false);
        noSync.putVerified(new ByteArrayInputStream(data), d, data.length);
        assertThat(noSync.backgroundFlushes()).isZero();
    }

    @Test
    void contentArrivingInSmallReadsIsStoredWholeAcrossSeveralBuffersAndTheLimitHoldsMidBuffer() throws IOException {
        BlobStore store = new BlobStore(root, false);
        byte[] data = new byte[600 * 1024 + 7]; // more than two 256 KiB copy buffers, not a multiple of either
        new java.util.SplittableRandom(3).nextBytes(data);
        Digest d = Digest.sha256(data);
        assertThat(store.putVerified(trickle(data, 1000), d, data.length)).isEqualTo(data.length);
        assertThat(Files.readAllBytes(store.path(d))).isEqualTo(data);

        String id = UUID.randomUUID().toString();
        store.createUpload(id);
        MessageDigest md = Digest.newMessageDigest("sha256");
        assertThat(store.appendUpload(id, 0, trickle(data, 4093), data.length, md)).isEqualTo(data.length);
        assertThat(md.digest()).isEqualTo(Digest.newMessageDigest("sha256").digest(data));

        assertThatThrownBy(() -> store.putVerified(trickle(data, 1000), d, 300 * 1024))
                .isInstanceOfSatisfying(RegistryException.class, e -> assertThat(e.status()).isEqualTo(413));
        try (var s = Files.list(store.tmpDir())) {
            assertThat(s).isEmpty();
        }
    }

    /** A stream handing out at most {@code step} bytes per read, like a servlet input stream over a socket. */
    private static InputStream trickle(byte[] data, int step) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, step));
            }
        };
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
