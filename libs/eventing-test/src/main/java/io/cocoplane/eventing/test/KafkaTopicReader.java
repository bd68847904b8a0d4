package io.cocoplane.eventing.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads what a topic holds, as a test sees it: a plain consumer in a throw-away group reads every partition from the
 * beginning to the end offsets of the moment of the call (at most 20 s of polling), without committing anything.
 */
public final class KafkaTopicReader {

    private KafkaTopicReader() {
    }

    /**
     * @param bootstrap {@code bootstrap.servers}
     * @param topic     topic to read
     * @return every record, partition by partition in offset order
     */
    public static List<ConsumerRecord<String, byte[]>> readAll(String bootstrap, String topic) {
        Map<String, Object> cfg = Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        try (var consumer = new KafkaConsumer<>(cfg, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts, Duration.ofSeconds(10));
            List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            return out;
        }
    }

    /**
     * @param key record key (the CloudEvent subject)
     * @return the records of {@code topic} with that key, in offset order
     */
    public static List<ConsumerRecord<String, byte[]>> readKey(String bootstrap, String topic, String key) {
        return readAll(bootstrap, topic).stream().filter(r -> key.equals(r.key())).toList();
    }
}
