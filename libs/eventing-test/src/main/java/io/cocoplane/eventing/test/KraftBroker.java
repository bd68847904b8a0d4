package io.cocoplane.eventing.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;

/**
 * A real Apache Kafka broker in KRaft mode (combined broker and controller, node id 1), started in this JVM from the
 * {@code kafka_2.13} server classes (design/stack.md P5). It binds only 127.0.0.1.
 *
 * <p>Unlike spring-kafka-test's embedded broker it can be {@link #stop() stopped} and {@link #start() started again}
 * on the same ports and log directory, so a test can take the broker away while an application runs and bring it back
 * with its data. {@link #main(String[])} runs it as a standalone process for the local stack.
 *
 * <p>Memory: {@code log.cleaner.dedupe.buffer.size} is 8 MiB (the 128 MiB default is allocated on start). Kafka's
 * fatal-fault handler halts its JVM; for a test JVM prefer one broker per fork and never provoke a storage fault.
 */
public final class KraftBroker implements AutoCloseable {

    private final Path dataDir;
    private final boolean deleteOnClose;
    private final int brokerPort;
    private final int controllerPort;
    private final int partitions;
    private final String clusterId = Uuid.randomUuid().toString();
    private KafkaRaftServer server;
    private boolean formatted;

    /**
     * @param dataDir        log and metadata directory; created if needed; formatted on the first start
     * @param brokerPort     PLAINTEXT listener port on 127.0.0.1, or 0 for a free port chosen now
     * @param controllerPort CONTROLLER listener port, or 0 for a free port chosen now
     * @param partitions     default partition count of auto-created topics ({@code num.partitions})
     * @param deleteOnClose  whether {@link #close()} deletes {@code dataDir}
     */
    public KraftBroker(Path dataDir, int brokerPort, int controllerPort, int partitions, boolean deleteOnClose) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort == 0 ? freePort() : brokerPort;
        this.controllerPort = controllerPort == 0 ? freePort() : controllerPort;
        this.partitions = partitions;
        this.deleteOnClose = deleteOnClose;
    }

    /** @return a broker on free ports in a new temporary directory that {@link #close()} deletes, with 6 partitions */
    public static KraftBroker temporary() {
        try {
            return new KraftBroker(Files.createTempDirectory("cocoplane-kraft-"), 0, 0, 6, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return {@code 127.0.0.1:<port>}, the {@code bootstrap.servers} value */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** @return whether the broker is running */
    public synchronized boolean isRunning() {
        return server != null;
    }

    private Properties config() {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("log.dirs", dataDir.resolve("logs").toString());
        p.put("metadata.log.dir", dataDir.resolve("metadata").toString());
        p.put("num.partitions", Integer.toString(partitions));
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "6");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("auto.create.topics.enable", "true");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 * 1024 * 1024));
        p.put("log.segment.bytes", Integer.toString(16 * 1024 * 1024));
        p.put("socket.send.buffer.bytes", "-1");
        p.put("socket.receive.buffer.bytes", "-1");
        return p;
    }

    /**
     * Formats the storage (first start only), starts the broker and waits until an admin client sees the cluster.
     *
     * @return this broker
     * @throws IllegalStateException when it does not become ready within 60 s
     */
    public synchronized KraftBroker start() {
        if (server != null) {
            return this;
        }
        KafkaConfig config = KafkaConfig.fromProps(config(), false);
        try {
            if (!formatted && !Files.exists(dataDir.resolve("metadata").resolve("meta.properties"))) {
                Files.createDirectories(dataDir);
                Formatter f = new Formatter()
                        .setNodeId(1)
                        .setClusterId(clusterId)
                        .setControllerListenerName(config.controllerListenerNames().get(0))
                        .setMetadataLogDirectory(config.metadataLogDir())
                        .setPrintStream(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
                for (String d : config.logDirs()) {
                    f.addDirectory(d);
                }
                f.addDirectory(config.metadataLogDir());
                f.run();
            }
            formatted = true;
        } catch (Exception e) {
            throw new IllegalStateException("formatting KRaft storage in " + dataDir + " failed", e);
        }
        KafkaRaftServer s = new KafkaRaftServer(config, Time.SYSTEM);
        s.startup();
        server = s;
        awaitReady(Duration.ofSeconds(60));
        return this;
    }

    private void awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                    AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000,
                    AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3000))) {
                admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                return;
            } catch (Exception e) {
                last = e;
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(ie);
                }
            }
        }
        throw new IllegalStateException("Kafka broker at " + bootstrapServers() + " not ready after " + timeout, last);
    }

    /** Stops the broker (data kept); a later {@link #start()} brings it back on the same ports. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Stops the broker and, when constructed so, deletes its data directory. */
    @Override
    public synchronized void close() {
        stop();
        if (deleteOnClose) {
            deleteRecursively(dataDir);
        }
    }

    /**
     * Creates topics if they do not exist yet.
     *
     * @param names      topic names
     * @param partitions partitions of each
     */
    public void createTopics(List<String> names, int partitions) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers()))) {
            var existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
            var missing = names.stream().filter(n -> !existing.contains(n))
                    .map(n -> new org.apache.kafka.clients.admin.NewTopic(n, partitions, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            throw new IllegalStateException("creating topics " + names + " failed", e);
        }
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Runs a broker as its own process until SIGTERM: {@code KraftBroker <dataDir> [brokerPort] [controllerPort]}
     * (defaults 9092 and 9093). Prints {@code READY <bootstrap>} once it accepts clients.
     *
     * @param args data directory and optional ports
     */
    public static void main(String[] args) throws InterruptedException {
        if (args.length < 1) {
            System.err.println("usage: KraftBroker <dataDir> [brokerPort] [controllerPort]");
            System.exit(2);
        }
        int bp = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
        int cp = args.length > 2 ? Integer.parseInt(args[2]) : 9093;
        KraftBroker broker = new KraftBroker(Path.of(args[0]), bp, cp, 6, false);
        Runtime.getRuntime().addShutdownHook(new Thread(broker::stop, "kraft-shutdown"));
        broker.start();
        System.out.println("READY " + broker.bootstrapServers());
        Thread.currentThread().join();
    }
}
