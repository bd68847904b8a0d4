package io.cocoplane.local;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bin/cocoplane}: the one-command local stack (issue 9). Subcommands {@code up [--detach]}, {@code down},
 * {@code status}, {@code reset}, {@code demo}. Exit codes: 0 success; 1 failure (the message says what to do);
 * 2 usage error; {@code status}: 0 ready, 1 degraded, 3 not running.
 */
@Command(name = "cocoplane", mixinStandardHelpOptions = true, version = "cocoplane local stack 0.1.0",
        description = "Runs the cocoplane control plane on this machine: PostgreSQL, Kafka, the six services, a "
                + "simulated Kubernetes API and Kata node. Development only.",
        subcommands = {CocoplaneLocal.Up.class, CocoplaneLocal.Down.class, CocoplaneLocal.Status.class,
                CocoplaneLocal.Reset.class, CocoplaneLocal.Demo.class})
public final class CocoplaneLocal {

    /** Environment variable with the services' JVM options (replaces the defaults). */
    public static final String SERVICE_JAVA_OPTS = "COCOPLANE_SERVICE_JAVA_OPTS";
    /** Environment variable with the Kafka JVM's options (replaces the defaults). */
    public static final String KAFKA_JAVA_OPTS = "COCOPLANE_KAFKA_JAVA_OPTS";

    @Option(names = "--root", description = "the cocoplane clone (holds services/; default: the working directory)")
    Path root = Path.of("").toAbsolutePath();

    @Option(names = "--home", description = "the stack's directory (default: <root>/.cocoplane/local)")
    Path home;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    StackPaths paths() {
        return new StackPaths(home != null ? home : root.resolve(".cocoplane").resolve("local"));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
        int code = execute(args, out, err);
        out.flush();
        err.flush();
        System.exit(code);
    }

    /**
     * @param args command line
     * @param out  standard output
     * @param err  standard error
     * @return the exit code
     */
    public static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new CocoplaneLocal());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof LocalStack.StackException || e instanceof IllegalStateException
                    || e instanceof IllegalArgumentException || e instanceof java.io.UncheckedIOException) {
                commandLine.getErr().println("cocoplane: " + e.getMessage());
                return 1;
            }
            throw e;
        });
        return cl.execute(args);
    }

    /** Prints progress lines with the time since {@code up} began. */
    static final class Console implements LocalStack.Progress {
        private final PrintWriter out;
        private final long begin = System.nanoTime();

        Console(PrintWriter out) {
            this.out = out;
        }

        @Override
        public synchronized void report(String component, String message) {
            out.printf(Locale.ROOT, "[%6.1fs] %-13s %s%n", (System.nanoTime() - begin) / 1e9, component, message);
            out.flush();
        }
    }

    @Command(name = "up", description = "Builds nothing (bin/cocoplane does), starts the stack, prints a summary; "
            + "stays in the foreground until Ctrl-C unless --detach.")
    static final class Up implements Callable<Integer> {
        @ParentCommand
        CocoplaneLocal parent;

        @Option(names = "--detach", description = "run the stack in the background; return once it is ready")
        boolean detach;

        @Option(names = "--timeout", description = "seconds to wait for Kafka and for every service (default 180)")
        int timeoutSeconds = 180;

        @Option(names = "--no-appcds", description = "run the services from their exec jars without class-data "
                + "archives (slower start)")
        boolean noAppCds;

        @Override
        public Integer call() throws Exception {
            StackPaths paths = parent.paths();
            if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
                throw new IllegalArgumentException("--timeout must be 1..3600 seconds");
            }
            Optional<StackState> running = StackState.read(paths.stateFile());
            if (running.isPresent() && running.get().supervisor().isPresent()) {
                throw new LocalStack.StackException("a stack is already running in " + paths.home()
                        + " (supervisor pid " + running.get().supervisorPid() + "): bin/cocoplane status, "
                        + "bin/cocoplane down");
            }
            Map<ServiceName, Path> jars = ServiceJars.inRepository(parent.root);
            paths.create();
            if (detach) {
                return detach(paths);
            }
            configureLibraryLogging(paths);
            Console console = new Console(parent.out());
            console.report("stack", "starting in " + paths.home() + " (" + Runtime.getRuntime().availableProcessors()
                    + " cores)");
            LocalStack.Options defaults = LocalStack.Options.defaults(paths, Ports.standard(), jars);
            LocalStack.Options options = new LocalStack.Options(paths, Ports.standard(), jars, defaults.classpath(),
                    defaults.java(), javaOpts(SERVICE_JAVA_OPTS, defaults.serviceJvmOptions()),
                    javaOpts(KAFKA_JAVA_OPTS, defaults.kafkaJvmOptions()), Duration.ofSeconds(timeoutSeconds),
                    !noAppCds);
            CountDownLatch stopped = new CountDownLatch(1);
            LocalStack stack = new LocalStack(options, console);
            Thread hook = new Thread(() -> {
                console.report("stack", "stopping");
                stack.close();
                console.report("stack", "stopped");
                stopped.countDown();
            }, "cocoplane-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            stack.start();
            parent.out().println();
            parent.out().print(Summary.render(stack.state(), paths, Path.of("").toAbsolutePath(),
                    System.getenv("COCOPLANE_DETACHED") != null));
            parent.out().flush();
            watch(stack, console, stopped);
            return 0;
        }

        /** Reports a service that dies while the stack runs (once per service) until the stack stops. */
        private static void watch(LocalStack stack, Console console, CountDownLatch stopped)
                throws InterruptedException {
            java.util.Set<ServiceName> reported = java.util.EnumSet.noneOf(ServiceName.class);
            while (!stopped.await(2, java.util.concurrent.TimeUnit.SECONDS) && !stack.closing()) {
                stack.exitedServices().forEach((s, code) -> {
                    if (reported.add(s)) {
                        console.report(s.id(), "EXITED with code " + code + "; see "
                                + stack.options().paths().logs().resolve(s.id() + ".log"));
                    }
                });
            }
        }

        private int detach(StackPaths paths) throws Exception {
            List<String> cmd = new ArrayList<>();
            Path setsid = Path.of("/usr/bin/setsid");
            if (Files.isExecutable(setsid)) {
                cmd.add(setsid.toString());
            }
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(CocoplaneLocal.class.getName());
            cmd.add("--root");
            cmd.add(parent.root.toString());
            cmd.add("--home");
            cmd.add(paths.home().toString());
            cmd.add("up");
            cmd.add("--timeout");
            cmd.add(Integer.toString(timeoutSeconds));
            if (noAppCds) {
                cmd.add("--no-appcds");
            }
            Path out = paths.supervisorOut();
            Files.deleteIfExists(out);
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().put("COCOPLANE_DETACHED", "1");
            Process supervisor = pb.start();
            parent.out().println("cocoplane: supervisor started in the background (pid " + supervisor.pid()
                    + "), console in " + out);
            parent.out().flush();
            long offset = 0;
            while (true) {
                offset = relay(out, offset, parent.out());
                Optional<StackState> st = readQuietly(paths);
                if (st.isPresent() && st.get().phase() == StackState.Phase.READY
                        && st.get().supervisorPid() == supervisor.pid()) {
                    Thread.sleep(300);
                    relay(out, offset, parent.out());
                    return 0;
                }
                if (!supervisor.isAlive()) {
                    relay(out, offset, parent.out());
                    parent.err().println("cocoplane: the stack did not start (supervisor exit code "
                            + supervisor.exitValue() + "); console: " + out);
                    return 1;
                }
                Thread.sleep(250);
            }
        }
    }

    private static Optional<StackState> readQuietly(StackPaths paths) {
        try {
            return StackState.read(paths.stateFile());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Copies what {@code file} gained since {@code offset} to {@code out}; returns the new offset. */
    private static long relay(Path file, long offset, PrintWriter out) {
        if (!Files.exists(file)) {
            return offset;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            if (len <= offset) {
                return offset;
            }
            byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
            f.seek(offset);
            f.readFully(buf);
            out.print(new String(buf, StandardCharsets.UTF_8));
            out.flush();
            return offset + buf.length;
        } catch (java.io.IOException e) {
            return offset;
        }
    }

    private static List<String> javaOpts(String env, List<String> defaults) {
        String v = System.getenv(env);
        return v == null || v.isBlank() ? defaults : Arrays.asList(v.trim().split("\\s+"));
    }

    /**
     * Sends the supervisor's library logging to files instead of the console: slf4j-simple to
     * {@code logs/supervisor.log}, java.util.logging (the mock Kubernetes API's request log) to
     * {@code logs/kubernetes.log}.
     */
    static void configureLibraryLogging(StackPaths paths) {
        java.util.logging.LogManager.getLogManager().reset();
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        try {
            java.util.logging.FileHandler fh = new java.util.logging.FileHandler(paths.kubernetesLog().toString(),
                    true);
            fh.setFormatter(new java.util.logging.SimpleFormatter());
            root.addHandler(fh);
        } catch (java.io.IOException e) {
            System.err.println("cocoplane: cannot open " + paths.kubernetesLog() + ": " + e.getMessage());
        }
        System.setProperty("org.slf4j.simpleLogger.logFile", paths.supervisorLog().toString());
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
        System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSS");
        System.setProperty("vertx.logger-delegate-factory-class-name", "io.vertx.core.logging.SLF4JLogDelegateFactory");
    }

    @Command(name = "down", description = "Stops the stack: services, then Kafka, then PostgreSQL (data kept).")
    static final class Down implements Callable<Integer> {
        @ParentCommand
        CocoplaneLocal parent;

        @Option(names = "--timeout", description = "seconds to wait for an orderly stop before killing (default 90)")
        int timeoutSeconds = 90;

        @Override
        public Integer call() {
            StackPaths paths = parent.paths();
            Optional<StackState> st = StackState.read(paths.stateFile());
            if (st.isEmpty()) {
                parent.out().println("cocoplane: no local stack is running in " + paths.home());
                return 0;
            }
            StackState s = st.get();
            Optional<ProcessHandle> sup = s.supervisor();
            if (sup.isPresent()) {
                parent.out().println("cocoplane: stopping the stack (supervisor pid " + s.supervisorPid() + ") ...");
                parent.out().flush();
                if (!ChildProcess.stop(sup.get(), Duration.ofSeconds(timeoutSeconds))) {
                    parent.err().println("cocoplane: the supervisor did not stop within " + timeoutSeconds
                            + " s; killed it");
                }
            }
            int killed = 0;
            for (StackState.Child c : s.processes()) {
                Optional<ProcessHandle> h = c.handle();
                if (h.isPresent()) {
                    ChildProcess.stop(h.get(), Duration.ofSeconds(20));
                    killed++;
                    parent.out().println("cocoplane: stopped leftover " + c.name() + " (pid " + c.pid() + ")");
                }
            }
            try {
                Files.deleteIfExists(paths.stateFile());
            } catch (java.io.IOException e) {
                parent.err().println("cocoplane: cannot remove " + paths.stateFile() + ": " + e.getMessage());
                return 1;
            }
            parent.out().println("cocoplane: stopped" + (killed > 0 ? " (" + killed + " leftover processes)" : "")
                    + "; data kept in " + paths.home() + " (bin/cocoplane reset wipes it)");
            return 0;
        }
    }

    @Command(name = "status", description = "Shows each component's pid, port, readiness and memory.")
    static final class Status implements Callable<Integer> {
        @ParentCommand
        CocoplaneLocal parent;

        @Override
        public Integer call() {
            StackPaths paths = parent.paths();
            Optional<StackState> st = StackState.read(paths.stateFile());
            if (st.isEmpty()) {
                parent.out().println("cocoplane: no local stack is running in " + paths.home()
                        + " (bin/cocoplane up starts one)");
                return StatusReport.NOT_RUNNING;
            }
            StatusReport r = StatusReport.of(st.get(), new HealthProbe());
            parent.out().print(r.render());
            return r.exitCode();
        }
    }

    @Command(name = "reset", description = "Deletes the stack's directory: database, Kafka log, registry blobs, "
            + "keys, tokens, logs. Refused while the stack runs.")
    static final class Reset implements Callable<Integer> {
        @ParentCommand
        CocoplaneLocal parent;

        @Override
        public Integer call() {
            StackPaths paths = parent.paths();
            Optional<StackState> st = StackState.read(paths.stateFile());
            if (st.isPresent() && (st.get().supervisor().isPresent()
                    || st.get().processes().stream().anyMatch(c -> c.handle().isPresent()))) {
                throw new LocalStack.StackException("the stack in " + paths.home() + " is running: "
                        + "bin/cocoplane down first");
            }
            if (!Files.exists(paths.home())) {
                parent.out().println("cocoplane: nothing to reset (" + paths.home() + " does not exist)");
                return 0;
            }
            SecureFiles.deleteRecursively(paths.home());
            parent.out().println("cocoplane: deleted " + paths.home() + " (database, Kafka log, registry blobs, "
                    + "keys, tokens, logs); the next up starts from scratch");
            return 0;
        }
    }

    @Command(name = "demo", description = "The end-to-end story (issue 9 §3) on the running local stack: seven "
            + "steps, each printed with its outcome; exit 0 only when every step did what it should.")
    static final class Demo implements Callable<Integer> {
        @ParentCommand
        CocoplaneLocal parent;

        @Override
        public Integer call() throws java.io.IOException {
            StackPaths paths = parent.paths();
            Optional<StackState> running = StackState.read(paths.stateFile());
            if (running.isEmpty() || running.get().supervisor().isEmpty()) {
                throw new LocalStack.StackException("no stack is running in " + paths.home()
                        + ": bin/cocoplane up --detach (bin/cocoplane demo starts it when needed)");
            }
            Ports ports = Ports.standard();
            return new io.cocoplane.local.demo.Demo(paths.home(), "http://127.0.0.1:" + ports.gateway(),
                    "127.0.0.1:" + ports.registry(), parent.out()).run();
        }
    }
}
