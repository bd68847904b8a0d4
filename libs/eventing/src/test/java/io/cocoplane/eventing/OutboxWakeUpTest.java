package io.cocoplane.eventing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.test.KafkaTopicReader;
import io.cocoplane.eventing.test.TestInfra;

/**
 * A commit that outboxed an event starts a relay pass at once: with an idle interval of an hour, the event still
 * reaches Kafka within seconds (before, the relay only polled, so an event waited up to one interval).
 */
@TestInfra(schema = "eventing_outbox_wake_it")
@SpringBootTest(classes = TestApp.class, properties = "cocoplane.eventing.relay.interval=1h")
class OutboxWakeUpTest {

    @Autowired
    TestApp.WidgetService widgets;
    @Autowired
    JdbcTemplate jdbc;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    @Test
    void aCommittedEventIsRelayedWithoutWaitingForTheIdleInterval() {
        // the first pass ran at start; the next one is an hour away unless a commit wakes the relay
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM eventing_outbox WHERE published_at IS NULL", Long.class) == 0);
        for (int i = 0; i < 3; i++) {
            String id = "wl-wake-" + i + "-" + UUID.randomUUID();
            widgets.create(OutboxTest.request(id), false);
            await().atMost(Duration.ofSeconds(15)).until(() -> KafkaTopicReader.readAll(bootstrap,
                    Topics.WORKLOAD_COMMANDS).stream().anyMatch(r -> id.equals(r.key())));
            assertThat(jdbc.queryForObject("SELECT published_at IS NOT NULL FROM eventing_outbox WHERE ce_subject = ?",
                    Boolean.class, id)).isTrue();
        }
    }
}
