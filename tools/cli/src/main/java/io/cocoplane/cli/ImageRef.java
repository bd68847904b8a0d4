package io.cocoplane.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * An image location as skopeo writes it: {@code oci:<dir>[:<tag>]} (an OCI image layout directory) or
 * {@code docker://<host>[:<port>]/<repository>[:<tag>|@<digest>]} (a registry; the {@code docker://} prefix may be
 * left out when the first path segment is a host, i.e. contains {@code .} or {@code :} or is {@code localhost}).
 */
sealed interface ImageRef permits ImageRef.Oci, ImageRef.Docker {

    /** OCI distribution repository name grammar (distribution-spec, "Pulling manifests"). */
    Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*)*");
    /** Tag grammar. */
    Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    /** Digest grammar accepted as a reference (sha256 only). */
    Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    /** Host[:port]. */
    Pattern HOST = Pattern.compile("(?:[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*|\\[[0-9a-fA-F:]+\\])(?::\\d{1,5})?");

    /**
     * An OCI image layout.
     *
     * @param dir the layout directory
     * @param tag the {@code org.opencontainers.image.ref.name}, or null
     */
    record Oci(Path dir, String tag) implements ImageRef {
        @Override
        public String toString() {
            return "oci:" + dir + (tag == null ? "" : ":" + tag);
        }
    }

    /**
     * A registry image.
     *
     * @param host       host[:port]
     * @param repository repository name
     * @param tag        tag, or null when a digest is given
     * @param digest     {@code sha256:<hex>}, or null
     */
    record Docker(String host, String repository, String tag, String digest) implements ImageRef {
        /** @return the digest, else the tag, else {@code latest} */
        String reference() {
            return digest != null ? digest : tag != null ? tag : "latest";
        }

        @Override
        public String toString() {
            return "docker://" + host + "/" + repository + (digest != null ? "@" + digest : ":" + reference());
        }
    }

    /**
     * @param s the location
     * @return the parsed reference
     * @throws IllegalArgumentException with a message for a person when it is not one of the forms above
     */
    static ImageRef parse(String s) {
        if (s.startsWith("oci:")) {
            String rest = s.substring(4);
            int colon = rest.lastIndexOf(':');
            String dir = rest;
            String tag = null;
            if (colon > 0 && rest.indexOf('/', colon) < 0) {
                dir = rest.substring(0, colon);
                tag = rest.substring(colon + 1);
                if (!TAG.matcher(tag).matches()) {
                    throw new IllegalArgumentException("invalid tag in " + s);
                }
            }
            if (dir.isEmpty()) {
                throw new IllegalArgumentException("oci: needs a directory: " + s);
            }
            return new Oci(Path.of(dir), tag);
        }
        String rest = s.startsWith("docker://") ? s.substring("docker://".length()) : s;
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not an image reference (oci:<dir>:<tag> or docker://host/repo:tag): "
                    + s);
        }
        String host = rest.substring(0, slash);
        if (!HOST.matcher(host).matches() || !(host.contains(".") || host.contains(":")
                || host.equals("localhost"))) {
            throw new IllegalArgumentException("the reference needs a registry host (with a dot or port, or "
                    + "localhost): " + s);
        }
        String path = rest.substring(slash + 1);
        String digest = null;
        String tag = null;
        int at = path.indexOf('@');
        if (at >= 0) {
            digest = path.substring(at + 1);
            path = path.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("invalid digest in " + s);
            }
        }
        int colon = path.lastIndexOf(':');
        if (colon >= 0) {
            tag = path.substring(colon + 1);
            path = path.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("invalid tag in " + s);
            }
        }
        if (!REPOSITORY.matcher(path).matches() || host.length() + 1 + path.length() > 255) {
            throw new IllegalArgumentException("invalid repository name '" + path + "' in " + s);
        }
        return new Docker(host, path, tag, digest);
    }
}
