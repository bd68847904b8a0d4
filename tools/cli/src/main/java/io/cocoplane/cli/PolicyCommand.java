package io.cocoplane.cli;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code cococtl policy set}: the key broker's resource policy or an attestation policy (role admin). */
@Command(name = "policy", mixinStandardHelpOptions = true, description = "Set key broker and attestation policies.",
        subcommands = {PolicyCommand.Set.class})
final class PolicyCommand {

    private PolicyCommand() {
    }

    @Command(name = "set", mixinStandardHelpOptions = true,
            description = {"Set a policy from a file (JSON or Rego, at most 256 KiB).",
                    "  policy set resource -f FILE          (PUT /api/v1/policies/resource)",
                    "  policy set attestation ID -f FILE    (PUT /api/v1/policies/attestation/ID)"})
    static final class Set extends BaseCommand {
        @Parameters(index = "0", paramLabel = "KIND", description = "resource or attestation.")
        String kind;
        @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "Attestation policy id.")
        String id;
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "Policy ('-' = stdin).")
        String file;
        @Option(names = "--content-type", description = "Content type (default: application/json for JSON, else "
                + "text/plain).")
        String contentType;

        @Override
        public Integer call() throws IOException {
            String path = switch (kind.toLowerCase(Locale.ROOT)) {
                case "resource" -> {
                    if (id != null) {
                        throw usage("the resource policy has no id");
                    }
                    yield "/api/v1/policies/resource";
                }
                case "attestation" -> {
                    if (id == null) {
                        throw usage("an attestation policy needs an ID");
                    }
                    yield "/api/v1/policies/attestation/" + Bodies.name(this, id, "policy id");
                }
                default -> throw usage("KIND must be resource or attestation");
            };
            byte[] body = Bodies.read(this, file, Bodies.MAX_BODY_BYTES);
            HttpResult r = gateway().exchange("PUT", path, body,
                    contentType != null ? contentType : Bodies.guessContentType(body), Map.of()).require();
            JsonNode answer = r.body().length == 0 ? Json.object() : r.json();
            output().message(kind + " policy" + (id == null ? "" : " " + id) + " set", answer);
            return ExitCodes.OK;
        }
    }
}
