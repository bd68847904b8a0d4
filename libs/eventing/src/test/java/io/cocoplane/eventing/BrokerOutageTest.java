package io.cocoplane.eventing;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.test.KraftBroker;
import io.cocoplane.eventing.test.TestInfra;

/**
 * The broker is down when the business transaction commits: the event waits in the outbox (the relay keeps trying and
 * records its error) and is delivered, once, when the broker is back. This class has a broker of its own, so stopping
 * it disturbs no other test.
 */
@TestInfra(schema = "eventing_outage_it")
@SpringBootTest(classes = TestApp.class)
@DirtiesContext // its broker is closed after the class; the cached context must not outlive it
class BrokerOutageTest {

    static final KraftBroker BROKER = KraftBroker.temporary().start();

    @DynamicPropertySource
    static void kafka(DynamicPropertyRegistry registry) {
        registry.add("spring.kafka.bootstrap-servers", BROKER::bootstrapServers);
    }

    @AfterAll
    static void closeBroker() {
        BROKER.close();
    }

    @Autowired
    TestApp.WidgetService widgets;
    @Autowired
    JdbcTemplate jdbc;

    private long onTopic(String subject) {
        return KafkaTopicReader.readAll(BROKER.bootstrapServers(), Topics.WORKLOAD_COMMANDS).stream()
                .filter(r -> subject.equals(r.key())).count();
    }

    @Test
    void eventCommittedWhileTheBrokerIsDownIsDeliveredOnceWhenItReturns() {
        // the relay works before the outage
        String before = "wl-before-" + UUID.randomUUID();
        widgets.create(OutboxTest.request(before), false);
        await().atMost(Duration.ofSeconds(30)).until(() -> onTopic(before) == 1);

        BROKER.stop();
        String during = "wl-during-" + UUID.randomUUID();
        widgets.create(OutboxTest.request(during), false);

        // the relay tried, failed, and kept the row with the reason
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            Map<String, Object> row = jdbc.queryForMap(
                    "SELECT attempts, last_error, published_at FROM eventing_outbox WHERE ce_subject = ?", during);
            return ((Number) row.get("attempts")).intValue() >= 1 && row.get("last_error") != null;
        });
        assertThat(jdbc.queryForObject("SELECT published_at IS NULL FROM eventing_outbox WHERE ce_subject = ?",
                Boolean.class, during)).isTrue();

        BROKER.start();
        await().atMost(Duration.ofSeconds(60)).until(() -> jdbc.queryForObject(
                "SELECT published_at IS NOT NULL FROM eventing_outbox WHERE ce_subject = ?", Boolean.class, during));
        assertThat(onTopic(during)).isEqualTo(1);
        assertThat(onTopic(before)).isEqualTo(1);
    }
}
