package io.cocoplane.registry.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One endpoint of the OCI Distribution API (registry note §1.2) parsed from a raw, undecoded request path under
 * {@code /v2/}. Repository names may contain slashes, so the path is matched from its end: the last
 * {@code /manifests/<ref>}, {@code /blobs/uploads/[<id>]}, {@code /blobs/<digest>}, {@code /tags/list} or
 * {@code /referrers/<digest>} decides the endpoint and everything before it is the name, which must then match
 * {@link OciNames} (so {@code ..}, {@code %2e}, leading slashes and empty components give NAME_INVALID).
 *
 * @param kind      the endpoint
 * @param name      the repository name, or null for {@link Kind#BASE} and {@link Kind#CATALOG}
 * @param reference the tag, digest or upload id from the path, or null
 */
public record Route(Kind kind, String name, String reference) {

    /** Endpoints. */
    public enum Kind {
        /** {@code /v2/} (end-1). */
        BASE,
        /** {@code /v2/_catalog}. */
        CATALOG,
        /** {@code /v2/<name>/manifests/<reference>} (end-3, end-7, end-9). */
        MANIFEST,
        /** {@code /v2/<name>/blobs/<digest>} (end-2, end-10). */
        BLOB,
        /** {@code /v2/<name>/blobs/uploads/} (end-4, end-11). */
        UPLOAD_START,
        /** {@code /v2/<name>/blobs/uploads/<id>} (end-5, end-6, end-13, end-14). */
        UPLOAD,
        /** {@code /v2/<name>/tags/list} (end-8). */
        TAGS,
        /** {@code /v2/<name>/referrers/<digest>} (end-12). */
        REFERRERS
    }

    /** Longest path accepted after {@code /v2/}. */
    public static final int MAX_PATH_LENGTH = 1024;

    private static final Pattern MANIFEST = Pattern.compile("(.+)/manifests/([^/]+)");
    private static final Pattern UPLOAD = Pattern.compile("(.+)/blobs/uploads/([^/]*)");
    private static final Pattern BLOB = Pattern.compile("(.+)/blobs/([^/]+)");
    private static final Pattern TAGS = Pattern.compile("(.+)/tags/list");
    private static final Pattern REFERRERS = Pattern.compile("(.+)/referrers/([^/]+)");

    /**
     * @param path the raw path after {@code /v2/} (no query string), e.g. {@code a/b/manifests/latest}
     * @return the route
     * @throws RegistryException NAME_INVALID (400) for a bad repository name; UNSUPPORTED (404) for a path that names
     *                           no endpoint
     */
    public static Route parse(String path) {
        if (path == null || path.isEmpty()) {
            return new Route(Kind.BASE, null, null);
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw new RegistryException(OciError.NAME_INVALID, "request path too long");
        }
        if (path.equals("_catalog")) {
            return new Route(Kind.CATALOG, null, null);
        }
        Matcher m;
        if ((m = UPLOAD.matcher(path)).matches()) {
            String id = m.group(2);
            return new Route(id.isEmpty() ? Kind.UPLOAD_START : Kind.UPLOAD, OciNames.requireName(m.group(1)),
                    id.isEmpty() ? null : id);
        }
        if ((m = MANIFEST.matcher(path)).matches()) {
            return new Route(Kind.MANIFEST, OciNames.requireName(m.group(1)), m.group(2));
        }
        if ((m = BLOB.matcher(path)).matches()) {
            return new Route(Kind.BLOB, OciNames.requireName(m.group(1)), m.group(2));
        }
        if ((m = TAGS.matcher(path)).matches()) {
            return new Route(Kind.TAGS, OciNames.requireName(m.group(1)), null);
        }
        if ((m = REFERRERS.matcher(path)).matches()) {
            return new Route(Kind.REFERRERS, OciNames.requireName(m.group(1)), m.group(2));
        }
        throw new RegistryException(OciError.UNSUPPORTED, 404, "no such endpoint", null);
    }
}
