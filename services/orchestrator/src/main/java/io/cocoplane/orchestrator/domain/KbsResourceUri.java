package io.cocoplane.orchestrator.domain;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * KBS resource URIs and paths. A URI is {@code kbs[+plugin]://[<host>[:<port>]]/<repository>/<type>/<tag>}; host and
 * port are ignored by the guest, which takes the KBS address from its CDH config (guest-components
 * {@code attestation-agent/docs/RESOURCE_URI.md}). The path is what the key broker stores and releases.
 */
public final class KbsResourceUri {

    /** Longest accepted resource path, in characters. */
    public static final int MAX_PATH_LENGTH = 256;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9._-]{1,80}");
    private static final Pattern URI = Pattern.compile("kbs(?:\\+[a-z0-9-]+)?://[^/]*/(.*)");

    private KbsResourceUri() {
    }

    /**
     * @param path a resource path candidate
     * @return whether it is {@code <repository>/<type>/<tag>} with segments of {@code [A-Za-z0-9._-]}, none equal to
     *         {@code .} or {@code ..}, at most {@value #MAX_PATH_LENGTH} characters
     */
    public static boolean isPath(String path) {
        if (path == null || path.length() > MAX_PATH_LENGTH) {
            return false;
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 3) {
            return false;
        }
        for (String p : parts) {
            if (!SEGMENT.matcher(p).matches() || p.equals(".") || p.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Strips the scheme and authority of a key id, e.g. {@code kbs:///team/key/app → team/key/app}.
     *
     * @param keyId a CoCo key id
     * @return the resource path, or empty when the id is not a {@code kbs://} URI with a valid path
     */
    public static Optional<String> path(String keyId) {
        if (keyId == null || keyId.length() > MAX_PATH_LENGTH + 64) {
            return Optional.empty();
        }
        var m = URI.matcher(keyId);
        if (!m.matches() || !isPath(m.group(1))) {
            return Optional.empty();
        }
        return Optional.of(m.group(1));
    }
}
