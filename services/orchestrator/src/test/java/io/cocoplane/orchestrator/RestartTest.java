package io.cocoplane.orchestrator;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.cocoplane.contracts.AgentPolicyOptions;
import io.cocoplane.contracts.AttestationCompleted;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.Topics;
import io.cocoplane.contracts.WorkloadRequested;
import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.orchestrator.domain.WorkloadState;
import io.cocoplane.orchestrator.k8s.PodPlanner;
import io.cocoplane.orchestrator.persistence.WorkloadRepository;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;

/**
 * An orchestrator stopped in the middle of a workload's life and started again (a new application context on the
 * same database, topics and API server) carries on: no second pod, no lost and no repeated transition.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@TestInfra(schema = "orchestrator")
class RestartTest {

    static KubernetesClient client;

    private final List<ConfigurableApplicationContext> started = new ArrayList<>();

    private ConfigurableApplicationContext startOrchestrator() {
        Map<String, Object> props = new java.util.HashMap<>(TestSupport.PROPERTIES);
        props.put("cocoplane.orchestrator.kubernetes.master-url", client.getMasterUrl().toString());
        ConfigurableApplicationContext ctx = new SpringApplicationBuilder(OrchestratorApplication.class)
                .properties(props).run();
        started.add(ctx);
        return ctx;
    }

    @AfterEach
    void stopAll() {
        started.forEach(ConfigurableApplicationContext::close);
    }

    private List<Pod> podsOf(String id) {
        return client.pods().inNamespace("default").withLabel(PodPlanner.WORKLOAD_LABEL, id).list().getItems();
    }

    @Test
    void aRestartedOrchestratorCarriesOnWithoutASecondPodOrALostTransition() throws Exception {
        ConfigurableApplicationContext first = startOrchestrator();
        WorkloadRepository workloads = first.getBean(WorkloadRepository.class);
        String repo = "team/restart-" + UUID.randomUUID().toString().substring(0, 8);
        String digest = TestSupport.randomDigest();
        TestSupport.send(first, TestSupport.image(repo, "v1", digest, List.of()));
        String id = UUID.randomUUID().toString();
        TestSupport.send(first, new WorkloadRequested(id, "restart", "default", "127.0.0.1:5000/" + repo + ":v1",
                "snp", List.of(), new AgentPolicyOptions(false, false), null, "deployer@example"));
        WorkloadRepository.Workload scheduled = await().atMost(Duration.ofSeconds(60))
                .until(() -> workloads.find(id).orElse(null),
                        w -> w != null && w.lifecycle().state() == WorkloadState.SCHEDULED);
        String bootstrap = first.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
        // the outbox relay has published what the first instance committed
        await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readKey(bootstrap, Topics.WORKLOAD_EVENTS, id), l -> l.size() == 3);
        first.close();

        // while the orchestrator is down: the kubelet reports the pod ready and the guest is attested
        Pod pod = podsOf(id).get(0);
        pod.setStatus(new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition().build());
        client.pods().inNamespace("default").resource(pod).updateStatus();
        TestSupport.sendStandalone(bootstrap, new AttestationCompleted(TestSupport.randomDigest(), "snp", "affirming", Map.of(),
                null, scheduled.placement().initDataDigest(), id, "jti", null));

        ConfigurableApplicationContext second = startOrchestrator();
        WorkloadRepository again = second.getBean(WorkloadRepository.class);
        await().atMost(Duration.ofSeconds(60)).until(() -> again.find(id).orElseThrow().lifecycle().state()
                == WorkloadState.RUNNING);

        assertThat(podsOf(id)).hasSize(1);
        assertThat(again.history(id).stream().map(WorkloadRepository.HistoryEntry::to))
                .containsExactly("REQUESTED", "SCHEDULED", "ATTESTED", "RUNNING");
        var events = await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readKey(bootstrap, Topics.WORKLOAD_EVENTS, id), l -> l.size() >= 5);
        assertThat(events).hasSize(5);
        assertThat(events.stream().map(r -> TestSupport.header(r, "ce_type")))
                .filteredOn(EventCatalog.WORKLOAD_SCHEDULED.ceType()::equals).hasSize(1);
    }
}
