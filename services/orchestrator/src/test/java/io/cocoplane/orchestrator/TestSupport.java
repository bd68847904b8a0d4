package io.cocoplane.orchestrator;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.springframework.context.ApplicationContext;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.ImagePushed;
import io.cocoplane.contracts.LayerInfo;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.OutboxRow;

/** Test helpers: producing CloudEvents the way other services do, and reading a whole topic back. */
final class TestSupport {

    /** Properties every orchestrator started by a test gets (plus the TestInfra system properties). */
    static final Map<String, Object> PROPERTIES = Map.of(
            "server.port", "0",
            "cocoplane.eventing.relay.interval", "50ms",
            "cocoplane.eventing.consumer.backoff", "50ms",
            "cocoplane.eventing.consumer.max-backoff", "100ms",
            "cocoplane.orchestrator.resolution-grace", "2s",
            "cocoplane.orchestrator.reconcile-interval", "200ms",
            "cocoplane.orchestrator.init-data.kbs-url", "https://kbs.cocoplane.test:8081");

    private static final SecureRandom RANDOM = new SecureRandom();

    private TestSupport() {
    }

    static String randomDigest() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "sha256:" + HexFormat.of().formatHex(b);
    }

    /** Produces an event as its owning service's outbox relay would. @return the CloudEvents id */
    static String send(ApplicationContext ctx, CocoEvent data) throws Exception {
        return send(ctx, data, UUID.randomUUID());
    }

    static String send(ApplicationContext ctx, CocoEvent data, UUID id) throws Exception {
        CloudEventCodec codec = ctx.getBean(CloudEventCodec.class);
        var kafka = ctx.getBean(EventingAutoConfiguration.EventingKafka.class);
        var type = EventCatalog.of(data.getClass());
        kafka.template().send(codec.encode(new OutboxRow(0, id, type.topic(), data.subject(), type.ceType(),
                "/cocoplane/test", data.subject(), type.dataSchema(), OffsetDateTime.now(), null,
                codec.payload(data)))).get();
        return id.toString();
    }

    /** Produces an event with a plain producer, for when no orchestrator context is running. */
    static void sendStandalone(String bootstrap, CocoEvent data) throws Exception {
        CloudEventCodec codec = new CloudEventCodec(tools.jackson.databind.json.JsonMapper.builder().build(),
                1024 * 1024);
        var type = EventCatalog.of(data.getClass());
        Map<String, Object> cfg = Map.of(org.apache.kafka.clients.producer.ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap);
        try (var producer = new org.apache.kafka.clients.producer.KafkaProducer<>(cfg,
                new org.apache.kafka.common.serialization.StringSerializer(),
                new org.apache.kafka.common.serialization.ByteArraySerializer())) {
            producer.send(codec.encode(new OutboxRow(0, UUID.randomUUID(), type.topic(), data.subject(),
                    type.ceType(), "/cocoplane/test", data.subject(), type.dataSchema(), OffsetDateTime.now(), null,
                    codec.payload(data)))).get();
        }
    }

    /** An image with one encrypted layer per KEK id (none: one plain layer). */
    static ImagePushed image(String repository, String tag, String digest, List<String> keyIds) {
        List<LayerInfo> layers = new ArrayList<>();
        if (keyIds.isEmpty()) {
            layers.add(new LayerInfo(randomDigest(), "application/vnd.oci.image.layer.v1.tar+gzip", 100, false,
                    List.of(), List.of()));
        }
        for (String k : keyIds) {
            layers.add(new LayerInfo(randomDigest(), "application/vnd.oci.image.layer.v1.tar+gzip+encrypted", 100,
                    true, List.of("provider.attestation-agent"), List.of(k)));
        }
        return new ImagePushed(repository, digest, List.of(tag), "application/vnd.oci.image.manifest.v1+json",
                layers, keyIds, null);
    }


    static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
