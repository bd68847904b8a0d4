package io.cocoplane.registry.oci;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Content-addressed blob storage on a filesystem.
 *
 * <p>Layout under the root: {@code blobs/<algorithm>/<first two hex>/<hex>} holds committed blobs,
 * {@code uploads/<session id>} the bytes of open upload sessions, {@code tmp/} single-request uploads in flight. A blob
 * is written to {@code tmp/} or {@code uploads/} while its digest is computed with {@link MessageDigest}, and moved
 * into {@code blobs/} (atomic rename on the same filesystem) only when the digest equals the one the client claimed;
 * otherwise the partial file is deleted. Content is streamed in 256 KiB buffers (64 KiB when re-hashing a file) and never
 * held whole in memory.
 *
 * <p>With {@code fsync}, a blob is forced to disk ({@code FileChannel.force(true)}, fsync) before it is committed. So
 * that this final flush does not hold up the commit by the time the disk needs for the whole blob (about 50 ms per
 * 100 MiB here), a stream of more than {@value #FLUSH_EVERY} bytes is also flushed while it arrives: after each
 * {@value #FLUSH_EVERY} bytes written, a background {@code force(false)} (fdatasync) starts unless the previous one
 * is still running or all {@value #FLUSH_THREADS} flush threads are busy, and the copy waits for the last one before it returns. These intermediate flushes only move the
 * disk work earlier; an error in one is left to the final {@code force(true)}, which throws it.
 */
public final class BlobStore {

    private static final int BUFFER = 64 * 1024;
    /** Bytes gathered from the client before one file write and digest update. */
    private static final int COPY_BUFFER = 256 * 1024;
    /** Bytes written between two background flushes of a streamed blob, when fsync is on: 8 MiB. */
    static final long FLUSH_EVERY = 8L << 20;
    /**
     * At most {@value #FLUSH_THREADS} daemon threads run the background flushes (blocking file I/O: platform threads,
     * not virtual ones); when all are busy a flush is skipped, not queued (it only moves disk work earlier), so the
     * number of concurrent uploads never sets the number of threads.
     */
    static final int FLUSH_THREADS = 4;
    private static final ExecutorService FLUSHER = new ThreadPoolExecutor(0, FLUSH_THREADS, 30, TimeUnit.SECONDS,
            new SynchronousQueue<>(), r -> {
                Thread t = new Thread(r, "blob-flush");
                t.setDaemon(true);
                return t;
            });
    private static final Pattern UPLOAD_ID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private final Path root;
    private final Path blobs;
    private final Path tmp;
    private final Path uploads;
    private final boolean fsync;
    private final LongAdder backgroundFlushes = new LongAdder();

    /**
     * @param root  the storage root; created when absent
     * @param fsync whether to force file contents to disk before a blob is committed
     * @throws IOException when the directories cannot be created
     */
    public BlobStore(Path root, boolean fsync) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        this.blobs = Files.createDirectories(this.root.resolve("blobs"));
        this.tmp = Files.createDirectories(this.root.resolve("tmp"));
        this.uploads = Files.createDirectories(this.root.resolve("uploads"));
        this.fsync = fsync;
    }

    /** @return how many background flushes streamed blobs have started (see the class comment) */
    public long backgroundFlushes() {
        return backgroundFlushes.sum();
    }

    /** @return the storage root */
    public Path root() {
        return root;
    }

    /** @return the directory of committed blobs */
    public Path blobsDir() {
        return blobs;
    }

    /** @return the directory of single-request uploads in flight */
    public Path tmpDir() {
        return tmp;
    }

    /** @return the directory of upload-session files */
    public Path uploadsDir() {
        return uploads;
    }

    /** @return the path a committed blob has (whether or not it exists) */
    public Path path(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex().substring(0, 2)).resolve(digest.hex());
    }

    /** @return true when the blob is committed */
    public boolean exists(Digest digest) {
        return Files.isRegularFile(path(digest));
    }

    /**
     * Streams a whole blob to a temporary file while hashing it, and commits it only if it matches.
     *
     * @param in       the content
     * @param expected the digest the client claimed
     * @param maxBytes the largest blob accepted
     * @return the blob size in bytes
     * @throws RegistryException DIGEST_INVALID (400) on mismatch, SIZE_INVALID (413) beyond {@code maxBytes}; the
     *                           temporary file is deleted in both cases
     * @throws IOException       on a storage or client I/O failure (the temporary file is deleted)
     */
    public long putVerified(InputStream in, Digest expected, long maxBytes) throws IOException {
        Path file = Files.createTempFile(tmp, "blob-", ".part");
        try {
            MessageDigest md = Digest.newMessageDigest(expected.algorithm());
            long size;
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                size = copy(in, ch, md, maxBytes, fsync);
                if (fsync) {
                    ch.force(true);
                }
            }
            checkDigest(md, expected);
            move(file, path(expected));
            return size;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /**
     * Creates the (empty) file of a new upload session.
     *
     * @param id the session id, a lower-case UUID
     * @throws IOException on a storage failure
     */
    public void createUpload(String id) throws IOException {
        Files.newOutputStream(uploadPath(id), StandardOpenOption.CREATE_NEW).close();
    }

    /**
     * @param id a session id
     * @return the current length of the session file
     * @throws IOException on a storage failure, {@link NoSuchFileException} when it does not exist
     */
    public long uploadSize(String id) throws IOException {
        return Files.size(uploadPath(id));
    }

    /**
     * Appends a chunk to an upload session at {@code offset}. On any failure the file is cut back to {@code offset},
     * so a failed chunk leaves no partial bytes.
     *
     * @param id       the session id
     * @param offset   where the chunk starts (the current session length)
     * @param in       the chunk content
     * @param maxBytes the largest chunk accepted
     * @param md       a running digest of the session's bytes so far to update, or null
     * @return the number of bytes appended
     * @throws RegistryException SIZE_INVALID (413) beyond {@code maxBytes}
     * @throws IOException       on a storage or client I/O failure
     */
    public long appendUpload(String id, long offset, InputStream in, long maxBytes, MessageDigest md)
            throws IOException {
        try (FileChannel ch = FileChannel.open(uploadPath(id), StandardOpenOption.WRITE)) {
            ch.truncate(offset);
            ch.position(offset);
            try {
                return copy(in, ch, md, maxBytes, fsync);
            } catch (IOException | RuntimeException e) {
                ch.truncate(offset);
                throw e;
            }
        }
    }

    /**
     * Verifies the digest of a finished upload session and moves its file into place.
     *
     * @param id       the session id
     * @param expected the digest the client claimed
     * @param hashed   a digest already fed with exactly the session's bytes (it is not modified), or null to re-read
     *                 the file
     * @return the blob size
     * @throws RegistryException DIGEST_INVALID (400) on mismatch; the session file is deleted
     * @throws IOException       on a storage failure
     */
    public long commitUpload(String id, Digest expected, MessageDigest hashed) throws IOException {
        Path file = uploadPath(id);
        MessageDigest md;
        if (hashed != null && hashed.getAlgorithm().equals(Digest.newMessageDigest(expected.algorithm()).getAlgorithm())) {
            try {
                md = (MessageDigest) hashed.clone();
            } catch (CloneNotSupportedException e) {
                md = rehash(file, expected.algorithm());
            }
        } else {
            md = rehash(file, expected.algorithm());
        }
        try {
            checkDigest(md, expected);
        } catch (RegistryException e) {
            Files.deleteIfExists(file);
            throw e;
        }
        long size = Files.size(file);
        if (fsync) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
        }
        move(file, path(expected));
        return size;
    }

    /**
     * Cuts an upload-session file back to {@code length} bytes (undoing a chunk whose length did not match its
     * {@code Content-Range}).
     *
     * @throws IOException on a storage failure
     */
    public void truncateUpload(String id, long length) throws IOException {
        try (FileChannel ch = FileChannel.open(uploadPath(id), StandardOpenOption.WRITE)) {
            ch.truncate(length);
        }
    }

    /** Deletes an upload-session file if present. */
    public void deleteUpload(String id) throws IOException {
        Files.deleteIfExists(uploadPath(id));
    }

    /** Deletes a committed blob; returns true when a file was removed. */
    public boolean delete(Digest digest) throws IOException {
        return Files.deleteIfExists(path(digest));
    }

    /**
     * @param olderThan only files last modified before this instant
     * @return the digests of committed blob files last modified before {@code olderThan}
     * @throws IOException on a storage failure
     */
    public List<Digest> listBlobs(Instant olderThan) throws IOException {
        List<Digest> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(blobs, 3)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                if (!Files.isRegularFile(p) || p.getNameCount() < 3) {
                    continue;
                }
                String alg = p.getParent().getParent().getFileName().toString();
                try {
                    Digest d = Digest.parse(alg + ":" + p.getFileName());
                    if (Files.getLastModifiedTime(p).toInstant().isBefore(olderThan)) {
                        out.add(d);
                    }
                } catch (RegistryException ignored) {
                    // not a blob file
                }
            }
        }
        return out;
    }

    /**
     * Deletes temporary files left behind by a crash, older than {@code olderThan}.
     *
     * @return the number of files deleted
     * @throws IOException on a storage failure
     */
    public int deleteStaleTemporaries(Instant olderThan) throws IOException {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                if (Files.getLastModifiedTime(p).toInstant().isBefore(olderThan) && Files.deleteIfExists(p)) {
                    n++;
                }
            }
        }
        return n;
    }

    private Path uploadPath(String id) {
        if (id == null || !UPLOAD_ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an upload id");
        }
        return uploads.resolve(id);
    }

    private static MessageDigest rehash(Path file, String algorithm) throws IOException {
        MessageDigest md = Digest.newMessageDigest(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[BUFFER];
            for (int r; (r = in.read(buf)) > 0; ) {
                md.update(buf, 0, r);
            }
        }
        return md;
    }

    private static void checkDigest(MessageDigest md, Digest expected) {
        String actual = HexFormat.of().formatHex(md.digest());
        if (!actual.equals(expected.hex())) {
            throw new RegistryException(OciError.DIGEST_INVALID, 400, "provided digest did not match uploaded content",
                    expected.algorithm() + ":" + actual);
        }
    }

    /**
     * Copies {@code in} to {@code ch}, feeding {@code md}. The buffer is filled up before each write (a servlet input
     * stream hands out what one socket read brought, often a few KiB), so the file sees {@value #COPY_BUFFER}-byte
     * writes and the digest large updates.
     */
    private long copy(InputStream in, FileChannel ch, MessageDigest md, long maxBytes, boolean flushBehind)
            throws IOException {
        Future<?> flush = null;
        try {
            byte[] buf = new byte[COPY_BUFFER];
            long total = 0;
            long unflushed = 0;
            boolean eof = false;
            while (!eof) {
                int filled = 0;
                while (filled < buf.length) {
                    int r = in.read(buf, filled, buf.length - filled);
                    if (r < 0) {
                        eof = true;
                        break;
                    }
                    filled += r;
                }
                if (filled == 0) {
                    break;
                }
                total += filled;
                if (total > maxBytes) {
                    throw new RegistryException(OciError.SIZE_INVALID, 413, "content larger than " + maxBytes + " bytes",
                            null);
                }
                if (md != null) {
                    md.update(buf, 0, filled);
                }
                ByteBuffer bb = ByteBuffer.wrap(buf, 0, filled);
                while (bb.hasRemaining()) {
                    ch.write(bb);
                }
                unflushed += filled;
                if (flushBehind && unflushed >= FLUSH_EVERY && (flush == null || flush.isDone())) {
                    unflushed = 0;
                    try {
                        flush = FLUSHER.submit(() -> {
                            ch.force(false);
                            return null;
                        });
                        backgroundFlushes.increment();
                    } catch (RejectedExecutionException busy) {
                        // every flush thread is busy: this stretch is left to the next flush or the commit's fsync
                    }
                }
            }
            return total;
        } finally {
            awaitFlush(flush);
        }
    }

    /** Waits for a background flush before its channel is truncated or closed; its failure is left to the commit. */
    private static void awaitFlush(Future<?> flush) {
        if (flush == null) {
            return;
        }
        boolean interrupted = false;
        while (true) {
            try {
                flush.get();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            } catch (ExecutionException e) {
                break; // the final force(true) before the commit reports a disk failure
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static void move(Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("blob root must be one filesystem (atomic rename not supported)", e);
        }
    }
}
