package io.cocoplane.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
    /** The neutral native client of the HTTP download figure (left out when absent). */
    static final Path CURL = Path.of("/usr/bin/curl");

    private RegistryBench() {
    }

    /** One registry under test. */
    private record Server(String name, int port, Process process, RssSampler rss, Path log) {
        String host() {
            return "127.0.0.1:" + port;
        }
    }

    /**
     * Untimed rounds per size before the measured ones, for both servers (a registry in service is warm; ours is a
     * JVM that starts in the benchmark, so its request paths are still interpreted or C1-compiled for the first few
     * dozen requests): {@value #WARMUP_SMALL} for 1 MiB images (a push or pull is about ten requests, so
     * request handling dominates; {@value #WARMUP_SMALL_QUICK} in quick mode), {@value #WARMUP_LARGE} for larger ones (the
     * byte-copy loops compile within the first image). {@code -Dcocoplane.bench.registry.warmup=N} overrides them.
     */
    static final int WARMUP_SMALL = 20;
    static final int WARMUP_SMALL_QUICK = 8;
    static final int WARMUP_LARGE = 2;

    static int warmup(Settings s, int mib) {
        int small = s.quick() ? WARMUP_SMALL_QUICK : WARMUP_SMALL;
        return Integer.getInteger("cocoplane.bench.registry.warmup", mib <= 1 ? small : WARMUP_LARGE);
    }

    static Report run(Settings s) throws Exception {
        List<Integer> sizes = s.quick() ? List.of(1, 10) : List.of(1, 100);
        int runs = s.quick() ? 3 : 5;
        Report report = new Report("registry", "Registry push/pull vs docker-registry (issues 3, 10)")
                .config("images", sizes + " MiB, single uncompressed tar layer, random bytes")
                .config("runs", runs + " per size").config("warmup", sizes.stream().map(m -> warmup(s, m) + " × " + m + " MiB").toList()
                        + " untimed rounds first, both servers (a running registry is warm)")
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
                measure(report, mib, runs, warmup(s, mib), ours, theirs, work, logs, policy);
            }
            int largest = sizes.get(sizes.size() - 1);
            measureHttp(report, largest, runs, ours, theirs, work);
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
    private static void measure(Report report, int mib, int runs, int warmups, Server ours, Server theirs, Path work, Path logs,
                                Path policy) throws Exception {
        Map<String, List<Double>> push = new LinkedHashMap<>();
        Map<String, List<Double>> pull = new LinkedHashMap<>();
        for (Server srv : List.of(ours, theirs)) {
            push.put(srv.name(), new ArrayList<>());
            pull.put(srv.name(), new ArrayList<>());
        }
        String repo = "bench" + mib;
        for (int i = -warmups; i < runs; i++) { // i < 0: warm-up, not counted
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
                if (i >= -2) {
                    System.out.printf("  %d MiB run %d %-6s push %.3f s, pull %.3f s (load %s)%n", mib, i, srv.name(),
                            tPush, tPull, LoadAverage.now());
                }
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

    /**
     * The same blob transfers without skopeo, to see the servers' share of the time: a JDK {@link HttpClient} uploads
     * one layer of {@code mib} MiB (POST, one PATCH streaming the file, PUT with the digest: skopeo's sequence) to a
     * new repository each run and downloads it (GET, bytes discarded: no client-side digest or disk write), against
     * both servers, interleaved, after {@value #WARMUP_LARGE} untimed runs; medians and ratios ours/theirs.
     */
    private static void measureHttp(Report report, int mib, int runs, Server ours, Server theirs, Path work)
            throws Exception {
        Path layout = work.resolve("http-image-" + mib);
        OciImage.Built image = OciImage.write(layout, "bench", (long) mib << 20, 42);
        Path layer = layout.resolve("blobs/sha256").resolve(image.layerDigest().substring("sha256:".length()));
        Map<String, List<Double>> up = new LinkedHashMap<>();
        Map<String, List<Double>> down = new LinkedHashMap<>();
        Map<String, List<Double>> curl = new LinkedHashMap<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (int i = -WARMUP_LARGE; i < runs; i++) {
            for (Server srv : (i & 1) == 0 ? List.of(ours, theirs) : List.of(theirs, ours)) {
                String base = "http://" + srv.host();
                String repo = "http" + mib + "-" + (i + WARMUP_LARGE);
                long t0 = System.nanoTime();
                String location = location(http.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo
                        + "/blobs/uploads/")).POST(HttpRequest.BodyPublishers.noBody()).build(),
                        HttpResponse.BodyHandlers.discarding()), 202, base);
                location = location(http.send(HttpRequest.newBuilder(URI.create(location))
                        .header("Content-Type", "application/octet-stream")
                        .method("PATCH", HttpRequest.BodyPublishers.ofFile(layer)).build(),
                        HttpResponse.BodyHandlers.discarding()), 202, base);
                String put = location + (location.contains("?") ? "&" : "?") + "digest="
                        + java.net.URLEncoder.encode(image.layerDigest(), StandardCharsets.US_ASCII);
                location(http.send(HttpRequest.newBuilder(URI.create(put)).PUT(HttpRequest.BodyPublishers.noBody())
                        .build(), HttpResponse.BodyHandlers.discarding()), 201, base);
                double tUp = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                HttpResponse<Void> got = http.send(HttpRequest.newBuilder(URI.create(base + "/v2/" + repo + "/blobs/"
                        + image.layerDigest())).GET().build(), HttpResponse.BodyHandlers.discarding());
                double tDown = (System.nanoTime() - t1) / 1e9;
                if (got.statusCode() != 200) {
                    throw new IllegalStateException(srv.name() + ": GET blob answered " + got.statusCode());
                }
                double tCurl = Files.isExecutable(CURL) ? curlSeconds(base + "/v2/" + repo + "/blobs/"
                        + image.layerDigest(), work.resolve("curl.log")) : Double.NaN;
                if (i >= 0) {
                    up.computeIfAbsent(srv.name(), k -> new ArrayList<>()).add(tUp);
                    down.computeIfAbsent(srv.name(), k -> new ArrayList<>()).add(tDown);
                    curl.computeIfAbsent(srv.name(), k -> new ArrayList<>()).add(tCurl);
                }
            }
        }
        Procs.deleteTree(layout);
        String size = mib + " MiB";
        for (var e : List.of(Map.entry("upload (JDK client)", up), Map.entry("download (JDK client)", down),
                Map.entry("download (curl)", curl))) {
            double o = Stats.median(e.getValue().get("ours"));
            double t = Stats.median(e.getValue().get("theirs"));
            if (Double.isNaN(o)) {
                continue; // no curl
            }
            report.figure("HTTP blob " + e.getKey() + " median " + size + ", ours", Stats.round(o, 3), "s", null,
                    new Report.Reference("docker-registry", Stats.round(t, 3)));
        }
        report.raw("httpUploadSeconds" + mib + "MiB", up).raw("httpDownloadSeconds" + mib + "MiB", down)
                .raw("curlDownloadSeconds" + mib + "MiB", curl)
                .note("HTTP blob figures: the servers' share of a transfer (one client process for both, no digest "
                        + "or disk write on the client side); the skopeo figures above are the issue's measure");
    }

    /** @return curl's own {@code time_total} for a GET whose body goes to /dev/null */
    private static double curlSeconds(String url, Path log) throws Exception {
        Procs.run(List.of(CURL.toString(), "-sS", "-f", "-o", "/dev/null", "-w", "%{time_total}\n", url), log,
                Duration.ofMinutes(2));
        List<String> lines = Files.readAllLines(log);
        return Double.parseDouble(lines.get(lines.size() - 1).trim());
    }

    /** @return the absolute upload location of a response with the expected status */
    private static String location(HttpResponse<Void> r, int expected, String base) {
        if (r.statusCode() != expected) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode()
                    + ", expected " + expected);
        }
        String loc = r.headers().firstValue("Location").orElse("");
        return loc.startsWith("http") ? loc : base + loc;
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
