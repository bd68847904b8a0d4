package io.cocoplane.eventing;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.WorkloadRequested;

/** A minimal service on the eventing auto-configuration: a business table, a publisher and a subscription. */
@SpringBootApplication
public class TestApp {

    /** Workload name whose handler always throws. */
    static final String ALWAYS_FAILS = "always-fails";
    /** Workload name whose handler finds no database connection on its first {@link #OUTAGE_DELIVERIES} deliveries. */
    static final String DATABASE_OUTAGE = "database-outage";
    static final int OUTAGE_DELIVERIES = 5;
    /** workload id → deliveries to the handler so far */
    static final java.util.Map<String, Integer> DELIVERIES = new java.util.concurrent.ConcurrentHashMap<>();

    @Bean
    EventSubscription testSubscription(JdbcTemplate jdbc) {
        return EventSubscription.group("eventing-test")
                .on(EventCatalog.WORKLOAD_REQUESTED, e -> {
                    if (ALWAYS_FAILS.equals(e.data().name())) {
                        throw new IllegalStateException("handler refuses " + e.data().workloadId());
                    }
                    int delivery = DELIVERIES.merge(e.data().workloadId(), 1, Integer::sum);
                    if (DATABASE_OUTAGE.equals(e.data().name()) && delivery <= OUTAGE_DELIVERIES) {
                        throw new org.springframework.jdbc.CannotGetJdbcConnectionException(
                                "Failed to obtain JDBC Connection",
                                new java.sql.SQLTransientConnectionException("pool timed out", "08001"));
                    }
                    jdbc.update("INSERT INTO test_effects (event_id, workload_id) VALUES (?, ?)", e.id(),
                            e.data().workloadId());
                })
                .build();
    }

    /** An HTTP entry point, to follow a trace from a request into the event it publishes. */
    @org.springframework.web.bind.annotation.RestController
    public static class WidgetController {
        private final WidgetService widgets;

        public WidgetController(WidgetService widgets) {
            this.widgets = widgets;
        }

        @org.springframework.web.bind.annotation.PostMapping("/widgets/{id}")
        public String create(@org.springframework.web.bind.annotation.PathVariable String id) {
            org.slf4j.LoggerFactory.getLogger(WidgetController.class).info("creating widget {}", id);
            widgets.create(new WorkloadRequested(id, "web", "default", "r/i:t", "snp", java.util.List.of(),
                    new io.cocoplane.contracts.AgentPolicyOptions(false, false), null, "web"), false);
            return id;
        }
    }

    /** The business operation: a row in {@code test_widgets} and an event, in one transaction. */
    @Service
    public static class WidgetService {
        private final JdbcTemplate jdbc;
        private final EventPublisher events;

        public WidgetService(JdbcTemplate jdbc, EventPublisher events) {
            this.jdbc = jdbc;
            this.events = events;
        }

        @Transactional
        public void create(WorkloadRequested request, boolean failAfterPublish) {
            jdbc.update("INSERT INTO test_widgets (workload_id) VALUES (?)", request.workloadId());
            events.publish(request);
            if (failAfterPublish) {
                throw new IllegalStateException("business rule failed after publishing");
            }
        }
    }
}
