package io.cocoplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.ImagePushed;
import io.cocoplane.contracts.PolicyUpdated;
import io.cocoplane.contracts.Topics;
import io.cocoplane.contracts.WorkloadScheduled;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.eventing.EventingProperties;
import io.cocoplane.eventing.EventingSchema;
import io.cocoplane.eventing.OutboxRelay;
import io.cocoplane.eventing.TraceContext;
import io.cocoplane.local.ServiceConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.tracing.Tracer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 10: event latencies on the local stack.
 * <ol>
 *   <li><b>Outbox commit → consumer</b> at a fixed 100 events/s: libs/eventing's {@link EventPublisher} records a
 *       {@code policy.updated} in a transaction on the stack's PostgreSQL (own schema {@code bench_outbox}), its
 *       {@link OutboxRelay} (default settings: 100 ms idle pause) publishes to the stack's Kafka, and a plain consumer
 *       takes the time of arrival; latency = arrival − commit, paired by CloudEvents id. Target p99 ≤ 50 ms.</li>
 *   <li><b>Workload request → {@code workload.scheduled}</b> at a fixed rate: {@code POST /api/v1/workloads} on the
 *       gateway (deployer token) until a consumer of {@code coco.workload.events} sees the workload's
 *       {@code workload.scheduled} (gateway outbox → orchestrator → simulated Kubernetes pod → orchestrator outbox).
 *       The image is made known to the orchestrator by an {@code image.pushed} produced by the harness.</li>
 * </ol>
 */
final class EventBench {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final double OUTBOX_RATE = 100;

    private EventBench() {
    }

    static Report run(Settings s, BenchStack stack) throws Exception {
        long warmup = TimeUnit.SECONDS.toNanos(2);
        long outboxWindow = TimeUnit.SECONDS.toNanos(s.quick() ? 4 : 60);
        double workloadRate = 2;
        long workloadWindow = TimeUnit.SECONDS.toNanos(s.quick() ? 4 : 60);
        Report report = new Report("events", "Event latencies on the local stack (issue 10)")
                .config("outbox", OUTBOX_RATE + " events/s for " + outboxWindow / 1_000_000_000 + " s after "
                        + warmup / 1_000_000_000 + " s, relay defaults, policy.updated events")
                .config("workloads", workloadRate + " requests/s for " + workloadWindow / 1_000_000_000 + " s, tee "
                        + "coco-dev, latency from the intended start of the POST");
        // what an earlier benchmark left (consumers catching up, JIT) is not this benchmark's latency
        double busy = stack.awaitQuiet(java.time.Duration.ofSeconds(30));
        report.config("startedAt", "the stack using " + Stats.round(busy * 100, 1) + " % of a core");
        outbox(stack, report, warmup, outboxWindow);
        workloads(stack, report, workloadRate, warmup, workloadWindow);
        return report.finish();
    }

    private static void outbox(BenchStack stack, Report report, long warmup, long window) throws Exception {
        // a connection pool as every service has (Spring Boot's Hikari): a new connection per transaction measured
        // PostgreSQL's connection set-up (SSL probe, authentication), ~50 ms of the p50 under load, not the outbox
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:postgresql://127.0.0.1:" + stack.ports().postgres() + "/" + ServiceConfig.DATABASE
                + "?currentSchema=bench_outbox");
        pool.setUsername(ServiceConfig.DATABASE);
        pool.setPassword(ServiceConfig.DATABASE);
        pool.setMaximumPoolSize(6);
        HikariDataSource ds = new HikariDataSource(pool);
        new EventingSchema(ds, "bench_outbox");
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        // as EventingAutoConfiguration configures the relay's producer
        Map<String, Object> cfg = new HashMap<>();
        cfg.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafkaBootstrap());
        cfg.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        cfg.put(ProducerConfig.ACKS_CONFIG, "all");
        cfg.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(cfg,
                new StringSerializer(), new ByteArraySerializer());
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        EventingProperties.Relay relaySettings = new EventingProperties.Relay(null, null, null, null, null, null);
        OutboxRelay relay = new OutboxRelay(jdbc, tx, new KafkaTemplate<>(factory), Events.CODEC, relaySettings,
                meters);
        EventPublisher publisher = new EventPublisher(jdbc, Events.CODEC, "/cocoplane/bench",
                new TraceContext(new StaticListableBeanFactory().getBeanProvider(Tracer.class)), Clock.systemUTC(),
                meters, relay::wakeUp); // as EventingAutoConfiguration wires them
        String topic = EventCatalog.of(PolicyUpdated.class).topic();
        Map<String, Long> committed = new ConcurrentHashMap<>();
        Map<String, Long> arrived = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> consumer = consume(stack.kafkaBootstrap(), topic, stop, r -> {
            Header id = r.headers().lastHeader("ce_id");
            if (id != null) {
                arrived.put(new String(id.value(), java.nio.charset.StandardCharsets.UTF_8), System.nanoTime());
            }
        });
        relay.start();
        String run = UUID.randomUUID().toString().substring(0, 8);
        long[] measureFrom = {System.nanoTime() + warmup};
        try {
            Load.fixedRate(OUTBOX_RATE, 4, warmup, window, worker -> {
                UUID id = tx.execute(st -> publisher.publish(new PolicyUpdated("bench-" + run, "resource", "bench",
                        "sha256:" + "ef".repeat(32))));
                long t = System.nanoTime();
                if (t >= measureFrom[0]) {
                    committed.put(id.toString(), t);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!arrived.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } finally {
            stop.set(true);
            relay.stop();
            factory.destroy();
            consumer.join();
            ds.close();
        }
        Histogram h = new Histogram(3);
        long lost = 0;
        for (Map.Entry<String, Long> e : committed.entrySet()) {
            Long a = arrived.get(e.getKey());
            if (a == null) {
                lost++;
            } else {
                h.recordValue(Math.max(1, (a - e.getValue()) / 1000));
            }
        }
        report.figure("outbox → consumer events (committed in the window)", h.getTotalCount(), "", null)
                .figure("outbox → consumer p50", ms(h, 50), "ms", null)
                .figure("outbox → consumer p99", ms(h, 99), "ms", Target.atMost(50))
                .figure("outbox → consumer max", ms(h, 100), "ms", null)
                .figure("outbox events not consumed within 10 s", lost, "", Target.atMost(0));
    }

    private static void workloads(BenchStack stack, Report report, double rate, long warmup, long window)
            throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String repository = "bench/wl-" + run;
        String digest = "sha256:" + "cd".repeat(32);
        try (KafkaProducer<String, byte[]> producer = Events.producer(stack.kafkaBootstrap(), 0, 16384)) {
            producer.send(Events.record(new ImagePushed(repository, digest, List.of("v1"),
                    "application/vnd.oci.image.manifest.v1+json", List.of(), List.of(), null),
                    "/cocoplane/registry")).get();
        }
        String image = "127.0.0.1:" + stack.ports().registry() + "/" + repository + ":v1";
        String token = Files.readString(stack.token("deployer")).strip();
        URI endpoint = URI.create(stack.url(stack.ports().gateway()) + "/api/v1/workloads");
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Map<String, CompletableFuture<Long>> scheduled = new ConcurrentHashMap<>();
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Void> consumer = consume(stack.kafkaBootstrap(), Topics.WORKLOAD_EVENTS, stop,
                r -> Events.CODEC.decode(r).ifPresent(env -> {
                    if (env.data() instanceof WorkloadScheduled w) {
                        scheduled.computeIfAbsent(w.workloadId(), k -> new CompletableFuture<>())
                                .complete(System.nanoTime());
                    }
                }));
        int[] seq = {0};
        Load.Op request = worker -> {
            String name;
            synchronized (seq) {
                name = "bench-" + run + "-" + seq[0]++;
            }
            String body = JSON.writeValueAsString(Map.of("name", name, "image", image, "tee", "coco-dev",
                    "agentPolicy", Map.of("allowExec", false, "allowLogs", false)));
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .header("Idempotency-Key", UUID.randomUUID().toString())
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException("POST /api/v1/workloads answered " + r.statusCode() + ": "
                        + r.body());
            }
            JsonNode answer = JSON.readTree(r.body());
            String id = answer.path("id").asString(null);
            if (id == null) {
                throw new IllegalStateException("no workload id in " + r.body());
            }
            ids.add(id);
            scheduled.computeIfAbsent(id, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
        };
        try {
            awaitFirst(request);
            Load.Result res = Load.fixedRate(rate, 16, warmup, window, request);
            report.figure("workload request → scheduled, requests", res.operations(), "", null)
                    .figure("workload request → scheduled p50", Stats.round(res.ms(50), 2), "ms", null)
                    .figure("workload request → scheduled p99", Stats.round(res.ms(99), 2), "ms", null)
                    .figure("workload request → scheduled max", Stats.round(res.ms(100), 2), "ms", null)
                    .figure("workload requests failed or not scheduled in 30 s", res.errors(), "", Target.atMost(0));
            if (res.firstError() != null) {
                report.note("first workload error: " + res.firstError());
            }
        } finally {
            stop.set(true);
            consumer.join();
            for (String id : ids) { // best effort: the stack's directory is kept between runs
                http.send(HttpRequest.newBuilder(URI.create(endpoint + "/" + id)).timeout(Duration.ofSeconds(10))
                        .header("Authorization", "Bearer " + token).DELETE().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
    }

    /** The orchestrator learns the image from the event asynchronously: retry the first request for up to 60 s. */
    private static void awaitFirst(Load.Op request) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                request.run(0);
                return;
            } catch (Exception e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("no workload was scheduled within 60 s: " + e, e);
                }
                Thread.sleep(1000);
            }
        }
    }

    /** Reads {@code topic} from its current end on a thread of its own until {@code stop}. */
    private static CompletableFuture<Void> consume(String bootstrap, String topic, AtomicBoolean stop,
                                                   java.util.function.Consumer<ConsumerRecord<String, byte[]>> sink) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> parts = c.partitionsFor(topic).stream()
                .map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(parts);
        c.seekToEnd(parts);
        parts.forEach(c::position); // resolve the end now, before anything is produced
        return CompletableFuture.runAsync(() -> {
            try (c) {
                while (!stop.get()) {
                    c.poll(Duration.ofMillis(5)).forEach(sink);
                }
            }
        }, runnable -> {
            Thread t = new Thread(runnable, "bench-consumer-" + topic);
            t.setDaemon(true);
            t.start();
        });
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN
                : Stats.round(h.getValueAtPercentile(percentile) / 1000.0, 2);
    }
}
