package io.cocoplane.kbsprotocol;

import java.util.Optional;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RCAR {@code Attestation}, body of {@code POST /kbs/v0/attest} (note §2.3, protocol 0.4.0):
 * {@code {"init-data":null|{format,body},"runtime-data":{nonce,tee-pubkey},"tee-evidence":{primary_evidence,
 * additional_evidence}}}.
 *
 * @param initData     the optional init-data; {@code null} is serialized as JSON {@code null}
 * @param runtimeData  nonce and TEE key
 * @param teeEvidence  the composite evidence
 */
public record Attestation(InitData initData, RuntimeData runtimeData, CompositeEvidence teeEvidence) {

    private static final String WHAT = "Attestation";

    /**
     * @throws InvalidMessageException when {@code runtimeData} or {@code teeEvidence} is null
     */
    public Attestation {
        if (runtimeData == null || teeEvidence == null) {
            throw new InvalidMessageException(WHAT + ": runtime-data and tee-evidence are required");
        }
    }

    /**
     * @return the init-data, if any
     */
    public Optional<InitData> optionalInitData() {
        return Optional.ofNullable(initData);
    }

    /**
     * Parses an Attestation body. {@code init-data} may be absent or {@code null}.
     *
     * @param json UTF-8 JSON, at most {@link RcarJson#MAX_MESSAGE_BYTES}
     * @return the attestation
     * @throws InvalidMessageException    on bad JSON, a missing {@code runtime-data}/{@code tee-evidence} or nested
     *                                    member, a wrong type, or a limit
     * @throws InvalidTeePubKeyException  when {@code runtime-data.tee-pubkey} is not a valid key
     */
    public static Attestation parse(byte[] json) {
        ObjectNode o = RcarJson.readObject(json, RcarJson.MAX_MESSAGE_BYTES, WHAT);
        JsonNode init = o.get("init-data");
        InitData initData = init == null || init.isNull() ? null : InitData.fromJson(init);
        RuntimeData rd = RuntimeData.fromJson(RcarJson.requireMember(o, "runtime-data", WHAT));
        CompositeEvidence ev = CompositeEvidence.fromJson(RcarJson.requireMember(o, "tee-evidence", WHAT));
        return new Attestation(initData, rd, ev);
    }

    /**
     * @return {@code {"init-data","runtime-data","tee-evidence"}} in this order
     */
    public ObjectNode toJson() {
        ObjectNode o = RcarJson.newObject();
        if (initData == null) {
            o.putNull("init-data");
        } else {
            o.set("init-data", initData.toJson());
        }
        o.set("runtime-data", runtimeData.toJson());
        o.set("tee-evidence", teeEvidence.toJson());
        return o;
    }

    /**
     * @return {@link #toJson()} as compact UTF-8 bytes
     */
    public byte[] toJsonBytes() {
        return RcarJson.write(toJson());
    }
}
