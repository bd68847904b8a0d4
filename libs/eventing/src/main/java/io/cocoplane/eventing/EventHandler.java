package io.cocoplane.eventing;

import io.cocoplane.contracts.CocoEvent;

/**
 * Handles one event type within a subscription. It runs inside a database transaction that also records the event id
 * in the consumer group's inbox, so its effects happen once per event id however often Kafka delivers the record; an
 * {@link EventPublisher#publish} call from here commits with it.
 *
 * <p>Throwing makes the delivery fail: it is retried with backoff up to
 * {@code cocoplane.eventing.consumer.max-attempts}, then sent to {@code <topic>.dlt}. Throw
 * {@link PoisonRecordException} for input that can never succeed; it goes to the dead-letter topic at once.
 *
 * @param <T> payload type
 */
@FunctionalInterface
public interface EventHandler<T extends CocoEvent> {

    /** @param event the event with its CloudEvents attributes */
    void handle(EventEnvelope<T> event) throws Exception;
}
