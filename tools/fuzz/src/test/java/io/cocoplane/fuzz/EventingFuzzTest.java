package io.cocoplane.fuzz;

import static io.cocoplane.fuzz.Outcome.check;
import static io.cocoplane.fuzz.Outcome.refusedOr;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventEnvelope;
import io.cocoplane.eventing.OutboxRow;
import io.cocoplane.eventing.PoisonRecordException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzz target for {@code libs/eventing}: a consumed Kafka record in CloudEvents binary mode, as any producer on the
 * cluster can write it. The documented refusal is {@link PoisonRecordException} (the record is dead-lettered); an
 * unknown CloudEvents type is skipped. Accepted events must survive the producer's encoding unchanged.
 *
 * <p>Input framing ({@link Frames}): part 0 is the record key (UTF-8, an empty part is a null key), part 1 the record
 * value, then pairs of header name (UTF-8) and header value.
 */
class EventingFuzzTest {

    /** Largest record value accepted (the services' default {@code maxRecordBytes}). */
    static final int MAX_RECORD_BYTES = 1024 * 1024;
    /** Most headers read from one input. */
    static final int MAX_HEADERS = 32;

    private static final CloudEventCodec CODEC = new CloudEventCodec(JsonMapper.builder().build(), MAX_RECORD_BYTES);
    private static final UUID FALLBACK_ID = UUID.fromString("00000000-0000-4000-8000-000000000000");

    /** Decoding of a consumed record, and the encode∘decode round trip of what is accepted. */
    @FuzzTest
    void cloudEventRecord(byte[] data) {
        List<byte[]> parts = Frames.split(data, 2 + 2 * MAX_HEADERS);
        ConsumerRecord<String, byte[]> record = record(parts);
        Optional<EventEnvelope<?>> decoded = refusedOr(() -> CODEC.decode(record), PoisonRecordException.class);
        if (decoded == null || decoded.isEmpty()) {
            return;
        }
        EventEnvelope<?> e = decoded.get();
        check(e.data() != null && e.type().dataClass().isInstance(e.data()), "envelope data of the wrong type");
        UUID id;
        try {
            id = UUID.fromString(e.id());
        } catch (IllegalArgumentException notAUuid) {
            id = FALLBACK_ID; // our producers use UUIDs; others may not
        }
        OutboxRow row = new OutboxRow(0, id, e.topic(), record.key(), e.type().ceType(), e.source(), e.subject(),
                e.dataSchema() == null ? e.type().dataSchema() : e.dataSchema(), e.time(), e.traceparent(),
                e.rawData());
        ProducerRecord<String, byte[]> produced = CODEC.encode(row);
        EventEnvelope<?> again = refusedOr(() -> CODEC.decode(toConsumed(produced)), PoisonRecordException.class)
                .orElseThrow(() -> new AssertionError("re-encoded event has an unknown type"));
        check(again.data().equals(e.data()), "payload changed across encode and decode");
        check(again.type().equals(e.type()) && again.source().equals(e.source())
                && Objects.equals(again.subject(), e.subject()) && Objects.equals(again.traceparent(), e.traceparent())
                && Objects.equals(again.time(), e.time()), "context attributes changed across encode and decode");
    }

    /** @return the consumed record that {@code parts} describe */
    static ConsumerRecord<String, byte[]> record(List<byte[]> parts) {
        byte[] key = Frames.part(parts, 0);
        RecordHeaders headers = new RecordHeaders();
        for (int i = 2; i + 1 < parts.size(); i += 2) {
            headers.add(new String(parts.get(i), StandardCharsets.UTF_8), parts.get(i + 1));
        }
        return new ConsumerRecord<>("cocoplane.fuzz", 0, 0L, 0L, TimestampType.CREATE_TIME, key.length,
                Frames.part(parts, 1).length, key.length == 0 ? null : new String(key, StandardCharsets.UTF_8),
                Frames.part(parts, 1), headers, Optional.empty());
    }

    /** @return the frame parts of a produced record (the inverse of {@link #record}, for seeds) */
    static List<byte[]> parts(ProducerRecord<String, byte[]> produced) {
        List<byte[]> parts = new ArrayList<>();
        parts.add(produced.key() == null ? new byte[0] : produced.key().getBytes(StandardCharsets.UTF_8));
        parts.add(produced.value());
        for (Header h : produced.headers()) {
            parts.add(h.key().getBytes(StandardCharsets.UTF_8));
            parts.add(h.value());
        }
        return parts;
    }

    private static ConsumerRecord<String, byte[]> toConsumed(ProducerRecord<String, byte[]> p) {
        return record(parts(p));
    }
}
