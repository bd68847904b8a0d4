package io.cocoplane.eventing;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.contracts.AgentPolicyOptions;
import io.cocoplane.contracts.Topics;
import io.cocoplane.contracts.WorkloadRequested;
import io.cocoplane.eventing.test.TestInfra;

/** The transactional outbox against a real broker and a real PostgreSQL. */
@TestInfra(schema = "eventing_outbox_it")
@SpringBootTest(classes = TestApp.class)
class OutboxTest {

    @Autowired
    TestApp.WidgetService widgets;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    OutboxRelay relay;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    static WorkloadRequested request(String id) {
        return new WorkloadRequested(id, "llm-chat", "default", "registry.local/llm-chat:1", "snp", List.of(),
                new AgentPolicyOptions(false, false), null, "tester");
    }

    private List<ConsumerRecord<String, byte[]>> recordsFor(String subject) {
        return KafkaTopicReader.readAll(bootstrap, Topics.WORKLOAD_COMMANDS).stream()
                .filter(r -> subject.equals(r.key())).toList();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void rolledBackTransactionNeverReachesKafkaAndCommittedOneArrivesExactlyOnce() {
        String rolledBack = "wl-rollback-" + UUID.randomUUID();
        assertThatThrownBy(() -> widgets.create(request(rolledBack), true)).isInstanceOf(IllegalStateException.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM eventing_outbox WHERE ce_subject = ?", Long.class,
                rolledBack)).isZero();

        String committed = "wl-commit-" + UUID.randomUUID();
        widgets.create(request(committed), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> recordsFor(committed).size() == 1);
        // the relay has now passed over both; give it more passes to show nothing else arrives
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM eventing_outbox WHERE published_at IS NULL", Long.class) == 0);
        relay.relayOnce();

        List<ConsumerRecord<String, byte[]>> got = recordsFor(committed);
        assertThat(got).hasSize(1);
        ConsumerRecord<String, byte[]> r = got.get(0);
        assertThat(header(r, "ce_type")).isEqualTo("io.cocoplane.workload.requested.v1");
        assertThat(header(r, "ce_subject")).isEqualTo(committed);
        assertThat(header(r, "ce_source")).isEqualTo("/cocoplane/eventing-test");
        assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
        assertThat(header(r, "ce_dataschema")).isEqualTo("urn:cocoplane:schema:workload.requested.v1");
        assertThat(header(r, "content-type")).isEqualTo("application/json");
        assertThat(new String(r.value(), StandardCharsets.UTF_8)).contains("\"workloadId\":\"" + committed + "\"");
        assertThat(recordsFor(rolledBack)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM test_widgets WHERE workload_id = ?", Long.class,
                rolledBack)).isZero();
    }

    @Test
    void publishingOutsideATransactionIsRefused() {
        EventPublisher publisher = new EventPublisher(jdbc, null, "/x", null, null, null);
        assertThatThrownBy(() -> publisher.publish(request("wl-no-tx")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("active transaction");
    }
}
