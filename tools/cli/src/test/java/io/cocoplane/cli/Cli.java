package io.cocoplane.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import picocli.CommandLine;

/** Runs {@code cococtl} in-process through picocli {@link CommandLine#execute} with captured stdout and stderr. */
final class Cli {

    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private Cli() {
    }

    /** Environment with a private config dir, the stub gateway and a token. */
    static Map<String, String> env(Path configDir, String gateway) {
        Map<String, String> env = new HashMap<>();
        env.put("COCOPLANE_CONFIG_DIR", configDir.toString());
        env.put("HOME", configDir.toString());
        if (gateway != null) {
            env.put("COCOPLANE_GATEWAY", gateway);
            env.put("COCOPLANE_TOKEN", "test-token");
        }
        return env;
    }

    static Run run(Map<String, String> env, String... args) {
        CommandLine cl = CocoCtl.commandLine(env);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }
}
