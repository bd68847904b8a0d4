package io.cocoplane.kbsprotocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code runtime-data} of an {@link Attestation} (note §2.3): {@code {"nonce":"<Challenge.nonce verbatim>",
 * "tee-pubkey":<TeePubKey>}}. Its canonical hash (with {@code additional-evidence}) is bound into the evidence, see
 * {@link RuntimeDataHash}.
 *
 * @param nonce     the challenge nonce, verbatim
 * @param teePubKey the guest's key for the resource JWE
 */
public record RuntimeData(String nonce, TeePubKey teePubKey) {

    /**
     * @throws InvalidMessageException when the nonce is null/empty/longer than {@link Challenge#MAX_NONCE_CHARS} or
     *                                 the key is null
     */
    public RuntimeData {
        if (nonce == null || nonce.isEmpty() || nonce.length() > Challenge.MAX_NONCE_CHARS) {
            throw new InvalidMessageException("runtime-data: nonce must be 1.." + Challenge.MAX_NONCE_CHARS
                    + " characters");
        }
        if (teePubKey == null) {
            throw new InvalidMessageException("runtime-data: tee-pubkey is required");
        }
    }

    static RuntimeData fromJson(JsonNode n) {
        ObjectNode o = RcarJson.requireObject(n, "runtime-data");
        String nonce = RcarJson.requireString(o, "nonce", "runtime-data", Challenge.MAX_NONCE_CHARS);
        return new RuntimeData(nonce, TeePubKey.fromJson(RcarJson.requireMember(o, "tee-pubkey", "runtime-data")));
    }

    /**
     * @return {@code {"nonce","tee-pubkey"}}
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.put("nonce", nonce);
        o.set("tee-pubkey", teePubKey.toJson());
        return o;
    }
}
