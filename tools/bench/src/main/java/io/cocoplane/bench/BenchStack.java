package io.cocoplane.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.cocoplane.local.LocalStack;
import io.cocoplane.local.Ports;
import io.cocoplane.local.ProcessMemory;
import io.cocoplane.local.ServiceJars;
import io.cocoplane.local.StackPaths;
import io.cocoplane.local.StackState;
import io.cocoplane.local.demo.Demo;
import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.snp.SnpFixtures;
import io.cocoplane.teeevidence.snp.SnpGeneration;

/**
 * The local stack ({@link LocalStack} from {@code tools/local}: PostgreSQL, Kafka, the simulated Kubernetes API, the
 * six services as child JVMs and the simulated Kata node) on free ports, started once per harness run and shared by
 * the benchmarks that need running services ({@code kbs}, {@code events}). Its directory is
 * {@code tools/bench/target/bench-stack} (kept between runs, so the services' AppCDS archives and PostgreSQL data are
 * reused as after a second {@code bin/cocoplane up}).
 *
 * <p>Differences from {@code bin/cocoplane up}: the attestation service runs with {@code development=true} and the
 * Genoa ARK/ASK of a private test PKI ({@link SnpFixtures}) as an additional SNP trust anchor, so evidence signed by
 * that PKI's VCEK verifies; and the services' JVM options are {@link LocalStack.Options#SERVICE_JVM_OPTIONS} without
 * {@code -XX:TieredStopAtLevel=1} (C2 on, as a deployment would run) and with a 96 MiB code cache
 * ({@link #C2_CODE_CACHE}), unless {@code BENCH_STACK_JAVA_OPTS} replaces them. In quick mode the services keep
 * {@code bin/cocoplane up}'s options (C1 only): the smoke run then starts the stack as a user does, in about half the
 * time C2's compilations take on two cores, and its key broker figures are marked as C1 figures.
 */
final class BenchStack implements AutoCloseable {

    /**
     * How long the start may take before the run gives up: generous, because a loaded machine is when one wants to
     * know how slow the start is (the figure's target is 60 s).
     */
    static final java.time.Duration READY_TIMEOUT = java.time.Duration.ofMinutes(10);

    /** Code cache of the services with C2 on (the local stack's 48 MiB is sized for C1 only). */
    static final String C2_CODE_CACHE = "-XX:ReservedCodeCacheSize=96m";

    /** The test PKI whose ARK/ASK the attestation service trusts. */
    final SnpFixtures pki = new SnpFixtures(SnpGeneration.GENOA);
    private final StackPaths paths;
    private final LocalStack stack;
    private final double readySeconds;
    private final boolean cdsArchivesExisted;
    private final List<String> serviceJvmOptions;

    private BenchStack(Settings s) throws IOException {
        Path home = s.repoRoot().resolve("tools/bench/target/bench-stack");
        paths = new StackPaths(home);
        paths.create();
        cdsArchivesExisted = Files.exists(paths.app().resolve("keybroker").resolve("app.jsa"));
        Path anchors = home.resolve("test-ark-genoa.pem");
        Files.writeString(anchors, Certificates.toPem(pki.ark()) + Certificates.toPem(pki.ask()),
                StandardCharsets.US_ASCII);
        List<String> jvm = new ArrayList<>(Procs.javaOpts("BENCH_STACK_JAVA_OPTS"));
        if (jvm.isEmpty()) {
            jvm.addAll(LocalStack.Options.SERVICE_JVM_OPTIONS);
            if (!s.quick()) {
                jvm.remove("-XX:TieredStopAtLevel=1");
                // C2's code does not fit the C1-sized cache: with 48 MiB, every 7 MiB of new code (SweeperThreshold,
                // 15 % of the reserve) forced a full serial GC of 0.2-1 s in the middle of the measured windows
                jvm.replaceAll(o -> o.startsWith("-XX:ReservedCodeCacheSize=") ? C2_CODE_CACHE : o);
            }
        }
        serviceJvmOptions = List.copyOf(jvm);
        // system properties: every service gets them, only the attestation service reads them
        jvm.add("-Dcocoplane.attestation.development=true");
        jvm.add("-Dcocoplane.attestation.snp.additional-trust-anchors=" + anchors);
        LocalStack.Options defaults = LocalStack.Options.defaults(paths, Ports.free(),
                ServiceJars.inRepository(s.repoRoot()));
        LocalStack.Options options = new LocalStack.Options(paths, defaults.ports(), defaults.serviceJars(),
                defaults.classpath(), defaults.java(), jvm, defaults.kafkaJvmOptions(), READY_TIMEOUT,
                defaults.appCds());
        stack = new LocalStack(options, (component, message) -> System.out.println("   stack: " + component + ": "
                + message));
        // Ctrl-C or SIGTERM to the harness stops the services, Kafka and PostgreSQL too
        Runtime.getRuntime().addShutdownHook(new Thread(stack::close, "bench-stack-stop"));
        long t0 = System.nanoTime();
        stack.start();
        readySeconds = (System.nanoTime() - t0) / 1e9;
    }

    /**
     * Starts the stack and waits until every component is ready.
     *
     * @throws LocalStack.StackException when it does not start (see its logs under {@code bench-stack/logs})
     */
    static BenchStack start(Settings s) throws IOException {
        return new BenchStack(s);
    }

    Ports ports() {
        return stack.options().ports();
    }

    String kafkaBootstrap() {
        return "127.0.0.1:" + ports().kafka();
    }

    String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /** @return seconds from {@link LocalStack#start} until every component was ready */
    double readySeconds() {
        return readySeconds;
    }

    /** @return whether the services' class-data archives existed before this start (a warm start) */
    boolean warmStart() {
        return cdsArchivesExisted;
    }

    List<String> serviceJvmOptions() {
        return serviceJvmOptions;
    }

    Path logs() {
        return paths.logs();
    }

    /**
     * @return CPU time (user + system, seconds) used so far by each child of the stack, by component name
     *         ({@code postgres} and {@code kafka} with their descendants, each service), and by this harness JVM
     *         ({@code harness}: the load clients and the simulated Kubernetes API and Kata node), in start order
     */
    Map<String, Double> cpuSeconds() {
        Map<String, Double> cpu = new LinkedHashMap<>();
        for (StackState.Child c : stack.state().processes()) {
            c.handle().ifPresent(h -> {
                double sum = 0;
                for (long pid : Stream.concat(Stream.of(h), h.descendants()).map(ProcessHandle::pid).toList()) {
                    try {
                        sum += Procs.cpuSeconds(pid);
                    } catch (IOException gone) {
                        // a PostgreSQL backend that ended between the listing and the read: its time is lost
                    }
                }
                cpu.merge(c.name(), sum, Double::sum);
            });
        }
        try {
            cpu.put("harness", Procs.cpuSeconds(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cpu;
    }

    /**
     * Waits until the stack's processes together use less than 15 % of one core over a second (consumers done with
     * a backlog, JIT compilers idle), or {@code max} passed: single-thread measurements taken beside a busy stack
     * would understate this machine's speed.
     *
     * @return the stack's CPU share of one core in the last second, 0..cores
     */
    double awaitQuiet(java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        double share;
        do {
            double before = stackCpu();
            Thread.sleep(1000);
            share = stackCpu() - before;
        } while (share >= 0.15 && System.nanoTime() < deadline);
        return share;
    }

    private double stackCpu() {
        Map<String, Double> cpu = cpuSeconds();
        cpu.remove("harness");
        return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
    }

    /** @return resident and proportional set size now of the stack's child processes (not the harness JVM) */
    ProcessMemory memory() {
        StackState state = stack.state();
        ProcessMemory total = ProcessMemory.NONE;
        for (StackState.Child c : state.processes()) {
            total = total.plus(c.handle().map(h -> ProcessMemory.ofTree(h.pid())).orElse(ProcessMemory.NONE));
        }
        return total;
    }

    /**
     * Adds the start figures: seconds until ready (target ≤ 60 s) and the memory of the stack's processes right after
     * (target RSS ≤ 2 GiB, the README's budget).
     *
     * @param report the report to fill
     * @return it, finished
     */
    Report readyReport(Report report) {
        report.config("serviceJvmOptions", String.join(" ", serviceJvmOptions))
                .config("start", warmStart() ? "warm (class-data archives and PostgreSQL data from an earlier run)"
                        : "cold (first start in " + paths.home() + ": jars extracted, archives written at stop)")
                .figure("local stack ready", Stats.round(readySeconds, 1), "s", Target.atMost(60));
        return memoryReport(report);
    }

    /**
     * @param report the report to fill with the RSS and PSS of the stack's processes now
     * @return it, finished
     */
    Report memoryReport(Report report) {
        ProcessMemory m = memory();
        return report.figure("stack RSS (" + m.processes() + " processes)", Stats.round(m.rss() / 1048576.0, 1),
                        "MiB", Target.atMost(2048))
                .figure("stack PSS", Stats.round(m.pss() / 1048576.0, 1), "MiB", null)
                .note("the harness JVM (hosting the simulated Kubernetes API and Kata node, like bin/cocoplane's "
                        + "supervisor) is not counted")
                .finish();
    }

    /**
     * @param role {@code admin}, {@code deployer}, {@code auditor} or {@code kbs-admin}
     * @return the file holding that development bearer token
     */
    Path token(String role) {
        return paths.tokens().resolve(role + ".jwt");
    }

    /**
     * Runs {@code cococtl ARGS --quiet} in-process against the stack's gateway ({@link Demo#cococtl}).
     *
     * @param role a development token's role: {@code admin}, {@code deployer} or {@code auditor}
     * @param what what the command does, for the error message
     * @param args the command and its arguments
     * @return its output
     * @throws IllegalStateException when it exits non-zero (with its output)
     */
    Demo.Ctl ctl(String role, String what, String... args) throws IOException {
        Path work = Files.createDirectories(paths.home().resolve("cococtl-work"));
        String token = Files.readString(paths.home().resolve("tokens").resolve(role + ".jwt")).strip();
        Demo.Ctl c = Demo.cococtl(work, url(ports().gateway()), token, args);
        if (c.code() != 0) {
            throw new IllegalStateException(what + ": cococtl exited " + c.code() + ": " + (c.err() + " " + c.out())
                    .strip());
        }
        return c;
    }

    @Override
    public void close() {
        stack.close();
    }
}
