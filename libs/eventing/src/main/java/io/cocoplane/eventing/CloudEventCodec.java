package io.cocoplane.eventing;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

import io.cloudevents.CloudEvent;
import io.cloudevents.SpecVersion;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventSchemas;
import io.cocoplane.contracts.EventType;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * CloudEvents 1.0 in Kafka binary content mode (the CloudEvents Kafka protocol binding, §3.2): context attributes in
 * {@code ce_*} headers, {@code content-type: application/json}, the payload JSON as the record value, the
 * {@code subject} as the record key. Encoding and decoding go through the CloudEvents SDK ({@code cloudevents-kafka}).
 */
public final class CloudEventCodec {

    /** {@code datacontenttype} of every cocoplane event. */
    public static final String JSON = "application/json";
    /** CloudEvents extension carrying the W3C {@code traceparent} (distributed-tracing extension). */
    public static final String TRACEPARENT = "traceparent";

    private final JsonMapper mapper;
    private final int maxRecordBytes;

    /**
     * @param mapper         Jackson 3 mapper for payloads
     * @param maxRecordBytes largest record value {@link #decode} accepts
     */
    public CloudEventCodec(JsonMapper mapper, int maxRecordBytes) {
        this.mapper = mapper;
        this.maxRecordBytes = maxRecordBytes;
    }

    /**
     * Serialises a payload and checks it against its JSON Schema.
     *
     * @return the payload JSON bytes (UTF-8)
     * @throws IllegalArgumentException when the payload does not validate (a bug in the producer, never sent)
     */
    public byte[] payload(CocoEvent event) {
        EventType<?> type = EventCatalog.of(event.getClass());
        JsonNode tree = mapper.valueToTree(event);
        List<String> errors = EventSchemas.validate(type, tree);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException(type.ceType() + " does not validate against its schema: " + errors);
        }
        return mapper.writeValueAsBytes(tree);
    }

    /**
     * Builds the Kafka record of an outbox row.
     *
     * @return a record to {@code row.topic()} keyed by the subject, with {@code ce_*} headers
     */
    public ProducerRecord<String, byte[]> encode(OutboxRow row) {
        CloudEventBuilder b = CloudEventBuilder.v1()
                .withId(row.eventId().toString())
                .withType(row.ceType())
                .withSource(URI.create(row.source()))
                .withSubject(row.subject())
                .withTime(row.time())
                .withDataSchema(URI.create(row.dataSchema()))
                .withDataContentType(JSON)
                .withData(row.data());
        if (row.traceparent() != null) {
            b.withExtension(TRACEPARENT, row.traceparent());
        }
        return KafkaMessageFactory.createWriter(row.topic(), row.key()).writeBinary(b.build());
    }

    /**
     * Decodes a consumed record.
     *
     * @return the envelope, or empty when the CloudEvents type is not in this build's catalogue (skip it)
     * @throws PoisonRecordException when the record is over the size limit, not a CloudEvents 1.0 binary-mode record,
     *                               not JSON data, or data that does not validate against its schema
     */
    public Optional<EventEnvelope<?>> decode(ConsumerRecord<String, byte[]> record) {
        if (record.value() != null && record.value().length > maxRecordBytes) {
            throw new PoisonRecordException("record value of " + record.value().length + " bytes exceeds the limit of "
                    + maxRecordBytes);
        }
        CloudEvent ce;
        try {
            ce = KafkaMessageFactory.createReader(record).toEvent();
        } catch (RuntimeException e) {
            throw new PoisonRecordException("not a CloudEvents binary-mode record: " + e.getMessage(), e);
        }
        if (ce.getSpecVersion() != SpecVersion.V1) {
            throw new PoisonRecordException("unsupported CloudEvents specversion " + ce.getSpecVersion());
        }
        Optional<EventType<?>> type = EventCatalog.byCeType(ce.getType());
        if (type.isEmpty()) {
            return Optional.empty();
        }
        if (ce.getDataContentType() != null && !ce.getDataContentType().startsWith(JSON)) {
            throw new PoisonRecordException("datacontenttype " + ce.getDataContentType() + " is not " + JSON);
        }
        if (ce.getData() == null) {
            throw new PoisonRecordException(ce.getType() + " without data");
        }
        return Optional.of(envelope(type.get(), ce, record));
    }

    private <T extends CocoEvent> EventEnvelope<T> envelope(EventType<T> type, CloudEvent ce,
                                                            ConsumerRecord<String, byte[]> record) {
        byte[] raw = ce.getData().toBytes();
        JsonNode tree;
        try {
            tree = mapper.readTree(raw);
        } catch (JacksonException e) {
            throw new PoisonRecordException("data of " + ce.getType() + " is not JSON: " + e.getOriginalMessage(), e);
        }
        List<String> errors = EventSchemas.validate(type, tree);
        if (!errors.isEmpty()) {
            throw new PoisonRecordException("data of " + ce.getType() + " does not validate: " + errors);
        }
        T data;
        try {
            data = mapper.treeToValue(tree, type.dataClass());
        } catch (JacksonException | IllegalArgumentException | NullPointerException e) {
            throw new PoisonRecordException("data of " + ce.getType() + " does not bind: " + e.getMessage(), e);
        }
        Object tp = ce.getExtension(TRACEPARENT);
        OffsetDateTime time = ce.getTime();
        return new EventEnvelope<>(ce.getId(), type, ce.getSource().toString(), ce.getSubject(), time,
                tp == null ? null : tp.toString(), data, record.topic(), record.partition(), record.offset(),
                ce.getDataSchema() == null ? null : ce.getDataSchema().toString(), ce.getDataContentType(), raw);
    }

    /** @return the record value as text, for logs of poison records (at most 200 characters) */
    static String preview(byte[] value) {
        if (value == null) {
            return "<null>";
        }
        String s = new String(value, 0, Math.min(value.length, 200), StandardCharsets.UTF_8);
        return value.length > 200 ? s + "…" : s;
    }
}
