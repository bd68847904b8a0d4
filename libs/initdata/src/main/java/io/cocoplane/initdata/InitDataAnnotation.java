package io.cocoplane.initdata;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

/**
 * The pod annotation that carries init-data to Kata: <b>standard base64 with padding (RFC 4648 §4) of a gzip
 * stream (RFC 1952) of the exact TOML bytes</b> (kata {@code src/runtime/pkg/oci/utils.go}
 * {@code addHypervisorInitdataOverrides}; kata {@code src/libs/kata-types/src/initdata.rs}; how-tos build it with
 * {@code gzip -c | base64 -w0}).
 *
 * <p>Decoding is strict and bounded: the annotation length is checked before anything is decoded; only the
 * 64 alphabet characters plus trailing {@code '='} are accepted (no whitespace, no URL-safe alphabet); padding is
 * required; the gzip stream is inflated in a streaming fashion and abandoned as soon as it exceeds
 * {@link DecodeLimits#maxDocumentBytes()}, so a decompression bomb costs at most that much memory and work.
 */
public final class InitDataAnnotation {

    /** Annotation key since Kata 3.20 (hypervisor scope; must be allow-listed in {@code enable_annotations}). */
    public static final String KEY = "io.katacontainers.config.hypervisor.cc_init_data";
    /** Annotation key used by Kata 3.8 to 3.19 (runtime scope); no longer honoured from Kata 3.20 / CoCo 0.16. */
    public static final String LEGACY_RUNTIME_KEY = "io.katacontainers.config.runtime.cc_init_data";

    private InitDataAnnotation() {
    }

    /**
     * Encodes a document as an annotation value: gzip (JDK {@link GZIPOutputStream}, header mtime 0, so the
     * output is reproducible for a given JDK) then standard padded base64 without line breaks.
     *
     * @param document the document; its exact bytes are compressed
     * @return the annotation value
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
     */
    public static String encode(InitDataDocument document) {
        InitDataException.requireArgument(document, "document");
        byte[] toml = document.bytes();
        ByteArrayOutputStream out = new ByteArrayOutputStream(toml.length / 2 + 64);
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(toml);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory gzip failed", e); // cannot happen with a byte array sink
        }
        return Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /**
     * Decodes and validates an annotation value with {@link DecodeLimits#DEFAULT}.
     *
     * @param annotation the annotation value
     * @return the document, holding the exact decompressed bytes
     * @throws InitDataException see {@link #decode(String, DecodeLimits)}
     */
    public static InitDataDocument decode(String annotation) {
        return decode(annotation, DecodeLimits.DEFAULT);
    }

    /**
     * Decodes and validates an annotation value: length check, base64, bounded gunzip, then
     * {@link InitDataDocument#parse(byte[], DecodeLimits)}.
     *
     * @param annotation the annotation value
     * @param limits     the limits
     * @return the document, holding the exact decompressed bytes
     * @throws InitDataException reason ANNOTATION_EMPTY; ANNOTATION_TOO_LARGE (more than
     *                           {@code maxAnnotationChars}, checked first); NOT_BASE64 (character outside the
     *                           standard alphabet, misplaced or excess {@code '='}, or length ≡ 1 mod 4);
     *                           MISSING_PADDING (length ≡ 2 or 3 mod 4); NOT_GZIP (bad magic, corrupt or
     *                           truncated stream); DECOMPRESSED_TOO_LARGE (inflates past {@code maxDocumentBytes});
     *                           any reason of {@link InitDataDocument#parse(byte[], DecodeLimits)} (NOT_UTF8,
     *                           NOT_TOML, ...); INVALID_ARGUMENT for {@code null} arguments
     */
    public static InitDataDocument decode(String annotation, DecodeLimits limits) {
        InitDataException.requireArgument(annotation, "annotation");
        InitDataException.requireArgument(limits, "limits");
        byte[] compressed = decodeBase64(annotation, limits);
        byte[] toml = BoundedGunzip.gunzip(new ByteArrayInputStream(compressed), limits.maxDocumentBytes());
        return InitDataDocument.parse(toml, limits);
    }

    /** Strict standard base64 with mandatory padding. */
    static byte[] decodeBase64(String annotation, DecodeLimits limits) {
        int n = annotation.length();
        if (n == 0) {
            throw new InitDataException(InitDataException.Reason.ANNOTATION_EMPTY, "annotation value is empty");
        }
        if (n > limits.maxAnnotationChars()) {
            throw new InitDataException(InitDataException.Reason.ANNOTATION_TOO_LARGE,
                    "annotation is " + n + " characters, limit " + limits.maxAnnotationChars());
        }
        int padding = 0;
        for (int i = 0; i < n; i++) {
            char c = annotation.charAt(i);
            boolean alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '+' || c == '/';
            if (c == '=') {
                padding++;
            } else if (!alphabet) {
                throw new InitDataException(InitDataException.Reason.NOT_BASE64,
                        "character " + describe(c) + " at index " + i + " is not in the standard base64 alphabet");
            } else if (padding > 0) {
                throw new InitDataException(InitDataException.Reason.NOT_BASE64,
                        "'=' padding in the middle of the value at index " + (i - padding));
            }
        }
        int dataChars = n - padding;
        int needed = switch (dataChars % 4) {
            case 0 -> 0;
            case 2 -> 2;
            case 3 -> 1;
            default -> -1; // a single leftover character cannot encode a byte
        };
        if (needed < 0 || padding > needed) {
            throw new InitDataException(InitDataException.Reason.NOT_BASE64,
                    "impossible base64 length or excess '=' (" + dataChars + " data characters, " + padding + " '=')");
        }
        if (padding < needed) {
            throw new InitDataException(InitDataException.Reason.MISSING_PADDING,
                    "base64 value lacks " + (needed - padding) + " '=' of padding (length must be a multiple of 4)");
        }
        try {
            return Base64.getDecoder().decode(annotation);
        } catch (IllegalArgumentException e) {
            throw new InitDataException(InitDataException.Reason.NOT_BASE64, "not base64: " + e.getMessage(), e);
        }
    }

    private static String describe(char c) {
        return (c >= 0x21 && c < 0x7f) ? "'" + c + "'" : String.format("U+%04X", (int) c);
    }
}
