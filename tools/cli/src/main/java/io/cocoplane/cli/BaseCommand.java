package io.cocoplane.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Common plumbing of the leaf commands: the root's options, stdout/stderr of the command line, the gateway client.
 */
abstract class BaseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    CocoCtl root() {
        return (CocoCtl) spec.root().userObject();
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    boolean json() {
        return root().output == CocoCtl.Format.json;
    }

    GatewayClient gateway() {
        return root().gateway(err());
    }

    Output output() {
        return new Output(out(), root().output);
    }

    /** Prints a progress or status line on stderr unless --quiet. */
    void progress(String line) {
        if (!root().quiet) {
            err().println(line);
            err().flush();
        }
    }

    ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
