package io.cocoplane.gateway.domain;

import java.util.regex.Pattern;

/**
 * A key broker resource path {@code <repository>/<type>/<tag>} (trustee KBS {@code /kbs/v0/resource/...}). Each
 * segment matches {@code [A-Za-z0-9_-][A-Za-z0-9._-]*}, is at most {@value #MAX_SEGMENT_LENGTH} characters, never starts
 * with {@code .} and never contains {@code ..}, so a path can be placed in a URL or a file name without escaping.
 *
 * @param repository first segment, e.g. {@code default}
 * @param type       second segment, e.g. {@code key}
 * @param tag        third segment, e.g. {@code model-kek}
 */
public record KbsResourcePath(String repository, String type, String tag) {

    /** Longest segment, in characters. */
    public static final int MAX_SEGMENT_LENGTH = 128;
    private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]*");

    /** @throws InvalidRequestException when a segment is invalid */
    public KbsResourcePath {
        segment("repository", repository);
        segment("type", type);
        segment("tag", tag);
    }

    private static void segment(String what, String s) {
        if (s == null || s.isEmpty() || s.length() > MAX_SEGMENT_LENGTH || !SEGMENT.matcher(s).matches()
                || s.contains("..")) {
            throw new InvalidRequestException("resource " + what + " segment must match [A-Za-z0-9_-][A-Za-z0-9._-]* "
                    + "(at most " + MAX_SEGMENT_LENGTH + " characters, no '..')");
        }
    }

    /**
     * @param path {@code repository/type/tag}
     * @return the parsed path
     * @throws InvalidRequestException when it has not exactly three valid segments
     */
    public static KbsResourcePath parse(String path) {
        if (path == null || path.length() > 3 * MAX_SEGMENT_LENGTH + 2) {
            throw new InvalidRequestException("resource path missing or too long");
        }
        String[] parts = path.split("/", -1);
        if (parts.length != 3) {
            throw new InvalidRequestException("resource path must be <repository>/<type>/<tag>");
        }
        return new KbsResourcePath(parts[0], parts[1], parts[2]);
    }

    @Override
    public String toString() {
        return repository + "/" + type + "/" + tag;
    }
}
