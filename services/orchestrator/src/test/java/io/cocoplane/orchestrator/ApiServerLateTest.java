package io.cocoplane.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.orchestrator.k8s.PodPlanner;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * Regression (seen under load in the local stack and the benchmarks): the orchestrator exited at start-up when the
 * Kubernetes API server did not answer its informers' first list in time ("Failed to start bean 'podWatcher'"). It
 * now starts without the API server, reconciles nothing while its pod cache is incomplete, and watches pods once the
 * API server answers.
 */
@TestInfra(schema = "orchestrator")
class ApiServerLateTest {

    @Test
    void anOrchestratorStartedBeforeItsApiServerWatchesPodsOnceTheApiServerAnswers() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Map<String, Object> props = new HashMap<>(TestSupport.PROPERTIES);
        props.put("cocoplane.orchestrator.kubernetes.master-url", "http://127.0.0.1:" + port);
        KubernetesMockServer server = null;
        try (ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorApplication.class)
                .properties(props).run()) {
            PodWatcher watcher = ctx.getBean(PodWatcher.class);
            assertThat(watcher.isRunning()).isTrue();
            assertThat(watcher.synced()).as("nothing answers on port %d yet", port).isFalse();

            server = new KubernetesMockServer(new Context(Serialization.jsonMapper()), new MockWebServer(),
                    new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), false);
            server.init(InetAddress.getByName("127.0.0.1"), port);
            KubernetesClient client = server.createClient();
            client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName("late-pod")
                    .addToLabels(PodPlanner.WORKLOAD_LABEL, "wl-late").endMetadata().build()).create();

            await().atMost(Duration.ofSeconds(120)).until(watcher::synced);
            await().atMost(Duration.ofSeconds(30)).until(() -> watcher.cached("default", "late-pod").isPresent());
            assertThat(watcher.cached("default", "late-pod").orElseThrow().getMetadata().getLabels())
                    .containsEntry(PodPlanner.WORKLOAD_LABEL, "wl-late");
        } finally {
            if (server != null) {
                server.destroy();
            }
        }
    }
}
