package io.cocoplane.cli;

import picocli.CommandLine.Command;

/** {@code cococtl logout}: deletes {@code config.json} (the remembered audit checkpoint stays). */
@Command(name = "logout", mixinStandardHelpOptions = true,
        description = "Delete the stored gateway URL and credentials (config.json).")
final class LogoutCommand extends BaseCommand {

    @Override
    public Integer call() {
        boolean deleted = root().config().delete(ConfigStore.CONFIG_FILE);
        output().message(deleted ? "Logged out" : "Not logged in", Json.object().put("deleted", deleted));
        return ExitCodes.OK;
    }
}
