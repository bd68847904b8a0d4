package io.cocoplane.registry.oci;

/**
 * The error codes of the OCI Distribution Spec v1.1.1 ("Error Codes" table; registry note §1.4), each with the HTTP
 * status this registry answers with by default. {@link #RANGE_INVALID} is distribution's own code for 416.
 */
public enum OciError {
    /** Blob unknown to registry (404). */
    BLOB_UNKNOWN(404, "blob unknown to registry"),
    /** Blob upload invalid (400). */
    BLOB_UPLOAD_INVALID(400, "blob upload invalid"),
    /** Blob upload session unknown or expired (404). */
    BLOB_UPLOAD_UNKNOWN(404, "blob upload unknown to registry"),
    /** Digest malformed or not matching the content (400). */
    DIGEST_INVALID(400, "provided digest did not match uploaded content"),
    /** A manifest references a blob or manifest that the repository does not hold (400). */
    MANIFEST_BLOB_UNKNOWN(400, "manifest references a manifest or blob unknown to registry"),
    /** Manifest invalid (400). */
    MANIFEST_INVALID(400, "manifest invalid"),
    /** Manifest unknown (404). */
    MANIFEST_UNKNOWN(404, "manifest unknown to registry"),
    /** Repository name does not match the grammar (400). */
    NAME_INVALID(400, "invalid repository name"),
    /** Repository unknown (404). */
    NAME_UNKNOWN(404, "repository name not known to registry"),
    /** Content length or size limit violated (400, or 413 for size limits). */
    SIZE_INVALID(400, "provided length did not match content length"),
    /** Authentication required (401). */
    UNAUTHORIZED(401, "authentication required"),
    /** Access denied (403). */
    DENIED(403, "requested access to the resource is denied"),
    /** Operation unsupported (405). */
    UNSUPPORTED(405, "the operation is unsupported"),
    /** Too many requests (429). */
    TOOMANYREQUESTS(429, "too many requests"),
    /** Requested range not satisfiable, or an upload chunk out of order (416). */
    RANGE_INVALID(416, "invalid content range");

    private final int status;
    private final String message;

    OciError(int status, String message) {
        this.status = status;
        this.message = message;
    }

    /** @return the default HTTP status for this code */
    public int status() {
        return status;
    }

    /** @return the spec's message for this code */
    public String message() {
        return message;
    }
}
