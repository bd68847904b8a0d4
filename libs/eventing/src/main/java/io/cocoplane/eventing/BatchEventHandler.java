package io.cocoplane.eventing;

import java.util.List;

import io.cocoplane.contracts.CocoEvent;

/**
 * Handles the new events of one Kafka poll at once, for a subscription in batch mode
 * ({@link EventSubscription.Builder#onAllInBatches}). It runs inside the database transaction that records the whole
 * batch in the consumer group's inbox, so its effects commit together with those inbox rows, once per event id.
 *
 * <p>The list holds only events whose id was not in the inbox yet (redeliveries and repeats of an id inside the poll
 * are left out), in the order the poll returned them: offset order within each partition. It is never empty and has
 * at most the subscription's {@link EventSubscription#maxBatchRecords()} elements.
 *
 * <p>Throwing rolls the whole batch back. The consumer then handles the batch's records one at a time, each in its own
 * transaction with a one-element list, to find the record that fails; the ones before it commit, that one is retried
 * and dead-lettered exactly as in record mode ({@link EventHandler}), and the ones after it are delivered again. A
 * handler must therefore give the same result for a list as for its elements one by one. Throw
 * {@link PoisonRecordException} for input that can never succeed.
 *
 * <p>Each event of the list gets a consumer span continuing its {@code traceparent}, ended after the transaction; none
 * of them is the current span, and the MDC carries no {@code eventId}, while the handler runs.
 *
 * @param <T> payload type
 */
@FunctionalInterface
public interface BatchEventHandler<T extends CocoEvent> {

    /** @param events the new events of the poll, in poll order; not empty */
    void handle(List<EventEnvelope<T>> events) throws Exception;
}
