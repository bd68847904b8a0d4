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
 * @param group    Kafka consumer group id, also the inbox's deduplication scope
 * @param topics   topics read (derived from the handled types, plus any added explicitly)
 * @param handlers handler per CloudEvents type
 */
public record EventSubscription(String group, Set<String> topics, Map<String, EventHandler<?>> handlers) {

    private static final Pattern GROUP = Pattern.compile("[a-z][a-z0-9._-]{0,99}");

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

        private Builder(String group) {
            this.group = group;
        }

        /**
         * Handles one event type; its topic is subscribed.
         *
         * @throws IllegalArgumentException when the type already has a handler
         */
        public <T extends CocoEvent> Builder on(EventType<T> type, EventHandler<T> handler) {
            Objects.requireNonNull(handler, "handler");
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
         */
        @SuppressWarnings({"unchecked", "rawtypes"})
        public Builder onAll(List<String> topicNames, EventHandler<CocoEvent> handler) {
            for (String t : topicNames) {
                if (!Topics.ALL.contains(t)) {
                    throw new IllegalArgumentException("not a catalogue topic: " + t);
                }
                topics.add(t);
                for (EventType<?> type : EventCatalog.onTopic(t)) {
                    handlers.putIfAbsent(type.ceType(), (EventHandler) handler);
                }
            }
            return this;
        }

        /** @return the subscription */
        public EventSubscription build() {
            if (handlers.isEmpty()) {
                throw new IllegalStateException("subscription " + group + " handles nothing");
            }
            return new EventSubscription(group, Set.copyOf(topics), Map.copyOf(handlers));
        }
    }
}
