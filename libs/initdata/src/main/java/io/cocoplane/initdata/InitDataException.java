package io.cocoplane.initdata;

import java.util.Objects;

/**
 * Thrown for every bad init-data input: a malformed pod annotation, a TOML document that is not valid
 * init-data, an out-of-range option of a builder, or a limit that was exceeded.
 *
 * <p>The {@link #reason()} tells callers (and tests) which check failed without parsing the message. The
 * class extends {@link IllegalArgumentException} because every cause is a bad argument supplied by the
 * caller; no other exception type escapes the public API of this package for bad input.
 */
public final class InitDataException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /** Which check failed. */
    public enum Reason {
        /** A required argument was {@code null} or otherwise unusable. */
        INVALID_ARGUMENT,
        /** The annotation value was empty. */
        ANNOTATION_EMPTY,
        /** The annotation value was longer than {@link DecodeLimits#maxAnnotationChars()} (checked before decoding). */
        ANNOTATION_TOO_LARGE,
        /** The annotation value contains a character outside the standard base64 alphabet (RFC 4648 §4), or
         *  misplaced / excess {@code '='} padding, or has an impossible length. */
        NOT_BASE64,
        /** The annotation value is base64 without its trailing {@code '='} padding (length not a multiple of 4). */
        MISSING_PADDING,
        /** The base64-decoded bytes are not a complete gzip stream (RFC 1952). */
        NOT_GZIP,
        /** The gzip stream inflates to more than {@link DecodeLimits#maxDocumentBytes()} bytes; inflation stopped there. */
        DECOMPRESSED_TOO_LARGE,
        /** A raw TOML document handed to the parser is larger than {@link DecodeLimits#maxDocumentBytes()}. */
        DOCUMENT_TOO_LARGE,
        /** The document bytes are not well-formed UTF-8 (TOML 1.0 requires UTF-8). */
        NOT_UTF8,
        /** The document is not syntactically valid TOML. */
        NOT_TOML,
        /** A required top-level key ({@code version}, {@code algorithm}, {@code data}) is missing. */
        MISSING_FIELD,
        /** A top-level key other than {@code version}, {@code algorithm}, {@code data} is present. */
        UNEXPECTED_FIELD,
        /** A field has the wrong TOML type (e.g. {@code version} is an integer, a {@code [data]} value is a table). */
        WRONG_TYPE,
        /** {@code version} is not {@value InitData#VERSION}. */
        UNSUPPORTED_VERSION,
        /** {@code algorithm} is not one of {@code sha256}, {@code sha384}, {@code sha512}. */
        UNSUPPORTED_ALGORITHM,
        /** A {@code [data]} key is empty, too long or contains control characters. */
        INVALID_DATA_KEY,
        /** A {@code [data]} value contains an unpaired UTF-16 surrogate or a NUL character, or is too long. */
        INVALID_DATA_VALUE,
        /** {@code [data]} has more than {@link DecodeLimits#maxDataEntries()} entries. */
        TOO_MANY_ENTRIES,
        /** An image reference given to the policy builder is not pinned by an OCI digest. */
        IMAGE_NOT_PINNED,
        /** The KBS URL or KBS certificate given to {@link CocoInitData} is not acceptable. */
        INVALID_KBS_CONFIG
    }

    private final Reason reason;

    /**
     * @param reason  which check failed; never {@code null}
     * @param message human-readable description, naming the offending value where that is safe
     */
    public InitDataException(Reason reason, String message) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message);
        this.reason = reason;
    }

    /**
     * @param reason  which check failed; never {@code null}
     * @param message human-readable description
     * @param cause   the library exception that revealed the problem
     */
    public InitDataException(Reason reason, String message, Throwable cause) {
        super(Objects.requireNonNull(reason, "reason") + ": " + message, cause);
        this.reason = reason;
    }

    /** @return which check failed */
    public Reason reason() {
        return reason;
    }

    static <T> T requireArgument(T value, String name) {
        if (value == null) {
            throw new InitDataException(Reason.INVALID_ARGUMENT, name + " must not be null");
        }
        return value;
    }
}
