package io.cocoplane.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** Help on every command, usage exit codes, login storage and the credentials it sends. */
class CliBasicsTest {

    @TempDir
    Path dir;

    @Test
    void everyCommandHasHelpAndExitsZero() {
        List<List<String>> paths = new ArrayList<>();
        collect(CocoCtl.commandLine(Map.of()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThan(20);
        for (List<String> p : paths) {
            List<String> args = new ArrayList<>(p);
            args.add("--help");
            Cli.Run r = Cli.run(Cli.env(dir, null), args.toArray(String[]::new));
            assertThat(r.exit()).as("%s --help", p).isZero();
            assertThat(r.out()).as("%s --help", p).contains("Usage: cococtl");
        }
        Cli.Run top = Cli.run(Cli.env(dir, null), "--help");
        assertThat(top.out()).contains("Exit codes:").contains("4   verification failed");
    }

    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
        out.add(List.copyOf(prefix));
        cl.getSubcommands().forEach((name, sub) -> {
            if (name.equals("help")) {
                return;
            }
            List<String> p = new ArrayList<>(prefix);
            p.add(name);
            collect(sub, p, out);
        });
    }

    @Test
    void badUsageExitsOne() {
        assertThat(Cli.run(Cli.env(dir, null), "workload", "list", "--bogus").exit()).isEqualTo(1);
        Cli.Run none = Cli.run(Cli.env(dir, null));
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("missing command");
        Cli.Run badOutput = Cli.run(Cli.env(dir, null), "workload", "list", "--output", "yaml");
        assertThat(badOutput.exit()).isEqualTo(1);
        Cli.Run badId = Cli.run(Cli.env(dir, "http://127.0.0.1:9"), "workload", "get", "../etc");
        assertThat(badId.exit()).isEqualTo(1);
        assertThat(badId.err()).contains("not a workload id");
    }

    @Test
    void notLoggedInIsAUsageError() {
        Cli.Run r = Cli.run(Cli.env(dir, null), "workload", "list");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("login");
    }

    @Test
    void unreachableGatewayExitsSix() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Cli.Run r = Cli.run(Cli.env(dir, "http://127.0.0.1:" + port), "workload", "list");
        assertThat(r.exit()).as(r.toString()).isEqualTo(ExitCodes.NETWORK);
        assertThat(r.err()).contains("cannot reach http://127.0.0.1:" + port);
    }

    @Test
    void loginStoresTokenWithMode0600AndCommandsSendIt() throws Exception {
        try (StubServer gw = new StubServer()) {
            gw.on("GET", "/api/v1/workloads", q -> StubServer.Response.json(200, "[]"));
            Path cfgDir = dir.resolve("cfg");
            Map<String, String> env = Map.of("COCOPLANE_CONFIG_DIR", cfgDir.toString(), "HOME", dir.toString());
            Cli.Run login = Cli.run(env, "login", "--gateway", gw.url(), "--token", "jwt-abc.def.ghi");
            assertThat(login.exit()).as(login.toString()).isZero();
            Path cfg = cfgDir.resolve("config.json");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cfg))).isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cfgDir))).isEqualTo("rwx------");
            JsonNode stored = Json.MAPPER.readTree(Files.readAllBytes(cfg));
            assertThat(stored.get("token").asString()).isEqualTo("jwt-abc.def.ghi");
            assertThat(stored.get("gateway").asString()).isEqualTo(gw.url());

            Cli.Run list = Cli.run(env, "workload", "list");
            assertThat(list.exit()).as(list.toString()).isZero();
            assertThat(gw.requests("GET", "/api/v1/workloads").get(0).header("Authorization"))
                    .isEqualTo("Bearer jwt-abc.def.ghi");

            assertThat(Cli.run(env, "logout").exit()).isZero();
            assertThat(cfg).doesNotExist();
        }
    }

    @Test
    void loginRefusesPlainHttpToAnotherHost() {
        Cli.Run r = Cli.run(Cli.env(dir, null), "login", "--gateway", "http://gateway.example.com", "--token", "x");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("clear text");
        assertThat(dir.resolve("config.json")).doesNotExist();
    }

    @Test
    void clientCredentialsAreExchangedForABearerToken() throws Exception {
        try (StubServer gw = new StubServer()) {
            gw.on("POST", "/oauth/token", q -> StubServer.Response.json(200,
                    "{\"access_token\":\"from-grant\",\"token_type\":\"Bearer\",\"expires_in\":300}"));
            gw.on("GET", "/api/v1/workloads", q -> StubServer.Response.json(200, "[]"));
            Path secret = dir.resolve("secret.txt");
            Files.writeString(secret, "s3cret\n");
            Map<String, String> env = Map.of("COCOPLANE_CONFIG_DIR", dir.resolve("cfg").toString());
            Cli.Run login = Cli.run(env, "login", "--gateway", gw.url(), "--client-id", "ci-bot",
                    "--client-secret-file", secret.toString(), "--token-url", gw.url() + "/oauth/token");
            assertThat(login.exit()).as(login.toString()).isZero();
            assertThat(Cli.run(env, "workload", "list").exit()).isZero();
            StubServer.Request grant = gw.requests("POST", "/oauth/token").get(0);
            assertThat(grant.bodyText()).isEqualTo("grant_type=client_credentials");
            assertThat(grant.header("Authorization")).isEqualTo("Basic "
                    + java.util.Base64.getEncoder().encodeToString("ci-bot:s3cret".getBytes()));
            assertThat(gw.requests("GET", "/api/v1/workloads").get(0).header("Authorization"))
                    .isEqualTo("Bearer from-grant");
        }
    }
}
