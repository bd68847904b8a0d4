package io.cocoplane.cli;

import java.io.IOException;
import java.util.Map;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code cococtl refvalue put}: attestation reference values (role admin). */
@Command(name = "refvalue", mixinStandardHelpOptions = true, description = "Manage attestation reference values.",
        subcommands = {RefValueCommand.Put.class})
final class RefValueCommand {

    private RefValueCommand() {
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store reference values from a JSON file (PUT /api/v1/reference-values/NAME).")
    static final class Put extends BaseCommand {
        @Parameters(paramLabel = "NAME", description = "Reference value name.")
        String name;
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "Values ('-' = stdin).")
        String file;
        @Option(names = "--content-type", description = "Content type (default: application/json).")
        String contentType = "application/json";

        @Override
        public Integer call() throws IOException {
            String n = Bodies.name(this, name, "reference value name");
            byte[] body = Bodies.read(this, file, Bodies.MAX_BODY_BYTES);
            HttpResult r = gateway().exchange("PUT", "/api/v1/reference-values/" + n, body, contentType, Map.of())
                    .require();
            JsonNode answer = r.body().length == 0 ? Json.object() : r.json();
            output().message("reference values " + n + " stored", answer);
            return ExitCodes.OK;
        }
    }
}
