package io.cocoplane.eventing.test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The Testcontainers backend of {@link TestInfra}: one Kafka and one PostgreSQL container per JVM, started lazily.
 * Only touched when a Docker engine answers.
 */
final class ContainerInfra {

    static final String USER = "cocoplane";
    static final String PASSWORD = "cocoplane";

    private static KafkaContainer kafka;
    private static PostgreSQLContainer postgres;

    private ContainerInfra() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    static synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            kafka = new KafkaContainer("apache/kafka:4.1.2");
            kafka.start();
        }
        return kafka.getBootstrapServers();
    }

    static synchronized String jdbcUrl(String schema) {
        if (postgres == null) {
            postgres = new PostgreSQLContainer("postgres:15").withUsername(USER).withPassword(PASSWORD);
            postgres.start();
        }
        try (Connection c = DriverManager.getConnection(postgres.getJdbcUrl(), USER, PASSWORD);
             Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("creating schema " + schema + " failed", e);
        }
        return postgres.getJdbcUrl() + "&currentSchema=" + schema;
    }
}
