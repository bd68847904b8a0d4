package io.cocoplane.cli;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code cococtl secret put|delete|list}: key broker resources through {@code /api/v1/secrets} (role admin). */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = "Store, delete and list key broker secrets (KBS resources <repository>/<type>/<tag>).",
        subcommands = {SecretCommand.Put.class, SecretCommand.Delete.class, SecretCommand.ListCmd.class})
final class SecretCommand {

    private SecretCommand() {
    }

    @Command(name = "put", mixinStandardHelpOptions = true,
            description = "Store a secret value (bytes as they are, at most 1 MiB). The value is never printed.")
    static final class Put extends BaseCommand {
        @Parameters(paramLabel = "REPOSITORY/TYPE/TAG", description = "KBS resource path.")
        String path;

        static final class Source {
            @Option(names = "--from-file", paramLabel = "FILE", required = true,
                    description = "Read the value from FILE ('-' = stdin).")
            String file;
        }

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        @Override
        public Integer call() throws IOException {
            String p = Bodies.kbsPath(this, path);
            byte[] value = Bodies.read(this, source.file, Bodies.MAX_SECRET_BYTES);
            JsonNode answer = gateway().exchange("PUT", "/api/v1/secrets/" + p, value, "application/octet-stream",
                    Map.of()).require().json();
            output().message("secret " + p + " stored (" + value.length + " bytes)", answer);
            return ExitCodes.OK;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a secret.")
    static final class Delete extends BaseCommand {
        @Parameters(paramLabel = "REPOSITORY/TYPE/TAG", description = "KBS resource path.")
        String path;

        @Override
        public Integer call() {
            String p = Bodies.kbsPath(this, path);
            gateway().exchange("DELETE", "/api/v1/secrets/" + p, null, null, Map.of()).require();
            ObjectNode o = Json.object().put("path", p).put("deleted", true);
            output().message("secret " + p + " deleted", o);
            return ExitCodes.OK;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List secrets (metadata only).")
    static final class ListCmd extends BaseCommand {
        @Override
        public Integer call() {
            JsonNode answer = gateway().getJson("/api/v1/secrets");
            JsonNode list = answer.isArray() ? answer : answer.path("resources");
            if (!list.isArray()) {
                throw new CliException(ExitCodes.REFUSED, "the secrets answer holds no list");
            }
            output().list(list, List.of(new Output.Column("PATH", "path"), new Output.Column("VERSION", "version"),
                    new Output.Column("SIZE", "size"), new Output.Column("CONTENT-TYPE", "contentType"),
                    new Output.Column("UPDATED", "updatedAt"), new Output.Column("BY", "updatedBy")));
            return ExitCodes.OK;
        }
    }
}
