package io.cocoplane.audit;

import java.io.IOException;
import java.time.format.DateTimeFormatter;

import org.erdtman.jcs.JsonCanonicalizer;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventEnvelope;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The log entry (Merkle leaf) of an event: the CloudEvent in JSON structured form (CloudEvents JSON format 1.0, §3)
 * canonicalised with the JSON Canonicalization Scheme (RFC 8785), as UTF-8 bytes.
 *
 * <p>Members: {@code specversion} ("1.0"), {@code id}, {@code source}, {@code type}, {@code subject}, {@code time}
 * (RFC 3339, {@link DateTimeFormatter#ISO_OFFSET_DATE_TIME} of the received value, fraction without trailing zeros;
 * omitted when the producer sent none), {@code datacontenttype} ("application/json"), {@code dataschema} (the
 * catalogue's schema URI of the type), {@code data} (the payload as a JSON object, serialised exactly as
 * {@link CloudEventCodec#payload} serialises it), and {@code traceparent} when present. RFC 8785 sorts members by
 * UTF-16 code units, removes insignificant whitespace and writes numbers in ECMAScript form, so anyone holding the
 * same CloudEvent can rebuild the identical bytes.
 *
 * <p>Because {@link EventEnvelope} carries the decoded payload record rather than the received bytes, {@code data}
 * holds the members this build's contract record knows; members a newer producer added are not in the leaf.
 */
public final class CanonicalEvent {

    private final CloudEventCodec codec;
    private final JsonMapper mapper;

    /**
     * @param codec  the eventing codec (serialises payloads as producers do)
     * @param mapper a Jackson mapper used to assemble the envelope object
     */
    public CanonicalEvent(CloudEventCodec codec, JsonMapper mapper) {
        this.codec = codec;
        this.mapper = mapper;
    }

    /**
     * @param event a consumed event
     * @return the RFC 8785 canonical UTF-8 bytes of its structured-mode JSON
     * @throws IllegalArgumentException when the payload does not validate against its schema
     */
    public byte[] encode(EventEnvelope<? extends CocoEvent> event) {
        ObjectNode o = mapper.createObjectNode();
        o.put("specversion", "1.0");
        o.put("id", event.id());
        o.put("source", event.source());
        o.put("type", event.type().ceType());
        if (event.subject() != null) {
            o.put("subject", event.subject());
        }
        if (event.time() != null) {
            o.put("time", DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(event.time()));
        }
        // what was received, not this build's view of it: unknown data members and the producer's attributes stay
        o.put("datacontenttype", event.dataContentType() != null ? event.dataContentType() : CloudEventCodec.JSON);
        o.put("dataschema", event.dataSchema() != null ? event.dataSchema() : event.type().dataSchema());
        o.set("data", mapper.readTree(event.rawData() != null ? event.rawData() : codec.payload(event.data())));
        if (event.traceparent() != null) {
            o.put(CloudEventCodec.TRACEPARENT, event.traceparent());
        }
        return canonicalize(mapper.writeValueAsString(o));
    }

    /**
     * @param json any JSON text
     * @return its RFC 8785 canonical form, UTF-8
     * @throws IllegalArgumentException when the text is not JSON
     */
    public static byte[] canonicalize(String json) {
        try {
            return new JsonCanonicalizer(json).getEncodedUTF8();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("not canonicalisable JSON: " + e.getMessage(), e);
        }
    }
}
