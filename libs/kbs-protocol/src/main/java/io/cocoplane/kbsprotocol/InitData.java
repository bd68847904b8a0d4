package io.cocoplane.kbsprotocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The optional {@code init-data} of an {@link Attestation} (note §2.3): {@code {"format":"toml","body":"<TOML text>"}}.
 * The KBS accepts only format {@value #FORMAT_TOML} (note §2.3 ⚠); this type accepts any format name as kbs-types
 * does and exposes {@link #isToml()}. The digest is taken over the exact UTF-8 bytes of {@code body} (note §4.2).
 *
 * @param format the format name, 1..16 characters
 * @param body   the init-data document text, at most {@value #MAX_BODY_CHARS} characters
 */
public record InitData(String format, String body) {

    /** The only format the trustee KBS accepts. */
    public static final String FORMAT_TOML = "toml";
    /** Maximum body length in characters: 1 MiB. */
    public static final int MAX_BODY_CHARS = 1024 * 1024;

    /**
     * @throws InvalidMessageException when a member is null or a length limit is exceeded
     */
    public InitData {
        if (format == null || format.isEmpty() || format.length() > 16) {
            throw new InvalidMessageException("init-data: format must be 1..16 characters");
        }
        if (body == null || body.length() > MAX_BODY_CHARS) {
            throw new InvalidMessageException("init-data: body is missing or longer than " + MAX_BODY_CHARS);
        }
    }

    /**
     * @return true when {@code format} is {@value #FORMAT_TOML}
     */
    public boolean isToml() {
        return FORMAT_TOML.equals(format);
    }

    static InitData fromJson(JsonNode n) {
        ObjectNode o = RcarJson.requireObject(n, "init-data");
        return new InitData(RcarJson.requireString(o, "format", "init-data", 16),
                RcarJson.requireString(o, "body", "init-data", MAX_BODY_CHARS));
    }

    /**
     * @return {@code {"format","body"}}
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("format", format);
        o.put("body", body);
        return o;
    }
}
