package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cococtl login}: stores the gateway URL and either a bearer token or OAuth client credentials in
 * {@code config.json} of the configuration directory (mode 0600). Nothing is sent to the gateway.
 */
@Command(name = "login", mixinStandardHelpOptions = true,
        description = {"Store the gateway URL and credentials (a bearer JWT, or OAuth client credentials) in "
                + "config.json of the configuration directory (file mode 0600).",
                "Give the gateway with the global --gateway option."})
final class LoginCommand extends BaseCommand {

    /** Largest token or secret read from a file or stdin. */
    static final int MAX_SECRET_BYTES = 64 * 1024;

    @Option(names = "--token", paramLabel = "JWT",
            description = "Bearer token (visible in the process list; prefer --token-file).")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "Read the bearer token from FILE ('-' = stdin).")
    String tokenFile;

    @Option(names = "--client-id", paramLabel = "ID", description = "OAuth client id (client credentials grant).")
    String clientId;

    @Option(names = "--client-secret-file", paramLabel = "FILE",
            description = "Read the OAuth client secret from FILE ('-' = stdin).")
    String clientSecretFile;

    @Option(names = "--token-url", paramLabel = "URL", description = "OAuth token endpoint for --client-id.")
    String tokenUrl;

    @Option(names = "--scope", paramLabel = "SCOPE", description = "OAuth scope to request with --client-id.")
    String scope;

    @Option(names = "--allow-insecure-http",
            description = "Allow plain HTTP to a non-loopback gateway (development only; warned on every use).")
    boolean allowInsecureHttp;

    @Override
    public Integer call() throws IOException {
        String gw = root().gatewayUrl();
        if (gw == null) {
            throw usage("--gateway URL is required");
        }
        URI base = CocoCtl.parseUrl(gw, "--gateway");
        if (GatewayClient.checkTransport(base, allowInsecureHttp, "--gateway")) {
            err().println("WARNING: plain HTTP to " + base.getAuthority() + ": credentials will travel in clear text");
        }
        int modes = (token != null ? 1 : 0) + (tokenFile != null ? 1 : 0) + (clientId != null ? 1 : 0);
        if (modes != 1) {
            throw usage("give exactly one of --token, --token-file or --client-id");
        }
        ObjectNode cfg = Json.object();
        cfg.put("gateway", base.toString());
        if (allowInsecureHttp) {
            cfg.put("allowInsecureHttp", true);
        }
        if (clientId != null) {
            if (clientSecretFile == null || tokenUrl == null) {
                throw usage("--client-id needs --client-secret-file and --token-url");
            }
            URI t = CocoCtl.parseUrl(tokenUrl, "--token-url");
            GatewayClient.checkTransport(t, allowInsecureHttp, "--token-url");
            cfg.put("clientId", clientId);
            cfg.put("clientSecret", readSecret(clientSecretFile, "client secret"));
            cfg.put("tokenUrl", t.toString());
            if (scope != null) {
                cfg.put("scope", scope);
            }
        } else {
            String t = token != null ? token.strip() : readSecret(tokenFile, "token");
            if (t.isEmpty() || t.chars().anyMatch(c -> c <= ' ' || c > '~')) {
                throw usage("the token must be non-empty visible ASCII");
            }
            cfg.put("token", t);
        }
        root().config().write(ConfigStore.CONFIG_FILE, cfg);
        Path file = root().config().dir().resolve(ConfigStore.CONFIG_FILE);
        ObjectNode result = Json.object();
        result.put("gateway", base.toString());
        result.put("config", file.toString());
        result.put("credentials", clientId != null ? "client-credentials" : "token");
        output().message("Logged in to " + base + " (credentials in " + file + ")", result);
        return ExitCodes.OK;
    }

    private String readSecret(String source, String what) throws IOException {
        byte[] data;
        if (source.equals("-")) {
            InputStream in = System.in;
            data = in.readNBytes(MAX_SECRET_BYTES + 1);
        } else {
            Path p = Path.of(source);
            if (!Files.isRegularFile(p)) {
                throw usage("no such file: " + source);
            }
            try (InputStream in = Files.newInputStream(p)) {
                data = in.readNBytes(MAX_SECRET_BYTES + 1);
            }
        }
        if (data.length > MAX_SECRET_BYTES) {
            throw usage(what + " larger than " + MAX_SECRET_BYTES + " bytes");
        }
        String s = new String(data, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
            throw usage(what + " is empty");
        }
        return s;
    }
}
