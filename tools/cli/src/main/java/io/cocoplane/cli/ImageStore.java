package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Where an image is read from or written to: an OCI image layout ({@link OciLayout}) or a registry
 * ({@link RegistryClient}).
 */
interface ImageStore {

    /**
     * A manifest and its media type.
     *
     * @param bytes     the manifest exactly as stored
     * @param mediaType its media type
     */
    record Manifest(byte[] bytes, String mediaType) {
    }

    /** Largest manifest or index read, in bytes. */
    int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** Largest image config read, in bytes. */
    int MAX_CONFIG_BYTES = 16 * 1024 * 1024;

    /** @return the manifest (or index) the reference names */
    Manifest manifest(String reference) throws IOException;

    /** @return the blob's bytes, unverified; the caller wraps the stream in {@link Digests.Verifying} */
    InputStream openBlob(String digest) throws IOException;

    /** Stores a blob whose content is in {@code file} (the file may be moved or deleted afterwards). */
    void putBlob(Path file, String digest, long size) throws IOException;

    /** Stores a small blob. */
    void putBlob(byte[] data, String digest) throws IOException;

    /** Stores the manifest under the reference (a tag). */
    void putManifest(String reference, byte[] manifest, String mediaType) throws IOException;

    /** @return a new empty file on the file system where {@link #putBlob(Path, String, long)} wants it */
    Path newTempFile() throws IOException;
}
