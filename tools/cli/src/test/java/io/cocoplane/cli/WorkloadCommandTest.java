package io.cocoplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/** Workload commands against a stub gateway: output formats, problem details, exit codes, wait. */
class WorkloadCommandTest {

    static final String LIST = "[{\"id\":\"wl-1\",\"name\":\"chat\",\"namespace\":\"ml\",\"tee\":\"snp\","
            + "\"requestedImage\":\"registry.local:5000/llm/chat:1\",\"state\":\"RUNNING\",\"reason\":null},"
            + "{\"id\":\"wl-2\",\"name\":\"batch\",\"namespace\":\"default\",\"tee\":\"tdx\","
            + "\"requestedImage\":\"registry.local:5000/b:2\",\"state\":\"FAILED\",\"reason\":\"IMAGE_NOT_FOUND\"}]";

    @TempDir
    Path dir;
    StubServer gw;

    @BeforeEach
    void start() throws Exception {
        gw = new StubServer();
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private Cli.Run run(String... args) {
        return Cli.run(Cli.env(dir, gw.url()), args);
    }

    @Test
    void listAsJsonIsTheServersJson() {
        gw.on("GET", "/api/v1/workloads", q -> StubServer.Response.json(200, LIST));
        Cli.Run r = run("workload", "list", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(r.out())).isEqualTo(Json.MAPPER.readTree(LIST));
        assertThat(gw.requests.get(0).query()).isEqualTo("limit=50&offset=0");
    }

    @Test
    void listAsTableHasAlignedColumns() {
        gw.on("GET", "/api/v1/workloads", q -> StubServer.Response.json(200, LIST));
        Cli.Run r = run("workload", "list");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).startsWith("ID    NAME   NAMESPACE  TEE  STATE    REASON");
        assertThat(lines.get(2)).contains("wl-2").contains("FAILED").contains("IMAGE_NOT_FOUND");
        assertThat(lines.get(1)).contains("RUNNING  -");
    }

    @Test
    void notFoundExitsThreeWithTheProblemDetail() {
        gw.on("GET", "/api/v1/workloads/wl-9", q -> StubServer.Response.problem(404, "no workload wl-9"));
        Cli.Run r = run("workload", "get", "wl-9");
        assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("HTTP 404: no workload wl-9");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void refusalExitsTwoWithDetailAndFieldErrors() {
        gw.on("POST", "/api/v1/workloads", q -> StubServer.Response.json(400,
                "{\"type\":\"urn:cocoplane:problem:invalid-request\",\"status\":400,\"detail\":\"invalid workload\","
                        + "\"errors\":{\"tee\":\"must be snp, tdx or coco-dev\"}}"));
        Cli.Run r = run("workload", "deploy", "--name", "x", "--image", "r.local/x:1", "--tee", "sev");
        assertThat(r.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(r.err()).contains("invalid workload (tee: must be snp, tdx or coco-dev)");

        gw.on("GET", "/api/v1/workloads", q -> StubServer.Response.problem(403, "role deployer required"));
        Cli.Run f = run("workload", "list");
        assertThat(f.exit()).isEqualTo(ExitCodes.REFUSED);
        assertThat(f.err()).contains("HTTP 403: role deployer required");
    }

    @Test
    void deploySendsTheRequestWithAnIdempotencyKey() {
        gw.on("POST", "/api/v1/workloads", q -> StubServer.Response.json(202,
                "{\"id\":\"wl-7\",\"status\":\"REQUESTED\"}"));
        Cli.Run r = run("workload", "deploy", "--name", "chat", "--namespace", "ml", "--image",
                "registry.local:5000/llm/chat:1", "--tee", "snp", "--resource", "default/key/model-kek",
                "--cpu", "2", "--memory", "8Gi", "--idempotency-key", "k-1", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        StubServer.Request req = gw.requests("POST", "/api/v1/workloads").get(0);
        assertThat(req.header("Idempotency-Key")).isEqualTo("k-1");
        assertThat(req.header("Content-Type")).isEqualTo("application/json");
        assertThat(Json.MAPPER.readTree(req.body())).isEqualTo(Json.MAPPER.readTree(
                "{\"name\":\"chat\",\"namespace\":\"ml\",\"image\":\"registry.local:5000/llm/chat:1\",\"tee\":\"snp\","
                        + "\"resources\":[\"default/key/model-kek\"],\"agentPolicy\":{\"allowExec\":false,"
                        + "\"allowLogs\":false},\"limits\":{\"cpu\":\"2\",\"memory\":\"8Gi\"}}"));
        assertThat(Json.MAPPER.readTree(r.out()).get("id").asString()).isEqualTo("wl-7");
    }

    /** Serves the given states in order, one per GET, repeating the last. */
    private void states(String id, String... states) {
        AtomicInteger n = new AtomicInteger();
        gw.on("GET", "/api/v1/workloads/" + id, q -> {
            int i = Math.min(n.getAndIncrement(), states.length - 1);
            String s = states[i];
            String reason = s.equals("FAILED") ? "\"IMAGE_NOT_FOUND\"" : "null";
            String detail = s.equals("FAILED") ? "\"manifest unknown: llm/chat:9\"" : "null";
            return StubServer.Response.json(200, "{\"id\":\"" + id + "\",\"state\":\"" + s + "\",\"reason\":"
                    + reason + ",\"detail\":" + detail + "}");
        });
    }

    @Test
    void waitShowsEachStateAndSucceedsWhenRunning() {
        states("wl-3", "REQUESTED", "REQUESTED", "SCHEDULED", "SCHEDULED", "RUNNING");
        Cli.Run r = run("workload", "wait", "wl-3", "--interval", "5ms", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err().lines().toList()).containsExactly("workload wl-3: REQUESTED", "workload wl-3: SCHEDULED",
                "workload wl-3: RUNNING");
        JsonNode last = Json.MAPPER.readTree(r.out());
        assertThat(last.get("state").asString()).isEqualTo("RUNNING");
        assertThat(gw.requests("GET", "/api/v1/workloads/wl-3")).hasSize(5);
    }

    @Test
    void waitExitsFiveWithTheReasonWhenFailed() {
        states("wl-4", "REQUESTED", "SCHEDULED", "FAILED");
        Cli.Run r = run("workload", "wait", "wl-4", "--interval", "5ms");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.WORKLOAD_FAILED);
        assertThat(r.err()).contains("workload wl-4: REQUESTED\nworkload wl-4: SCHEDULED\n"
                + "workload wl-4: FAILED (manifest unknown: llm/chat:9)");
        assertThat(r.err()).contains("error: workload wl-4 FAILED: IMAGE_NOT_FOUND: manifest unknown: llm/chat:9");
    }

    @Test
    void waitForAnEarlierStateStopsThere() {
        states("wl-5", "REQUESTED", "ATTESTED", "RUNNING");
        Cli.Run r = run("workload", "wait", "wl-5", "--for", "scheduled", "--interval", "5ms");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("workload wl-5 is ATTESTED");
        assertThat(gw.requests("GET", "/api/v1/workloads/wl-5")).hasSize(2);
    }

    @Test
    void deployWaitRetriesTheNotFoundOfAWorkloadTheOrchestratorHasNotSeenYet() {
        gw.on("POST", "/api/v1/workloads", q -> StubServer.Response.json(202,
                "{\"id\":\"wl-8\",\"status\":\"REQUESTED\"}"));
        AtomicInteger n = new AtomicInteger();
        gw.on("GET", "/api/v1/workloads/wl-8", q -> n.getAndIncrement() < 2
                ? StubServer.Response.problem(404, "no workload wl-8")
                : StubServer.Response.json(200, "{\"id\":\"wl-8\",\"state\":\"RUNNING\"}"));
        Cli.Run r = run("workload", "deploy", "--name", "chat", "--image", "r.local/x:1", "--tee", "snp", "--wait",
                "--interval", "5ms", "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(r.out()).get("state").asString()).isEqualTo("RUNNING");
        assertThat(gw.requests("GET", "/api/v1/workloads/wl-8")).hasSize(3);
    }

    @Test
    void plainWaitDoesNotRetryNotFound() {
        gw.on("GET", "/api/v1/workloads/wl-10", q -> StubServer.Response.problem(404, "no workload wl-10"));
        Cli.Run r = run("workload", "wait", "wl-10", "--interval", "5ms");
        assertThat(r.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gw.requests("GET", "/api/v1/workloads/wl-10")).hasSize(1);
    }

    @Test
    void waitTimesOutWithExitSeven() {
        states("wl-6", "REQUESTED");
        Cli.Run r = run("workload", "wait", "wl-6", "--interval", "1ms", "--wait-timeout", "0s");
        assertThat(r.exit()).isEqualTo(ExitCodes.WAIT_TIMEOUT);
        assertThat(r.err()).contains("still REQUESTED");
    }

    @Test
    void deleteSendsDelete() {
        gw.on("DELETE", "/api/v1/workloads/wl-1", q -> StubServer.Response.json(202, "{}"));
        Cli.Run r = run("workload", "delete", "wl-1");
        assertThat(r.exit()).isZero();
        assertThat(gw.requests("DELETE", "/api/v1/workloads/wl-1")).hasSize(1);
    }
}
