package io.cocoplane.eventing;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One row of the {@code eventing_outbox} table: an event committed with its business change, waiting for the relay.
 *
 * @param seq         insertion order (BIGSERIAL); the relay sends in this order
 * @param eventId     CloudEvents {@code id}
 * @param topic       target topic
 * @param key         record key (= subject)
 * @param ceType      CloudEvents {@code type}
 * @param source      CloudEvents {@code source}
 * @param subject     CloudEvents {@code subject}
 * @param dataSchema  CloudEvents {@code dataschema}
 * @param time        CloudEvents {@code time}
 * @param traceparent W3C trace context of the publishing span, or null
 * @param data        payload JSON bytes
 */
public record OutboxRow(long seq, UUID eventId, String topic, String key, String ceType, String source, String subject,
                        String dataSchema, OffsetDateTime time, String traceparent, byte[] data) {
}
