package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault operations of {@link LocalStack} (used by {@code tools/reliability}, which exercises them on a running
 * stack) refuse to act on a stack that is not ready, with a message naming its phase.
 */
class LocalStackFaultOperationsTest {

    @TempDir
    Path dir;

    private LocalStack notStarted() throws Exception {
        Map<ServiceName, Path> jars = new EnumMap<>(ServiceName.class);
        for (ServiceName s : ServiceName.values()) {
            jars.put(s, Files.createFile(dir.resolve(s.id() + "-exec.jar")));
        }
        return new LocalStack(LocalStack.Options.defaults(new StackPaths(dir.resolve("local")), Ports.free(), jars),
                (c, m) -> { });
    }

    @Test
    void faultOperationsNeedAReadyStack() throws Exception {
        LocalStack stack = notStarted();
        assertThatThrownBy(() -> stack.killService(ServiceName.AUDIT)).isInstanceOf(LocalStack.StackException.class)
                .hasMessage("the stack is not ready (not started)");
        assertThatThrownBy(() -> stack.startServices(ServiceName.AUDIT))
                .hasMessage("the stack is not ready (not started)");
        assertThatThrownBy(() -> stack.stopKafka(Duration.ZERO)).hasMessage("the stack is not ready (not started)");
        assertThatThrownBy(stack::startKafka).hasMessage("the stack is not ready (not started)");
        assertThatThrownBy(() -> stack.restartPostgres(Duration.ZERO))
                .hasMessage("the stack is not ready (not started)");
        stack.close();
        assertThatThrownBy(stack::startKafka).hasMessage("the stack is not ready (closed)");
    }
}
