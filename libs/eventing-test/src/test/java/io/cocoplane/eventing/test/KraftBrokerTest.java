package io.cocoplane.eventing.test;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class KraftBrokerTest {

    private static void produce(KraftBroker b, String topic, String value) throws Exception {
        try (var p = new KafkaProducer<>(Map.<String, Object>of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                b.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            p.send(new ProducerRecord<>(topic, "k", value)).get();
        }
    }

    private static List<String> consumeAll(KraftBroker b, String topic, int expected) {
        try (var c = new KafkaConsumer<>(Map.<String, Object>of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                b.bootstrapServers(), ConsumerConfig.GROUP_ID_CONFIG, "g-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new StringDeserializer(), new StringDeserializer())) {
            c.subscribe(List.of(topic));
            List<String> out = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(r -> out.add(r.value()));
            }
            return out;
        }
    }

    @Test
    void recordsSurviveAStopAndRestartOnTheSamePorts() throws Exception {
        try (KraftBroker broker = KraftBroker.temporary()) {
            broker.start();
            String bootstrap = broker.bootstrapServers();
            broker.createTopics(List.of("t"), 2);
            produce(broker, "t", "before");
            broker.stop();
            assertThat(broker.isRunning()).isFalse();
            broker.start();
            assertThat(broker.bootstrapServers()).isEqualTo(bootstrap);
            produce(broker, "t", "after");
            assertThat(consumeAll(broker, "t", 2)).containsExactly("before", "after");
        }
    }
}
