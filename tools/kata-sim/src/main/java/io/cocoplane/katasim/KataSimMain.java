package io.cocoplane.katasim;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.cocoplane.initdata.InitDataAnnotation;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Standalone runner: {@code java -jar kata-sim-<version>-shaded.jar --kubeconfig ~/.kube/config ...}. Runs until
 * interrupted (SIGINT/SIGTERM), then closes the simulator. Exit codes: 0 after a clean stop, 1 on a usage or
 * configuration error.
 */
@Command(name = "kata-sim", mixinStandardHelpOptions = true,
        description = "Simulated Kata node: plays the CoCo guest (init-data, RCAR with sample evidence, KEK fetch, "
                + "layer decryption) for the Kata pods of a Kubernetes API server.")
public final class KataSimMain implements Callable<Integer> {

    @Option(names = "--kubeconfig", description = "kubeconfig file (default: fabric8 auto-configuration: "
            + "$KUBECONFIG, ~/.kube/config, in-cluster)")
    File kubeconfig;

    @Option(names = "--context", description = "kubeconfig context (default: current)")
    String context;

    @Option(names = {"-n", "--namespace"}, description = "namespace to watch (repeatable; default: default)")
    List<String> namespaces = List.of("default");

    @Option(names = "--runtime-classes", description = "regular expression of Kata runtime class names "
            + "(default: ${DEFAULT-VALUE})")
    String runtimeClasses = "kata.*";

    @Option(names = "--annotation-key", description = "init-data annotation key (default: ${DEFAULT-VALUE})")
    String annotationKey = InitDataAnnotation.KEY;

    @Option(names = "--registry-token-url", description = "Docker token endpoint, e.g. "
            + "http://127.0.0.1:8080/auth/token (needs --registry-user and --registry-password-file)")
    URI tokenUrl;

    @Option(names = "--registry-user", description = "Basic user for the token endpoint")
    String registryUser;

    @Option(names = "--registry-password-file", description = "file holding the Basic password (first line)")
    Path registryPasswordFile;

    @Option(names = "--allow-plain-http-loopback", description = "DEVELOPMENT: plain http to loopback registry, "
            + "token endpoint and KBS")
    boolean allowPlainHttp;

    @Option(names = "--tamper-file", description = "properties file <workload-name>=NONE|WRONG_INIT_DATA|"
            + "WRONG_MEASUREMENT, re-read for every pod")
    Path tamperFile;

    @Option(names = "--work-dir", description = "scratch directory for layers (default: ${DEFAULT-VALUE})")
    Path workDir = Path.of(System.getProperty("java.io.tmpdir"), "kata-sim");

    @Option(names = "--max-attempts", description = "start attempts per pod (default: ${DEFAULT-VALUE})")
    int maxAttempts = 5;

    @Option(names = "--backoff", description = "first back-off, doubled up to 5 min (ISO-8601, default: "
            + "${DEFAULT-VALUE})", converter = DurationConverter.class)
    Duration backoff = Duration.ofSeconds(10);

    @Option(names = "--request-timeout", description = "per HTTP request (ISO-8601, default: ${DEFAULT-VALUE})",
            converter = DurationConverter.class)
    Duration requestTimeout = Duration.ofSeconds(30);

    @Option(names = "--attempt-timeout", description = "per start attempt (ISO-8601, default: ${DEFAULT-VALUE})",
            converter = DurationConverter.class)
    Duration attemptTimeout = Duration.ofMinutes(2);

    @Option(names = "--node-name", description = "node name in events (default: ${DEFAULT-VALUE})")
    String nodeName = "kata-sim";

    /** Converts ISO-8601 durations ({@code PT10S}) and the short forms {@code 500ms}, {@code 10s}, {@code 2m}. */
    static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            String v = value.trim().toLowerCase(java.util.Locale.ROOT);
            if (v.matches("[0-9]{1,9}ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.matches("[0-9]{1,9}[smh]")) {
                long n = Long.parseLong(v.substring(0, v.length() - 1));
                return switch (v.charAt(v.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                };
            }
            return Duration.parse(value.trim().toUpperCase(java.util.Locale.ROOT));
        }
    }

    /**
     * @return the configuration these options describe
     * @throws IllegalArgumentException when the options are inconsistent or invalid
     * @throws IOException              when the password file cannot be read
     */
    KataNodeConfig config() throws IOException {
        KataNodeConfig.Builder b = KataNodeConfig.builder(workDir)
                .namespaces(namespaces)
                .kataRuntimeClasses(Pattern.compile(runtimeClasses))
                .initDataAnnotationKey(annotationKey)
                .allowPlainHttpToLoopback(allowPlainHttp)
                .maxAttempts(maxAttempts)
                .backoff(backoff, backoff.compareTo(Duration.ofMinutes(5)) > 0 ? backoff : Duration.ofMinutes(5))
                .requestTimeout(requestTimeout)
                .attemptTimeout(attemptTimeout)
                .nodeName(nodeName);
        if (tokenUrl != null) {
            if (registryUser == null || registryPasswordFile == null) {
                throw new IllegalArgumentException("--registry-token-url needs --registry-user and "
                        + "--registry-password-file");
            }
            if (Files.size(registryPasswordFile) > 4096) {
                throw new IllegalArgumentException("--registry-password-file is larger than 4096 bytes");
            }
            String password = Files.readString(registryPasswordFile, StandardCharsets.UTF_8).lines().findFirst()
                    .orElse("");
            b.registryAuth(RegistryAuth.tokenEndpoint(tokenUrl, registryUser, password));
        } else if (registryUser != null || registryPasswordFile != null) {
            throw new IllegalArgumentException("--registry-user/--registry-password-file need --registry-token-url");
        }
        if (tamperFile != null) {
            b.tamperPolicy(TamperPolicy.file(tamperFile));
        }
        return b.build();
    }

    @Override
    public Integer call() throws Exception {
        KataNodeConfig config;
        try {
            config = config();
        } catch (IllegalArgumentException | IOException e) {
            System.err.println("kata-sim: " + e.getMessage());
            return 1;
        }
        Config k8s = kubeconfig != null ? Config.fromKubeconfig(context, kubeconfig) : Config.autoConfigure(context);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                stopped.await(15, TimeUnit.SECONDS); // let the simulator close before the JVM exits
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "kata-sim-shutdown"));
        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(k8s).build();
             KataNodeSimulator sim = KataNodeSimulator.start(client, config)) {
            System.err.println("kata-sim: watching " + config.namespaces() + " on " + client.getMasterUrl()
                    + "; Ctrl-C to stop");
            stop.await();
            System.err.println("kata-sim: stopping; " + sim.stats());
        } finally {
            stopped.countDown();
        }
        return 0;
    }

    /**
     * @param args command line
     */
    public static void main(String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "kata-sim-logback.xml");
        }
        System.exit(new CommandLine(new KataSimMain()).execute(args));
    }
}
