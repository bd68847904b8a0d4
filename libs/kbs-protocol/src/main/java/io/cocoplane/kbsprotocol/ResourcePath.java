package io.cocoplane.kbsprotocol;

import java.util.regex.Pattern;

/**
 * A KBS resource path {@code <repository>/<type>/<tag>} (note §1.1; trustee {@code ResourceDesc::try_from}):
 * exactly three {@code /}-separated segments, each matching {@code [A-Za-z0-9_-][A-Za-z0-9_.-]*}. A segment may
 * contain dots but must not start with one, so {@code ..} and {@code .hidden} are refused (path traversal, note §10);
 * percent-encodings such as {@code %2e%2e} are refused because {@code %} is outside the alphabet. The repository is
 * mandatory (trustee #720). Additionally (a cocoplane limit, not trustee's) each segment is at most
 * {@value #MAX_SEGMENT_LENGTH} characters.
 *
 * @param repository the first segment, e.g. {@code default}
 * @param type       the second segment, e.g. {@code key}
 * @param tag        the third segment, e.g. {@code 1}
 */
public record ResourcePath(String repository, String type, String tag) {

    /** Maximum length of one segment. */
    public static final int MAX_SEGMENT_LENGTH = 255;

    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]*");

    /**
     * @throws InvalidResourcePathException when a segment is null, empty, too long, starts with {@code .} or contains
     *                                      a character outside {@code [A-Za-z0-9_.-]}
     */
    public ResourcePath {
        check(repository, "repository");
        check(type, "type");
        check(tag, "tag");
    }

    private static void check(String segment, String name) {
        if (segment == null || segment.isEmpty()) {
            throw new InvalidResourcePathException("resource path: empty " + name + " segment");
        }
        if (segment.length() > MAX_SEGMENT_LENGTH) {
            throw new InvalidResourcePathException("resource path: " + name + " segment longer than "
                    + MAX_SEGMENT_LENGTH);
        }
        if (!SEGMENT.matcher(segment).matches()) {
            throw new InvalidResourcePathException("resource path: " + name + " segment "
                    + RcarJson.quoteForMessage(segment) + " does not match [A-Za-z0-9_-][A-Za-z0-9_.-]*");
        }
    }

    /**
     * Parses {@code repository/type/tag}. No leading or trailing {@code /}, no empty segments, no decoding.
     *
     * @param path e.g. {@code "default/key/1"}
     * @return the path
     * @throws InvalidResourcePathException when the path is null, longer than 3 × {@value #MAX_SEGMENT_LENGTH} + 2,
     *                                      does not have exactly three segments, or a segment is invalid
     */
    public static ResourcePath parse(String path) {
        if (path == null) {
            throw new InvalidResourcePathException("resource path: null");
        }
        if (path.length() > 3 * MAX_SEGMENT_LENGTH + 2) {
            throw new InvalidResourcePathException("resource path: longer than " + (3 * MAX_SEGMENT_LENGTH + 2));
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 3) {
            throw new InvalidResourcePathException("resource path: expected 3 segments repository/type/tag, got "
                    + parts.length + " in " + RcarJson.quoteForMessage(path));
        }
        return new ResourcePath(parts[0], parts[1], parts[2]);
    }

    /**
     * @return {@code repository/type/tag}
     */
    @Override
    public String toString() {
        return repository + "/" + type + "/" + tag;
    }

    /**
     * @return the request path of the resource endpoint, {@code /kbs/v0/resource/repository/type/tag}
     */
    public String toUriPath() {
        return "/kbs/v0/resource/" + this;
    }
}
