package io.cocoplane.eventing;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventType;
import io.cocoplane.contracts.Topics;

/**
 * A consumer group's subscription: the topics it reads and one {@link EventHandler} per event type. Declare it as a
 * bean; the eventing auto-configuration runs a Kafka listener container for it. Events of types without a handler
 * (including types this build does not know) are acknowledged and skipped.
 *
 * <pre>{@code
 * @Bean EventSubscription workloadCommands(Orchestrator o) {
 *     return EventSubscription.group("orchestrator")
 *             .on(EventCatalog.WORKLOAD_REQUESTED, e -> o.request(e.data()))
 *             .build();
 * }
 * }</pre>
 *
 * <p><b>Record mode</b> (the default): each record is handled in its own database transaction (inbox row, handler,
 * commit) and its offset committed after it. <b>Batch mode</b> (opt-in, {@link Builder#batch} or
 * {@link Builder#onAllInBatches}): the records of one poll, at most {@link #maxBatchRecords()}, are handled in one
 * transaction (one inbox statement for all, then the handlers of the new events in poll order), and the poll's
 * offsets are committed once after it. Deduplication, retries, dead-lettering and metrics are the same in both modes
 * and counted per record; see {@link SubscriptionContainers}.
 *
 * @param group           Kafka consumer group id, also the inbox's deduplication scope
 * @param topics          topics read (derived from the handled types, plus any added explicitly)
 * @param handlers        handler per CloudEvents type (in batch mode with a {@link BatchEventHandler}, an adapter
 *                        that hands it a one-element list)
 * @param maxBatchRecords 0 for record mode, else the most records one batch (one poll, {@code max.poll.records})
 *                        holds, {@code 1..}{@value #MAX_BATCH_RECORDS}
 * @param batchHandler    the handler of whole batches, or null (per-type {@code handlers} are called one event at a
 *                        time, also in batch mode)
 */
public record EventSubscription(String group, Set<String> topics, Map<String, EventHandler<?>> handlers,
                                int maxBatchRecords, BatchEventHandler<CocoEvent> batchHandler) {

    /** Largest batch a subscription may ask for (records per poll). */
    public static final int MAX_BATCH_RECORDS = 10_000;
    /** Batch size of {@link Builder#onAllInBatches} when {@link Builder#batch} was not called. */
    public static final int DEFAULT_BATCH_RECORDS = 500;

    private static final Pattern GROUP = Pattern.compile("[a-z][a-z0-9._-]{0,99}");

    /**
     * @throws IllegalArgumentException when {@code maxBatchRecords} is outside {@code 0..MAX_BATCH_RECORDS}, or a
     *                                  batch handler is given in record mode
     */
    public EventSubscription {
        if (maxBatchRecords < 0 || maxBatchRecords > MAX_BATCH_RECORDS) {
            throw new IllegalArgumentException("maxBatchRecords must be in 0.." + MAX_BATCH_RECORDS + ": "
                    + maxBatchRecords);
        }
        if (batchHandler != null && maxBatchRecords == 0) {
            throw new IllegalArgumentException("a batch handler needs batch mode (maxBatchRecords > 0)");
        }
    }

    /**
     * A subscription in record mode, as before batch mode existed.
     *
     * @param group    Kafka consumer group id
     * @param topics   topics read
     * @param handlers handler per CloudEvents type
     */
    public EventSubscription(String group, Set<String> topics, Map<String, EventHandler<?>> handlers) {
        this(group, topics, handlers, 0, null);
    }

    /** @return whether one poll's records are handled in one transaction */
    public boolean batchMode() {
        return maxBatchRecords > 0;
    }

    /**
     * @param group consumer group id: {@code [a-z][a-z0-9._-]{0,99}}
     * @return a builder
     * @throws IllegalArgumentException for a group id outside the grammar
     */
    public static Builder group(String group) {
        if (group == null || !GROUP.matcher(group).matches()) {
            throw new IllegalArgumentException("consumer group must match " + GROUP + ": " + group);
        }
        return new Builder(group);
    }

    /** Builder of a subscription. */
    public static final class Builder {
        private final String group;
        private final Set<String> topics = new LinkedHashSet<>();
        private final Map<String, EventHandler<?>> handlers = new LinkedHashMap<>();
        private int maxBatchRecords;
        private BatchEventHandler<CocoEvent> batchHandler;
        private boolean perTypeHandlers;

        private Builder(String group) {
            this.group = group;
        }

        /**
         * Opts into batch mode: the records of one poll, at most {@code maxRecords}, are handled in one database
         * transaction; per-type handlers are called one event at a time, in poll order, inside it.
         *
         * @param maxRecords records per batch (the consumer's {@code max.poll.records}), {@code 1..}{@value
         *                   #MAX_BATCH_RECORDS}
         * @throws IllegalArgumentException when {@code maxRecords} is out of range
         */
        public Builder batch(int maxRecords) {
            if (maxRecords < 1 || maxRecords > MAX_BATCH_RECORDS) {
                throw new IllegalArgumentException("batch size must be in 1.." + MAX_BATCH_RECORDS + ": "
                        + maxRecords);
            }
            this.maxBatchRecords = maxRecords;
            return this;
        }

        /**
         * Subscribes whole topics in batch mode with one handler that receives the new events of each poll as a
         * list (e.g. the audit log appending a poll's events as one tree update). Implies batch mode, with
         * {@value #DEFAULT_BATCH_RECORDS} records per batch unless {@link #batch} sets another size. A subscription
         * with a batch handler has no other handler.
         *
         * @param topicNames catalogue topics
         * @param handler    handler of every catalogue type on those topics
         * @throws IllegalArgumentException for a topic outside the catalogue
         * @throws IllegalStateException    when the subscription already has a handler
         */
        public Builder onAllInBatches(List<String> topicNames, BatchEventHandler<CocoEvent> handler) {
            Objects.requireNonNull(handler, "handler");
            if (batchHandler != null || perTypeHandlers) {
                throw new IllegalStateException("a subscription with a batch handler has no other handler: " + group);
            }
            batchHandler = handler;
            EventHandler<CocoEvent> one = e -> handler.handle(List.of(e));
            addTopics(topicNames, one);
            return this;
        }

        private void requireNoBatchHandler() {
            if (batchHandler != null) {
                throw new IllegalStateException("a subscription with a batch handler has no other handler: " + group);
            }
            perTypeHandlers = true;
        }

        /**
         * Handles one event type; its topic is subscribed.
         *
         * @throws IllegalArgumentException when the type already has a handler
         */
        public <T extends CocoEvent> Builder on(EventType<T> type, EventHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
            requireNoBatchHandler();
            if (handlers.putIfAbsent(type.ceType(), handler) != null) {
                throw new IllegalArgumentException("two handlers for " + type.ceType());
            }
            topics.add(type.topic());
            return this;
        }

        /**
         * Subscribes whole topics, e.g. the audit service reading every catalogue topic with one handler for all.
         *
         * @param topicNames catalogue topics
         * @param handler    handler for every catalogue type on those topics
         * @throws IllegalArgumentException for a topic outside the catalogue
         */
        public Builder onAll(List<String> topicNames, EventHandler<CocoEvent> handler) {
            Objects.requireNonNull(handler, "handler");
            requireNoBatchHandler();
            addTopics(topicNames, handler);
            return this;
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        private void addTopics(List<String> topicNames, EventHandler<CocoEvent> handler) {
            for (String t : topicNames) {
                if (!Topics.ALL.contains(t)) {
                    throw new IllegalArgumentException("not a catalogue topic: " + t);
                }
                topics.add(t);
                for (EventType<?> type : EventCatalog.onTopic(t)) {
                    handlers.putIfAbsent(type.ceType(), (EventHandler) handler);
                }
            }
        }

        /** @return the subscription */
        public EventSubscription build() {
            if (handlers.isEmpty()) {
                throw new IllegalStateException("subscription " + group + " handles nothing");
            }
            int batch = maxBatchRecords == 0 && batchHandler != null ? DEFAULT_BATCH_RECORDS : maxBatchRecords;
            return new EventSubscription(group, Set.copyOf(topics), Map.copyOf(handlers), batch, batchHandler);
        }
    }
}
