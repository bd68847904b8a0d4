package io.cocoplane.keybroker.domain;

import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

import io.cocoplane.kbsprotocol.KbsProtocolException;
import io.cocoplane.kbsprotocol.TeePubKey;
import tools.jackson.core.JsonPointer;
import tools.jackson.databind.JsonNode;

/**
 * A verified EAR attestation token (note §5.1): the compact JWS and its claims. Accessors read the shape the
 * attestation service emits — {@code submods.cpu0} holds {@code ear.status}, and {@code ear.veraison.annotated-evidence}
 * holds {@code {"<tee>": {...}, "report_data", "init_data", "runtime_data_claims", "init_data_claims"}}; the TEE key for
 * the resource JWE is {@code runtime_data_claims.tee-pubkey} (note §5.2, EAR path).
 *
 * @param compact   the token as received
 * @param claims    the payload JSON object
 * @param expiresAt the {@code exp} claim
 */
public record EarToken(String compact, JsonNode claims, Instant expiresAt) {

    /** JSON pointer of the primary TEE's appraisal. */
    public static final String CPU0 = "/submods/cpu0";
    /** JSON pointer of the annotated evidence. */
    public static final String ANNOTATED = CPU0 + "/ear.veraison.annotated-evidence";

    private static final Set<String> NON_TEE_MEMBERS = Set.of("report_data", "init_data", "runtime_data_claims",
            "init_data_claims");

    /** @return the cpu0 appraisal object, or a missing node */
    public JsonNode cpu0() {
        return claims.at(CPU0);
    }

    /** @return {@code submods.cpu0["ear.status"]}, or empty */
    public Optional<String> status() {
        return text(CPU0 + "/ear.status");
    }

    /** @return the {@code jti} claim, or empty */
    public Optional<String> jti() {
        return text("/jti");
    }

    /**
     * @return the TEE whose verifier claims the annotated evidence carries (the member that is not one of
     *         {@code report_data}, {@code init_data}, {@code runtime_data_claims}, {@code init_data_claims}), e.g.
     *         {@code snp} or {@code sample}; empty when there is none or more than one
     */
    public Optional<String> tee() {
        JsonNode a = claims.at(ANNOTATED);
        if (!a.isObject()) {
            return Optional.empty();
        }
        String found = null;
        for (Iterator<String> it = a.propertyNames().iterator(); it.hasNext();) {
            String name = it.next();
            if (!NON_TEE_MEMBERS.contains(name)) {
                if (found != null) {
                    return Optional.empty();
                }
                found = name;
            }
        }
        return Optional.ofNullable(found);
    }

    /**
     * @param pointer a JSON pointer (RFC 6901) into the claims
     * @return the string at that pointer, or empty when absent or not a string
     */
    public Optional<String> text(String pointer) {
        JsonNode n = claims.at(JsonPointer.compile(pointer));
        return n != null && n.isString() ? Optional.of(n.asString()) : Optional.empty();
    }

    /** @return {@code runtime_data_claims.nonce}, or empty */
    public Optional<String> nonce() {
        return text(ANNOTATED + "/runtime_data_claims/nonce");
    }

    /**
     * @return the TEE key of the runtime data
     * @throws KbsException (401) when the token carries no valid {@code tee-pubkey}
     */
    public TeePubKey teePubKey() {
        JsonNode k = claims.at(ANNOTATED + "/runtime_data_claims/tee-pubkey");
        if (k.isMissingNode() || k.isNull()) {
            throw KbsException.tokenInvalid("token carries no runtime_data_claims.tee-pubkey");
        }
        try {
            return TeePubKey.fromJson(k);
        } catch (KbsProtocolException e) {
            throw KbsException.tokenInvalid("token tee-pubkey is invalid: " + e.getMessage());
        }
    }
}
