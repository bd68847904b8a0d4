package io.cocoplane.initdata;

/**
 * Size and count limits applied when decoding an annotation or parsing a TOML document.
 *
 * @param maxAnnotationChars largest accepted annotation value, in characters, checked before any decoding
 * @param maxDocumentBytes   largest accepted TOML document, in bytes; when decoding an annotation the gzip
 *                           stream is inflated at most this far (plus one byte to detect the overflow)
 * @param maxDataEntries     largest accepted number of entries in {@code [data]}
 */
public record DecodeLimits(int maxAnnotationChars, int maxDocumentBytes, int maxDataEntries) {

    /**
     * Defaults: 256 KiB annotation (the Kubernetes limit for all annotations of one object together,
     * {@code TotalAnnotationSizeLimitB}), 1 MiB document, 64 {@code [data]} entries.
     */
    public static final DecodeLimits DEFAULT = new DecodeLimits(256 * 1024, 1024 * 1024, 64);

    /**
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} when any limit is not positive
     */
    public DecodeLimits {
        if (maxAnnotationChars <= 0 || maxDocumentBytes <= 0 || maxDataEntries <= 0) {
            throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT, "limits must be positive");
        }
        if (maxDocumentBytes == Integer.MAX_VALUE) {
            throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT,
                    "maxDocumentBytes must be below Integer.MAX_VALUE");
        }
    }
}
