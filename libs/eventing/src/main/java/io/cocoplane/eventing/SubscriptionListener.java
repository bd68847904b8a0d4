package io.cocoplane.eventing;

import java.util.Optional;
import java.util.function.Supplier;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.CocoEvent;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * The record listener of one {@link EventSubscription}: decode (CloudEvents binary mode, schema validation), then in
 * one database transaction record the event id in {@code eventing_inbox} and, only if it was new, run the handler.
 * A redelivered event id is acknowledged without running the handler again.
 */
final class SubscriptionListener implements MessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(SubscriptionListener.class);

    private final EventSubscription subscription;
    private final CloudEventCodec codec;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TraceContext trace;
    private final MeterRegistry meters;

    SubscriptionListener(EventSubscription subscription, CloudEventCodec codec, JdbcTemplate jdbc,
                         TransactionTemplate tx, TraceContext trace, MeterRegistry meters) {
        this.subscription = subscription;
        this.codec = codec;
        this.jdbc = jdbc;
        this.tx = tx;
        this.trace = trace;
        this.meters = meters;
    }

    @Override
    public void onMessage(ConsumerRecord<String, byte[]> record) {
        Optional<EventEnvelope<?>> decoded = codec.decode(record);
        if (decoded.isEmpty() || !subscription.handlers().containsKey(decoded.get().type().ceType())) {
            meters.counter("cocoplane.events.skipped", "group", subscription.group(), "topic", record.topic())
                    .increment();
            return;
        }
        EventEnvelope<?> event = decoded.get();
        inEventScope(trace, event, () -> {
            boolean handled = Boolean.TRUE.equals(tx.execute(status -> {
                int inserted = jdbc.update("INSERT INTO eventing_inbox (consumer_group, event_id, ce_type, topic,"
                                + " kafka_partition, kafka_offset) VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING",
                        subscription.group(), event.id(), event.type().ceType(), record.topic(), record.partition(),
                        record.offset());
                if (inserted == 0) {
                    return false;
                }
                invoke(subscription, event);
                return true;
            }));
            if (handled) {
                meters.counter("cocoplane.events.consumed", "group", subscription.group(), "type",
                        event.type().ceType()).increment();
                log.debug("handled {} {} from {}-{}@{}", event.type().ceType(), event.id(), record.topic(),
                        record.partition(), record.offset());
            } else {
                meters.counter("cocoplane.events.duplicates", "group", subscription.group(), "type",
                        event.type().ceType()).increment();
                log.debug("duplicate {} {} skipped", event.type().ceType(), event.id());
            }
            return null;
        });
    }

    /**
     * Runs {@code body} with a span continuing the event's trace current and the event's id and type in the MDC;
     * ends the span after.
     */
    static <R> R inEventScope(TraceContext trace, EventEnvelope<?> event, Supplier<R> body) {
        Span span = trace.startChild(event.traceparent(), "consume " + event.type().ceType());
        Tracer tracer = trace.tracer();
        try (Tracer.SpanInScope scope = span == null || tracer == null ? null : tracer.withSpan(span);
             MDC.MDCCloseable id = MDC.putCloseable("eventId", event.id());
             MDC.MDCCloseable type = MDC.putCloseable("eventType", event.type().ceType())) {
            return body.get();
        } finally {
            if (span != null) {
                span.end();
            }
        }
    }

    /** Calls the subscription's handler of the event's type; a checked exception comes back as HandlerException. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void invoke(EventSubscription subscription, EventEnvelope<?> event) {
        EventHandler handler = subscription.handlers().get(event.type().ceType());
        try {
            handler.handle(event);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new HandlerException(event, e);
        }
    }

    /** A checked exception thrown by a handler, wrapped with the event (or batch) it failed on. */
    static final class HandlerException extends RuntimeException {
        HandlerException(EventEnvelope<? extends CocoEvent> event, Exception cause) {
            this("handler of " + event.type().ceType() + " " + event.id() + " failed: " + cause, cause);
        }

        HandlerException(String message, Exception cause) {
            super(message, cause);
        }
    }
}
