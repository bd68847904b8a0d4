package io.cocoplane.kbsprotocol;

import tools.jackson.databind.node.ObjectNode;

/**
 * The KBS error body (note §1.4; kbs-types {@code ErrorInformation}):
 * {@code {"type":"https://github.com/confidential-containers/kbs/errors/<Variant>","detail":"<text>"}}.
 *
 * @param type   the error type URI, at most {@value #MAX_TYPE_CHARS} characters
 * @param detail the human-readable detail, at most {@value #MAX_DETAIL_CHARS} characters
 */
public record ErrorInformation(String type, String detail) {

    /** The prefix trustee puts before the variant name. */
    public static final String TYPE_PREFIX = "https://github.com/confidential-containers/kbs/errors/";
    /** Maximum {@code type} length. */
    public static final int MAX_TYPE_CHARS = 1024;
    /** Maximum {@code detail} length. */
    public static final int MAX_DETAIL_CHARS = 64 * 1024;

    private static final String WHAT = "ErrorInformation";

    /**
     * @throws InvalidMessageException when a member is null or too long
     */
    public ErrorInformation {
        if (type == null || type.length() > MAX_TYPE_CHARS || detail == null || detail.length() > MAX_DETAIL_CHARS) {
            throw new InvalidMessageException(WHAT + ": type and detail are required and bounded");
        }
    }

    /**
     * Builds the body trustee emits for a variant.
     *
     * @param variant e.g. {@code "PolicyDeny"}
     * @param detail  the detail text
     * @return {@code {type: TYPE_PREFIX + variant, detail}}
     */
    public static ErrorInformation of(String variant, String detail) {
        return new ErrorInformation(TYPE_PREFIX + variant, detail);
    }

    /**
     * @return the variant name (text after the last {@code /} of {@code type}), e.g. {@code "TokenVerifierError"}
     */
    public String variant() {
        return type.substring(type.lastIndexOf('/') + 1);
    }

    /**
     * Parses an error body.
     *
     * @param json UTF-8 JSON, at most {@link RcarJson#MAX_MESSAGE_BYTES}
     * @return the error information
     * @throws InvalidMessageException on bad JSON, a missing or non-string {@code type}/{@code detail}, or a limit
     */
    public static ErrorInformation parse(byte[] json) {
        ObjectNode o = RcarJson.readObject(json, RcarJson.MAX_MESSAGE_BYTES, WHAT);
        return new ErrorInformation(RcarJson.requireString(o, "type", WHAT, MAX_TYPE_CHARS),
                RcarJson.requireString(o, "detail", WHAT, MAX_DETAIL_CHARS));
    }

    /**
     * @return {@code {"type","detail"}}
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("type", type);
        o.put("detail", detail);
        return o;
    }

    /**
     * @return {@link #toJson()} as compact UTF-8 bytes
     */
    public byte[] toJsonBytes() {
        return RcarJson.write(toJson());
    }
}
