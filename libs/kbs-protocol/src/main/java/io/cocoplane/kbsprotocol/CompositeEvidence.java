package io.cocoplane.kbsprotocol;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code tee-evidence} of an {@link Attestation} (note §2.3), kbs-types {@code CompositeEvidence}:
 * {@code {"primary_evidence":<TEE-specific JSON>,"additional_evidence":"<string>"}} (snake_case members).
 * {@code additional_evidence} is a JSON-encoded <em>string</em> holding the device evidence map, or {@code ""}.
 *
 * @param primaryEvidence    the primary TEE's evidence JSON (never Java null); defensively copied
 * @param additionalEvidence the exact string that is also hashed into the primary runtime data (note §4.1 step 2)
 */
public record CompositeEvidence(JsonNode primaryEvidence, String additionalEvidence) {

    /**
     * @throws InvalidMessageException when a member is null
     */
    public CompositeEvidence {
        if (primaryEvidence == null) {
            throw new InvalidMessageException("tee-evidence: primary_evidence is required");
        }
        if (additionalEvidence == null) {
            throw new InvalidMessageException("tee-evidence: additional_evidence is required");
        }
        primaryEvidence = primaryEvidence.deepCopy();
    }

    /**
     * @return a copy of the primary evidence JSON
     */
    @Override
    public JsonNode primaryEvidence() {
        return primaryEvidence.deepCopy();
    }

    static CompositeEvidence fromJson(JsonNode n) {
        ObjectNode o = RcarJson.requireObject(n, "tee-evidence");
        return new CompositeEvidence(RcarJson.requireMember(o, "primary_evidence", "tee-evidence"),
                RcarJson.requireString(o, "additional_evidence", "tee-evidence", RcarJson.MAX_MESSAGE_BYTES));
    }

    /**
     * @return {@code {"primary_evidence","additional_evidence"}}
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        o.set("primary_evidence", primaryEvidence.deepCopy());
        o.put("additional_evidence", additionalEvidence);
        return o;
    }
}
