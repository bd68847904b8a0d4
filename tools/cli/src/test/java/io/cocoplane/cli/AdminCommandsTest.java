package io.cocoplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** secret, policy, refvalue and image list/inspect against a stub gateway. */
class AdminCommandsTest {

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
        return Cli.run(Cli.env(dir.resolve("cfg"), gw.url()), args);
    }

    @Test
    void secretPutSendsTheExactBytesAndNeverPrintsThem() throws Exception {
        gw.on("PUT", "/api/v1/secrets/default/key/model-kek", q -> StubServer.Response.json(200,
                "{\"path\":\"default/key/model-kek\",\"size\":5}"));
        Path value = dir.resolve("v.bin");
        byte[] bytes = {0, 1, 2, (byte) 0xff, 'x'};
        Files.write(value, bytes);
        Cli.Run r = run("secret", "put", "default/key/model-kek", "--from-file", value.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        StubServer.Request put = gw.requests("PUT", "/api/v1/secrets/").get(0);
        assertThat(put.body()).isEqualTo(bytes);
        assertThat(put.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(r.out()).isEqualTo("secret default/key/model-kek stored (5 bytes)\n");
    }

    @Test
    void secretPathsAreValidatedLocally() {
        Cli.Run r = run("secret", "delete", "default/../etc");
        assertThat(r.exit()).isEqualTo(ExitCodes.USAGE);
        assertThat(gw.requests).isEmpty();
    }

    @Test
    void secretListAndDelete() {
        gw.on("GET", "/api/v1/secrets", q -> StubServer.Response.json(200, "{\"resources\":[{\"path\":\"a/b/c\","
                + "\"version\":2,\"size\":32,\"contentType\":\"application/octet-stream\",\"updatedAt\":\"2026-01-01T00:00:00Z\","
                + "\"updatedBy\":\"alice\"}]}"));
        gw.on("DELETE", "/api/v1/secrets/a/b/c", q -> StubServer.Response.empty(204, Map.of()));
        gw.on("DELETE", "/api/v1/secrets/a/b/gone", q -> StubServer.Response.problem(404, "no resource a/b/gone"));
        Cli.Run list = run("secret", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out().lines().toList()).hasSize(2);
        assertThat(list.out()).contains("a/b/c").contains("alice");
        assertThat(run("secret", "delete", "a/b/c").exit()).isZero();
        Cli.Run gone = run("secret", "delete", "a/b/gone");
        assertThat(gone.exit()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(gone.err()).contains("no resource a/b/gone");
    }

    @Test
    void policySetGuessesTheContentType() throws Exception {
        gw.on("PUT", "/api/v1/policies/resource", q -> StubServer.Response.json(200, "{\"ok\":true}"));
        gw.on("PUT", "/api/v1/policies/attestation/default", q -> StubServer.Response.json(200, "{\"ok\":true}"));
        Path rego = dir.resolve("p.rego");
        Files.writeString(rego, "package policy\ndefault allow = false\n");
        Path json = dir.resolve("p.json");
        Files.writeString(json, "{\"rules\":[]}");
        assertThat(run("policy", "set", "resource", "-f", rego.toString()).exit()).isZero();
        assertThat(run("policy", "set", "attestation", "default", "-f", json.toString()).exit()).isZero();
        assertThat(gw.requests("PUT", "/api/v1/policies/resource").get(0).header("Content-Type"))
                .startsWith("text/plain");
        StubServer.Request att = gw.requests("PUT", "/api/v1/policies/attestation/default").get(0);
        assertThat(att.header("Content-Type")).isEqualTo("application/json");
        assertThat(att.bodyText()).isEqualTo("{\"rules\":[]}");
        assertThat(run("policy", "set", "attestation", "-f", json.toString()).exit()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void refvaluePut() throws Exception {
        gw.on("PUT", "/api/v1/reference-values/snp-launch", q -> StubServer.Response.json(200, "{\"name\":\"snp-launch\"}"));
        Path f = dir.resolve("rv.json");
        Files.writeString(f, "{\"measurement\":[\"abc\"]}");
        Cli.Run r = run("refvalue", "put", "snp-launch", "-f", f.toString(), "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(Json.MAPPER.readTree(r.out()).get("name").asString()).isEqualTo("snp-launch");
        assertThat(gw.requests("PUT", "/api/v1/reference-values/snp-launch").get(0).bodyText())
                .isEqualTo("{\"measurement\":[\"abc\"]}");
    }

    @Test
    void imageListAndInspectThroughTheGateway() {
        gw.on("GET", "/api/v1/images", q -> StubServer.Response.json(200, "{\"repositories\":[{\"name\":\"llm/chat\","
                + "\"tags\":[\"1\"],\"manifests\":1,\"encrypted\":true}],\"next\":null}"));
        gw.on("GET", "/api/v1/images/llm/chat/manifests/1", q -> StubServer.Response.json(200,
                "{\"repository\":\"llm/chat\",\"digest\":\"sha256:00\"}"));
        Cli.Run list = run("image", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.out()).contains("llm/chat").contains("[\"1\"]").contains("true");
        Cli.Run inspect = run("image", "inspect", "llm/chat:1");
        assertThat(inspect.exit()).as(inspect.toString()).isZero();
        assertThat(inspect.out()).contains("repository: llm/chat");
    }
}
