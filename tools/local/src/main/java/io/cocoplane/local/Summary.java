package io.cocoplane.local;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The text {@code up} prints once the stack is ready: URLs, where the development tokens and registry credentials
 * are, how to use them, how to stop, and the development-profile banner.
 */
public final class Summary {

    /** The banner line; printed framed in the summary and by {@code status}. */
    public static final String BANNER = "DEVELOPMENT PROFILE: the sample TEE is accepted; it proves nothing.";

    private Summary() {
    }

    /**
     * @param state    the ready stack's state
     * @param paths    its directories
     * @param cwd      the user's working directory (paths below it are shown relative)
     * @param detached whether the supervisor runs in the background ({@code down} is then the only way to stop)
     * @return the summary, several lines
     */
    public static String render(StackState state, StackPaths paths, Path cwd, boolean detached) {
        Ports p = state.ports();
        String home = show(paths.home(), cwd);
        String tokens = show(paths.tokens(), cwd);
        String creds = show(paths.credentials(), cwd);
        StringBuilder b = new StringBuilder();
        if (state.readyAt() != null && state.startedAt() != null) {
            b.append(String.format(Locale.ROOT, "cocoplane local stack READY in %.1f s (%s)%n",
                    Duration.between(state.startedAt(), state.readyAt()).toMillis() / 1000.0, home));
        } else {
            b.append("cocoplane local stack (").append(home).append(")\n");
        }
        b.append('\n');
        if (state.sampleTee()) {
            b.append(banner()).append('\n');
        }
        b.append(row("gateway", url(p.gateway()) + "   API /api/v1, OpenAPI /swagger-ui.html, registry tokens /auth/token"));
        b.append(row("registry", url(p.registry()) + "   OCI /v2/ (bearer tokens from the gateway)"));
        b.append(row("keybroker", url(p.keybroker()) + "   KBS /kbs/v0/"));
        b.append(row("attestation", url(p.attestation())));
        b.append(row("orchestrator", url(p.orchestrator())));
        b.append(row("audit", url(p.audit())));
        b.append(row("kafka", "127.0.0.1:" + p.kafka()));
        b.append(row("postgres", "jdbc:postgresql://127.0.0.1:" + p.postgres() + "/" + ServiceConfig.DATABASE
                + " (user and password " + ServiceConfig.DATABASE + "; data kept until bin/cocoplane reset)"));
        b.append(row("kubernetes", url(p.kubernetes()) + "   simulated; KUBECONFIG=" + show(paths.kubeconfig(), cwd)));
        b.append(row("kata node", state.kataNode()));
        b.append('\n');
        b.append("Development tokens (gateway roles admin, deployer, auditor; key broker admin):\n");
        b.append("  ").append(tokens).append("/{admin,deployer,auditor,kbs-admin}.jwt\n");
        b.append("  curl -H \"Authorization: Bearer $(cat ").append(tokens).append("/deployer.jwt)\" ")
                .append(url(p.gateway())).append("/api/v1/workloads\n");
        b.append("Registry credentials (role admin: pull, push, delete) in ").append(creds).append(":\n");
        b.append("  set -a; . ").append(creds).append("; set +a\n");
        b.append("  skopeo copy --dest-creds \"$COCOPLANE_REGISTRY_USER:$COCOPLANE_REGISTRY_PASSWORD\" "
                + "--dest-tls-verify=false SRC docker://127.0.0.1:").append(p.registry()).append("/demo/app:1\n");
        b.append("Logs: ").append(show(paths.logs(), cwd)).append("/<component>.log\n");
        b.append('\n');
        b.append(detached ? "Stop: bin/cocoplane down" : "Stop: Ctrl-C here, or bin/cocoplane down");
        b.append("    Status: bin/cocoplane status\n");
        return b.toString();
    }

    /** @return the framed development-profile banner */
    public static String banner() {
        String line = "!".repeat(BANNER.length() + 8);
        return line + "\n!!! " + BANNER + " !!!\n" + line + "\n";
    }

    private static String row(String name, String what) {
        return String.format(Locale.ROOT, "  %-13s %s%n", name, what);
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }

    /**
     * @param path a path
     * @param cwd  the working directory
     * @return the path relative to {@code cwd} when below it, else absolute
     */
    static String show(Path path, Path cwd) {
        Path abs = path.toAbsolutePath().normalize();
        Path base = cwd.toAbsolutePath().normalize();
        return abs.startsWith(base) && !abs.equals(base) ? base.relativize(abs).toString() : abs.toString();
    }
}
