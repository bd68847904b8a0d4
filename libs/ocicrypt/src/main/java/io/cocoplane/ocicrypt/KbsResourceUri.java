package io.cocoplane.ocicrypt;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KBS resource URI as used for CoCo key ids (registry note §4.1; guest-components
 * {@code attestation-agent/deps/resource_uri}): {@code kbs://<kbs-address>/<repository>/<type>/<tag>}, with an empty
 * address ({@code kbs:///default/image-kek/x}) meaning "the KBS the guest is configured with". The scheme may be
 * {@code kbs} or {@code kbs+<plugin>}; the scheme-less forms {@code <address>/<repository>/<type>/<tag>} and
 * {@code /<repository>/<type>/<tag>} are accepted too. Each of repository, type and tag is 1 to 128 characters of
 * {@code [A-Za-z0-9._-]}, and
 * none may be {@code .} or {@code ..} (no path traversal into other KBS resources).
 *
 * @param scheme     {@code kbs}, {@code kbs+<plugin>}, or "" for the scheme-less forms
 * @param kbsAddress the authority part (host[:port]), "" when absent; never used for lookup by the guest
 * @param repository the first path segment, e.g. {@code default}
 * @param type       the second path segment, e.g. {@code image-kek}
 * @param tag        the third path segment
 */
public record KbsResourceUri(String scheme, String kbsAddress, String repository, String type, String tag) {

    private static final String SEGMENT = "([A-Za-z0-9._-]{1,128})";
    private static final Pattern WITH_SCHEME = Pattern.compile(
            "(kbs(?:\\+[a-z0-9-]{1,64})?)://([A-Za-z0-9.:\\[\\]_-]{0,255})/" + SEGMENT + "/" + SEGMENT + "/" + SEGMENT);
    private static final Pattern WITHOUT_SCHEME = Pattern.compile(
            "([A-Za-z0-9.:\\[\\]_-]{0,255})/" + SEGMENT + "/" + SEGMENT + "/" + SEGMENT);

    /**
     * @param kid a key id
     * @return the parsed URI, or empty when {@code kid} is null, longer than 1024 characters or not of a form above
     */
    public static Optional<KbsResourceUri> parse(String kid) {
        if (kid == null || kid.length() > 1024) {
            return Optional.empty();
        }
        Matcher m = WITH_SCHEME.matcher(kid);
        KbsResourceUri uri = null;
        if (m.matches()) {
            uri = new KbsResourceUri(m.group(1), m.group(2), m.group(3), m.group(4), m.group(5));
        } else {
            m = WITHOUT_SCHEME.matcher(kid);
            if (m.matches()) {
                uri = new KbsResourceUri("", m.group(1), m.group(2), m.group(3), m.group(4));
            }
        }
        if (uri == null || isDotSegment(uri.repository) || isDotSegment(uri.type) || isDotSegment(uri.tag)) {
            return Optional.empty();
        }
        return Optional.of(uri);
    }

    private static boolean isDotSegment(String s) {
        return s.equals(".") || s.equals("..");
    }

    /**
     * @return {@code <repository>/<type>/<tag>}, the path under {@code /kbs/v0/resource/}
     */
    public String resourcePath() {
        return repository + "/" + type + "/" + tag;
    }
}
