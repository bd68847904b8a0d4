package io.cocoplane.kbsprotocol;

import java.security.PublicKey;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code tee-pubkey} of {@code runtime-data} (note §2.3): the guest's key the KBS encrypts resources to, a JWK subset
 * tagged by {@code kty}. Only the modelled members survive parsing (extra members are dropped, as serde does), so
 * {@link #toJson()} is what both sides hash in the runtime data (note §4.1 step 3).
 *
 * <ul>
 *   <li>{@link EcTeePubKey}: {@code {"kty":"EC","crv":"P-256"|"P-521","alg":"ECDH-ES+A256KW","x","y"}};</li>
 *   <li>{@link RsaTeePubKey}: {@code {"kty":"RSA","alg":"RSA-OAEP-256"|"RSA1_5","n","e"}}.</li>
 * </ul>
 * The experimental {@code AKP} (ML-KEM) variant is refused.
 */
public sealed interface TeePubKey permits EcTeePubKey, RsaTeePubKey {

    /**
     * @return the JWE key-management algorithm named by the key ({@code ECDH-ES+A256KW}, {@code RSA-OAEP-256} or
     *         {@code RSA1_5})
     */
    String alg();

    /**
     * @return the JWK JSON object, members in kbs-types serialization order ({@code kty} first)
     */
    ObjectNode toJson();

    /**
     * @return the key as a JCA public key ({@code ECPublicKey} or {@code RSAPublicKey})
     */
    PublicKey toPublicKey();

    /**
     * Parses a {@code tee-pubkey} JSON object, dispatching on {@code kty}.
     *
     * @param json the JWK object
     * @return the typed key
     * @throws InvalidTeePubKeyException when {@code json} is not an object, {@code kty} is missing or not
     *                                   {@code EC}/{@code RSA}, or the variant's own checks fail
     */
    static TeePubKey fromJson(JsonNode json) {
        if (json == null || !json.isObject()) {
            throw new InvalidTeePubKeyException("tee-pubkey: expected a JSON object, got " + RcarJson.typeName(json));
        }
        ObjectNode o = (ObjectNode) json;
        JsonNode kty = o.get("kty");
        if (kty == null || !kty.isString()) {
            throw new InvalidTeePubKeyException("tee-pubkey: missing string member \"kty\"");
        }
        return switch (kty.asString()) {
            case "EC" -> EcTeePubKey.fromJson(o);
            case "RSA" -> RsaTeePubKey.fromJson(o);
            default -> throw new InvalidTeePubKeyException("tee-pubkey: unsupported kty "
                    + RcarJson.quoteForMessage(kty.asString()) + " (EC or RSA)");
        };
    }
}
