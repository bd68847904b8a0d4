package io.cocoplane.eventing;

import java.util.List;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * Readiness of the eventing plumbing: UP when the broker describes every topic the service needs (catalogue topics
 * it publishes or reads and their dead-letter topics) and the outbox table answers; details give the outbox backlog.
 * It belongs to the {@code readiness} health group, so a service without its broker or topics takes no traffic.
 */
public class EventingHealthIndicator implements HealthIndicator {

    private final KafkaAdmin admin;
    private final JdbcTemplate jdbc;
    private final List<String> topics;

    /**
     * @param admin  Boot's Kafka admin
     * @param jdbc   template on the service's data source
     * @param topics topics that must exist
     */
    public EventingHealthIndicator(KafkaAdmin admin, JdbcTemplate jdbc, List<String> topics) {
        this.admin = admin;
        this.jdbc = jdbc;
        this.topics = List.copyOf(topics);
    }

    @Override
    public Health health() {
        try {
            var described = admin.describeTopics(topics.toArray(new String[0]));
            Long backlog = jdbc.queryForObject("SELECT count(*) FROM eventing_outbox WHERE published_at IS NULL",
                    Long.class);
            return Health.up().withDetail("topics", described.size()).withDetail("outboxBacklog", backlog).build();
        } catch (RuntimeException e) {
            return Health.down(e).withDetail("topics", topics).build();
        }
    }
}
