package io.cocoplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The stack's PostgreSQL 15 (zonky embedded binaries): data directory {@code .cocoplane/local/postgres}, kept across
 * restarts (initdb only when it holds no cluster yet), listening on 127.0.0.1 at the given port, server output
 * appended to {@code logs/postgres.log}. Ensures the login role and database {@value ServiceConfig#DATABASE}
 * (password the same) that the services use; each service creates its own schema with Flyway.
 */
public final class PostgresNode implements AutoCloseable {

    private final EmbeddedPostgres pg;
    private final Path dataDir;

    private PostgresNode(EmbeddedPostgres pg, Path dataDir) {
        this.pg = pg;
        this.dataDir = dataDir;
    }

    /**
     * @param dataDir data directory (created by initdb on first start)
     * @param port    TCP port on 127.0.0.1
     * @param log     server log
     * @return the running server with role and database in place
     * @throws IllegalStateException when it does not start (see the log) or the role cannot be created
     */
    public static PostgresNode start(Path dataDir, int port, Path log) {
        EmbeddedPostgres pg;
        try {
            pg = EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir)
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(Duration.ofSeconds(60))
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("max_connections", "100")
                    .setServerConfig("shared_buffers", "16MB")
                    .setServerConfig("synchronous_commit", "off")
                    .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL did not start on 127.0.0.1:" + port + " with data in "
                    + dataDir + ": " + e.getMessage() + " (see " + log + ")", e);
        }
        PostgresNode node = new PostgresNode(pg, dataDir);
        try {
            node.ensureDatabase();
        } catch (SQLException e) {
            node.close();
            throw new IllegalStateException("cannot create the " + ServiceConfig.DATABASE + " role and database: "
                    + e.getMessage(), e);
        }
        return node;
    }

    private void ensureDatabase() throws SQLException {
        String name = ServiceConfig.DATABASE;
        try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            if (!exists(c, "SELECT 1 FROM pg_roles WHERE rolname = ?", name)) {
                s.execute("CREATE ROLE " + name + " LOGIN PASSWORD '" + name + "'");
            }
            if (!exists(c, "SELECT 1 FROM pg_database WHERE datname = ?", name)) {
                s.execute("CREATE DATABASE " + name + " OWNER " + name);
            }
        }
    }

    private static boolean exists(Connection c, String sql, String arg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * @return the postmaster's pid, from the first line of {@code postmaster.pid} (the starter's own process is
     *         {@code pg_ctl}, which exits; the postmaster is re-parented, its backends are its children)
     * @throws IllegalStateException when the pid file is missing or malformed
     */
    public long pid() {
        String text = SecureFiles.readIfExists(dataDir.resolve("postmaster.pid"));
        try {
            return Long.parseLong(text == null ? "" : text.lines().findFirst().orElse("").strip());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("no postmaster pid in " + dataDir.resolve("postmaster.pid"), e);
        }
    }

    /**
     * Stops the server ({@code pg_ctl stop}, fast mode; data kept) and waits until the postmaster has exited: the
     * starter's {@code pg_ctl} gives up after 5 s, a checkpoint on a busy machine can take longer. A postmaster still
     * there after 60 s gets SIGTERM (smart shutdown) and 30 s more.
     *
     * @throws IllegalStateException when the postmaster is still running after that
     */
    @Override
    public void close() {
        Optional<ProcessHandle> postmaster;
        try {
            postmaster = ProcessHandle.of(pid());
        } catch (IllegalStateException e) {
            postmaster = Optional.empty();
        }
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("stopping PostgreSQL failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // pg_ctl timed out; wait for the postmaster below
        }
        if (postmaster.isPresent() && !awaitExit(postmaster.get(), Duration.ofSeconds(60))) {
            postmaster.get().destroy();
            if (!awaitExit(postmaster.get(), Duration.ofSeconds(30))) {
                throw new IllegalStateException("PostgreSQL (pid " + postmaster.get().pid() + ") did not stop");
            }
        }
    }

    private static boolean awaitExit(ProcessHandle h, Duration timeout) {
        try {
            h.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        } catch (ExecutionException e) {
            return !h.isAlive();
        }
    }
}
