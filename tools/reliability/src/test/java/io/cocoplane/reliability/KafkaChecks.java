package io.cocoplane.reliability;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Consumer-group lag and dead-letter topic sizes through a Kafka {@link Admin} client: lag is, per partition of every
 * topic a group subscribes to, the end offset minus the group's committed offset (0 when none is committed and the
 * partition is empty).
 */
final class KafkaChecks implements AutoCloseable {

    private final Admin admin;

    /** @param bootstrap {@code host:port} of the broker */
    KafkaChecks(String bootstrap) {
        admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** @return the consumer groups the services run (names sorted) */
    Set<String> groups() throws Exception {
        return admin.listGroups(ListGroupsOptions.forConsumerGroups()).all().get(30, TimeUnit.SECONDS).stream()
                .map(GroupListing::groupId).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * @param group a consumer group
     * @return the topics its members are assigned (empty when it has no member)
     */
    Set<String> topicsOf(String group) throws Exception {
        ConsumerGroupDescription d = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS)
                .get(group);
        return d.members().stream().flatMap(m -> m.assignment().topicPartitions().stream())
                .map(TopicPartition::topic).collect(Collectors.toCollection(TreeSet::new));
    }

    /**
     * @param group a consumer group with live members
     * @return lag per partition of every topic it is assigned, only partitions with a lag above 0
     */
    Map<TopicPartition, Long> lag(String group) throws Exception {
        Set<String> topics = topicsOf(group);
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        Map<TopicPartition, Long> end = endOffsets(topics);
        Map<TopicPartition, Long> lag = new TreeMap<>(java.util.Comparator.comparing(TopicPartition::toString));
        end.forEach((tp, e) -> {
            OffsetAndMetadata c = committed.get(tp);
            long l = e - (c == null ? 0 : c.offset());
            if (l > 0) {
                lag.put(tp, l);
            }
        });
        return lag;
    }

    /**
     * @param topics topic names
     * @return the end offset of each of their partitions
     */
    Map<TopicPartition, Long> endOffsets(Set<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return Map.of();
        }
        Map<TopicPartition, OffsetSpec> spec = admin.describeTopics(topics).allTopicNames()
                .get(30, TimeUnit.SECONDS).values().stream()
                .flatMap(t -> t.partitions().stream().map(p -> new TopicPartition(t.name(), p.partition())))
                .collect(Collectors.toMap(tp -> tp, tp -> OffsetSpec.latest()));
        return admin.listOffsets(spec).all().get(30, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /**
     * @param topics topic names
     * @return the number of records in each topic (sum of its partitions' end offsets; nothing is ever deleted here)
     */
    Map<String, Long> sizes(Set<String> topics) throws Exception {
        Map<String, Long> m = new TreeMap<>();
        topics.forEach(t -> m.put(t, 0L));
        endOffsets(topics).forEach((tp, e) -> m.merge(tp.topic(), e, Long::sum));
        return m;
    }

    /**
     * Waits until no group lags.
     *
     * @param timeout how long to wait
     * @return group → lagging partitions when some still lag after {@code timeout}; empty on success
     */
    Map<String, Map<TopicPartition, Long>> awaitNoLag(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Map<TopicPartition, Long>> lagging = new TreeMap<>();
            for (String g : groups()) {
                Map<TopicPartition, Long> l = lag(g);
                if (!l.isEmpty()) {
                    lagging.put(g, l);
                }
            }
            if (lagging.isEmpty() || System.nanoTime() > deadline) {
                return lagging;
            }
            Thread.sleep(1000);
        }
    }

    /** @return a header's value as UTF-8 text, or null when absent */
    static String header(Iterable<Header> headers, String name) {
        for (Header h : headers) {
            if (h.key().equals(name)) {
                return new String(h.value(), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(10));
    }
}
