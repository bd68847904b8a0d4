package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands that need no running stack, and {@code down} finding what a dead supervisor left behind. */
class CocoplaneLocalTest {

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] all = new String[args.length + 4];
        all[0] = "--root";
        all[1] = dir.toString();
        all[2] = "--home";
        all[3] = dir.resolve("local").toString();
        System.arraycopy(args, 0, all, 4, args.length);
        int code = CocoplaneLocal.execute(all, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void statusWithoutAStackAnswersNotRunning() {
        Run r = run("status");
        assertThat(r.code()).isEqualTo(StatusReport.NOT_RUNNING);
        assertThat(r.out()).contains("no local stack is running");
    }

    @Test
    void downWithoutAStackIsANoOp() {
        Run r = run("down");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("no local stack is running");
    }

    @Test
    void upWithoutServiceJarsSaysHowToBuildThem() {
        Run r = run("up");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no runnable jar for gateway").contains("bin/cocoplane builds them");
    }

    @Test
    void demoWithoutAStackSaysHowToStartIt() {
        Run r = run("demo");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no stack is running").contains("bin/cocoplane up --detach");
        assertThat(r.out()).doesNotContain("[1/7]");
    }

    @Test
    void resetDeletesTheStackDirectory() throws Exception {
        StackPaths paths = new StackPaths(dir.resolve("local"));
        paths.create();
        Files.writeString(paths.credentials(), "x");
        Run r = run("reset");
        assertThat(r.code()).isZero();
        assertThat(paths.home()).doesNotExist();
        assertThat(run("reset").out()).contains("nothing to reset");
    }

    @Test
    void resetIsRefusedWhileTheSupervisorRuns() {
        StackPaths paths = new StackPaths(dir.resolve("local"));
        paths.create();
        ProcessHandle self = ProcessHandle.current();
        new StackState(StackState.Phase.READY, self.pid(), self.info().startInstant().orElseThrow(),
                paths.home().toString(), Ports.standard(), Instant.now(), Instant.now(), List.of(), "none", true)
                .write(paths.stateFile());
        Run r = run("reset");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("is running");
        assertThat(paths.stateFile()).exists();
    }

    @Test
    void downStopsWhatADeadSupervisorLeftBehind() throws Exception {
        StackPaths paths = new StackPaths(dir.resolve("local"));
        paths.create();
        Process leftover = new ProcessBuilder("sleep", "300").start();
        try {
            Instant start = leftover.info().startInstant().orElseThrow();
            new StackState(StackState.Phase.READY, Long.MAX_VALUE - 1, null, paths.home().toString(),
                    Ports.standard(), Instant.now(), Instant.now(),
                    List.of(new StackState.Child("kafka", leftover.pid(), start, 9092, "kafka.log")), "none", true)
                    .write(paths.stateFile());

            Run status = run("status");
            assertThat(status.code()).isEqualTo(StatusReport.DEGRADED);
            assertThat(status.out()).contains("SUPERVISOR GONE").contains("kafka").contains("running");

            Run down = run("down");
            assertThat(down.code()).isZero();
            assertThat(down.out()).contains("stopped leftover kafka (pid " + leftover.pid() + ")");
            assertThat(leftover.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(paths.stateFile()).doesNotExist();
        } finally {
            leftover.destroyForcibly();
        }
    }
}
