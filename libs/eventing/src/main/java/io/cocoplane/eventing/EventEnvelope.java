package io.cocoplane.eventing;

import java.time.OffsetDateTime;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventType;

/**
 * A consumed event: the CloudEvents context attributes and the payload record, plus where it came from in Kafka.
 *
 * @param id          CloudEvents {@code id} (the deduplication key)
 * @param type        catalogue entry of the CloudEvents {@code type}
 * @param source      CloudEvents {@code source}, e.g. {@code /cocoplane/orchestrator}
 * @param subject     CloudEvents {@code subject}: the aggregate id, equal to the record key
 * @param time        CloudEvents {@code time}, or null when the producer sent none
 * @param traceparent W3C trace context from the {@code traceparent} extension, or null
 * @param data        the payload, validated against its JSON Schema
 * @param topic       Kafka topic
 * @param partition   Kafka partition
 * @param offset      Kafka offset
 * @param dataSchema  CloudEvents {@code dataschema} as received, or null when the producer sent none
 * @param dataContentType CloudEvents {@code datacontenttype} as received, or null
 * @param rawData     the payload bytes exactly as received (UTF-8 JSON), for consumers that must keep what was sent
 *                    (the audit log) rather than this build's view of it
 * @param <T>         payload type
 */
public record EventEnvelope<T extends CocoEvent>(String id, EventType<T> type, String source, String subject,
                                                 OffsetDateTime time, String traceparent, T data, String topic,
                                                 int partition, long offset, String dataSchema,
                                                 String dataContentType, byte[] rawData) {
}
