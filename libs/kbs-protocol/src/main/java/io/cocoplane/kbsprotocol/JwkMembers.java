package io.cocoplane.kbsprotocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Package-private helpers for reading {@code tee-pubkey} / {@code epk} JWK members with typed errors. */
final class JwkMembers {

    private JwkMembers() {
    }

    /** Reads a required string member of a JWK object. */
    static String member(ObjectNode o, String name, int maxChars) {
        JsonNode n = o.get(name);
        if (n == null || !n.isString()) {
            throw new InvalidTeePubKeyException("tee-pubkey: missing string member \"" + name + "\"");
        }
        String s = n.asString();
        if (s.length() > maxChars) {
            throw new InvalidTeePubKeyException("tee-pubkey: member \"" + name + "\" longer than " + maxChars);
        }
        return s;
    }

    /** Decodes an unpadded base64url JWK member, mapping failures to {@link InvalidTeePubKeyException}. */
    static byte[] b64url(String value, String name) {
        try {
            return RcarJson.decodeUrlUnpadded(value, "tee-pubkey." + name);
        } catch (InvalidMessageException e) {
            throw new InvalidTeePubKeyException(e.getMessage(), e);
        }
    }
}
