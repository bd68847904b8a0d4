package io.cocoplane.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.test.KraftBroker;

/**
 * The local stack, supervised by the current JVM: an embedded PostgreSQL (in-process starter, own server process), a
 * KRaft broker in its own JVM, the simulated Kubernetes API (in-process), the six services as child JVMs from their
 * exec jars, and the simulated Kata node (in-process, once the services are ready; {@link KataNode}). {@link #start} returns once every
 * service answers ready; {@link #close} stops everything in reverse: the Kata node, the services, Kafka, the
 * Kubernetes API, PostgreSQL.
 *
 * <p>The state file ({@link StackPaths#stateFile()}) is written from the first step on, so {@code status} and
 * {@code down} find the processes even of a half-started stack.
 *
 * <p>For the fault suite ({@code tools/reliability}) a ready stack can be broken and mended while it runs, ports and
 * data kept: {@link #killService} (SIGKILL) and {@link #startServices}, {@link #stopKafka} and {@link #startKafka},
 * {@link #restartPostgres}.
 */
public final class LocalStack implements AutoCloseable {

    /**
     * What to start and how.
     *
     * @param paths             the stack's directory
     * @param ports             its ports
     * @param serviceJars       each service's runnable ({@code -exec}) jar
     * @param classpath         class path for the Kafka JVM (must hold {@link KraftBroker} and Kafka)
     * @param java              the {@code java} executable for child JVMs
     * @param serviceJvmOptions JVM options of each service
     * @param kafkaJvmOptions   JVM options of the Kafka JVM
     * @param readyTimeout      how long to wait for Kafka and for the services to become ready
     * @param appCds            run the services from extracted jars with class-data archives ({@link AppCds})
     */
    public record Options(StackPaths paths, Ports ports, Map<ServiceName, Path> serviceJars, String classpath,
                          Path java, List<String> serviceJvmOptions, List<String> kafkaJvmOptions,
                          Duration readyTimeout, boolean appCds) {

        /**
         * JVM options of a service: serial GC, C1 only, small stacks, heap and metaspace caps measured against the
         * 2 GiB budget of the whole stack (README, "Local stack").
         */
        public static final List<String> SERVICE_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k", "-Xms32m", "-Xmx160m", "-XX:MaxMetaspaceSize=192m", "-XX:ReservedCodeCacheSize=48m",
                "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError");
        /** JVM options of the Kafka broker. */
        public static final List<String> KAFKA_JVM_OPTIONS = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Xss512k", "-Xms32m", "-Xmx128m", "-XX:MaxMetaspaceSize=128m", "-XX:ReservedCodeCacheSize=48m",
                "-XX:MaxDirectMemorySize=64m", "-XX:+ExitOnOutOfMemoryError");

        /**
         * @throws IllegalArgumentException when a service jar is missing from the map or the file does not exist
         */
        public Options {
            serviceJars = Map.copyOf(serviceJars);
            for (ServiceName s : ServiceName.values()) {
                Path jar = serviceJars.get(s);
                if (jar == null || !Files.isRegularFile(jar)) {
                    throw new IllegalArgumentException("no runnable jar for " + s.id() + (jar == null ? ""
                            : " at " + jar) + ": build it with ./mvnw -B package -DskipTests -pl services/" + s.id()
                            + " -am");
                }
            }
            serviceJvmOptions = List.copyOf(serviceJvmOptions);
            kafkaJvmOptions = List.copyOf(kafkaJvmOptions);
        }

        /**
         * @param paths       the stack's directory
         * @param ports       its ports
         * @param serviceJars each service's runnable jar
         * @return options with this JVM's class path and {@code java}, the default JVM options, a 180 s timeout and
         *         AppCDS on
         */
        public static Options defaults(StackPaths paths, Ports ports, Map<ServiceName, Path> serviceJars) {
            return new Options(paths, ports, serviceJars, System.getProperty("java.class.path"),
                    Path.of(System.getProperty("java.home"), "bin", "java"), SERVICE_JVM_OPTIONS, KAFKA_JVM_OPTIONS,
                    Duration.ofSeconds(180), true);
        }
    }

    /** Receives one line per step: component and what happened. */
    @FunctionalInterface
    public interface Progress {
        /**
         * @param component e.g. {@code postgres}, {@code gateway}
         * @param message   what happened
         */
        void report(String component, String message);
    }

    /** A start that cannot go on; the message is meant for the user as it is. */
    public static final class StackException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param message what went wrong and what to do */
        public StackException(String message) {
            super(message);
        }
    }

    private static final Duration SERVICE_STOP_GRACE = Duration.ofSeconds(30);
    /** Partitions per topic, as the services create them ({@code cocoplane.eventing.partitions} default). */
    private static final int TOPIC_PARTITIONS = 6;
    /** The catalogue topics and their dead-letter topics. */
    static final List<String> TOPICS = java.util.stream.Stream.concat(Topics.ALL.stream(),
            Topics.ALL.stream().map(Topics::deadLetter)).toList();

    private final Options options;
    private final Progress progress;
    private final HealthProbe probe = new HealthProbe();
    private final Map<ServiceName, ChildProcess> services = new EnumMap<>(ServiceName.class);
    private final Map<ServiceName, List<String>> serviceCommands = new EnumMap<>(ServiceName.class);
    private StackState state;
    private DevCredentials credentials;
    private ChildProcess kafka;
    private PostgresNode postgres;
    private KubernetesApiNode kubernetes;
    private AutoCloseable kataNode;
    private volatile boolean closed;

    /**
     * A stack not started yet; {@link #close} may be called from another thread (a shutdown hook) at any time, also
     * while {@link #start} runs.
     *
     * @param options  what to start
     * @param progress receives a line per step
     */
    public LocalStack(Options options, Progress progress) {
        this.options = options;
        this.progress = progress;
    }

    /**
     * Starts the stack and returns once every component is ready. On failure everything started so far is stopped
     * again before the exception propagates.
     *
     * @throws StackException when a stack already runs in the directory, a port is taken, a component does not
     *                        start or does not become ready in time, or {@link #close} was called meanwhile
     */
    public void start() {
        try {
            startAll();
        } catch (RuntimeException e) {
            fail();
            throw e;
        }
    }

    /**
     * Starts a stack ({@link #start}).
     *
     * @param options  what to start
     * @param progress receives a line per step
     * @return the running stack
     * @throws StackException as {@link #start}
     */
    public static LocalStack start(Options options, Progress progress) {
        LocalStack stack = new LocalStack(options, progress);
        stack.start();
        return stack;
    }

    private void startAll() {
        StackPaths paths = options.paths();
        Ports ports = options.ports();
        paths.create();
        Optional<StackState> previous = StackState.read(paths.stateFile());
        if (previous.isPresent() && previous.get().supervisor().isPresent()) {
            throw new StackException("a stack is already running in " + paths.home() + " (supervisor pid "
                    + previous.get().supervisorPid() + "): bin/cocoplane status, bin/cocoplane down");
        }
        List<String> leftovers = previous.map(LocalStack::liveChildren).orElse(List.of());
        if (!leftovers.isEmpty()) {
            throw new StackException("processes of an earlier stack still run (" + String.join(", ", leftovers)
                    + "): run bin/cocoplane down first");
        }
        List<String> taken = ports.taken();
        if (!taken.isEmpty()) {
            throw new StackException("port(s) in use on 127.0.0.1: " + String.join(", ", taken)
                    + "; stop what holds them (ss -ltnp shows it) and run up again");
        }
        ProcessHandle self = ProcessHandle.current();
        StackState initial = new StackState(StackState.Phase.STARTING, self.pid(), self.info().startInstant().orElse(null),
                paths.home().toString(), ports, Instant.now(), null, List.of(), "not started",
                ServiceConfig.SAMPLE_TEE);
        synchronized (this) {
            checkOpen();
            state = initial;
            state.write(paths.stateFile());
        }

        credentials = DevCredentials.ensure(paths, "http://127.0.0.1:" + ports.gateway(), java.time.Clock.systemUTC());
        progress.report("keys", credentials.generated().isEmpty() ? "reused (keys/, tokens/, credentials.env)"
                : "generated " + String.join(", ", credentials.generated()));

        Map<ServiceName, java.util.concurrent.CompletableFuture<List<String>>> launch = new EnumMap<>(
                ServiceName.class);
        for (ServiceName s : ServiceName.values()) {
            Path jar = options.serviceJars().get(s);
            launch.put(s, options.appCds()
                    ? java.util.concurrent.CompletableFuture.supplyAsync(() -> AppCds.prepare(options.java(), jar,
                            paths.app().resolve(s.id())))
                    : java.util.concurrent.CompletableFuture.completedFuture(List.of("-jar", jar.toString())));
        }
        synchronized (this) {
            checkOpen();
            kafka = startKafkaProcess();
            record(new StackState.Child("kafka", kafka.pid(), kafka.started(), ports.kafka(),
                    kafka.log().toString()));
        }
        synchronized (this) {
            checkOpen();
            postgres = PostgresNode.start(paths.postgres(), ports.postgres(), paths.logs().resolve("postgres.log"));
            record(new StackState.Child("postgres", postgres.pid(), ProcessHandle.of(postgres.pid())
                    .flatMap(h -> h.info().startInstant()).orElse(null), ports.postgres(),
                    paths.logs().resolve("postgres.log").toString()));
        }
        progress.report("postgres", "ready on 127.0.0.1:" + ports.postgres() + " (data kept in "
                + paths.postgres() + ")");

        synchronized (this) {
            checkOpen();
            kubernetes = KubernetesApiNode.start(ports.kubernetes(), paths.kubeconfig());
        }
        progress.report("kubernetes", "simulated API ready on " + kubernetes.url() + " (kubeconfig written)");

        awaitKafka();
        createTopics();
        progress.report("kafka", "ready on 127.0.0.1:" + ports.kafka() + " (" + TOPICS.size() + " topics)");

        for (ServiceName s : ServiceName.values()) {
            Path config = ServiceConfig.write(s, ports, paths, credentials);
            List<String> cmd = new ArrayList<>();
            cmd.add(options.java().toString());
            cmd.addAll(options.serviceJvmOptions());
            cmd.addAll(join(launch.get(s)));
            cmd.add("--spring.config.additional-location=file:" + config);
            synchronized (this) {
                checkOpen();
                serviceCommands.put(s, List.copyOf(cmd));
                launchService(s);
            }
        }
        progress.report("services", "started " + services.size() + " JVMs; waiting for their readiness");
        awaitServices(services.keySet());

        synchronized (this) {
            checkOpen();
            kataNode = KataNode.start(kubernetes, paths, ports, credentials);
            progress.report("kata node", "running: " + KataNode.describe(paths));
            state = state.withKataNode(KataNode.describe(paths)).withPhase(StackState.Phase.READY);
            state.write(paths.stateFile());
        }
    }

    private static List<String> join(java.util.concurrent.CompletableFuture<List<String>> f) {
        try {
            return f.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new StackException("stopped while starting");
        }
    }

    private ChildProcess startKafkaProcess() {
        List<String> cmd = new ArrayList<>();
        cmd.add(options.java().toString());
        cmd.addAll(options.kafkaJvmOptions());
        if (options.appCds()) {
            // a plain class path: dynamic AppCDS works without extraction
            cmd.add("-XX:SharedArchiveFile=" + options.paths().app().resolve("kafka.jsa"));
            cmd.add("-XX:+AutoCreateSharedArchive");
        }
        cmd.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        cmd.add("-cp");
        cmd.add(options.classpath());
        cmd.add(KraftBroker.class.getName());
        cmd.add(options.paths().kafka().toString());
        cmd.add(Integer.toString(options.ports().kafka()));
        cmd.add(Integer.toString(options.ports().kafkaController()));
        return ChildProcess.start("kafka", cmd, Map.of(), options.paths().logs().resolve("kafka.log"));
    }

    private void awaitKafka() {
        long deadline = System.nanoTime() + options.readyTimeout().toNanos();
        String ready = "READY 127.0.0.1:" + options.ports().kafka();
        while (true) {
            checkOpen();
            if (ChildProcess.tail(kafka.log(), 200).contains(ready)) {
                return;
            }
            if (!kafka.isAlive()) {
                throw new StackException("kafka exited with code " + kafka.exitCode().orElse(-1)
                        + "; last lines of " + kafka.log() + ":\n" + kafka.tail(30));
            }
            if (System.nanoTime() > deadline) {
                throw new StackException("kafka not ready after " + options.readyTimeout().toSeconds()
                        + " s; last lines of " + kafka.log() + ":\n" + kafka.tail(30));
            }
            sleep(200);
        }
    }

    /**
     * Creates the catalogue topics and their dead-letter topics before any service starts: each service creates them
     * too, but with a 5 s admin timeout that a busy 2-core machine can miss, and a missing dead-letter topic keeps
     * the service's readiness DOWN (nothing else creates it).
     */
    private void createTopics() {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                "127.0.0.1:" + options.ports().kafka(), AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            java.util.Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = TOPICS.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, TOPIC_PARTITIONS, (short) 1)).toList();
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(60, TimeUnit.SECONDS);
            }
        } catch (java.util.concurrent.ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new StackException("creating the Kafka topics failed: " + e.getCause());
            }
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StackException("creating the Kafka topics timed out; see " + kafka.log());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating the Kafka topics");
        }
    }

    private void launchService(ServiceName s) {
        ChildProcess p = ChildProcess.start(s.id(), serviceCommands.get(s), Map.of(),
                options.paths().logs().resolve(s.id() + ".log"));
        services.put(s, p);
        record(new StackState.Child(s.id(), p.pid(), p.started(), s.port(options.ports()), p.log().toString()));
    }

    private void awaitServices(java.util.Collection<ServiceName> which) {
        long begin = System.nanoTime();
        long deadline = begin + options.readyTimeout().toNanos();
        long nextWaitingLine = begin + Duration.ofSeconds(15).toNanos();
        Map<ServiceName, String> pending = new LinkedHashMap<>();
        which.forEach(s -> pending.put(s, HealthProbe.UNREACHABLE));
        while (!pending.isEmpty()) {
            for (ServiceName s : List.copyOf(pending.keySet())) {
                checkOpen();
                ChildProcess p = services.get(s);
                if (!p.isAlive()) {
                    throw new StackException(s.id() + " exited with code " + p.exitCode().orElse(-1)
                            + " before it was ready; last lines of " + p.log() + ":\n" + p.tail(40));
                }
                String status = probe.readiness(s.port(options.ports()));
                if ("DOWN".equals(status) || "OUT_OF_SERVICE".equals(status)) {
                    List<String> down = probe.componentsNotUp(s.port(options.ports()));
                    status = down.isEmpty() ? status : status + ": " + String.join(", ", down);
                }
                if ("UP".equals(status)) {
                    pending.remove(s);
                    progress.report(s.id(), "ready on http://127.0.0.1:" + s.port(options.ports()) + " ("
                            + seconds(System.nanoTime() - begin) + " after start)");
                } else {
                    pending.put(s, status);
                }
            }
            if (pending.isEmpty()) {
                return;
            }
            long now = System.nanoTime();
            if (now > deadline) {
                ServiceName first = pending.keySet().iterator().next();
                throw new StackException("not ready after " + options.readyTimeout().toSeconds() + " s: "
                        + describe(pending) + "; last lines of " + services.get(first).log() + ":\n"
                        + services.get(first).tail(40));
            }
            if (now > nextWaitingLine) {
                progress.report("services", "waiting for " + describe(pending));
                nextWaitingLine = now + Duration.ofSeconds(15).toNanos();
            }
            sleep(1000);
        }
    }

    private static String describe(Map<ServiceName, String> pending) {
        List<String> l = new ArrayList<>();
        pending.forEach((s, st) -> l.add(s.id() + " (" + st + ")"));
        return String.join(", ", l);
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.1f s", nanos / 1e9);
    }

    private synchronized void record(StackState.Child child) {
        state = state.with(child);
        state.write(options.paths().stateFile());
    }

    private static List<String> liveChildren(StackState s) {
        return s.processes().stream().filter(c -> c.handle().isPresent()).map(c -> c.name() + " pid " + c.pid())
                .toList();
    }

    private synchronized void fail() {
        if (state != null && !closed) {
            state = state.withPhase(StackState.Phase.FAILED);
            state.write(options.paths().stateFile());
        }
        close();
    }

    /** @return the current state (phase, pids, ports) */
    public synchronized StackState state() {
        return state;
    }

    /** @return the development credentials in use */
    public DevCredentials credentials() {
        return credentials;
    }

    /** @return the stack's options */
    public Options options() {
        return options;
    }

    /** @return whether {@link #close} has begun */
    public boolean closing() {
        return closed;
    }

    /**
     * @return services whose process has ended since the start, with their exit code
     */
    public Map<ServiceName, Integer> exitedServices() {
        Map<ServiceName, Integer> m = new EnumMap<>(ServiceName.class);
        services.forEach((s, p) -> p.exitCode().ifPresent(c -> m.put(s, c)));
        return m;
    }

    // ------------------------------------------------------------------ fault injection (tools/reliability)

    /**
     * Kills a service's JVM abruptly (SIGKILL: no shutdown hooks, no orderly Kafka or database close) and waits until
     * it has exited. Its port and data stay; {@link #startServices} starts it again.
     *
     * @param service the service
     * @throws StackException when the stack is not ready or the process does not exit within 10 s
     */
    public synchronized void killService(ServiceName service) {
        requireReady();
        ChildProcess p = services.get(service);
        if (!p.kill(Duration.ofSeconds(10))) {
            throw new StackException(service.id() + " (pid " + p.pid() + ") still runs 10 s after SIGKILL");
        }
        progress.report(service.id(), "killed (SIGKILL, pid " + p.pid() + ")");
    }

    /**
     * Starts services again, in parallel, each with the command line of its first start (same port, configuration
     * and database schema), and returns once all answer ready.
     *
     * @param which the services, each stopped before ({@link #killService})
     * @throws StackException when one still runs, exits, or is not ready within the ready timeout
     */
    public synchronized void startServices(ServiceName... which) {
        requireReady();
        for (ServiceName s : which) {
            if (services.get(s).isAlive()) {
                throw new StackException(s.id() + " still runs (pid " + services.get(s).pid() + ")");
            }
        }
        for (ServiceName s : which) {
            launchService(s);
        }
        awaitServices(List.of(which));
    }

    /**
     * Stops the Kafka JVM and waits until it has exited; data and ports stay for {@link #startKafka()}.
     *
     * @param grace time allowed for an orderly broker shutdown after SIGTERM; {@link Duration#ZERO} kills it at once
     *              (SIGKILL, the broker then recovers its logs on the next start)
     * @throws StackException when the stack is not ready
     */
    public synchronized void stopKafka(Duration grace) {
        requireReady();
        if (grace.isZero()) {
            kafka.kill(Duration.ofSeconds(10));
            progress.report("kafka", "killed (SIGKILL, pid " + kafka.pid() + ")");
        } else {
            boolean orderly = kafka.stop(grace);
            progress.report("kafka", orderly ? "stopped" : "killed after " + grace.toSeconds() + " s");
        }
    }

    /**
     * Starts the Kafka JVM again on the same ports and data directory and returns once it is ready.
     *
     * @throws StackException when it still runs, exits, or is not ready within the ready timeout
     */
    public synchronized void startKafka() {
        requireReady();
        if (kafka.isAlive()) {
            throw new StackException("kafka still runs (pid " + kafka.pid() + ")");
        }
        kafka = startKafkaProcess();
        record(new StackState.Child("kafka", kafka.pid(), kafka.started(), options.ports().kafka(),
                kafka.log().toString()));
        awaitKafka();
        progress.report("kafka", "ready again on 127.0.0.1:" + options.ports().kafka());
    }

    /**
     * Restarts PostgreSQL: a fast shutdown ({@link PostgresNode#close()}) then a start on the same port and data
     * directory. Clients see their connections dropped and refused until it is back.
     *
     * @param down how long it stays down between stop and start
     * @throws StackException when the stack is not ready
     * @throws IllegalStateException when it does not stop or start (see {@code logs/postgres.log})
     */
    public synchronized void restartPostgres(Duration down) {
        requireReady();
        postgres.close();
        progress.report("postgres", "stopped");
        sleep(down.toMillis());
        Path log = options.paths().logs().resolve("postgres.log");
        postgres = PostgresNode.start(options.paths().postgres(), options.ports().postgres(), log);
        record(new StackState.Child("postgres", postgres.pid(), ProcessHandle.of(postgres.pid())
                .flatMap(h -> h.info().startInstant()).orElse(null), options.ports().postgres(), log.toString()));
        progress.report("postgres", "ready again on 127.0.0.1:" + options.ports().postgres());
    }

    private void requireReady() {
        if (closed || state == null || state.phase() != StackState.Phase.READY) {
            throw new StackException("the stack is not ready (" + (closed ? "closed" : state == null ? "not started"
                    : state.phase()) + ")");
        }
    }

    /**
     * Stops everything that was started, in reverse order: Kata node, services (SIGTERM to all, 30 s grace, then
     * SIGKILL), Kafka, the Kubernetes API, PostgreSQL; then removes the state file. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        StackPaths paths = options.paths();
        if (state != null && state.phase() != StackState.Phase.FAILED) {
            state = state.withPhase(StackState.Phase.STOPPING);
            state.write(paths.stateFile());
        }
        if (kataNode != null) {
            try {
                kataNode.close();
            } catch (Exception e) {
                progress.report("kata node", "stop failed: " + e.getMessage());
            }
        }
        if (!services.isEmpty()) {
            services.values().forEach(ChildProcess::terminate);
            for (ChildProcess p : services.values()) {
                if (!p.stop(SERVICE_STOP_GRACE)) {
                    progress.report(p.name(), "did not stop within " + SERVICE_STOP_GRACE.toSeconds()
                            + " s; killed");
                }
            }
            progress.report("services", "stopped");
        }
        if (kafka != null) {
            kafka.stop(Duration.ofSeconds(30));
            progress.report("kafka", "stopped");
        }
        if (kubernetes != null) {
            kubernetes.close();
            progress.report("kubernetes", "stopped");
        }
        if (postgres != null) {
            try {
                postgres.close();
                progress.report("postgres", "stopped (data kept)");
            } catch (RuntimeException e) {
                progress.report("postgres", "stop failed: " + e.getMessage());
            }
        }
        try {
            Optional<StackState> onDisk = StackState.read(paths.stateFile());
            if (onDisk.isPresent() && onDisk.get().supervisorPid() == ProcessHandle.current().pid()) {
                Files.deleteIfExists(paths.stateFile());
            }
        } catch (Exception e) {
            progress.report("state", "cannot remove " + paths.stateFile() + ": " + e.getMessage());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while starting");
        }
    }
}
