package io.cocoplane.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code cococtl workload deploy|list|get|delete|wait}: the gateway's {@code /api/v1/workloads} (role deployer).
 * Workload states (orchestrator): {@code REQUESTED → SCHEDULED → ATTESTED → RUNNING}, {@code FAILED} with a reason,
 * {@code TERMINATING → TERMINATED} after deletion.
 */
@Command(name = "workload", mixinStandardHelpOptions = true, description = "Deploy, list, inspect, delete and wait for workloads.",
        subcommands = {WorkloadCommand.Deploy.class, WorkloadCommand.ListCmd.class, WorkloadCommand.Get.class,
                WorkloadCommand.Delete.class, WorkloadCommand.Wait.class})
final class WorkloadCommand {

    /** Workload ids as the orchestrator issues them. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");
    /**
     * How long {@code deploy --wait} retries a 404 before the first state: the orchestrator learns of the workload
     * asynchronously.
     */
    static final Duration DEPLOY_NOT_FOUND_GRACE = Duration.ofSeconds(30);
    /** Largest request file. */
    static final int MAX_REQUEST_BYTES = 256 * 1024;
    static final List<String> PROGRESSION = List.of("REQUESTED", "SCHEDULED", "ATTESTED", "RUNNING");

    static final List<Output.Column> COLUMNS = List.of(new Output.Column("ID", "id"),
            new Output.Column("NAME", "name"), new Output.Column("NAMESPACE", "namespace"),
            new Output.Column("TEE", "tee"), new Output.Column("STATE", "state"),
            new Output.Column("REASON", "reason"), new Output.Column("IMAGE", "requestedImage"));

    private WorkloadCommand() {
    }

    static String checkId(BaseCommand c, String id) {
        if (!ID.matcher(id).matches()) {
            throw c.usage("not a workload id: " + id);
        }
        return id;
    }

    /** Options shared by the commands that can wait. */
    static final class WaitOptions {
        @Option(names = "--wait-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long to wait (default: 10m).")
        Duration timeout = Duration.ofMinutes(10);

        @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "Polling interval (default: 2s).")
        Duration interval = Duration.ofSeconds(2);
    }

    /**
     * Polls the workload until it reaches {@code target} (or a later state of the progression), printing one progress
     * line per state change on stderr.
     *
     * @return {@link ExitCodes#OK}
     * @throws CliException {@link ExitCodes#WORKLOAD_FAILED} on FAILED (with the reason and detail) or an unexpected
     *                      termination, {@link ExitCodes#WAIT_TIMEOUT} when the time runs out
     */
    static int waitFor(BaseCommand c, String id, String target, WaitOptions w) {
        return waitFor(c, id, target, w, Duration.ZERO);
    }

    /**
     * Like {@link #waitFor(BaseCommand, String, String, WaitOptions)}; a 404 before the first state is retried for
     * up to {@code notFoundGrace} (within the wait timeout): the gateway answers a deploy before the orchestrator has
     * consumed the command, so a workload just requested is briefly unknown.
     */
    static int waitFor(BaseCommand c, String id, String target, WaitOptions w, Duration notFoundGrace) {
        if (w.interval.isNegative() || w.timeout.isNegative()) {
            throw c.usage("durations must not be negative");
        }
        Instant deadline = Instant.now().plus(w.timeout);
        Instant graceEnd = Instant.now().plus(notFoundGrace);
        String last = null;
        while (true) {
            JsonNode wl;
            try {
                wl = c.gateway().getJson("/api/v1/workloads/" + id);
            } catch (CliException e) {
                if (e.exitCode() != ExitCodes.NOT_FOUND || last != null || !Instant.now().isBefore(graceEnd)
                        || !Instant.now().isBefore(deadline)) {
                    throw e;
                }
                sleep(w.interval.isZero() ? Duration.ofMillis(200) : w.interval);
                continue;
            }
            String state = Json.text(wl, "state");
            if (state == null) {
                throw new CliException(ExitCodes.REFUSED, "the workload answer has no state");
            }
            if (!state.equals(last)) {
                String detail = Json.text(wl, "detail");
                c.progress("workload " + id + ": " + state + (detail == null ? "" : " (" + detail + ")"));
                last = state;
            }
            if (reached(state, target)) {
                c.output().message("workload " + id + " is " + state, wl);
                return ExitCodes.OK;
            }
            if (state.equals("FAILED")) {
                c.output().message("workload " + id + " is FAILED", wl);
                String reason = Json.text(wl, "reason");
                String detail = Json.text(wl, "detail");
                throw new CliException(ExitCodes.WORKLOAD_FAILED, "workload " + id + " FAILED: "
                        + (reason == null ? "no reason given" : reason) + (detail == null ? "" : ": " + detail));
            }
            if ((state.equals("TERMINATING") || state.equals("TERMINATED")) && !target.equals("TERMINATED")) {
                c.output().message("workload " + id + " is " + state, wl);
                throw new CliException(ExitCodes.WORKLOAD_FAILED, "workload " + id + " is " + state
                        + " while waiting for " + target);
            }
            if (!Instant.now().isBefore(deadline)) {
                throw new CliException(ExitCodes.WAIT_TIMEOUT, "workload " + id + " is still " + state + " after "
                        + w.timeout.toSeconds() + " s (waiting for " + target + ")");
            }
            sleep(w.interval);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.USAGE, "interrupted");
        }
    }

    static boolean reached(String state, String target) {
        if (state.equals(target)) {
            return true;
        }
        int s = PROGRESSION.indexOf(state);
        int t = PROGRESSION.indexOf(target);
        return s >= 0 && t >= 0 && s >= t;
    }

    @Command(name = "deploy", mixinStandardHelpOptions = true,
            description = {"Request a workload (POST /api/v1/workloads).",
                    "Either -f FILE with the request JSON, or --name/--image/--tee and the other options."})
    static final class Deploy extends BaseCommand {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Workload request JSON ('-' = stdin).")
        Path file;
        @Option(names = "--name", description = "Workload name (DNS-1123 label).")
        String name;
        @Option(names = "--namespace", description = "Namespace (default: default).")
        String namespace;
        @Option(names = "--image", description = "Image reference with registry host and tag or digest.")
        String image;
        @Option(names = "--tee", description = "snp, tdx or coco-dev.")
        String tee;
        @Option(names = "--resource", paramLabel = "REPO/TYPE/TAG",
                description = "KBS resource the workload may receive (repeatable).")
        List<String> resources;
        @Option(names = "--cpu", description = "CPU limit (Kubernetes quantity).")
        String cpu;
        @Option(names = "--memory", description = "Memory limit (Kubernetes quantity).")
        String memory;
        @Option(names = "--allow-exec", description = "Agent policy: allow exec into the container.")
        boolean allowExec;
        @Option(names = "--allow-logs", description = "Agent policy: allow reading container logs.")
        boolean allowLogs;
        @Option(names = "--idempotency-key", paramLabel = "KEY",
                description = "Idempotency-Key header (default: a random UUID).")
        String idempotencyKey;
        @Option(names = "--wait", description = "Wait until the workload is RUNNING (see workload wait).")
        boolean waitRunning;
        @ArgGroup(exclusive = false)
        WaitOptions waitOptions = new WaitOptions();

        @Override
        public Integer call() throws IOException {
            ObjectNode req;
            if (file != null) {
                if (name != null || image != null || tee != null) {
                    throw usage("give either -f or --name/--image/--tee, not both");
                }
                byte[] data = file.toString().equals("-") ? System.in.readNBytes(MAX_REQUEST_BYTES + 1)
                        : readFile(file);
                if (data.length > MAX_REQUEST_BYTES) {
                    throw usage("request larger than " + MAX_REQUEST_BYTES + " bytes");
                }
                req = Json.parseObject(data, file.toString(), ExitCodes.USAGE);
            } else {
                if (name == null || image == null || tee == null) {
                    throw usage("--name, --image and --tee are required (or -f FILE)");
                }
                req = Json.object();
                req.put("name", name);
                if (namespace != null) {
                    req.put("namespace", namespace);
                }
                req.put("image", image);
                req.put("tee", tee);
                if (resources != null) {
                    ArrayNode a = req.putArray("resources");
                    resources.forEach(a::add);
                }
                ObjectNode policy = req.putObject("agentPolicy");
                policy.put("allowExec", allowExec);
                policy.put("allowLogs", allowLogs);
                if (cpu != null || memory != null) {
                    ObjectNode limits = req.putObject("limits");
                    if (cpu != null) {
                        limits.put("cpu", cpu);
                    }
                    if (memory != null) {
                        limits.put("memory", memory);
                    }
                }
            }
            String key = idempotencyKey != null ? idempotencyKey : UUID.randomUUID().toString();
            JsonNode answer = gateway().exchange("POST", "/api/v1/workloads", Json.bytes(req), "application/json",
                    Map.of("Idempotency-Key", key)).require().json();
            String id = Json.text(answer, "id");
            if (!waitRunning) {
                output().message("workload " + id + " " + Json.text(answer, "status"), answer);
                return ExitCodes.OK;
            }
            if (id == null || !ID.matcher(id).matches()) {
                throw new CliException(ExitCodes.REFUSED, "the gateway's answer has no valid workload id");
            }
            progress("workload " + id + " requested");
            return waitFor(this, id, "RUNNING", waitOptions, DEPLOY_NOT_FOUND_GRACE);
        }

        private byte[] readFile(Path p) throws IOException {
            if (!Files.isRegularFile(p)) {
                throw usage("no such file: " + p);
            }
            if (Files.size(p) > MAX_REQUEST_BYTES) {
                throw usage("request larger than " + MAX_REQUEST_BYTES + " bytes");
            }
            return Files.readAllBytes(p);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List workloads, newest first.")
    static final class ListCmd extends BaseCommand {
        @Option(names = "--limit", description = "Page size 1..100 (default: 50).")
        int limit = 50;
        @Option(names = "--offset", description = "Offset (default: 0).")
        long offset;

        @Override
        public Integer call() {
            JsonNode list = gateway().getJson("/api/v1/workloads?limit=" + limit + "&offset=" + offset);
            output().list(list, COLUMNS);
            return ExitCodes.OK;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show one workload with its history.")
    static final class Get extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "Workload id.")
        String id;

        @Override
        public Integer call() {
            output().object(gateway().getJson("/api/v1/workloads/" + checkId(this, id)));
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Request deletion of a workload.")
    static final class Delete extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "Workload id.")
        String id;
        @Option(names = "--wait", description = "Wait until the workload is TERMINATED.")
        boolean waitTerminated;
        @ArgGroup(exclusive = false)
        WaitOptions waitOptions = new WaitOptions();

        @Override
        public Integer call() {
            HttpResult r = gateway().exchange("DELETE", "/api/v1/workloads/" + checkId(this, id), null, null,
                    Map.of()).require();
            if (waitTerminated) {
                progress("workload " + id + ": deletion requested");
                return waitFor(this, id, "TERMINATED", waitOptions);
            }
            ObjectNode o = Json.object().put("id", id).put("status", r.status());
            output().message("workload " + id + ": deletion requested", o);
            return ExitCodes.OK;
        }
    }

    @Command(name = "wait", mixinStandardHelpOptions = true,
            description = {"Wait until a workload reaches a state, showing each state change on stderr.",
                    "Exit 5 when it FAILED (the reason is printed), 7 on timeout."})
    static final class Wait extends BaseCommand {
        @Parameters(paramLabel = "ID", description = "Workload id.")
        String id;
        @Option(names = "--for", paramLabel = "STATE",
                description = "SCHEDULED, ATTESTED, RUNNING (default) or TERMINATED.")
        String target = "RUNNING";
        @ArgGroup(exclusive = false)
        WaitOptions waitOptions = new WaitOptions();

        @Override
        public Integer call() {
            String t = target.toUpperCase(java.util.Locale.ROOT);
            if (!List.of("SCHEDULED", "ATTESTED", "RUNNING", "TERMINATED").contains(t)) {
                throw usage("--for must be SCHEDULED, ATTESTED, RUNNING or TERMINATED");
            }
            return waitFor(this, checkId(this, id), t, waitOptions);
        }
    }
}
