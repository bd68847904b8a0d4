package io.cocoplane.kbsprotocol;

import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.NullNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RCAR {@code Request}, body of {@code POST /kbs/v0/auth} (note §2.1):
 * {@code {"version":"0.4.0","tee":"snp","extra-params":{…}}} — one TEE, a semver version and any JSON value as
 * {@code extra-params}.
 *
 * @param version     semver string; the KBS accepts only {@value #PROTOCOL_VERSION} (note §3)
 * @param tee         the one TEE of the guest
 * @param extraParams any JSON value (never Java null; JSON {@code null} allowed); defensively copied
 */
public record Request(String version, Tee tee, JsonNode extraParams) {

    /** The protocol version this library speaks and the only one the KBS accepts. */
    public static final String PROTOCOL_VERSION = "0.4.0";
    /** Maximum length of {@code version}. */
    public static final int MAX_VERSION_CHARS = 64;

    private static final Pattern SEMVER = Pattern.compile(
            "(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)\\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?(\\+[0-9A-Za-z.-]+)?");
    private static final String WHAT = "Request";

    /**
     * @throws InvalidMessageException when {@code version} is not semver (or longer than {@value #MAX_VERSION_CHARS}),
     *                                 or {@code tee} is null
     */
    public Request {
        if (version == null || version.length() > MAX_VERSION_CHARS || !SEMVER.matcher(version).matches()) {
            throw new InvalidMessageException(WHAT + ": version " + RcarJson.quoteForMessage(version) + " is not semver");
        }
        if (tee == null) {
            throw new InvalidMessageException(WHAT + ": tee is required");
        }
        extraParams = extraParams == null ? NullNode.getInstance() : extraParams.deepCopy();
    }

    /**
     * The Request the guest-components Rust client sends: version {@value #PROTOCOL_VERSION} and
     * {@code extra-params = {"supported-hash-algorithms":["sha256","sha384","sha512","sm3"]}}.
     *
     * @param tee the guest's TEE
     * @return the request
     */
    public static Request forTee(Tee tee) {
        ObjectNode extra = RcarJson.newObject();
        ArrayNode list = extra.putArray("supported-hash-algorithms");
        for (HashAlgorithm h : HashAlgorithm.values()) {
            list.add(h.wireName());
        }
        return new Request(PROTOCOL_VERSION, tee, extra);
    }

    /**
     * @return a copy of {@code extra-params}
     */
    @Override
    public JsonNode extraParams() {
        return extraParams.deepCopy();
    }

    /**
     * @return true when {@code version} is exactly {@value #PROTOCOL_VERSION}, the KBS's {@code =0.4.0} requirement
     */
    public boolean isSupportedVersion() {
        return PROTOCOL_VERSION.equals(version);
    }

    /**
     * Parses a Request body.
     *
     * @param json UTF-8 JSON, at most {@link RcarJson#MAX_MESSAGE_BYTES}
     * @return the request
     * @throws InvalidMessageException on bad JSON, a missing member ({@code version}, {@code tee},
     *                                 {@code extra-params}), a non-string version/tee, an unknown TEE name or a limit
     */
    public static Request parse(byte[] json) {
        ObjectNode o = RcarJson.readObject(json, RcarJson.MAX_MESSAGE_BYTES, WHAT);
        String version = RcarJson.requireString(o, "version", WHAT, MAX_VERSION_CHARS);
        Tee tee = Tee.fromWireName(RcarJson.requireString(o, "tee", WHAT, 64));
        return new Request(version, tee, RcarJson.requireMember(o, "extra-params", WHAT));
    }

    /**
     * @return the compact JSON object {@code {"version","tee","extra-params"}} in this order
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("version", version);
        o.put("tee", tee.wireName());
        o.set("extra-params", extraParams.deepCopy());
        return o;
    }

    /**
     * @return {@link #toJson()} as compact UTF-8 bytes
     */
    public byte[] toJsonBytes() {
        return RcarJson.write(toJson());
    }
}
