package io.cocoplane.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cococtl}, the command line client of cocoplane: workloads, images (including encryption and push of CoCo
 * images), key broker secrets, policies, reference values and the audit log, all through the gateway's public API.
 *
 * <p>Global options ({@code --output json|table}, {@code --gateway}, {@code --timeout}, {@code --quiet}) are accepted
 * by every subcommand. Results go to stdout; progress, warnings and errors to stderr. Exit codes: {@link ExitCodes}.
 * Build a configured {@link CommandLine} with {@link #commandLine(Map)}.
 */
@Command(name = "cococtl", mixinStandardHelpOptions = true, version = "cococtl 0.1.0",
        description = "Command line client of the cocoplane control plane (Confidential Containers).",
        subcommands = {LoginCommand.class, LogoutCommand.class, WorkloadCommand.class, ImageCommand.class,
                SecretCommand.class, PolicyCommand.class, RefValueCommand.class, AuditCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:success",
                "1:usage error (bad option or argument, not logged in, local file problem)",
                "2:the server refused the request (its problem detail is printed)",
                "3:not found (404)",
                "4:verification failed (signature, Merkle proof, digest, consistency)",
                "5:workload failed (workload wait saw FAILED or TERMINATED)",
                "6:network error or timeout talking to a server",
                "7:workload wait timed out"},
        footer = {"", "Configuration: $COCOPLANE_CONFIG_DIR (default ~/.config/cocoplane), $COCOPLANE_GATEWAY, "
                + "$COCOPLANE_TOKEN."})
public final class CocoCtl implements Runnable {

    /** Output formats. */
    enum Format {
        /** Aligned columns (lists) or key: value lines (single objects). */
        table,
        /** The server's JSON, indented. */
        json
    }

    @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "json|table",
            description = "Output format: ${COMPLETION-CANDIDATES} (default: table).")
    Format output = Format.table;

    @Option(names = "--gateway", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Gateway base URL (default: $COCOPLANE_GATEWAY, else the one stored by login).")
    String gatewayOption;

    @Option(names = "--timeout", scope = ScopeType.INHERIT, paramLabel = "SECONDS",
            description = "Timeout of each HTTP request, in seconds (default: 30).")
    int timeoutSeconds = 30;

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT, description = "No progress lines on stderr.")
    boolean quiet;

    @Spec
    CommandSpec spec;

    private final Map<String, String> env;
    private final ConfigStore config;
    private HttpClient http;
    private GatewayClient gateway;

    /**
     * @param env the environment to read {@code COCOPLANE_*} and {@code HOME} from
     */
    public CocoCtl(Map<String, String> env) {
        this.env = Map.copyOf(env);
        this.config = ConfigStore.fromEnvironment(this.env);
    }

    /**
     * Runs the CLI and exits the JVM with its exit code.
     *
     * @param args command line arguments
     */
    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /**
     * Builds the command line with the exit code mapping of {@link ExitCodes}: invalid input → 1, a
     * {@link CliException} → its code, any other exception → 1.
     *
     * @param env the environment
     * @return the configured command line (call {@link CommandLine#execute(String...)})
     */
    public static CommandLine commandLine(Map<String, String> env) {
        CommandLine cl = new CommandLine(new CocoCtl(env));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("error: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, err)) {
                err.println("Run '" + cmd.getCommandSpec().qualifiedName() + " --help' for usage.");
            }
            err.flush();
            return ExitCodes.USAGE;
        });
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            if (ex instanceof CliException ce) {
                cmd.getErr().println("error: " + ce.getMessage());
                cmd.getErr().flush();
                return ce.exitCode();
            }
            cmd.getErr().println("error: " + ex);
            cmd.getErr().flush();
            return ExitCodes.USAGE;
        });
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    Map<String, String> env() {
        return env;
    }

    ConfigStore config() {
        return config;
    }

    Duration timeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw new CliException(ExitCodes.USAGE, "--timeout must be 1..3600 seconds");
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** @return the shared HTTP client (HTTP/1.1, no automatic redirects, connect timeout = --timeout) */
    synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
    }

    /** @return the gateway URL: --gateway, else $COCOPLANE_GATEWAY, else config.json; null when none */
    String gatewayUrl() {
        if (gatewayOption != null) {
            return gatewayOption;
        }
        String e = env.get("COCOPLANE_GATEWAY");
        if (e != null && !e.isBlank()) {
            return e;
        }
        return Json.text(config.read(ConfigStore.CONFIG_FILE), "gateway");
    }

    /** @return the gateway client built from options, environment and config.json */
    synchronized GatewayClient gateway(PrintWriter err) {
        if (gateway != null) {
            return gateway;
        }
        ObjectNode cfg = config.read(ConfigStore.CONFIG_FILE);
        String url = gatewayUrl();
        if (url == null || url.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "no gateway: run `cococtl login --gateway URL ...` or set "
                    + "COCOPLANE_GATEWAY");
        }
        URI base = parseUrl(url, "--gateway");
        boolean insecure = GatewayClient.checkTransport(base, cfg.path("allowInsecureHttp").asBoolean(false),
                "gateway URL");
        if (insecure) {
            err.println("WARNING: plain HTTP to " + base.getAuthority() + ": credentials travel in clear text "
                    + "(allowed by login --allow-insecure-http)");
        }
        String token = env.get("COCOPLANE_TOKEN");
        GatewayClient.Credentials creds;
        if (token != null && !token.isBlank()) {
            creds = new GatewayClient.Credentials(token.strip(), null, null, null, null);
        } else {
            creds = new GatewayClient.Credentials(Json.text(cfg, "token"), Json.text(cfg, "clientId"),
                    Json.text(cfg, "clientSecret"), Json.text(cfg, "tokenUrl"), Json.text(cfg, "scope"));
        }
        gateway = new GatewayClient(base, http(), timeout(), creds);
        return gateway;
    }

    static URI parseUrl(String url, String what) {
        try {
            URI u = new URI(url.strip());
            if (u.getRawQuery() != null || u.getRawFragment() != null) {
                throw new CliException(ExitCodes.USAGE, what + " must not have a query or fragment: " + url);
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new CliException(ExitCodes.USAGE, what + " is not a valid URL: " + url);
        }
    }
}
