package io.cocoplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Base64;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.local.demo.Demo;
import io.cocoplane.local.demo.Demo.Ctl;
import io.cocoplane.local.demo.LlmChatImage;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * JUnit 5 extension: ONE local stack per test JVM (free ports, a temporary directory), started lazily by the first
 * test class that asks for a {@link Stack} parameter (constructor, {@code @BeforeAll}, test method) and closed when the
 * root extension context closes (its store closes the value). The services' exec jars come from the system properties
 * the pom sets ({@code cocoplane.local.jar.<service>}). A stack that failed to start is not retried: every later class
 * fails with the same cause.
 */
public final class RunningStack implements ParameterResolver {

    /**
     * Class order of this module's tests ({@code junit-platform.properties}): the classes that use the shared stack
     * ({@code @ExtendWith(RunningStack.class)}) run last, the others first, each group by class name. The shared stack
     * lives until the end of the test run, so a class that starts and checks a stack of its own (LocalStackTest: "no
     * child process of the test JVM is left") must run before it starts.
     */
    public static final class UsersLast implements ClassOrderer {
        @Override
        public void orderClasses(ClassOrdererContext context) {
            context.getClassDescriptors().sort(Comparator
                    .comparing((ClassDescriptor d) -> usesStack(d.getTestClass()))
                    .thenComparing(d -> d.getTestClass().getName()));
        }

        private static boolean usesStack(Class<?> c) {
            ExtendWith e = c.getAnnotation(ExtendWith.class);
            return e != null && Arrays.asList(e.value()).contains(RunningStack.class);
        }
    }

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RunningStack.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Stack.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Holder h = context.getRoot().getStore(NAMESPACE).computeIfAbsent(Holder.class, k -> new Holder(),
                Holder.class);
        return h.stack();
    }

    /** The root-store value: starts the stack once, remembers a failed start, closes the stack with the store. */
    static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        private Stack stack;
        private RuntimeException failure;

        synchronized Stack stack() {
            if (failure != null) {
                throw new ParameterResolutionException("the shared local stack did not start", failure);
            }
            if (stack == null) {
                try {
                    stack = Stack.start();
                } catch (RuntimeException e) {
                    failure = e;
                    throw e;
                }
            }
            return stack;
        }

        @Override
        public synchronized void close() {
            if (stack != null) {
                stack.close();
            }
        }
    }

    /**
     * The image every integration class deploys: the demo's llm-chat OCI layout encrypted with the CoCo scheme by
     * {@code cococtl image encrypt} (KEK stored in the key broker) and pushed to the stack's registry.
     *
     * @param reference     {@code <registry>/<repository>:<tag>}
     * @param repository    repository name in the registry
     * @param tag           tag
     * @param keyName       KEK name ({@code default/image-kek/<keyName>})
     * @param keyId         the CoCo key id, {@code kbs:///default/image-kek/<keyName>}
     * @param plainLayout   the unencrypted OCI layout
     * @param encryptOutput cococtl's JSON answer
     */
    public record PushedImage(String reference, String repository, String tag, String keyName, String keyId,
                              Path plainLayout, JsonNode encryptOutput) {
        /** @return the KEK's resource path {@code default/image-kek/<keyName>} */
        public String kekPath() {
            return "default/image-kek/" + keyName;
        }
    }

    /** The running stack and what the integration classes do with it. */
    public static final class Stack implements AutoCloseable {
        private final LocalStack stack;
        private final Ports ports;
        private final StackPaths paths;
        private final Path root;
        private final Path work;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        private PushedImage image;
        private Throwable imageFailure;

        private Stack(LocalStack stack, Path root, Path work) {
            this.stack = stack;
            this.root = root;
            this.ports = stack.options().ports();
            this.paths = stack.options().paths();
            this.work = work;
        }

        static Stack start() {
            try {
                Path dir = Files.createTempDirectory("cocoplane-it-");
                StackPaths paths = new StackPaths(dir.resolve("local"));
                Map<ServiceName, Path> jars = new EnumMap<>(ServiceName.class);
                for (ServiceName s : ServiceName.values()) {
                    String p = System.getProperty("cocoplane.local.jar." + s.id());
                    if (p == null || p.isBlank()) {
                        throw new IllegalStateException("system property cocoplane.local.jar." + s.id()
                                + " is not set (the pom sets it for surefire)");
                    }
                    jars.put(s, Path.of(p));
                }
                LocalStack.Options d = LocalStack.Options.defaults(paths, Ports.free(), jars);
                LocalStack.Options o = new LocalStack.Options(paths, d.ports(), d.serviceJars(), d.classpath(),
                        d.java(), d.serviceJvmOptions(), d.kafkaJvmOptions(), Duration.ofSeconds(300), false);
                LocalStack s = LocalStack.start(o, (component, message) ->
                        System.out.println("[stack] " + component + ": " + message));
                return new Stack(s, dir, Files.createDirectories(dir.resolve("work")));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /** Stops the stack and deletes its temporary directory (data, logs, keys). */
        @Override
        public void close() {
            stack.close();
            try (var files = Files.walk(root)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                System.out.println("[stack] cannot delete " + root + ": " + e);
            }
        }

        /** @return the stack's ports */
        public Ports ports() {
            return ports;
        }

        /** @return the stack's directories */
        public StackPaths paths() {
            return paths;
        }

        /** @return a scratch directory for the tests */
        public Path work() {
            return work;
        }

        /** @return {@code http://127.0.0.1:<gateway>} */
        public String gateway() {
            return "http://127.0.0.1:" + ports.gateway();
        }

        /** @return {@code http://127.0.0.1:<keybroker>} */
        public String keybroker() {
            return "http://127.0.0.1:" + ports.keybroker();
        }

        /** @return the registry's {@code host:port} */
        public String registry() {
            return "127.0.0.1:" + ports.registry();
        }

        /** @return Kafka's {@code bootstrap.servers} */
        public String kafka() {
            return "127.0.0.1:" + ports.kafka();
        }

        /** @return JDBC URL of the stack's database (schemas: one per service) */
        public String jdbcUrl() {
            return "jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/" + ServiceConfig.DATABASE;
        }

        /** @return the development credentials */
        public DevCredentials credentials() {
            return stack.credentials();
        }

        /**
         * @param role {@code admin}, {@code deployer}, {@code auditor}, {@code kbs-admin}
         * @return the role's development bearer token
         */
        public String token(String role) {
            try {
                return Files.readString(stack.credentials().token(role)).strip();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * @param role whose token {@code cococtl} uses
         * @param args the command line ({@code --quiet} is added)
         * @return exit code and output of {@code cococtl} run in this JVM against the gateway ({@link Demo#cococtl})
         */
        public Ctl ctl(String role, String... args) {
            return Demo.cococtl(work, gateway(), token(role), args);
        }

        /**
         * Like {@link #ctl} but fails unless the exit code is 0.
         *
         * @return the run
         * @throws AssertionError naming the command and its output otherwise
         */
        public Ctl ctlOk(String role, String... args) {
            Ctl c = ctl(role, args);
            if (c.code() != 0) {
                throw new AssertionError("cococtl " + String.join(" ", args) + ": exit " + c.code() + "\nout: "
                        + c.out() + "\nerr: " + c.err());
            }
            return c;
        }

        /**
         * The shared encrypted image, built, encrypted and pushed on first use, with the sample reference values that
         * make the simulated guest's evidence {@code affirming} (as the demo registers them).
         *
         * @return the pushed image
         */
        public synchronized PushedImage pushedImage() {
            if (image != null) {
                return image;
            }
            if (imageFailure != null) {
                throw new IllegalStateException("the shared image could not be prepared", imageFailure);
            }
            try {
                Path layout = work.resolve("llm-chat-oci");
                LlmChatImage.write(layout);
                String repository = "it/llm-chat";
                String tag = "1";
                String reference = registry() + "/" + repository + ":" + tag;
                String keyName = "it-llm-chat-1";
                Ctl enc = ctlOk("admin", "image", "encrypt", "oci:" + layout + ":" + LlmChatImage.TAG, "--dest",
                        "docker://" + reference, "--key-name", keyName, "--plain-http", "--output", "json");
                referenceValue("launch_digest", List.of("abcde"));
                referenceValue("svn", List.of("1"));
                referenceValue("major_version", 1);
                referenceValue("minimum_minor_version", 4);
                image = new PushedImage(reference, repository, tag, keyName, "kbs:///default/image-kek/" + keyName,
                        layout, enc.json());
                return image;
            } catch (IOException e) {
                imageFailure = e;
                throw new UncheckedIOException(e);
            } catch (RuntimeException | AssertionError e) {
                imageFailure = e;
                throw e;
            }
        }

        private void referenceValue(String name, Object value) throws IOException {
            String payload = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(Map.of(name, value)));
            Path f = work.resolve("rv-" + name + ".json");
            Files.write(f, JSON.writeValueAsBytes(Map.of("version", "0.1.0", "type", "sample", "payload", payload)));
            ctlOk("admin", "refvalue", "put", name, "-f", f.toString());
        }

        /**
         * Deploys {@link #pushedImage()} as deployer with {@code workload deploy --wait} (TEE {@code coco-dev}).
         *
         * @param name      workload name
         * @param resources resource paths it may receive besides its image's KEK
         * @return the run; its {@link Ctl#json()} is the workload's last state
         */
        public Ctl deploy(String name, String... resources) {
            PushedImage img = pushedImage();
            List<String> args = new ArrayList<>(List.of("workload", "deploy", "--name", name, "--image",
                    img.reference(), "--tee", "coco-dev", "--resource", img.kekPath()));
            for (String r : resources) {
                args.addAll(List.of("--resource", r));
            }
            args.addAll(List.of("--wait", "--interval", "1s", "--wait-timeout", "3m", "--output", "json"));
            return ctl("deployer", args.toArray(String[]::new));
        }

        /**
         * @param workloadId a workload the orchestrator scheduled
         * @return the init-data of its pod, from the annotation in the simulated Kubernetes API
         */
        public InitDataDocument initData(String workloadId) {
            try (KubernetesClient k8s = kubernetes()) {
                List<Pod> pods = k8s.pods().inAnyNamespace().withLabel("cocoplane.io/workload-id", workloadId)
                        .list().getItems();
                if (pods.size() != 1) {
                    throw new AssertionError(pods.size() + " pods labelled with workload " + workloadId);
                }
                Map<String, String> a = pods.getFirst().getMetadata().getAnnotations();
                String value = a == null ? null : a.get(InitDataAnnotation.KEY);
                if (value == null) {
                    throw new AssertionError("pod of workload " + workloadId + " has no " + InitDataAnnotation.KEY);
                }
                return InitDataAnnotation.decode(value);
            }
        }

        /** @return a client of the simulated Kubernetes API (close it) */
        public KubernetesClient kubernetes() {
            try {
                return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(
                        Files.readString(paths.kubeconfig()))).build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * @param url           absolute URL
         * @param authorization {@code Authorization} header value, or null
         * @return the answer as text
         */
        public HttpResponse<String> get(String url, String authorization) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            try {
                return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }

        /** @return the shared HTTP client */
        public HttpClient http() {
            return http;
        }
    }
}
