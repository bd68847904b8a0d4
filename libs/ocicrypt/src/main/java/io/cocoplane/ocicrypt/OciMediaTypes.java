package io.cocoplane.ocicrypt;

import java.util.List;

/**
 * Layer media types and their {@code +encrypted} counterparts, as in containers/ocicrypt {@code spec/spec.go}
 * (registry note §3.1). Encryption appends {@code +encrypted}; decryption strips it. Only the OCI layer types listed in
 * {@link #ENCRYPTABLE} can be encrypted; Docker media types cannot (skopeo writes OCI manifests when encrypting).
 */
public final class OciMediaTypes {

    /** Suffix appended to an encrypted layer's media type. */
    public static final String ENCRYPTED_SUFFIX = "+encrypted";

    /** OCI image manifest media type. */
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    /** OCI image index media type. */
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    /** Docker image manifest v2 schema 2 media type. */
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    /** Docker manifest list media type. */
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** The plaintext layer media types ocicrypt can encrypt (tar, tar+gzip, tar+zstd, their nondistributable variants, wasm). */
    public static final List<String> ENCRYPTABLE = List.of(
            "application/vnd.oci.image.layer.v1.tar",
            "application/vnd.oci.image.layer.v1.tar+gzip",
            "application/vnd.oci.image.layer.v1.tar+zstd",
            "application/vnd.oci.image.layer.nondistributable.v1.tar",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
            "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
            "application/vnd.wasm.content.layer.v1+wasm");

    private OciMediaTypes() {
    }

    /**
     * @param mediaType any media type, may be null
     * @return true when it ends with {@code +encrypted}
     */
    public static boolean isEncrypted(String mediaType) {
        return mediaType != null && mediaType.endsWith(ENCRYPTED_SUFFIX);
    }

    /**
     * Maps a plaintext layer media type to its encrypted form, e.g. {@code ...tar+gzip} to {@code ...tar+gzip+encrypted}.
     *
     * @param mediaType one of {@link #ENCRYPTABLE}
     * @return the media type with {@code +encrypted} appended
     * @throws MalformedAnnotationException when the type is null, already encrypted, or not encryptable by ocicrypt
     */
    public static String toEncrypted(String mediaType) throws MalformedAnnotationException {
        if (mediaType == null || !ENCRYPTABLE.contains(mediaType)) {
            throw new MalformedAnnotationException("unsupported layer media type for encryption: " + mediaType);
        }
        return mediaType + ENCRYPTED_SUFFIX;
    }

    /**
     * Maps an encrypted layer media type back to the plaintext one by stripping {@code +encrypted}.
     *
     * @param mediaType a media type ending in {@code +encrypted} whose base is in {@link #ENCRYPTABLE}
     * @return the plaintext media type
     * @throws MalformedAnnotationException when the type is null, not encrypted, or its base is not an ocicrypt layer type
     */
    public static String toDecrypted(String mediaType) throws MalformedAnnotationException {
        if (!isEncrypted(mediaType)) {
            throw new MalformedAnnotationException("not an encrypted layer media type: " + mediaType);
        }
        String base = mediaType.substring(0, mediaType.length() - ENCRYPTED_SUFFIX.length());
        if (!ENCRYPTABLE.contains(base)) {
            throw new MalformedAnnotationException("unsupported encrypted layer media type: " + mediaType);
        }
        return base;
    }
}
