package io.cocoplane.bench;

import java.util.ArrayList;
import java.util.List;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.test.EmbeddedPostgresServer;
import io.cocoplane.eventing.test.KraftBroker;

/**
 * The backing services a cocoplane service needs, started in the harness JVM: a KRaft broker and an embedded
 * PostgreSQL (the same ones the tests use, {@code libs/eventing-test}). The service itself runs in its own JVM.
 */
final class Infra implements AutoCloseable {

    private final KraftBroker broker;

    Infra() {
        broker = KraftBroker.temporary().start();
        List<String> topics = new ArrayList<>(Topics.ALL);
        broker.createTopics(topics, 6);
    }

    String bootstrap() {
        return broker.bootstrapServers();
    }

    /** Spring command-line arguments pointing a service at this broker and at its own schema. */
    List<String> springArgs(String schema) {
        String url = EmbeddedPostgresServer.jdbcUrl(schema);
        return List.of("--spring.datasource.url=" + url, "--spring.datasource.username=postgres",
                "--spring.datasource.password=postgres", "--spring.kafka.bootstrap-servers=" + bootstrap());
    }

    @Override
    public void close() {
        broker.close();
    }
}
