package io.cocoplane.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.net.InetAddress;
import java.net.URI;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.EventingProperties;
import io.cocoplane.eventing.platform.PlainHttpGuard;
import io.cocoplane.eventing.platform.PlatformDefaults;
import io.cocoplane.orchestrator.OrchestratorProperties;
import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Checks {@code docker-compose.yml}, every {@code services/<service>/Dockerfile} and the kustomize base
 * {@code deploy/base} (plus its example {@code runtimeclasses/}) against the configuration the code really has (issue 9
 * section 4). The code's side is read, never restated: each service's {@code src/main/resources/application.*} (server
 * port, Flyway schema, keys), its {@code @ConfigurationProperties} records (by reflection, nested records, lists and
 * maps), the property names its sources read ({@code getProperty}, {@code containsProperty}, {@code ${...}}
 * placeholders, {@code @ConditionalOnProperty}), the Spring Boot configuration metadata on the class path
 * ({@code META-INF/spring-configuration-metadata.json}), {@link Topics}, {@link EventingProperties} defaults
 * (partitions), the consumer groups of {@code EventSubscription.group(...)} and {@link OrchestratorProperties} defaults
 * (runtime classes). {@link PlatformDefaults} and {@link PlainHttpGuard} run on each container's environment as they
 * would at start.
 *
 * <p>Per deployment it checks: all six services present; container, Service, health-check and {@code EXPOSE} ports
 * equal {@code server.port}; every environment variable maps by Spring's relaxed binding (both the dash-less and the
 * legacy dash-as-underscore forms, {@code _0_} list indexes, map keys) to a property the service has, so a misspelt
 * variable is a finding; every host:port a service is pointed at is a compose service / Kubernetes Service (or Strimzi
 * bootstrap, CloudNativePG read-write Service) that listens on that port; Kafka security settings match the Strimzi
 * listener and come from a KafkaUser; JDBC URLs name the database and the service's Flyway schema, credentials come
 * from a managed role's Secret; every topic created or named in an ACL is one of {@link Topics} (and all of them plus
 * their {@code .dlt} topics are created, with the code's partition count); consumer groups in ACLs are the code's;
 * files named by variables are mounted; config-tree files are properties; referenced ConfigMaps, Secrets (from {@code
 * deploy/base/secrets.template.yaml} or written by an operator), volumes and ServiceAccounts exist; the orchestrator's
 * namespaces have its RoleBinding. The fixtures under {@code src/test/resources/io/cocoplane/architecture/deployment/}
 * are deliberately wrong and show that each kind of finding is reported.
 */
class DeploymentConsistencyTest {

    /** The six services, each in {@code services/<name>}. */
    static final List<String> SERVICES = List.of("registry", "keybroker", "attestation", "orchestrator", "audit",
            "gateway");

    /** Environment variables that are no Spring property, and who reads them. */
    static final Map<String, String> NON_SPRING_VARIABLES = Map.of(
            "USE_SYSTEM_CA_CERTS", "the eclipse-temurin image entrypoint (adds /certificates/*.crt to the truststore)",
            "JAVA_TOOL_OPTIONS", "the JVM",
            "JDK_JAVA_OPTIONS", "the java launcher");

    /** Non-Spring variables only some services read (their library reads them). */
    static final Map<String, Set<String>> SERVICE_VARIABLES = Map.of("orchestrator", Set.of("KUBECONFIG"));

    private static final String FIXTURES =
            "tools/architecture-test/src/test/resources/io/cocoplane/architecture/deployment";
    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final Pattern ENV_NAME = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final Pattern TOPIC = Pattern.compile("coco\\.[a-z0-9.-]*[a-z0-9]");
    private static final Pattern FILE_PATH =
            Pattern.compile("/(run|etc|var|certificates|opt|srv|mnt|data|home|tmp)(/|$)");
    private static final Pattern HOST_PORT = Pattern.compile("([a-z0-9]([a-z0-9.-]*[a-z0-9])?):(\\d{1,5})");

    private static Path root;
    private static Code code;

    @BeforeAll
    static void readTheCode() {
        root = SharedTestData.projectRoot().orElseThrow(() -> new IllegalStateException(
                "no project root (a folder with mvnw) above " + Path.of("").toAbsolutePath()));
        code = Code.read(root);
    }

    @Test
    void theCodeSideIsReadAsExpected() {
        assertThat(code.services()).containsOnlyKeys(SERVICES);
        assertThat(code.services().get("registry").port()).isEqualTo(5000);
        assertThat(code.services().get("gateway").port()).isEqualTo(8080);
        assertThat(code.services().get("keybroker").schema()).isEqualTo("keybroker");
        assertThat(code.topics()).hasSize(2 * Topics.ALL.size()).contains("coco.key.events.dlt");
        assertThat(code.partitions()).isEqualTo(6);
        assertThat(code.services().get("audit").groups()).containsExactly("audit");
        assertThat(code.runtimeClasses()).contains("kata-qemu-snp", "kata-qemu-tdx", "kata-qemu-coco-dev");
    }

    @Test
    void relaxedBindingIsFollowedAsSpringDoes() {
        Properties keybroker = code.services().get("keybroker").properties();
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_MASTER_KEY_KEY_FILES_K1")).isTrue();   // legacy, map key
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_MASTERKEY_KEYFILES_K1")).isTrue();     // dash-less form
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_MASTERKEY_KEY_FILES_K1")).isFalse();   // mixed: Spring won't
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_ADMIN_PROVIDERS_0_PUBLIC_KEY_FILE")).isTrue();
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_ADMIN_PROVIDERS_X_PUBLIC_KEY_FILE")).isFalse();
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_ATTESTATION_URL")).isTrue();
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_ATTESTATION_URI")).isFalse();
        assertThat(keybroker.bindsEnv("COCOPLANE_KEYBROKER_ATTESTATION")).isFalse();              // a group, no value
        assertThat(keybroker.bindsEnv("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).isTrue();      // Boot map property
        assertThat(keybroker.bindsEnv("SPRING_DATASOURCE_URLL")).isFalse();
        assertThat(keybroker.bindsEnv("COCOPLANE_EVENTING_CREATE_TOPICS")).isTrue();              // libs/eventing
        assertThat(keybroker.bindsEnv("COCOPLANE_TLS_PRIVATE_KEY")).isTrue();                     // read by the code
        assertThat(keybroker.bindsEnv("COCOPLANE_REGISTRY_STORAGE_ROOT")).isFalse();              // another service's
        Properties gateway = code.services().get("gateway").properties();
        assertThat(gateway.bindsDotted("cocoplane.gateway.keybroker-admin.private-key")).isTrue();
        assertThat(gateway.bindsDotted("cocoplane.gateway.keybroker-admin.privat-key")).isFalse();
    }

    @Test
    void composeMatchesTheCode() {
        assertThat(ComposeCheck.check(readYaml(root.resolve("docker-compose.yml")), code, root)).isEmpty();
    }

    @Test
    void dockerfilesMatchTheCode() {
        List<String> problems = new ArrayList<>();
        for (String s : SERVICES) {
            problems.addAll(dockerfileProblems(s, root.resolve("services").resolve(s).resolve("Dockerfile"),
                    code.services().get(s).port()));
        }
        assertThat(problems).isEmpty();
    }

    @Test
    void kustomizeBaseMatchesTheCode() {
        Path base = root.resolve("deploy/base");
        assertThat(KubeCheck.check(kustomization(base), readYamlDocuments(base.resolve("secrets.template.yaml")), code))
                .isEmpty();
    }

    @Test
    void exampleRuntimeClassesAreTheOrchestratorsDefaults() {
        List<JsonNode> classes = kustomization(root.resolve("deploy/base/runtimeclasses"));
        assertThat(classes).allSatisfy(rc -> {
            assertThat(rc.path("kind").asString()).isEqualTo("RuntimeClass");
            assertThat(rc.path("handler").asString()).isEqualTo(rc.path("metadata").path("name").asString());
        });
        assertThat(classes.stream().map(rc -> rc.path("metadata").path("name").asString()))
                .containsExactlyInAnyOrderElementsOf(code.runtimeClasses());
    }

    @Test
    void aWrongComposeFileIsRejected() {
        List<String> problems = ComposeCheck.check(readYaml(root.resolve(FIXTURES).resolve("bad-compose.yml")), code,
                root);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("audit").contains("missing"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("SPRING_DATASOURCE_URLL")
                .contains("binds to no property"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("registry").contains("5001")
                .contains("server.port 5000"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("broker:9092").contains("no compose service"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("gateway:9999").contains("listens on [8080]"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("coco.workload.event ").contains("not a topic"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("coco.key.events.dlt").contains("never created"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("currentSchema=keybroker")
                .contains("flyway schema is registry"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("gateway").contains("loopback"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("keybroker").contains("refusing to serve plain"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("/run/secrets/cocoplane/master-k1.key")
                .contains("not mounted"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("depends_on postgres").contains("condition"));
    }

    @Test
    void aWrongKustomizeBaseIsRejected() {
        Path bad = root.resolve(FIXTURES).resolve("bad-kustomize");
        List<String> problems = KubeCheck.check(kustomization(bad), readYamlDocuments(bad.resolve("secrets.yaml")),
                code);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Deployment gateway").contains("missing"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("COCOPLANE_REGISTRY_STORAGE_ROT")
                .contains("binds to no property"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("containerPort 5001").contains("5000"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Service registry").contains("port 5001"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("coco.key.event ").contains("not a topic"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("Secret registry-keys").contains("no such"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("readinessProbe").contains("/actuator/health"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("kafka-bootstrap").contains("no Kafka"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("attestation.cocoplane.svc:8082")
                .contains("no Service attestation"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("runAsNonRoot"));
    }

    @Test
    void aWrongDockerfileIsRejected() {
        List<String> problems = dockerfileProblems("registry", root.resolve(FIXTURES).resolve("bad.Dockerfile"), 5000);
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("EXPOSE [5001]"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("root"));
        assertThat(problems).anySatisfy(p -> assertThat(p).contains("HEALTHCHECK"));
    }

    // ---------------------------------------------------------------- the code's configuration

    /**
     * What the code says.
     *
     * @param services       per service name
     * @param topics         every catalogue topic and its dead-letter topic
     * @param partitions     default partitions per topic ({@link EventingProperties})
     * @param runtimeClasses RuntimeClass names the orchestrator maps TEE kinds to by default
     */
    record Code(Map<String, Service> services, Set<String> topics, int partitions, Set<String> runtimeClasses) {

        static Code read(Path root) {
            Properties boot = Properties.bootMetadata();
            Map<String, Service> services = new LinkedHashMap<>();
            for (String s : SERVICES) {
                services.put(s, Service.read(root, s, boot));
            }
            Set<String> topics = new TreeSet<>(Topics.ALL);
            Topics.ALL.forEach(t -> topics.add(Topics.deadLetter(t)));
            EventingProperties eventing = withNulls(EventingProperties.class);
            OrchestratorProperties orchestrator = withNulls(OrchestratorProperties.class);
            return new Code(services, topics, eventing.partitions(),
                    new TreeSet<>(orchestrator.runtimeClasses().values()));
        }
    }

    /**
     * One service as its code configures it.
     *
     * @param name       service name
     * @param port       {@code server.port} of its application config
     * @param schema     {@code spring.flyway.default-schema}
     * @param properties every property it has
     * @param groups     its Kafka consumer groups
     */
    record Service(String name, int port, String schema, Properties properties, Set<String> groups) {

        private static final Pattern CONFIG_PROPS = Pattern.compile(
                "@ConfigurationProperties\\(\\s*(?:(?:prefix|value)\\s*=\\s*)?\"([^\"]+)\"");
        private static final List<Pattern> READS = List.of(
                Pattern.compile("(?:getProperty|containsProperty)\\(\\s*\"([a-z][a-z0-9.\\-]*)\""),
                Pattern.compile("\\$\\{([a-z][a-z0-9.\\-]*)"),
                Pattern.compile("@ConditionalOnProperty\\([^)]*name\\s*=\\s*\"([a-z][a-z0-9.\\-]*)\""));
        private static final Pattern GROUP =
                Pattern.compile("EventSubscription\\.group\\(\\s*(\"[^\"]+\"|\\w+)\\s*\\)");

        static Service read(Path root, String name, Properties boot) {
            Path module = root.resolve("services").resolve(name);
            Map<String, String> config = applicationConfig(module.resolve("src/main/resources"));
            Properties props = boot.copy();
            config.keySet().forEach(k -> props.addDotted(k, Properties.Kind.SCALAR));
            List<Path> sources = new ArrayList<>(List.of(module.resolve("src/main/java")));
            if (text(module.resolve("pom.xml")).contains("<artifactId>eventing</artifactId>")) {
                sources.add(root.resolve("libs/eventing/src/main/java"));
            }
            Set<String> groups = new TreeSet<>();
            for (Path src : sources) {
                for (Path file : javaFiles(src)) {
                    String text = withoutBlockComments(text(file));
                    Matcher m = CONFIG_PROPS.matcher(text);
                    if (m.find()) {
                        String cls = src.relativize(file).toString().replace('/', '.').replaceAll("\\.java$", "");
                        props.addRecord(m.group(1), load(cls));
                    }
                    for (Pattern p : READS) {
                        Matcher r = p.matcher(text);
                        while (r.find()) {
                            props.addDotted(r.group(1), Properties.Kind.SCALAR);
                        }
                    }
                    Matcher g = GROUP.matcher(text);
                    while (g.find()) {
                        groups.add(g.group(1).startsWith("\"") ? g.group(1).replace("\"", "")
                                : constant(sources, g.group(1)));
                    }
                }
            }
            String port = config.get("server.port");
            String schema = config.get("spring.flyway.default-schema");
            if (port == null || schema == null) {
                throw new IllegalStateException(name + ": no server.port or spring.flyway.default-schema in " + module);
            }
            return new Service(name, Integer.parseInt(port), schema, props, groups);
        }

        /** Drops Javadoc and block comments, whose examples are no configuration. */
        private static String withoutBlockComments(String java) {
            return java.replaceAll("(?s)/\\*.*?\\*/", "");
        }

        private static String constant(List<Path> sources, String name) {
            Pattern def = Pattern.compile("\\b" + Pattern.quote(name) + "\\s*=\\s*\"([^\"]+)\"");
            return sources.stream().flatMap(s -> javaFiles(s).stream()).map(DeploymentConsistencyTest::text)
                    .map(Service::withoutBlockComments).map(def::matcher).filter(Matcher::find)
                    .map(m -> m.group(1)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no string constant " + name));
        }

        private static Class<?> load(String cls) {
            try {
                return Class.forName(cls);
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("properties class " + cls + " is not on the test class path", e);
            }
        }
    }

    /** Flattened keys of {@code application.yml}/{@code .yaml}/{@code .properties} in a resources folder. */
    static Map<String, String> applicationConfig(Path resources) {
        Map<String, String> flat = new TreeMap<>();
        for (String ext : List.of("yml", "yaml")) {
            Path f = resources.resolve("application." + ext);
            if (Files.exists(f)) {
                flatten("", readYaml(f), flat);
            }
        }
        Path p = resources.resolve("application.properties");
        if (Files.exists(p)) {
            java.util.Properties props = new java.util.Properties();
            try (InputStream in = Files.newInputStream(p)) {
                props.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            props.forEach((k, v) -> flat.put(k.toString(), v.toString()));
        }
        return flat;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(),
                    e.getValue(), out));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(prefix + "[" + i + "]", node.get(i), out);
            }
        } else if (!node.isNull()) {
            out.put(prefix, node.asString());
        }
    }

    /**
     * The properties one service has, as a tree of kebab-case name segments, and Spring's environment-variable
     * mapping onto it ({@code SystemEnvironmentPropertyMapper}: upper case, {@code _} for {@code .}, dashes either
     * removed or, in the legacy form, {@code _} too, the same form for the whole name; {@code _<n>_} list indexes; map
     * keys lower-cased with {@code .} for {@code _}).
     */
    static final class Properties {

        enum Kind { SCALAR, LIST, MAP }

        private final Node root;

        private Properties(Node root) {
            this.root = root;
        }

        /** Every property of the Spring Boot configuration metadata on the class path. */
        static Properties bootMetadata() {
            Properties p = new Properties(new Node());
            JsonMapper json = JsonMapper.builder().build();
            for (String resource : List.of("META-INF/spring-configuration-metadata.json",
                    "META-INF/additional-spring-configuration-metadata.json")) {
                try {
                    Enumeration<URL> urls = DeploymentConsistencyTest.class.getClassLoader().getResources(resource);
                    while (urls.hasMoreElements()) {
                        try (InputStream in = urls.nextElement().openStream()) {
                            for (JsonNode prop : json.readTree(in).path("properties")) {
                                String type = prop.path("type").asString("");
                                p.addDotted(prop.path("name").asString(), type.startsWith("java.util.Map<") ? Kind.MAP
                                        : type.startsWith("java.util.List<") || type.startsWith("java.util.Set<")
                                                || type.endsWith("[]") ? Kind.LIST : Kind.SCALAR);
                            }
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            if (p.root.children.isEmpty()) {
                throw new IllegalStateException("no Spring Boot configuration metadata on the test class path");
            }
            return p;
        }

        Properties copy() {
            return new Properties(root.copy());
        }

        /** Adds {@code a.b[0].c}-style names. */
        void addDotted(String name, Kind kind) {
            Node n = root;
            for (String seg : name.split("\\.")) {
                Matcher idx = Pattern.compile("^([^\\[]*)((?:\\[[^]]*])*)$").matcher(seg);
                if (!idx.matches()) {
                    return;
                }
                n = n.child(idx.group(1).toLowerCase(Locale.ROOT));
                for (int i = 0; i < idx.group(2).chars().filter(c -> c == '[').count(); i++) {
                    n = n.element();
                }
            }
            n.leaf = true;
            if (kind == Kind.MAP) {
                n.leaf = false;
                n.anyKey = true;
            } else if (kind == Kind.LIST) {
                n.element().leaf = true;
            }
        }

        /** Adds the components of a {@code @ConfigurationProperties} record under its prefix. */
        void addRecord(String prefix, Class<?> type) {
            Node n = root;
            for (String seg : prefix.split("\\.")) {
                n = n.child(seg);
            }
            addType(n, type);
        }

        private static void addType(Node n, Type type) {
            Class<?> raw = raw(type);
            if (Map.class.isAssignableFrom(raw)) {
                Type value = arg(type, 1);
                if (isStructured(value)) {
                    n.mapValue = n.mapValue == null ? new Node() : n.mapValue;
                    addType(n.mapValue, value);
                } else {
                    n.anyKey = true;
                }
            } else if (Collection.class.isAssignableFrom(raw) || raw.isArray()) {
                n.leaf = true;
                addType(n.element(), raw.isArray() ? raw.getComponentType() : arg(type, 0));
            } else if (isStructured(type)) {
                for (RecordComponent c : raw.getRecordComponents()) {
                    addType(n.child(kebab(c.getName())), c.getGenericType());
                }
            } else {
                n.leaf = true;
            }
        }

        private static boolean isStructured(Type t) {
            Class<?> raw = raw(t);
            return raw.isRecord() && raw.getName().startsWith("io.cocoplane.");
        }

        private static Class<?> raw(Type t) {
            return t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : t instanceof Class<?> c ? c
                    : Object.class;
        }

        private static Type arg(Type t, int i) {
            return t instanceof ParameterizedType p ? p.getActualTypeArguments()[i] : Object.class;
        }

        private static String kebab(String camel) {
            return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
        }

        /** @return whether Spring binds this environment variable to one of the properties */
        boolean bindsEnv(String variable) {
            if (!ENV_NAME.matcher(variable).matches() || variable.contains("__") || variable.endsWith("_")) {
                return false;
            }
            String[] tokens = variable.toLowerCase(Locale.ROOT).split("_");
            return matches(root, tokens, 0, false) || matches(root, tokens, 0, true);
        }

        /** @return whether a dotted name ({@code a.b-c.d}, e.g. a config-tree file name) is one of the properties */
        boolean bindsDotted(String name) {
            String env = name.replace("-", "").replaceAll("\\[(\\d+)]", ".$1").replace('.', '_')
                    .toUpperCase(Locale.ROOT);
            return bindsEnv(env);
        }

        private static boolean matches(Node n, String[] t, int i, boolean legacy) {
            if (i == t.length) {
                return n.leaf;
            }
            if (n.anyKey) {
                return true;
            }
            if (n.element != null && t[i].chars().allMatch(Character::isDigit)
                    && matches(n.element, t, i + 1, legacy)) {
                return true;
            }
            if (n.mapValue != null) {
                for (int j = i + 1; j <= t.length; j++) {
                    if (matches(n.mapValue, t, j, legacy)) {
                        return true;
                    }
                }
            }
            for (Map.Entry<String, Node> e : n.children.entrySet()) {
                String[] parts = legacy ? e.getKey().split("-") : new String[] {e.getKey().replace("-", "")};
                if (i + parts.length <= t.length && Arrays.equals(parts, 0, parts.length, t, i, i + parts.length)
                        && matches(e.getValue(), t, i + parts.length, legacy)) {
                    return true;
                }
            }
            return false;
        }

        private static final class Node {
            final Map<String, Node> children = new TreeMap<>();
            boolean leaf;
            boolean anyKey;
            Node element;
            Node mapValue;

            Node child(String name) {
                return children.computeIfAbsent(name, k -> new Node());
            }

            Node element() {
                element = element == null ? new Node() : element;
                return element;
            }

            Node copy() {
                Node c = new Node();
                c.leaf = leaf;
                c.anyKey = anyKey;
                c.element = element == null ? null : element.copy();
                c.mapValue = mapValue == null ? null : mapValue.copy();
                children.forEach((k, v) -> c.children.put(k, v.copy()));
                return c;
            }
        }
    }

    // ---------------------------------------------------------------- checks shared by compose and Kubernetes

    /**
     * One container's environment as deployed: literal values, {@code null} for values from a Secret.
     *
     * @param where     for messages, e.g. {@code compose: registry}
     * @param service   the service's code configuration
     * @param variables name to value
     */
    record Container(String where, Service service, Map<String, String> variables) {

        /** Unknown variables, and what PlatformDefaults and PlainHttpGuard make of this environment. */
        List<String> environmentProblems() {
            List<String> problems = new ArrayList<>();
            Set<String> extra = SERVICE_VARIABLES.getOrDefault(service.name(), Set.of());
            variables.keySet().stream()
                    .filter(v -> !NON_SPRING_VARIABLES.containsKey(v) && !extra.contains(v))
                    .filter(v -> !service.properties().bindsEnv(v))
                    .forEach(v -> problems.add(where + " sets " + v + ", which binds to no property of "
                            + service.name() + " (its application config, @ConfigurationProperties records, the "
                            + "properties its code reads or Spring Boot's metadata)"));
            StandardEnvironment env = environment();
            String address = env.getProperty("server.address", "");
            if (loopback(address)) {
                problems.add(where + " binds " + address + " (PlatformDefaults: 127.0.0.1 unless server.address is "
                        + "set): other containers cannot reach it through the loopback address");
            }
            try {
                PlainHttpGuard.check(env);
            } catch (IllegalStateException e) {
                problems.add(where + ": PlainHttpGuard would stop the start: " + e.getMessage());
            }
            return problems;
        }

        /** @return whether the service serves HTTPS (PlatformDefaults' SSL bundle) */
        boolean tls() {
            return environment().containsProperty("server.ssl.bundle");
        }

        private StandardEnvironment environment() {
            StandardEnvironment env = new StandardEnvironment();
            env.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
            env.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
            Map<String, Object> values = new HashMap<>();
            variables.forEach((k, v) -> values.put(k, v == null ? "<from a Secret>" : v));
            env.getPropertySources().addFirst(new SystemEnvironmentPropertySource("deployment", values));
            new PlatformDefaults().postProcessEnvironment(env, null);
            return env;
        }

        private static boolean loopback(String address) {
            try {
                return InetAddress.getByName(address).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }
    }

    /** Host and port a value points at: a URL, {@code host:port}, or each entry of a comma-separated list of these. */
    static List<Endpoint> endpoints(String value) {
        List<Endpoint> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        for (String part : value.split(",")) {
            String v = part.trim();
            if (v.startsWith("jdbc:")) {
                v = v.substring(5);
            }
            if (v.matches("(?i)[a-z][a-z0-9+.-]*://.*")) {
                URI u = URI.create(v);
                if (u.getHost() != null) {
                    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
                    int port = u.getPort() != -1 ? u.getPort() : "https".equals(scheme) ? 443
                            : "http".equals(scheme) ? 80 : -1;
                    out.add(new Endpoint(part.trim(), u.getHost(), port));
                }
            } else {
                Matcher m = HOST_PORT.matcher(v);
                if (m.matches() && m.group(1).chars().anyMatch(Character::isLetter)) {
                    out.add(new Endpoint(v, m.group(1), Integer.parseInt(m.group(3))));
                }
            }
        }
        return out;
    }

    /**
     * @param value the configured value
     * @param host  host name
     * @param port  port ({@code -1} when none can be derived)
     */
    record Endpoint(String value, String host, int port) {
        boolean placeholder() {
            return host.endsWith(".invalid");
        }
    }

    /** JDBC URL parts. */
    record Jdbc(String host, int port, String database, Map<String, String> params) {
        static Optional<Jdbc> parse(String url) {
            Matcher m = Pattern.compile("jdbc:postgresql://([^:/?]+)(?::(\\d+))?/([^?]+)(?:\\?(.*))?").matcher(
                    url == null ? "" : url);
            if (!m.matches()) {
                return Optional.empty();
            }
            Map<String, String> params = new LinkedHashMap<>();
            if (m.group(4) != null) {
                for (String kv : m.group(4).split("&")) {
                    String[] p = kv.split("=", 2);
                    params.put(p[0], p.length > 1 ? p[1] : "");
                }
            }
            return Optional.of(new Jdbc(m.group(1), m.group(2) == null ? 5432 : Integer.parseInt(m.group(2)),
                    m.group(3), params));
        }
    }

    /**
     * Absolute file paths a value names ({@code /x}, {@code file:/x}, {@code configtree:/x/}, {@code sslrootcert=/x} in
     * a JDBC URL) below the usual file-system roots; other values that start with {@code /} (a CloudEvents source, a
     * URL path) are no files.
     */
    static List<String> paths(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        Jdbc.parse(value).ifPresent(j -> j.params().entrySet().stream()
                .filter(e -> e.getKey().startsWith("ssl") && e.getValue().startsWith("/"))
                .forEach(e -> out.add(e.getValue())));
        for (String part : value.split(",")) {
            String v = part.trim().replaceFirst("^optional:", "").replaceFirst("^(file|configtree):", "");
            if (FILE_PATH.matcher(v).lookingAt()) {
                out.add(v.endsWith("/") && v.length() > 1 ? v.substring(0, v.length() - 1) : v);
            }
        }
        return out;
    }

    /** Config-tree folders of {@code SPRING_CONFIG_IMPORT}. */
    static List<String> configTrees(Map<String, String> variables) {
        String imports = variables.get("SPRING_CONFIG_IMPORT");
        if (imports == null) {
            return List.of();
        }
        return Arrays.stream(imports.split(",")).map(String::trim).map(s -> s.replaceFirst("^optional:", ""))
                .filter(s -> s.startsWith("configtree:")).map(s -> s.substring("configtree:".length()))
                .map(s -> s.endsWith("/") ? s.substring(0, s.length() - 1) : s).toList();
    }

    /** Mounted files and folders of one container. */
    record Mounts(Set<String> files, Set<String> folders) {
        boolean covers(String path) {
            return files.contains(path) || files.stream().anyMatch(f -> f.startsWith(path + "/"))
                    || folders.stream().anyMatch(f -> path.equals(f) || path.startsWith(f + "/"));
        }

        /** @return names of the files directly in a folder */
        Set<String> filesIn(String folder) {
            return files.stream().filter(f -> f.startsWith(folder + "/"))
                    .map(f -> f.substring(folder.length() + 1)).filter(f -> !f.contains("/"))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static void checkFilesAndConfigTrees(Container c, Mounts mounts, List<String> problems) {
        c.variables().forEach((name, value) -> paths(value).stream().filter(p -> !mounts.covers(p))
                .forEach(p -> problems.add(c.where() + ": " + name + " names " + p + ", which is not mounted")));
        for (String tree : configTrees(c.variables())) {
            Set<String> files = mounts.filesIn(tree);
            if (files.isEmpty()) {
                problems.add(c.where() + ": config tree " + tree + " has no file mounted");
            }
            files.stream().filter(f -> !c.service().properties().bindsDotted(f.replace('/', '.')))
                    .forEach(f -> problems.add(c.where() + ": config-tree file " + tree + "/" + f
                            + " binds to no property of " + c.service().name()));
        }
    }

    static void checkTopics(String where, Collection<String> named, Collection<String> created, Code code,
                            List<String> problems) {
        named.stream().filter(t -> !code.topics().contains(t)).distinct()
                .forEach(t -> problems.add(where + ": " + t + " is not a topic of contracts Topics (or its .dlt)"));
        code.topics().stream().filter(t -> !created.contains(t))
                .forEach(t -> problems.add(where + ": topic " + t + " is never created"));
    }

    // ---------------------------------------------------------------- docker-compose.yml

    /** Checks a compose file; every finding is one message. */
    static final class ComposeCheck {

        static List<String> check(JsonNode compose, Code code, Path root) {
            List<String> problems = new ArrayList<>();
            JsonNode services = compose.path("services");
            Map<Integer, String> published = new HashMap<>();
            services.properties().forEach(e -> containerPorts(e.getValue(), published, e.getKey()));
            for (String name : SERVICES) {
                JsonNode svc = services.path(name);
                if (svc.isMissingNode()) {
                    problems.add("compose: service " + name + " is missing");
                    continue;
                }
                Service service = code.services().get(name);
                String where = "compose: " + name;
                Set<Integer> ports = containerPorts(svc, new HashMap<>(), name);
                if (!ports.equals(Set.of(service.port()))) {
                    problems.add(where + " publishes container ports " + ports + ", not server.port " + service.port());
                }
                String context = svc.path("build").path("context").asString("");
                if (!context.equals("services/" + name)
                        || !Files.exists(root.resolve(context).resolve(svc.path("build").path("dockerfile")
                        .asString("Dockerfile")))) {
                    problems.add(where + " is not built from services/" + name + "/Dockerfile");
                }
                Container c = new Container(where, service, environment(svc));
                problems.addAll(c.environmentProblems());
                String health = svc.path("healthcheck").path("test").toString();
                String scheme = c.tls() ? "https" : "http";
                if (!health.contains(scheme + "://127.0.0.1:" + service.port() + "/actuator/health/readiness")) {
                    problems.add(where + " has no health check on " + scheme + "://127.0.0.1:" + service.port()
                            + "/actuator/health/readiness");
                }
                checkDependencies(where, svc, services, c, problems);
                c.variables().forEach((var, value) -> endpoints(value).forEach(ep ->
                        checkEndpoint(where + " " + var, ep, services, published, problems)));
                Jdbc.parse(c.variables().get("SPRING_DATASOURCE_URL")).ifPresentOrElse(j -> {
                    String db = services.path(j.host()).path("environment").path("POSTGRES_DB").asString("");
                    if (!j.database().equals(db)) {
                        problems.add(where + " uses database " + j.database() + ", but " + j.host() + " creates '"
                                + db + "'");
                    }
                    if (!service.schema().equals(j.params().get("currentSchema"))) {
                        problems.add(where + " connects with currentSchema=" + j.params().get("currentSchema")
                                + ", but its flyway schema is " + service.schema());
                    }
                }, () -> problems.add(where + " sets no jdbc:postgresql SPRING_DATASOURCE_URL"));
                checkFilesAndConfigTrees(c, mounts(svc), problems);
            }
            List<String> named = new ArrayList<>();
            List<String> created = new ArrayList<>();
            services.properties().forEach(e -> {
                String command = e.getValue().path("command").toString() + e.getValue().path("entrypoint");
                if (command.contains("kafka-topics") && command.contains("--create")) {
                    Matcher t = TOPIC.matcher(command);
                    while (t.find()) {
                        named.add(t.group());
                        created.add(t.group());
                    }
                    Matcher p = Pattern.compile("--partitions[ =](\\d+)").matcher(command);
                    if (!p.find() || Integer.parseInt(p.group(1)) != code.partitions()) {
                        problems.add("compose: " + e.getKey() + " does not create topics with " + code.partitions()
                                + " partitions (cocoplane.eventing.partitions)");
                    }
                }
            });
            checkTopics("compose", named, created, code, problems);
            return problems;
        }

        private static void checkDependencies(String where, JsonNode svc, JsonNode services, Container c,
                                              List<String> problems) {
            JsonNode deps = svc.path("depends_on");
            if (!deps.isObject()) {
                problems.add(where + " has no depends_on with conditions");
                return;
            }
            deps.properties().forEach(d -> {
                String condition = d.getValue().path("condition").asString("");
                if (services.path(d.getKey()).isMissingNode()) {
                    problems.add(where + " depends_on " + d.getKey() + ", which is no compose service");
                } else if (!Set.of("service_healthy", "service_completed_successfully").contains(condition)) {
                    problems.add(where + " depends_on " + d.getKey() + " without a healthy/completed condition");
                }
            });
            Jdbc.parse(c.variables().get("SPRING_DATASOURCE_URL")).map(Jdbc::host).ifPresent(db -> {
                if (!"service_healthy".equals(deps.path(db).path("condition").asString(""))) {
                    problems.add(where + " does not wait for its database " + db + " (service_healthy)");
                }
            });
            boolean waitsForTopics = false;
            for (Map.Entry<String, JsonNode> d : deps.properties()) {
                String command = services.path(d.getKey()).path("command").toString();
                waitsForTopics |= command.contains("kafka-topics")
                        && "service_completed_successfully".equals(d.getValue().path("condition").asString(""));
            }
            if (!waitsForTopics) {
                problems.add(where + " does not wait for the topics to be created (service_completed_successfully)");
            }
        }

        private static void checkEndpoint(String where, Endpoint ep, JsonNode services, Map<Integer, String> published,
                                          List<String> problems) {
            if (ep.placeholder()) {
                return;
            }
            if (Container.loopback(ep.host())) {
                if (!published.containsKey(ep.port())) {
                    problems.add(where + " points at " + ep.value() + ": no compose service publishes host port "
                            + ep.port());
                }
                return;
            }
            JsonNode target = services.path(ep.host());
            if (target.isMissingNode()) {
                problems.add(where + " points at " + ep.value() + ": there is no compose service " + ep.host());
                return;
            }
            Set<Integer> listens = listening(ep.host(), target);
            if (!listens.contains(ep.port())) {
                problems.add(where + " points at " + ep.value() + ", but " + ep.host() + " listens on " + listens);
            }
        }

        /** Container ports of a service: published, exposed, or advertised by a Kafka broker under its own name. */
        private static Set<Integer> listening(String name, JsonNode svc) {
            Set<Integer> ports = containerPorts(svc, new HashMap<>(), name);
            svc.path("expose").forEach(p -> ports.add(Integer.parseInt(p.asString().replaceAll("/.*", ""))));
            String advertised = svc.path("environment").path("KAFKA_ADVERTISED_LISTENERS").asString("");
            endpoints(advertised).stream().filter(e -> e.host().equals(name)).forEach(e -> ports.add(e.port()));
            return ports;
        }

        private static Set<Integer> containerPorts(JsonNode svc, Map<Integer, String> published, String name) {
            Set<Integer> ports = new TreeSet<>();
            for (JsonNode p : svc.path("ports")) {
                if (p.isObject()) {
                    ports.add(p.path("target").asInt());
                    if (p.has("published")) {
                        published.put(p.path("published").asInt(), name);
                    }
                    continue;
                }
                String[] parts = p.asString().replaceAll("/(tcp|udp)$", "").split(":");
                ports.add(Integer.parseInt(parts[parts.length - 1]));
                if (parts.length > 1) {
                    published.put(Integer.parseInt(parts[parts.length - 2]), name);
                }
            }
            return ports;
        }

        private static Map<String, String> environment(JsonNode svc) {
            Map<String, String> env = new TreeMap<>();
            JsonNode e = svc.path("environment");
            if (e.isObject()) {
                e.properties().forEach(p -> env.put(p.getKey(), p.getValue().isNull() ? null
                        : p.getValue().asString().replace("$$", "$")));
            } else {
                e.forEach(p -> {
                    String[] kv = p.asString().split("=", 2);
                    env.put(kv[0], kv.length > 1 ? kv[1].replace("$$", "$") : null);
                });
            }
            return env;
        }

        private static Mounts mounts(JsonNode svc) {
            Set<String> files = new TreeSet<>();
            Set<String> folders = new TreeSet<>();
            for (JsonNode v : svc.path("volumes")) {
                String source;
                String target;
                if (v.isObject()) {
                    source = v.path("source").asString("");
                    target = v.path("target").asString("");
                } else {
                    String[] parts = v.asString().split(":");
                    source = parts.length > 1 ? parts[0] : "";
                    target = parts.length > 1 ? parts[1] : parts[0];
                }
                // a bind mount is a file or a folder: both; a named volume is a folder
                if (source.startsWith(".") || source.startsWith("/")) {
                    files.add(target);
                }
                folders.add(target);
            }
            svc.path("tmpfs").forEach(t -> folders.add(t.asString().split(":")[0]));
            return new Mounts(files, folders);
        }
    }

    // ---------------------------------------------------------------- Dockerfiles

    static List<String> dockerfileProblems(String service, Path dockerfile, int port) {
        List<String> problems = new ArrayList<>();
        if (!Files.exists(dockerfile)) {
            return List.of(dockerfile + " is missing");
        }
        String text = text(dockerfile).replaceAll("\\\\\\n", " ");
        Set<Integer> exposed = new TreeSet<>();
        Matcher e = Pattern.compile("(?m)^EXPOSE\\s+(.+)$").matcher(text);
        while (e.find()) {
            Arrays.stream(e.group(1).trim().split("\\s+")).map(p -> p.replaceAll("/.*", ""))
                    .forEach(p -> exposed.add(Integer.parseInt(p)));
        }
        if (!exposed.equals(Set.of(port))) {
            problems.add(dockerfile + ": EXPOSE " + exposed + ", not server.port " + port);
        }
        List<String> users = Pattern.compile("(?m)^USER\\s+(\\S+)").matcher(text).results().map(m -> m.group(1))
                .toList();
        if (users.isEmpty() || users.getLast().matches("(root|0)(:.*)?")) {
            problems.add(dockerfile + ": the image runs as root (no non-root USER at the end)");
        }
        if (!Pattern.compile("(?m)^HEALTHCHECK .*127\\.0\\.0\\.1:" + port + "/actuator/health/readiness").matcher(text)
                .find()) {
            problems.add(dockerfile + ": no HEALTHCHECK on 127.0.0.1:" + port + "/actuator/health/readiness");
        }
        if (!text.contains("COPY target/" + service + "-*-exec.jar")) {
            problems.add(dockerfile + ": does not copy target/" + service + "-*-exec.jar");
        }
        return problems;
    }

    // ---------------------------------------------------------------- Kubernetes (kustomize base)

    /** Checks rendered-in-place kustomize resources; every finding is one message. */
    static final class KubeCheck {

        private final List<JsonNode> docs;
        private final Map<String, JsonNode> secretTemplates = new HashMap<>();
        private final Code code;
        private final List<String> problems = new ArrayList<>();

        private KubeCheck(List<JsonNode> docs, List<JsonNode> templates, Code code) {
            this.docs = docs;
            this.code = code;
            templates.stream().filter(t -> "Secret".equals(t.path("kind").asString()))
                    .forEach(t -> secretTemplates.put(key(t), t));
        }

        static List<String> check(List<JsonNode> docs, List<JsonNode> secretTemplates, Code code) {
            KubeCheck k = new KubeCheck(docs, secretTemplates, code);
            k.run();
            return k.problems;
        }

        private void run() {
            Set<String> namespaces = all("Namespace").map(n -> n.path("metadata").path("name").asString())
                    .collect(Collectors.toCollection(TreeSet::new));
            namespaces.add("default");
            docs.stream().filter(d -> d.path("metadata").has("namespace"))
                    .filter(d -> !namespaces.contains(d.path("metadata").path("namespace").asString()))
                    .forEach(d -> problems.add(d.path("kind").asString() + " " + name(d) + " is in namespace "
                            + d.path("metadata").path("namespace").asString() + ", which is not created"));
            for (String s : SERVICES) {
                Optional<JsonNode> deployment = all("Deployment").filter(d -> name(d).equals(s)).findFirst();
                if (deployment.isEmpty()) {
                    problems.add("Deployment " + s + " is missing");
                    continue;
                }
                checkDeployment(s, deployment.get());
            }
            checkTopicsAndUsers();
        }

        private void checkDeployment(String s, JsonNode deployment) {
            Service service = code.services().get(s);
            String ns = deployment.path("metadata").path("namespace").asString("");
            String where = "Deployment " + s;
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").path(0);
            Map<String, Integer> ports = new HashMap<>();
            container.path("ports").forEach(p -> {
                ports.put(p.path("name").asString(""), p.path("containerPort").asInt());
                ports.put(String.valueOf(p.path("containerPort").asInt()), p.path("containerPort").asInt());
                if (p.path("containerPort").asInt() != service.port()) {
                    problems.add(where + " has containerPort " + p.path("containerPort").asInt()
                            + ", not server.port " + service.port());
                }
            });
            Container c = new Container(where, service, environment(where, ns, container));
            problems.addAll(c.environmentProblems());
            String scheme = c.tls() ? "HTTPS" : "HTTP";
            for (String[] probe : new String[][] {{"readinessProbe", "readiness"}, {"livenessProbe", "liveness"}}) {
                JsonNode get = container.path(probe[0]).path("httpGet");
                Integer port = ports.get(get.path("port").asString());
                if (!get.path("path").asString("").equals("/actuator/health/" + probe[1])
                        || !Integer.valueOf(service.port()).equals(port)
                        || !get.path("scheme").asString("HTTP").equals(scheme)) {
                    problems.add(where + " needs a " + probe[0] + " on " + scheme + " port " + service.port()
                            + " path /actuator/health/" + probe[1]);
                }
            }
            boolean nonRoot = pod.path("securityContext").path("runAsNonRoot").asBoolean(false)
                    || container.path("securityContext").path("runAsNonRoot").asBoolean(false);
            if (!nonRoot || container.path("securityContext").path("allowPrivilegeEscalation").asBoolean(true)) {
                problems.add(where + " must set runAsNonRoot: true and allowPrivilegeEscalation: false");
            }
            if (container.path("resources").path("requests").path("memory").isMissingNode()
                    || container.path("resources").path("limits").path("memory").isMissingNode()) {
                problems.add(where + " sets no memory request and limit");
            }
            checkService(s, ns, service, deployment, ports);
            checkEndpointsAndDatabase(c, ns);
            checkFilesAndConfigTrees(c, mounts(where, ns, pod, container), problems);
            String account = pod.path("serviceAccountName").asString("");
            if (!account.isEmpty() && find("ServiceAccount", account, ns).isEmpty()) {
                problems.add(where + " runs as ServiceAccount " + account + ", which does not exist");
            }
            if (s.equals("orchestrator")) {
                c.variables().entrySet().stream()
                        .filter(v -> v.getKey().matches("COCOPLANE_ORCHESTRATOR_KUBERNETES_NAMESPACES_\\d+"))
                        .forEach(v -> checkRoleBinding(where, account, ns, v.getValue()));
            }
        }

        private void checkService(String s, String ns, Service service, JsonNode deployment,
                                  Map<String, Integer> containerPorts) {
            Optional<JsonNode> svc = find("Service", s, ns);
            if (svc.isEmpty()) {
                problems.add("Service " + s + " is missing");
                return;
            }
            JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
            svc.get().path("spec").path("selector").properties().stream()
                    .filter(e -> !e.getValue().asString().equals(labels.path(e.getKey()).asString()))
                    .forEach(e -> problems.add("Service " + s + " selects " + e.getKey() + "=" + e.getValue().asString()
                            + ", which the pods of Deployment " + s + " do not carry"));
            for (JsonNode p : svc.get().path("spec").path("ports")) {
                Integer target = containerPorts.get(p.path("targetPort").asString(p.path("port").asString()));
                if (p.path("port").asInt() != service.port() || !Integer.valueOf(service.port()).equals(target)) {
                    problems.add("Service " + s + " has port " + p.path("port").asInt() + " -> " + target
                            + ", not server.port " + service.port() + " -> the container's " + service.port());
                }
            }
        }

        private void checkEndpointsAndDatabase(Container c, String ns) {
            String kafkaProtocol = c.variables().getOrDefault("SPRING_KAFKA_SECURITY_PROTOCOL", "PLAINTEXT");
            c.variables().forEach((var, value) -> endpoints(value).forEach(ep -> {
                if (ep.placeholder()) {
                    return;
                }
                String[] dns = ep.host().split("\\.");
                String name = dns[0];
                String targetNs = dns.length > 1 ? dns[1] : ns;
                String where = c.where() + " " + var + " = " + ep.value();
                if (name.endsWith("-kafka-bootstrap")) {
                    checkKafka(where, name.substring(0, name.length() - "-kafka-bootstrap".length()), targetNs,
                            ep.port(), kafkaProtocol, c);
                } else if (name.matches(".+-(rw|ro|r)$")) {
                    String cluster = name.replaceFirst("-(rw|ro|r)$", "");
                    if (find("Cluster", cluster, targetNs).isEmpty()) {
                        problems.add(where + ": no CloudNativePG Cluster " + cluster + " in " + targetNs);
                    } else if (ep.port() != 5432) {
                        problems.add(where + ": CloudNativePG serves 5432");
                    }
                } else {
                    Optional<JsonNode> svc = find("Service", name, targetNs);
                    if (svc.isEmpty()) {
                        problems.add(where + ": there is no Service " + name + " in namespace " + targetNs);
                    } else if (svc.get().path("spec").path("ports").valueStream()
                            .noneMatch(p -> p.path("port").asInt() == ep.port())) {
                        problems.add(where + ": Service " + name + " has no port " + ep.port());
                    }
                }
            }));
            Jdbc.parse(c.variables().get("SPRING_DATASOURCE_URL")).ifPresentOrElse(j -> {
                String cluster = j.host().split("\\.")[0].replaceFirst("-(rw|ro|r)$", "");
                find("Cluster", cluster, ns).ifPresent(cl -> {
                    String db = cl.path("spec").path("bootstrap").path("initdb").path("database").asString("app");
                    if (!db.equals(j.database())) {
                        problems.add(c.where() + " uses database " + j.database() + ", but Cluster " + cluster
                                + " creates " + db);
                    }
                    Set<String> roleSecrets = cl.path("spec").path("managed").path("roles").valueStream()
                            .map(r -> r.path("passwordSecret").path("name").asString()).collect(Collectors.toSet());
                    List.of("SPRING_DATASOURCE_USERNAME", "SPRING_DATASOURCE_PASSWORD").forEach(v -> {
                        String secret = secretRefs.get(c.where() + "/" + v);
                        if (secret == null || !roleSecrets.contains(secret)) {
                            problems.add(c.where() + " " + v + " does not come from a managed role's passwordSecret"
                                    + " of Cluster " + cluster);
                        }
                    });
                });
                if (!c.service().schema().equals(j.params().get("currentSchema"))) {
                    problems.add(c.where() + " connects with currentSchema=" + j.params().get("currentSchema")
                            + ", but its flyway schema is " + c.service().schema());
                }
            }, () -> problems.add(c.where() + " sets no jdbc:postgresql SPRING_DATASOURCE_URL"));
        }

        private void checkKafka(String where, String cluster, String ns, int port, String protocol, Container c) {
            Optional<JsonNode> kafka = find("Kafka", cluster, ns);
            if (kafka.isEmpty()) {
                problems.add(where + ": no Kafka " + cluster + " in namespace " + ns);
                return;
            }
            Optional<JsonNode> listener = kafka.get().path("spec").path("kafka").path("listeners").valueStream()
                    .filter(l -> l.path("port").asInt() == port).findFirst();
            if (listener.isEmpty()) {
                problems.add(where + ": Kafka " + cluster + " has no listener on " + port);
                return;
            }
            boolean tls = listener.get().path("tls").asBoolean(false);
            String auth = listener.get().path("authentication").path("type").asString("");
            String expected = (auth.startsWith("scram") ? "SASL_" : "") + (tls ? "SSL" : "PLAINTEXT");
            if (auth.equals("tls")) {
                expected = "SSL";
            }
            if (!expected.equals(protocol)) {
                problems.add(where + ": listener " + port + " needs SPRING_KAFKA_SECURITY_PROTOCOL=" + expected);
            }
            if (auth.startsWith("scram")) {
                String mechanism = c.variables().getOrDefault("SPRING_KAFKA_PROPERTIES_SASL_MECHANISM", "");
                if (!mechanism.equalsIgnoreCase(auth)) {
                    problems.add(where + ": listener " + port + " needs SPRING_KAFKA_PROPERTIES_SASL_MECHANISM="
                            + auth.toUpperCase(Locale.ROOT));
                }
                String secret = secretRefs.get(c.where() + "/SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG");
                boolean fromUser = secret != null && find("KafkaUser", secret, ns)
                        .filter(u -> u.path("spec").path("authentication").path("type").asString().equals(auth))
                        .filter(u -> cluster.equals(u.path("metadata").path("labels").path("strimzi.io/cluster")
                                .asString()))
                        .isPresent();
                if (!fromUser) {
                    problems.add(where + ": SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG must come from the Secret of a "
                            + auth + " KafkaUser of " + cluster);
                }
            }
        }

        private void checkRoleBinding(String where, String account, String accountNs, String namespace) {
            boolean bound = all("RoleBinding")
                    .filter(b -> namespace.equals(b.path("metadata").path("namespace").asString()))
                    .filter(b -> b.path("subjects").valueStream().anyMatch(sub -> account.equals(
                            sub.path("name").asString()) && accountNs.equals(sub.path("namespace").asString())))
                    .anyMatch(b -> find("Role", b.path("roleRef").path("name").asString(), namespace).isPresent());
            if (!bound) {
                problems.add(where + " watches namespace " + namespace + ", where no Role is bound to ServiceAccount "
                        + account);
            }
        }

        private void checkTopicsAndUsers() {
            List<String> named = new ArrayList<>();
            List<String> created = new ArrayList<>();
            Set<String> groups = code.services().values().stream().flatMap(s -> s.groups().stream())
                    .collect(Collectors.toSet());
            all("KafkaTopic").forEach(t -> {
                String topic = t.path("spec").path("topicName").asString(name(t));
                named.add(topic);
                created.add(topic);
                if (t.path("spec").path("partitions").asInt() != code.partitions()) {
                    problems.add("KafkaTopic " + topic + " has " + t.path("spec").path("partitions").asInt()
                            + " partitions, not " + code.partitions() + " (cocoplane.eventing.partitions)");
                }
                strimziCluster("KafkaTopic " + topic, t);
            });
            all("KafkaUser").forEach(u -> {
                strimziCluster("KafkaUser " + name(u), u);
                u.path("spec").path("authorization").path("acls").forEach(acl -> {
                    JsonNode r = acl.path("resource");
                    String n = r.path("name").asString();
                    boolean prefix = "prefix".equals(r.path("patternType").asString("literal"));
                    if ("topic".equals(r.path("type").asString())) {
                        if (prefix && code.topics().stream().noneMatch(t -> t.startsWith(n))) {
                            problems.add("KafkaUser " + name(u) + ": prefix " + n + " matches no topic");
                        } else if (!prefix) {
                            named.add(n);
                        }
                    } else if ("group".equals(r.path("type").asString()) && !prefix && !groups.contains(n)) {
                        problems.add("KafkaUser " + name(u) + ": consumer group " + n + " is none of the code's "
                                + groups);
                    }
                });
            });
            checkTopics("kustomize", named, created, code, problems);
        }

        private void strimziCluster(String where, JsonNode resource) {
            String cluster = resource.path("metadata").path("labels").path("strimzi.io/cluster").asString("");
            if (find("Kafka", cluster, resource.path("metadata").path("namespace").asString("")).isEmpty()) {
                problems.add(where + " belongs to strimzi.io/cluster '" + cluster + "', no Kafka of its namespace");
            }
        }

        /** Secret a variable's value comes from, per {@code where/VARIABLE}. */
        private final Map<String, String> secretRefs = new HashMap<>();

        private Map<String, String> environment(String where, String ns, JsonNode container) {
            Map<String, String> env = new TreeMap<>();
            for (JsonNode from : container.path("envFrom")) {
                String cm = from.path("configMapRef").path("name").asString("");
                if (cm.isEmpty()) {
                    problems.add(where + ": only configMapRef envFrom is checked");
                    continue;
                }
                find("ConfigMap", cm, ns).ifPresentOrElse(
                        m -> m.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asString())),
                        () -> problems.add(where + " reads ConfigMap " + cm + ", which does not exist"));
            }
            for (JsonNode e : container.path("env")) {
                String name = e.path("name").asString();
                JsonNode secret = e.path("valueFrom").path("secretKeyRef");
                JsonNode map = e.path("valueFrom").path("configMapKeyRef");
                if (!secret.isMissingNode()) {
                    env.put(name, null);
                    secretRefs.put(where + "/" + name, secret.path("name").asString());
                    secretKey(where + " " + name, ns, secret.path("name").asString(), secret.path("key").asString());
                } else if (!map.isMissingNode()) {
                    env.put(name, find("ConfigMap", map.path("name").asString(), ns)
                            .map(m -> m.path("data").path(map.path("key").asString()).asString(null)).orElse(null));
                } else {
                    env.put(name, e.path("value").asString(""));
                }
            }
            return env;
        }

        private Mounts mounts(String where, String ns, JsonNode pod, JsonNode container) {
            Map<String, JsonNode> volumes = new HashMap<>();
            pod.path("volumes").forEach(v -> volumes.put(v.path("name").asString(), v));
            Set<String> files = new TreeSet<>();
            Set<String> folders = new TreeSet<>();
            for (JsonNode m : container.path("volumeMounts")) {
                JsonNode v = volumes.get(m.path("name").asString());
                String at = m.path("mountPath").asString();
                if (v == null) {
                    problems.add(where + " mounts volume " + m.path("name").asString() + ", which it does not define");
                    continue;
                }
                List<JsonNode> sources = new ArrayList<>();
                if (v.has("secret")) {
                    sources.add(v);
                }
                v.path("projected").path("sources").forEach(sources::add);
                for (JsonNode src : sources) {
                    JsonNode secret = src.path("secret");
                    String secretName = secret.path("secretName").asString(secret.path("name").asString());
                    if (secret.path("items").isEmpty()) {
                        folders.add(at);
                        secretKey(where + " volume " + m.path("name").asString(), ns, secretName, null);
                    }
                    for (JsonNode item : secret.path("items")) {
                        files.add(at + "/" + item.path("path").asString());
                        secretKey(where + " volume " + m.path("name").asString(), ns, secretName,
                                item.path("key").asString());
                    }
                }
                if (v.has("persistentVolumeClaim")) {
                    String claim = v.path("persistentVolumeClaim").path("claimName").asString();
                    if (find("PersistentVolumeClaim", claim, ns).isEmpty()) {
                        problems.add(where + " mounts PersistentVolumeClaim " + claim + ", which does not exist");
                    }
                }
                if (sources.isEmpty()) {
                    folders.add(at);
                }
            }
            return new Mounts(files, folders);
        }

        /** Checks that a Secret (and key) exists: in the template, or written by an operator of these resources. */
        private void secretKey(String where, String ns, String secret, String key) {
            JsonNode template = secretTemplates.get(ns + "/" + secret);
            if (template != null) {
                if (key != null && !template.path("stringData").has(key) && !template.path("data").has(key)) {
                    problems.add(where + " reads key " + key + " of Secret " + secret + ", which the template lacks");
                }
                return;
            }
            Optional<Set<String>> operatorKeys = operatorSecret(secret, ns);
            if (operatorKeys.isEmpty()) {
                problems.add(where + " reads Secret " + secret + ": no such Secret in secrets template or operator");
            } else if (key != null && !operatorKeys.get().contains(key)) {
                problems.add(where + " reads key " + key + " of Secret " + secret + "; the operator writes "
                        + operatorKeys.get());
            }
        }

        /** Keys of the Secrets Strimzi and CloudNativePG write for the resources here. */
        private Optional<Set<String>> operatorSecret(String secret, String ns) {
            if (find("KafkaUser", secret, ns).isPresent()) {
                return Optional.of(Set.of("password", "sasl.jaas.config"));
            }
            if (secret.endsWith("-cluster-ca-cert") && find("Kafka", secret.replaceFirst("-cluster-ca-cert$", ""), ns)
                    .isPresent()) {
                return Optional.of(Set.of("ca.crt", "ca.p12", "ca.password"));
            }
            if (secret.endsWith("-ca") && find("Cluster", secret.replaceFirst("-ca$", ""), ns).isPresent()) {
                return Optional.of(Set.of("ca.crt", "ca.key"));
            }
            return Optional.empty();
        }

        private Stream<JsonNode> all(String kind) {
            return docs.stream().filter(d -> kind.equals(d.path("kind").asString()));
        }

        private Optional<JsonNode> find(String kind, String name, String ns) {
            return all(kind).filter(d -> name.equals(name(d)))
                    .filter(d -> ns.equals(d.path("metadata").path("namespace").asString(ns))).findFirst();
        }

        private static String name(JsonNode d) {
            return d.path("metadata").path("name").asString("");
        }

        private static String key(JsonNode d) {
            return d.path("metadata").path("namespace").asString("") + "/" + name(d);
        }
    }

    // ---------------------------------------------------------------- reading

    /** Resources of a kustomization (files listed under {@code resources}, recursively for folders). */
    static List<JsonNode> kustomization(Path dir) {
        JsonNode k = readYaml(dir.resolve("kustomization.yaml"));
        List<JsonNode> docs = new ArrayList<>();
        for (JsonNode r : k.path("resources")) {
            Path p = dir.resolve(r.asString()).normalize();
            docs.addAll(Files.isDirectory(p) ? kustomization(p) : readYamlDocuments(p));
        }
        return docs;
    }

    static JsonNode readYaml(Path file) {
        return YAML.readTree(text(file));
    }

    static List<JsonNode> readYamlDocuments(Path file) {
        try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text(file))) {
            return it.readAll().stream().filter(d -> d != null && !d.isNull() && !d.isMissingNode()).toList();
        }
    }

    static String text(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Path> javaFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A record built through its canonical constructor with every argument null: its defaults. */
    @SuppressWarnings("unchecked")
    static <T extends Record> T withNulls(Class<T> type) {
        try {
            Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                    .toArray(Class<?>[]::new);
            Constructor<T> c = type.getDeclaredConstructor(types);
            return c.newInstance(new Object[types.length]);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type + " with defaults", e);
        }
    }
}
