package io.cocoplane.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Issue 3: {@code skopeo copy} push and pull of a single-layer image against our registry (its exec jar, own JVM,
 * PostgreSQL and Kafka from the harness JVM) and against Debian's {@code docker-registry} 2.8 (filesystem storage),
 * interleaved run by run; medians, ratios ours/theirs and each server's peak RSS.
 */
final class RegistryBench {

    static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    static final Path DOCKER_REGISTRY = Path.of("/usr/bin/docker-registry");

    private RegistryBench() {
    }

    /** One registry under test. */
    private record Server(String name, int port, Process process, RssSampler rss, Path log) {
        String host() {
            return "127.0.0.1:" + port;
        }
    }

    /** Untimed rounds per size before the measured ones: the JIT compiles the upload and download paths. */
    static final int WARMUP = 2;

    static Report run(Settings s) throws Exception {
        List<Integer> sizes = s.quick() ? List.of(1, 10) : List.of(1, 100);
        int runs = s.quick() ? 3 : 5;
        Report report = new Report("registry", "Registry push/pull vs docker-registry (issues 3, 10)")
                .config("images", sizes + " MiB, single uncompressed tar layer, random bytes")
                .config("runs", runs + " per size").config("warmup", WARMUP + " per size (both servers; a running registry is warm)")
                .config("client", "skopeo copy (" + SKOPEO + ")");
        for (Path tool : List.of(SKOPEO, DOCKER_REGISTRY)) {
            if (!Files.isExecutable(tool)) {
                throw new IllegalStateException(tool + " is missing: apt-get install -y skopeo docker-registry");
            }
        }
        Path jar = s.serviceJar("registry");
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no " + jar + ": ./mvnw -q -pl services/registry -am package -DskipTests");
        }
        Path work = Files.createTempDirectory("cocoplane-bench-registry-");
        Path logs = work.resolve("logs");
        Path policy = work.resolve("policy.json");
        Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        Server ours = null;
        Server theirs = null;
        try (Infra infra = new Infra()) {
            ours = startOurs(s, infra, jar, work, logs);
            theirs = startTheirs(work, logs);
            report.config("ours", "registry exec jar, JVM defaults, fsync default, auth disabled")
                    .config("theirs", "docker-registry " + version() + ", filesystem driver");
            for (int mib : sizes) {
                measure(report, mib, runs, ours, theirs, work, logs, policy);
            }
            report.figure("peak RSS, ours", Stats.round(ours.rss().peakMiB(), 1), "MiB", Target.atMost(512))
                    .figure("peak RSS, docker-registry", Stats.round(theirs.rss().peakMiB(), 1), "MiB", null)
                    .note("times are wall-clock of the whole skopeo process (start-up, any layer compression skopeo "
                            + "does on push, digest check on pull); peak RSS sampled every 100 ms over the server's whole life");
            report.finish();
            Procs.deleteTree(work);
            return report;
        } finally {
            for (Server srv : new Server[] {ours, theirs}) {
                if (srv != null) {
                    srv.rss().close();
                    Procs.stop(srv.process());
                }
            }
            if (Files.exists(work)) {
                System.err.println("registry bench: work files and logs left in " + work);
            }
        }
    }

    /** Pushes and pulls {@code runs} fresh images of {@code mib} MiB to both servers, interleaved; adds the figures. */
    private static void measure(Report report, int mib, int runs, Server ours, Server theirs, Path work, Path logs,
                                Path policy) throws Exception {
        Map<String, List<Double>> push = new LinkedHashMap<>();
        Map<String, List<Double>> pull = new LinkedHashMap<>();
        for (Server srv : List.of(ours, theirs)) {
            push.put(srv.name(), new ArrayList<>());
            pull.put(srv.name(), new ArrayList<>());
        }
        String repo = "bench" + mib;
        for (int i = -WARMUP; i < runs; i++) { // i < 0: warm-up, not counted
            Path layout = work.resolve("image-" + mib + "-" + i);
            OciImage.write(layout, "bench", (long) mib << 20, System.nanoTime() ^ i);
            List<Server> order = (i & 1) == 0 ? List.of(ours, theirs) : List.of(theirs, ours);
            for (Server srv : order) {
                String ref = "docker://" + srv.host() + "/" + repo + ":r" + (i + 1);
                String tag = mib + "-" + srv.name() + "-" + i;
                double tPush = Procs.run(List.of(SKOPEO.toString(), "--policy", policy.toString(), "copy",
                        "--dest-tls-verify=false", "oci:" + layout + ":bench", ref),
                        logs.resolve("push-" + tag + ".log"), Duration.ofMinutes(10));
                Path pulled = work.resolve("pulled-" + tag);
                double tPull = Procs.run(List.of(SKOPEO.toString(), "--policy", policy.toString(), "copy",
                        "--src-tls-verify=false", ref, "oci:" + pulled + ":bench"),
                        logs.resolve("pull-" + tag + ".log"), Duration.ofMinutes(10));
                Procs.deleteTree(pulled);
                System.out.printf("  %d MiB run %d %-6s push %.2f s, pull %.2f s (load %s)%n", mib, i, srv.name(),
                        tPush, tPull, LoadAverage.now());
                if (i >= 0) {
                    push.get(srv.name()).add(tPush);
                    pull.get(srv.name()).add(tPull);
                }
            }
            Procs.deleteTree(layout);
        }
        double pushOurs = Stats.median(push.get("ours"));
        double pushTheirs = Stats.median(push.get("theirs"));
        double pullOurs = Stats.median(pull.get("ours"));
        double pullTheirs = Stats.median(pull.get("theirs"));
        String size = mib + " MiB";
        report.figure("push median " + size + ", ours", Stats.round(pushOurs, 3), "s", null)
                .figure("push median " + size + ", docker-registry", Stats.round(pushTheirs, 3), "s", null)
                .figure("push ratio " + size + " ours/theirs", Stats.round(Stats.ratio(pushOurs, pushTheirs), 3), "",
                        Target.atMost(0.9))
                .figure("pull median " + size + ", ours", Stats.round(pullOurs, 3), "s", null)
                .figure("pull median " + size + ", docker-registry", Stats.round(pullTheirs, 3), "s", null)
                .figure("pull ratio " + size + " ours/theirs", Stats.round(Stats.ratio(pullOurs, pullTheirs), 3), "",
                        Target.atMost(0.9))
                .raw("pushSeconds" + mib + "MiB", push).raw("pullSeconds" + mib + "MiB", pull);
    }

    private static Server startOurs(Settings s, Infra infra, Path jar, Path work, Path logs) throws Exception {
        int port = Procs.freePort();
        List<String> cmd = new ArrayList<>(List.of(Procs.java()));
        String opts = System.getenv("BENCH_REGISTRY_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(List.of(opts.trim().split("\\s+")));
        }
        cmd.addAll(javaMain(jar, "io.cocoplane.registry.RegistryApplication"));
        cmd.add("--server.port=" + port);
        cmd.addAll(infra.springArgs("registry"));
        cmd.addAll(List.of("--cocoplane.registry.storage.root=" + Files.createDirectories(work.resolve("ours-blobs")),
                "--cocoplane.registry.auth.disabled=true", "--logging.level.root=WARN"));
        Path log = logs.resolve("ours.log");
        Process p = Procs.start(cmd, log);
        RssSampler rss = new RssSampler(p.pid());
        Procs.awaitHttp(p, "http://127.0.0.1:" + port + "/v2/", 200, Duration.ofMinutes(3), log);
        return new Server("ours", port, p, rss, log);
    }

    private static Server startTheirs(Path work, Path logs) throws Exception {
        int port = Procs.freePort();
        Path root = Files.createDirectories(work.resolve("theirs-blobs"));
        Path config = work.resolve("docker-registry.yml");
        Files.writeString(config, """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:%d
                """.formatted(root, port));
        Path log = logs.resolve("theirs.log");
        Process p = Procs.start(List.of(DOCKER_REGISTRY.toString(), "serve", config.toString()), log);
        RssSampler rss = new RssSampler(p.pid());
        Procs.awaitHttp(p, "http://127.0.0.1:" + port + "/v2/", 200, Duration.ofMinutes(1), log);
        return new Server("theirs", port, p, rss, log);
    }

    /**
     * {@code -jar <jar>}, or, when the jar's {@code Start-Class} is a Spring Boot launcher itself (a mis-packaged exec
     * jar that recurses into itself), the {@code PropertiesLauncher} with {@code loader.main} set to the real main.
     */
    static List<String> javaMain(Path jar, String main) throws java.io.IOException {
        String start;
        try (var jf = new java.util.jar.JarFile(jar.toFile())) {
            start = jf.getManifest().getMainAttributes().getValue("Start-Class");
        }
        if (start != null && start.startsWith("org.springframework.boot.loader.")) {
            System.err.println("warning: " + jar.getFileName() + " has Start-Class " + start + "; starting " + main
                    + " through PropertiesLauncher");
            return List.of("-Dloader.main=" + main, "-cp", jar.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher");
        }
        return List.of("-jar", jar.toString());
    }

    private static String version() {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", "docker-registry").start();
            String v = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return v.isEmpty() ? "?" : v;
        } catch (Exception e) {
            return "?";
        }
    }
}
