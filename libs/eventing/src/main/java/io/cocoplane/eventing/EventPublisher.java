package io.cocoplane.eventing;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventType;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Publishes events through the transactional outbox: {@link #publish(CocoEvent)} inserts a row into
 * {@code eventing_outbox} in the caller's database transaction, so the event exists if and only if the business change
 * commits. {@link OutboxRelay} later sends it to Kafka (at least once, in commit order per aggregate).
 */
public class EventPublisher {

    private final JdbcTemplate jdbc;
    private final CloudEventCodec codec;
    private final String source;
    private final TraceContext trace;
    private final Clock clock;
    private final MeterRegistry meters;
    private final Runnable afterCommit;

    /**
     * @param jdbc   template on the service's data source
     * @param codec  payload codec
     * @param source CloudEvents {@code source}, e.g. {@code /cocoplane/registry}
     * @param trace  current-span accessor
     * @param clock  clock for the {@code time} attribute
     * @param meters metrics registry
     */
    public EventPublisher(JdbcTemplate jdbc, CloudEventCodec codec, String source, TraceContext trace, Clock clock,
                          MeterRegistry meters) {
        this(jdbc, codec, source, trace, clock, meters, () -> { });
    }

    /**
     * @param jdbc        template on the service's data source
     * @param codec       payload codec
     * @param source      CloudEvents {@code source}, e.g. {@code /cocoplane/registry}
     * @param trace       current-span accessor
     * @param clock       clock for the {@code time} attribute
     * @param meters      metrics registry
     * @param afterCommit run after each transaction that published commits (the relay's {@link OutboxRelay#wakeUp()})
     */
    public EventPublisher(JdbcTemplate jdbc, CloudEventCodec codec, String source, TraceContext trace, Clock clock,
                          MeterRegistry meters, Runnable afterCommit) {
        this.afterCommit = afterCommit;
        this.jdbc = jdbc;
        this.codec = codec;
        this.source = source;
        this.trace = trace;
        this.clock = clock;
        this.meters = meters;
    }

    /**
     * Records an event in the current transaction.
     *
     * @param event a catalogue payload; its {@link CocoEvent#subject()} becomes the subject and record key
     * @return the new CloudEvents {@code id}
     * @throws IllegalStateException    when no transaction is active (an event outside a transaction could be lost or
     *                                  published for a change that never committed)
     * @throws IllegalArgumentException when the payload is not in the catalogue or does not validate against its schema
     */
    public UUID publish(CocoEvent event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("EventPublisher.publish needs an active transaction (@Transactional)");
        }
        EventType<?> type = EventCatalog.of(event.getClass());
        String subject = event.subject();
        if (subject == null || subject.isEmpty()) {
            throw new IllegalArgumentException(type.ceType() + " has an empty subject");
        }
        byte[] data = codec.payload(event);
        UUID id = UUID.randomUUID();
        OffsetDateTime now = OffsetDateTime.now(clock);
        jdbc.update("INSERT INTO eventing_outbox (event_id, topic, record_key, ce_type, ce_source, ce_subject,"
                        + " ce_dataschema, ce_time, traceparent, data) VALUES (?,?,?,?,?,?,?,?,?,?)",
                id, type.topic(), subject, type.ceType(), source, subject, type.dataSchema(),
                Timestamp.from(now.toInstant()), trace.currentTraceparent(), data);
        meters.counter("cocoplane.events.outboxed", "type", type.ceType()).increment();
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    afterCommit.run();
                }
            });
        }
        return id;
    }
}
