package io.cocoplane.registry.oci;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An inclusive byte range {@code [first, last]}.
 *
 * <p>{@link #parseRangeHeader} reads a single-range RFC 9110 §14.1.2 {@code Range: bytes=a-b | a- | -n} request
 * header against a representation of known length; {@link #parseContentRange} reads the upload {@code Content-Range}
 * of the distribution spec ({@code <start>-<end>}, also accepting {@code bytes <start>-<end>/<total|*>}).
 *
 * @param first first byte offset, inclusive
 * @param last  last byte offset, inclusive ({@code last >= first})
 */
public record ByteRange(long first, long last) {

    private static final Pattern RANGE = Pattern.compile("bytes=(\\d{0,19})-(\\d{0,19})");
    private static final Pattern CONTENT_RANGE = Pattern.compile("(?:bytes )?(\\d{1,19})-(\\d{1,19})(?:/(?:\\d{1,19}|\\*))?");

    /** @return the number of bytes in the range */
    public long length() {
        return last - first + 1;
    }

    /**
     * @param header the {@code Range} header value (null or blank means "whole representation")
     * @param size   the representation length in bytes
     * @return the range, or null to send the whole representation
     * @throws RegistryException RANGE_INVALID (416, with {@code Content-Range: bytes *}{@code /size}) when the header
     *                           is malformed, asks for several ranges or cannot be satisfied
     */
    public static ByteRange parseRangeHeader(String header, long size) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = RANGE.matcher(header.trim());
        RegistryException bad = new RegistryException(OciError.RANGE_INVALID, "range not satisfiable")
                .header("Content-Range", "bytes */" + size);
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            throw bad;
        }
        try {
            if (m.group(1).isEmpty()) {
                long suffix = Long.parseLong(m.group(2));
                if (suffix == 0 || size == 0) {
                    throw bad;
                }
                return new ByteRange(Math.max(0, size - suffix), size - 1);
            }
            long first = Long.parseLong(m.group(1));
            long last = m.group(2).isEmpty() ? size - 1 : Math.min(Long.parseLong(m.group(2)), size - 1);
            if (first >= size || last < first) {
                throw bad;
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            throw bad;
        }
    }

    /**
     * @param header an upload {@code Content-Range} header, or null
     * @return the range, or null when absent
     * @throws RegistryException RANGE_INVALID (416) when malformed or {@code end < start}
     */
    public static ByteRange parseContentRange(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        Matcher m = CONTENT_RANGE.matcher(header.trim());
        if (!m.matches()) {
            throw new RegistryException(OciError.RANGE_INVALID, "malformed Content-Range");
        }
        try {
            long first = Long.parseLong(m.group(1));
            long last = Long.parseLong(m.group(2));
            if (last < first) {
                throw new RegistryException(OciError.RANGE_INVALID, "Content-Range end before start");
            }
            return new ByteRange(first, last);
        } catch (NumberFormatException e) {
            throw new RegistryException(OciError.RANGE_INVALID, "malformed Content-Range");
        }
    }
}
