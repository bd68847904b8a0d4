package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The real stack on free ports in a temporary directory: every service becomes ready, the development credentials
 * work across the services (gateway JWT, registry client and registry token, key broker admin token, gateway admin
 * credential), {@code status} reports every component, a restart keeps the data, and closing leaves no process.
 * The services' exec jars come from the test-scoped dependencies (pom: {@code dependency:properties}).
 */
class LocalStackTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<String> progress = new ArrayList<>();

    private HttpResponse<String> get(String url, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> put(String url, String authorization, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", authorization).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String bearer(Path token) throws Exception {
        return "Bearer " + Files.readString(token).strip();
    }

    private LocalStack start(StackPaths paths, Ports ports) {
        LocalStack.Options d = LocalStack.Options.defaults(paths, ports, ServiceJars.fromSystemProperties());
        LocalStack.Options o = new LocalStack.Options(paths, ports, d.serviceJars(), d.classpath(), d.java(),
                d.serviceJvmOptions(), d.kafkaJvmOptions(), Duration.ofSeconds(300), true);
        return LocalStack.start(o, (component, message) -> {
            progress.add(component + ": " + message);
            System.out.println(component + ": " + message);
        });
    }

    @Test
    void upGetsEveryServiceReadyWiresTheCredentialsKeepsDataAndDownLeavesNothing() throws Exception {
        StackPaths paths = new StackPaths(dir.resolve("local"));
        Ports ports = Ports.free();
        List<Long> pids = new ArrayList<>();
        String gw = "http://127.0.0.1:" + ports.gateway();

        try (LocalStack stack = start(paths, ports)) {
            StackState state = stack.state();
            assertThat(state.phase()).isEqualTo(StackState.Phase.READY);
            assertThat(StackState.read(paths.stateFile())).contains(state);
            assertThat(state.processes()).extracting(StackState.Child::name).containsExactlyInAnyOrder("kafka",
                    "postgres", "gateway", "registry", "attestation", "keybroker", "orchestrator", "audit");
            state.processes().forEach(c -> pids.add(c.pid()));
            assertThat(progress).anyMatch(l -> l.startsWith("gateway: ready on " + gw));

            StatusReport status = StatusReport.of(StackState.read(paths.stateFile()).orElseThrow(), new HealthProbe());
            assertThat(status.exitCode()).as(status.render()).isEqualTo(StatusReport.OK);
            for (ServiceName s : ServiceName.values()) {
                assertThat(status.rows()).as(status.render())
                        .anyMatch(r -> r.name().equals(s.id()) && r.status().equals("UP") && r.memory().rss() > 0);
            }
            assertThat(status.rows()).anyMatch(r -> r.name().equals("postgres") && r.memory().processes() > 1);
            assertThat(status.total().rss()).isGreaterThan(status.total().pss()).isPositive();

            // people tokens: verified by the gateway; the deployer reads workloads through the orchestrator
            DevCredentials c = stack.credentials();
            assertThat(get(gw + "/api/v1/workloads", bearer(c.token("deployer"))).statusCode()).isEqualTo(200);
            assertThat(get(gw + "/api/v1/workloads", bearer(c.token("auditor"))).statusCode()).isEqualTo(403);
            // admin write: gateway → key broker with the gateway's own Ed25519 admin credential
            HttpResponse<String> secret = put(gw + "/api/v1/secrets/default/key/probe", bearer(c.token("admin")),
                    "kept across restarts");
            assertThat(secret.statusCode()).as(secret.body()).isEqualTo(200);
            // the developer's own key broker admin token
            HttpResponse<String> kbs = get("http://127.0.0.1:" + ports.keybroker() + "/kbs/v0/resources",
                    bearer(c.token("kbs-admin")));
            assertThat(kbs.statusCode()).as(kbs.body()).isEqualTo(200);
            assertThat(kbs.body()).contains("default/key/probe");
            // registry client (bcrypt in the gateway) → registry token the registry accepts
            String basic = "Basic " + Base64.getEncoder().encodeToString((c.registryUser() + ":"
                    + c.registryPassword()).getBytes());
            HttpResponse<String> token = get(gw + "/auth/token?service=cocoplane-registry"
                    + "&scope=repository:demo/app:pull,push", basic);
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String registryToken = JSON.readTree(token.body()).get("token").asString();
            String registry = "http://127.0.0.1:" + ports.registry();
            assertThat(get(registry + "/v2/", null).headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                    h -> assertThat(h).contains("realm=\"" + gw + "/auth/token\""));
            assertThat(get(registry + "/v2/", "Bearer " + registryToken).statusCode()).isEqualTo(200);
            assertThat(get(gw + "/auth/token?service=cocoplane-registry&scope=repository:demo/app:pull",
                    "Basic " + Base64.getEncoder().encodeToString((c.registryUser() + ":wrong").getBytes()))
                    .statusCode()).isEqualTo(401);
            // the simulated Kata node's own registry client may pull, not push
            String kata = "Basic " + Base64.getEncoder().encodeToString((DevCredentials.KATA_NODE_USER + ":"
                    + c.kataNodePassword()).getBytes());
            JsonNode kataToken = JSON.readTree(get(gw + "/auth/token?service=cocoplane-registry"
                    + "&scope=repository:demo/app:pull,push", kata).body());
            String[] parts = kataToken.get("token").asString().split("\\.");
            JsonNode access = JSON.readTree(Base64.getUrlDecoder().decode(parts[1])).get("access");
            assertThat(access.toString()).isEqualTo("[{\"type\":\"repository\",\"name\":\"demo/app\","
                    + "\"actions\":[\"pull\"]}]");
            assertThat(state.kataNode()).startsWith("simulated");
            // the simulated Kubernetes API holds the RuntimeClasses the orchestrator maps to
            JsonNode rcs = JSON.readTree(get("http://127.0.0.1:" + ports.kubernetes()
                    + "/apis/node.k8s.io/v1/runtimeclasses", null).body());
            List<String> names = new ArrayList<>();
            rcs.get("items").forEach(i -> names.add(i.get("metadata").get("name").asString()));
            assertThat(names).containsExactlyInAnyOrderElementsOf(ServiceConfig.RUNTIME_CLASSES.values());

            // bin/cocoplane demo against this stack: seven steps OK, exit 0
            java.io.StringWriter demoOut = new java.io.StringWriter();
            int demo = new io.cocoplane.local.demo.Demo(paths.home(), gw, "127.0.0.1:" + ports.registry(),
                    new java.io.PrintWriter(demoOut, true)).run();
            System.out.println(demoOut);
            assertThat(demo).as(demoOut.toString()).isZero();
            List<String> lines = demoOut.toString().lines().toList();
            for (int n = 1; n <= 7; n++) {
                String prefix = "[" + n + "/7] ";
                assertThat(lines).as(demoOut.toString())
                        .anyMatch(l -> l.startsWith(prefix) && l.contains(" ... OK ("));
            }
            assertThat(demoOut.toString()).contains("ExecProcessRequest is blocked by policy: "
                    + "default ExecProcessRequest := false").contains("io.cocoplane.key.denied.v1")
                    .containsPattern("FAILED (KEY_DENIED|IMAGE_DECRYPT_FAILED); audit #")
                    .endsWith("demo OK" + System.lineSeparator());
        }
        assertGone(pids, paths);

        pids.clear();
        try (LocalStack again = start(paths, ports)) {
            again.state().processes().forEach(c -> pids.add(c.pid()));
            HttpResponse<String> list = get(gw + "/api/v1/secrets", bearer(again.credentials().token("admin")));
            assertThat(list.statusCode()).isEqualTo(200);
            assertThat(list.body()).as("PostgreSQL data survives a restart").contains("default/key/probe");
            assertThat(Files.list(paths.app()).filter(p -> Files.exists(p.resolve("app.jsa"))).count())
                    .as("class-data archives written by the first run's orderly stop").isEqualTo(6);
        }
        assertGone(pids, paths);
    }

    private static void assertGone(List<Long> pids, StackPaths paths) {
        for (long pid : pids) {
            assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("pid %d after close", pid).isEmpty();
        }
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList())
                .as("children of the test JVM after close").isEmpty();
        assertThat(paths.stateFile()).doesNotExist();
        assertThat(paths.postgres().resolve("postmaster.pid")).doesNotExist();
    }
}
