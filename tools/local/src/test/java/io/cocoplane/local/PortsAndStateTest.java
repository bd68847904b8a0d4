package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsAndStateTest {

    @TempDir
    Path dir;

    @Test
    void standardPortsAreThoseOfArchitectureSection6() {
        assertThat(Ports.standard().byComponent()).containsExactly(
                java.util.Map.entry("gateway", 8080), java.util.Map.entry("keybroker", 8081),
                java.util.Map.entry("attestation", 8082), java.util.Map.entry("orchestrator", 8083),
                java.util.Map.entry("audit", 8084), java.util.Map.entry("registry", 5000),
                java.util.Map.entry("kafka", 9092), java.util.Map.entry("kafka-controller", 9093),
                java.util.Map.entry("postgres", 5433), java.util.Map.entry("kubernetes", 6443));
    }

    @Test
    void aPortGivenTwiceOrOutOfRangeIsRefused() {
        assertThatThrownBy(() -> new Ports(8080, 8080, 8082, 8083, 8084, 5000, 9092, 9093, 5433, 6443))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8080");
        assertThatThrownBy(() -> new Ports(0, 8081, 8082, 8083, 8084, 5000, 9092, 9093, 5433, 6443))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("out of range");
    }

    @Test
    void aTakenPortIsNamedWithItsComponent() throws Exception {
        Ports free = Ports.free();
        assertThat(free.taken()).isEmpty();
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), free.registry()));
            assertThat(free.taken()).containsExactly(free.registry() + " (registry)");
        }
    }

    @Test
    void stateRoundTripsAndRecognisesTheLiveProcess() {
        ProcessHandle self = ProcessHandle.current();
        Instant start = self.info().startInstant().orElseThrow();
        StackState s = new StackState(StackState.Phase.STARTING, self.pid(), start, dir.toString(), Ports.standard(),
                Instant.now(), null, List.of(), "none", true)
                .with(new StackState.Child("kafka", self.pid(), start, 9092, "kafka.log"))
                .withPhase(StackState.Phase.READY);
        Path file = dir.resolve("state.json");
        s.write(file);

        StackState read = StackState.read(file).orElseThrow();
        assertThat(read).isEqualTo(s);
        assertThat(read.readyAt()).isNotNull();
        assertThat(read.supervisor()).map(ProcessHandle::pid).contains(self.pid());
        assertThat(read.processes().get(0).handle()).isPresent();
    }

    @Test
    void aRestartedChildReplacesItsEarlierEntry() {
        StackState s = new StackState(StackState.Phase.READY, 1, null, dir.toString(), Ports.standard(),
                Instant.now(), null, List.of(), "none", true)
                .with(new StackState.Child("kafka", 10, null, 9092, "kafka.log"))
                .with(new StackState.Child("audit", 11, null, 8084, "audit.log"))
                .with(new StackState.Child("kafka", 12, null, 9092, "kafka.log"));
        assertThat(s.processes()).extracting(StackState.Child::name, StackState.Child::pid)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("kafka", 12L),
                        org.assertj.core.groups.Tuple.tuple("audit", 11L));
    }

    @Test
    void aReusedPidIsNotTakenForTheRecordedProcess() {
        ProcessHandle self = ProcessHandle.current();
        Instant otherStart = self.info().startInstant().orElseThrow().minusSeconds(3600);
        StackState.Child c = new StackState.Child("gateway", self.pid(), otherStart, 8080, "gateway.log");
        assertThat(c.handle()).isEmpty();
        assertThat(new StackState.Child("gone", Long.MAX_VALUE - 1, null, 1, "x").handle()).isEmpty();
    }

    @Test
    void aDamagedStateFileSaysWhatToDo() throws Exception {
        Path file = dir.resolve("state.json");
        assertThat(StackState.read(file)).isEmpty();
        Files.writeString(file, "{not json");
        assertThatThrownBy(() -> StackState.read(file)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("delete it");
    }

    @Test
    void memoryOfTheCurrentJvmIsRead() {
        ProcessMemory m = ProcessMemory.ofProcess(ProcessHandle.current().pid());
        assertThat(m.processes()).isEqualTo(1);
        assertThat(m.rss()).isGreaterThan(10L * 1024 * 1024);
        assertThat(m.pss()).isPositive().isLessThanOrEqualTo(m.rss());
        assertThat(ProcessMemory.ofProcess(Long.MAX_VALUE - 1)).isEqualTo(ProcessMemory.NONE);
        assertThat(ProcessMemory.human(1536L * 1024 * 1024)).isEqualTo("1.50 GiB");
        assertThat(ProcessMemory.human(200L * 1024 * 1024)).isEqualTo("200.0 MiB");
    }
}
