package io.cocoplane.local.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.cocoplane.cli.CocoCtl;
import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.katasim.AgentPolicyText;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code bin/cocoplane demo} (issue 9 §3): the seed's live story against a running local stack, seven steps, each
 * printed as {@code [n/7] <what> ... OK (<facts>)} or {@code ... FAILED (<reason>)}; the run stops at the first
 * failure. Every call goes through the gateway with the development tokens of {@code <home>/tokens} by running
 * {@code cococtl} in-process ({@link CocoCtl#commandLine(Map)}); the pod's agent policy is read from the simulated
 * Kubernetes API ({@code <home>/kubeconfig}); the tamper entry goes to {@code <home>/tamper.properties}.
 */
public final class Demo {

    /** Workload label the orchestrator puts on its pods (orchestrator {@code PodPlanner.WORKLOAD_LABEL}). */
    static final String WORKLOAD_LABEL = "cocoplane.io/workload-id";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int STEPS = 7;

    private final Path home;
    private final String gateway;
    private final String registry;
    private final PrintWriter out;
    private final Path work;
    private final String runId;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param home     the stack directory ({@code .cocoplane/local}): tokens, kubeconfig, tamper file
     * @param gateway  gateway base URL, e.g. {@code http://127.0.0.1:8080}
     * @param registry the registry's {@code host:port} (plain HTTP, loopback), e.g. {@code 127.0.0.1:5000}
     * @param out      where the step lines go
     * @throws IOException when the demo's working directory cannot be created
     */
    public Demo(Path home, String gateway, String registry, PrintWriter out) throws IOException {
        this.home = home;
        this.gateway = gateway;
        this.registry = registry;
        this.out = out;
        this.work = Files.createDirectories(home.resolve("demo"));
        this.runId = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36);
    }

    /** A failed step: its message is the reason printed after FAILED. */
    static final class StepFailed extends Exception {
        StepFailed(String message) {
            super(message);
        }
    }

    /**
     * Output of one in-process cococtl run.
     *
     * @param code the exit code ({@code ExitCodes} of tools/cli; 0 = OK)
     * @param out  standard output
     * @param err  standard error
     */
    public record Ctl(int code, String out, String err) {
        /** @return standard output as one JSON document (commands run with {@code --output json}) */
        public JsonNode json() {
            return JSON.readTree(out);
        }
    }

    /**
     * Runs {@code cococtl} in this JVM ({@link CocoCtl#commandLine(Map)}) with {@code --quiet} added.
     *
     * @param work    its {@code HOME}; {@code <work>/cococtl} is its {@code COCOPLANE_CONFIG_DIR}
     * @param gateway gateway base URL ({@code COCOPLANE_GATEWAY})
     * @param token   the bearer token it sends ({@code COCOPLANE_TOKEN})
     * @param args    the command line
     * @return exit code and output
     */
    public static Ctl cococtl(Path work, String gateway, String token, String... args) {
        Map<String, String> env = new HashMap<>();
        env.put("COCOPLANE_CONFIG_DIR", work.resolve("cococtl").toString());
        env.put("COCOPLANE_GATEWAY", gateway);
        env.put("COCOPLANE_TOKEN", token);
        env.put("HOME", work.toString());
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        picocli.CommandLine cl = CocoCtl.commandLine(env);
        cl.setOut(new PrintWriter(o, true));
        cl.setErr(new PrintWriter(e, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--quiet");
        int code = cl.execute(all.toArray(String[]::new));
        return new Ctl(code, o.toString(), e.toString());
    }

    /**
     * Runs the seven steps.
     *
     * @return 0 when every step did what it should, 1 at the first failure
     */
    public int run() {
        String name = "llm-chat-" + runId;
        String tampered = "llm-chat-tampered-" + runId;
        String repo = "demo/llm-chat";
        String tag = runId;
        String image = registry + "/" + repo + ":" + tag;
        String keyName = "llm-chat-" + tag;
        String modelSecret = "default/llm-chat/model-key-" + runId;
        String[] workloadId = new String[1];
        try {
            // pin the log's current checkpoint: step 7 proves consistency from here
            // (a fresh stack may have no checkpoint yet: then step 7 trusts its first one)
            Ctl pin = ctl("auditor", "audit", "verify", "--reset", "--no-inclusion");
            long startSize = pin.code() == 0 ? treeSize(pin) : -1;
            step(1, "build the llm-chat image (OCI layout in Java)", () -> {
                String digest = LlmChatImage.write(work.resolve("llm-chat-oci"));
                return "manifest " + digest + ", 3 files: weights.bin, tokenizer.json, serve.sh";
            });
            step(2, "encrypt it (CoCo key provider) and push it", () -> {
                Ctl c = ctl("admin", "image", "encrypt", "oci:" + work.resolve("llm-chat-oci") + ":" + LlmChatImage.TAG,
                        "--dest", "docker://" + image, "--key-name", keyName, "--plain-http", "--output", "json");
                require(c, "image encrypt");
                JsonNode j = c.json();
                return image + "@" + text(j, "digest", "manifestDigest") + ", key kbs:///default/image-kek/" + keyName;
            });
            step(3, "store the model secret, register reference values", () -> {
                Path secret = work.resolve("model-key");
                Files.writeString(secret, "model-key-" + runId);
                require(ctl("admin", "secret", "put", modelSecret, "--from-file", secret.toString()), "secret put");
                refValue("launch_digest", List.of("abcde"));
                refValue("svn", List.of("1"));
                refValue("major_version", 1);
                refValue("minimum_minor_version", 4);
                return "secret " + modelSecret + "; launch_digest [abcde], svn [1], major_version 1, "
                        + "minimum_minor_version 4";
            });
            step(4, "deploy " + name + " as deployer and follow it to RUNNING", () -> {
                Ctl c = deploy(name, image, keyName, modelSecret);
                JsonNode j = lastJson(c);
                workloadId[0] = j.path("id").asString(null);
                if (c.code() != 0 || !"RUNNING".equals(j.path("state").asString(""))) {
                    throw new StepFailed("workload deploy --wait exited " + c.code() + ": " + c.err().strip());
                }
                return "workload " + workloadId[0] + " " + j.path("state").asString() + ", image "
                        + j.path("imageDigest").asString(j.path("requestedImage").asString(image));
            });
            step(5, "exec into the pod is blocked", () -> {
                AgentPolicyText.Decision d = execRule(workloadId[0]);
                if (d.allowed()) {
                    throw new StepFailed("the agent policy allows exec: " + d.rule());
                }
                return d.denialMessage();
            });
            step(6, "deploy a tampered " + tampered + " (WRONG_MEASUREMENT): denied its key", () -> {
                Files.writeString(home.resolve("tamper.properties"), tampered + "=WRONG_MEASUREMENT\n",
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
                // same image and options as the first: only the workload id in the init-data tells them apart, and
                // the first must stay RUNNING (evidence is bound to a workload by its init-data digest)
                Ctl c = deploy(tampered, image, keyName, modelSecret);
                JsonNode j = lastJson(c);
                String id = j.path("id").asString("?");
                String status = j.path("state").asString("");
                String reason = j.path("reason").asString("") + ": " + j.path("detail").asString("");
                if (!"FAILED".equals(status)) {
                    throw new StepFailed("workload " + id + " is " + status + ", not FAILED (exit " + c.code()
                            + " " + c.err().strip() + ")");
                }
                if (!List.of("KEY_DENIED", "ATTESTATION_FAILED", "IMAGE_DECRYPT_FAILED")
                        .contains(j.path("reason").asString(""))) {
                    throw new StepFailed("workload " + id + " FAILED for another reason: " + reason);
                }
                List<JsonNode> denials = auditEntries(id).stream().filter(e -> {
                    String type = e.path("type").asString("");
                    return type.contains("key.denied") || type.contains("attestation.completed")
                            && !"affirming".equals(leafData(e).path("status").asString(""));
                }).toList();
                if (denials.isEmpty()) {
                    throw new StepFailed("workload " + id + " FAILED (" + reason.strip() + ") but the audit log has "
                            + "no key.denied or failed attestation.completed for it");
                }
                JsonNode first = get(workloadId[0]);
                if (!"RUNNING".equals(first.path("state").asString(""))) {
                    throw new StepFailed("the tampered workload's denial hit " + workloadId[0] + ": it is "
                            + first.path("state").asString() + " " + first.path("detail").asString(""));
                }
                JsonNode denial = denials.stream().filter(e -> e.path("type").asString("").contains("key.denied"))
                        .findFirst().orElse(denials.getFirst());
                return "workload " + id + " FAILED " + j.path("reason").asString("") + "; audit #"
                        + denial.path("index").asLong() + " " + denial.path("type").asString() + " ("
                        + leafData(denial).path("reason").asString(leafData(denial).path("status").asString(""))
                        + "); " + workloadId[0] + " still RUNNING";
            });
            step(7, "verify the audit log", () -> {
                List<JsonNode> mine = auditEntries(workloadId[0]);
                long newest = mine.stream().mapToLong(e -> e.path("index").asLong()).max().orElse(-1);
                // the audit service signs checkpoints periodically: wait (up to 60 s) for one that holds them all
                long size;
                long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (true) {
                    size = treeSize(ctl("auditor", "audit", "verify"));
                    if (size > newest || System.nanoTime() > until) {
                        break;
                    }
                    Thread.sleep(2000);
                }
                for (JsonNode e : mine) {
                    require(ctl("auditor", "audit", "prove", Long.toString(e.path("index").asLong())),
                            "audit prove " + e.path("index").asLong());
                }
                if (mine.isEmpty()) {
                    throw new StepFailed("no audit entries for workload " + workloadId[0]);
                }
                return "checkpoint signature OK, tree size " + size + ", " + mine.size() + " inclusion proofs of "
                        + workloadId[0] + "'s events OK, " + (startSize < 0 ? "no checkpoint before the run"
                        : "consistent with size " + startSize);
            });
            out.println("demo OK");
            return 0;
        } catch (StepFailed e) {
            return 1;
        } catch (Exception e) {
            out.println("demo FAILED before its steps: " + e.getMessage());
            return 1;
        } finally {
            out.flush();
        }
    }

    interface Body {
        String run() throws Exception;
    }

    private void step(int n, String what, Body body) throws StepFailed {
        out.printf("[%d/%d] %s ... ", n, STEPS, what);
        out.flush();
        try {
            String facts = body.run();
            out.println("OK (" + facts + ")");
            out.flush();
        } catch (Exception e) {
            out.println("FAILED (" + e.getMessage() + ")");
            out.flush();
            throw new StepFailed(e.getMessage());
        }
    }

    /** {@code workload deploy --wait} as deployer; the answer's last JSON document is the workload's last state. */
    private Ctl deploy(String name, String image, String keyName, String secret, String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of("workload", "deploy", "--name", name, "--image", image, "--tee",
                "coco-dev", "--resource", "default/image-kek/" + keyName, "--resource", secret, "--wait",
                "--interval", "1s", "--wait-timeout", "5m", "--output", "json"));
        args.addAll(List.of(extra));
        return ctl("deployer", args.toArray(String[]::new));
    }

    private JsonNode get(String id) throws Exception {
        Ctl c = ctl("deployer", "workload", "get", id, "--output", "json");
        require(c, "workload get " + id);
        return c.json();
    }

    private static JsonNode lastJson(Ctl c) throws StepFailed {
        try {
            return c.json();
        } catch (RuntimeException e) {
            throw new StepFailed("no workload in the answer (exit " + c.code() + "): " + c.err().strip());
        }
    }

    private void refValue(String name, Object value) throws Exception {
        String payload = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(Map.of(name, value)));
        Path f = work.resolve("rv-" + name + ".json");
        Files.write(f, JSON.writeValueAsBytes(Map.of("version", "0.1.0", "type", "sample", "payload", payload)));
        require(ctl("admin", "refvalue", "put", name, "-f", f.toString()), "refvalue put " + name);
    }

    private static long treeSize(Ctl c) throws StepFailed {
        require(c, "audit verify");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("size (\\d+)").matcher(c.out() + c.err());
        if (!m.find()) {
            throw new StepFailed("audit verify printed no tree size: " + c.out().strip());
        }
        return Long.parseLong(m.group(1));
    }

    /** The audit entries whose subject or data names {@code id} (all pages, 500 at a time). */
    private List<JsonNode> auditEntries(String id) throws Exception {
        List<JsonNode> found = new ArrayList<>();
        Long after = null;
        for (int page = 0; page < 200; page++) {
            String path = "/api/v1/audit/entries?limit=500" + (after == null ? "" : "&after=" + after);
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(gateway + path))
                    .header("Authorization", "Bearer " + token("auditor")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new StepFailed("GET " + path + ": " + r.statusCode() + " " + r.body());
            }
            JsonNode body = JSON.readTree(r.body());
            for (JsonNode e : body.path("entries")) {
                after = e.path("index").asLong();
                if (id.equals(e.path("subject").asString("")) || id.equals(leafData(e).path("workloadId")
                        .asString(""))) {
                    found.add(e);
                }
            }
            JsonNode next = body.get("next");
            if (next == null || next.isNull() || body.path("entries").isEmpty()) {
                break;
            }
        }
        return found;
    }

    /** The {@code data} of the CloudEvent an audit entry's {@code leaf} (base64 of the event's JSON) holds. */
    static JsonNode leafData(JsonNode entry) {
        String leaf = entry.path("leaf").asString("");
        if (leaf.isEmpty()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(Base64.getDecoder().decode(leaf)).path("data");
        } catch (RuntimeException e) {
            return JSON.missingNode();
        }
    }

    private AgentPolicyText.Decision execRule(String workloadId) throws Exception {
        Config config = Config.fromKubeconfig(Files.readString(home.resolve("kubeconfig")));
        try (KubernetesClient k8s = new KubernetesClientBuilder().withConfig(config).build()) {
            List<Pod> pods = k8s.pods().inAnyNamespace().withLabel(WORKLOAD_LABEL, workloadId).list().getItems();
            if (pods.isEmpty()) {
                throw new StepFailed("no pod labelled " + WORKLOAD_LABEL + "=" + workloadId);
            }
            Pod pod = pods.getFirst();
            String value = pod.getMetadata().getAnnotations() == null ? null
                    : pod.getMetadata().getAnnotations().get(InitDataAnnotation.KEY);
            if (value == null) {
                throw new StepFailed("pod " + pod.getMetadata().getName() + " has no init-data annotation");
            }
            String rego = InitDataAnnotation.decode(value).initData().get(InitData.POLICY_REGO);
            if (rego == null) {
                throw new StepFailed("init-data of pod " + pod.getMetadata().getName() + " has no policy.rego");
            }
            return AgentPolicyText.decide(rego, "ExecProcessRequest");
        }
    }

    private String token(String role) throws IOException {
        return Files.readString(home.resolve("tokens").resolve(role + ".jwt")).strip();
    }

    private Ctl ctl(String role, String... args) throws IOException {
        return cococtl(work, gateway, token(role), args);
    }

    private static Ctl require(Ctl c, String what) throws StepFailed {
        if (c.code() != 0) {
            throw new StepFailed(what + " exited " + c.code() + ": " + (c.err() + " " + c.out()).strip());
        }
        return c;
    }

    private static String text(JsonNode j, String... names) {
        for (String n : names) {
            if (j.hasNonNull(n)) {
                return j.get(n).asString();
            }
        }
        return "?";
    }
}
