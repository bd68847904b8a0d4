package io.cocoplane.eventing;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.support.SendResult;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Relays committed outbox rows to Kafka.
 *
 * <p>Each pass, in one database transaction holding a PostgreSQL advisory lock scoped to the schema (so one replica
 * relays at a time and the order is kept): read up to {@code batch-size} unpublished rows in {@code seq} order, send
 * them with the idempotent producer ({@code acks=all}), wait for the acknowledgements, and mark the acknowledged rows
 * published. A row whose send fails stays unpublished with its error and attempt count and is sent again on a later
 * pass, after a doubling pause; the pass stops at the first synchronous failure so later rows of the same aggregate
 * are not sent ahead of it. Delivery is therefore at least once; consumers deduplicate by event id.
 *
 * <p>When a transaction of this process that published an event commits, {@link EventPublisher} calls
 * {@link #wakeUp()} and the next pass starts at once; passes otherwise run every {@code interval} (rows committed by
 * another replica, rows left pending), and back to back while there is work.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final CloudEventCodec codec;
    private final EventingProperties.Relay settings;
    private final Counter published;
    private final Counter failed;
    private final AtomicLong backlog = new AtomicLong();
    private ScheduledExecutorService executor;
    /** Guards {@link #next}: the scheduled (or running) pass. */
    private final Object scheduling = new Object();
    private ScheduledFuture<?> next;
    /** Set by {@link #wakeUp()}: an event was committed since the current pass began. */
    private final AtomicBoolean woken = new AtomicBoolean();
    /** True after a failed pass until one succeeds: wake-ups do not cut the back-off short. */
    private volatile boolean backingOff;
    private volatile boolean running;
    /** True from a pass's first send until its transaction has recorded the acknowledgements. */
    private volatile boolean sending;
    private volatile Duration pause;
    private Instant lastCleanup = Instant.EPOCH;

    /**
     * @param jdbc     template on the service's data source
     * @param tx       transactions on that data source
     * @param kafka    producer template (idempotent, String keys, byte[] values)
     * @param codec    CloudEvents codec
     * @param settings relay settings
     * @param meters   registry for {@code cocoplane.events.published}, {@code cocoplane.events.publish.failed} and the
     *                 gauge {@code cocoplane.outbox.backlog}
     */
    public OutboxRelay(JdbcTemplate jdbc, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka,
                       CloudEventCodec codec, EventingProperties.Relay settings, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.kafka = kafka;
        this.codec = codec;
        this.settings = settings;
        this.published = meters.counter("cocoplane.events.published");
        this.failed = meters.counter("cocoplane.events.publish.failed");
        meters.gauge("cocoplane.outbox.backlog", backlog);
        this.pause = settings.interval();
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "outbox-relay");
            t.setDaemon(true);
            return t;
        });
        schedule(0);
    }

    /**
     * Starts the next pass now instead of after the idle interval (called after a commit that outboxed an event). Cheap
     * and safe from any thread; does nothing when the relay is not running. A pass already running finishes and is
     * followed at once by another.
     */
    public void wakeUp() {
        woken.set(true);
        if (backingOff) {
            return;
        }
        synchronized (scheduling) {
            if (!running || next == null || next.getDelay(TimeUnit.NANOSECONDS) <= 0) {
                return; // not started, stopped, or a pass is due or running (it sees the flag when done)
            }
            if (next.cancel(false)) {
                schedule(0);
            }
        }
    }

    private void schedule(long delayMillis) {
        synchronized (scheduling) {
            if (!running) {
                return;
            }
            try {
                next = executor.schedule(this::loop, delayMillis, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException stopping) {
                next = null;
            }
        }
    }

    private void loop() {
        if (!running) {
            return;
        }
        woken.set(false);
        long delay;
        try {
            int sent = relayOnce();
            pause = settings.interval();
            backingOff = false;
            delay = sent > 0 || woken.get() ? 0 : settings.interval().toMillis();
        } catch (RuntimeException e) {
            log.warn("outbox relay pass failed; retrying in {} ms: {}", pause.toMillis(), e.toString());
            backingOff = true;
            delay = pause.toMillis();
            Duration next = pause.multipliedBy(2);
            pause = next.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : next;
        }
        schedule(delay);
    }

    /**
     * Runs one relay pass now.
     *
     * @return how many rows were published
     * @throws RelayException when a send failed (the rows stay pending)
     */
    public int relayOnce() {
        PassResult result;
        try {
            result = pass();
        } finally {
            sending = false;
        }
        cleanup();
        if (result == null) {
            return 0;
        }
        if (result.pending() > 0) {
            // what was acknowledged is committed; the failure makes the loop back off
            throw new RelayException("outbox relay: " + result.published() + " rows published, " + result.pending()
                    + " stay pending: " + result.error());
        }
        return result.published();
    }

    private PassResult pass() {
        return tx.execute(status -> {
            Boolean locked = jdbc.queryForObject(
                    "SELECT pg_try_advisory_xact_lock(hashtext(current_schema() || '.eventing_outbox'))", Boolean.class);
            if (!Boolean.TRUE.equals(locked)) {
                return PassResult.NONE;
            }
            List<OutboxRow> rows = jdbc.query("SELECT seq, event_id, topic, record_key, ce_type, ce_source, ce_subject,"
                    + " ce_dataschema, ce_time, traceparent, data FROM eventing_outbox WHERE published_at IS NULL"
                    + " ORDER BY seq LIMIT ?", OutboxRelay::row, settings.batchSize());
            if (rows.isEmpty()) {
                backlog.set(0);
                return PassResult.NONE;
            }
            List<CompletableFuture<SendResult<String, byte[]>>> futures = new ArrayList<>();
            sending = true;
            RuntimeException sendError = null;
            for (OutboxRow r : rows) {
                try {
                    futures.add(kafka.send(codec.encode(r)));
                } catch (RuntimeException e) {
                    sendError = e;
                    break;
                }
            }
            List<Long> done = new ArrayList<>();
            String firstError = sendError == null ? null : sendError.toString();
            long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
            for (int i = 0; i < futures.size(); i++) {
                OutboxRow r = rows.get(i);
                try {
                    futures.get(i).get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                    done.add(r.seq());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    firstError = firstError == null ? e.toString() : firstError;
                    break;
                } catch (Exception e) {
                    firstError = firstError == null ? e.toString() : firstError;
                }
            }
            if (!done.isEmpty()) {
                jdbc.update("UPDATE eventing_outbox SET published_at = now(), attempts = attempts + 1, last_error = NULL"
                        + " WHERE seq = ANY (?)", (Object) done.toArray(new Long[0]));
            }
            List<Long> pending = rows.stream().map(OutboxRow::seq).filter(s -> !done.contains(s)).toList();
            if (!pending.isEmpty()) {
                String err = firstError == null ? "not acknowledged" : firstError;
                jdbc.update("UPDATE eventing_outbox SET attempts = attempts + 1, last_error = ? WHERE seq = ANY (?)",
                        err.length() > 1000 ? err.substring(0, 1000) : err, pending.toArray(new Long[0]));
            }
            published.increment(done.size());
            failed.increment(pending.size());
            Long left = jdbc.queryForObject("SELECT count(*) FROM eventing_outbox WHERE published_at IS NULL", Long.class);
            backlog.set(left == null ? 0 : left);
            return new PassResult(done.size(), pending.size(), firstError);
        });
    }

    private record PassResult(int published, int pending, String error) {
        static final PassResult NONE = new PassResult(0, 0, null);
    }

    private void cleanup() {
        Instant now = Instant.now();
        if (Duration.between(lastCleanup, now).compareTo(Duration.ofMinutes(1)) < 0) {
            return;
        }
        lastCleanup = now;
        jdbc.update("DELETE FROM eventing_outbox WHERE published_at < ?",
                Timestamp.from(now.minus(settings.retention())));
    }

    private static OutboxRow row(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp("ce_time");
        return new OutboxRow(rs.getLong("seq"), rs.getObject("event_id", UUID.class), rs.getString("topic"),
                rs.getString("record_key"), rs.getString("ce_type"), rs.getString("ce_source"),
                rs.getString("ce_subject"), rs.getString("ce_dataschema"),
                t.toInstant().atOffset(ZoneOffset.UTC), rs.getString("traceparent"), rs.getBytes("data"));
    }

    /** @return unpublished rows seen at the end of the last pass */
    public long backlog() {
        return backlog.get();
    }

    /**
     * Stops the relay. A pass that has sent rows may finish waiting for their acknowledgements (up to
     * {@code send-timeout} + 1 s), so they are marked published; a pass that has sent nothing yet (reading the
     * outbox, or waiting for a database connection while the database is down) is interrupted at once, and its rows
     * stay pending for the next start.
     */
    @Override
    public synchronized void stop() {
        running = false;
        if (executor != null) {
            executor.shutdown();
            long deadline = System.nanoTime() + settings.sendTimeout().toNanos() + TimeUnit.SECONDS.toNanos(1);
            try {
                while (!executor.awaitTermination(50, TimeUnit.MILLISECONDS)) {
                    if (!sending || System.nanoTime() > deadline) {
                        executor.shutdownNow();
                        executor.awaitTermination(5, TimeUnit.SECONDS);
                        break;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                executor.shutdownNow();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Starts after the listener containers and stops before them; both need the producer. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 200;
    }

    /** A relay pass that could not publish every row it read. */
    public static class RelayException extends RuntimeException {
        RelayException(String message) {
            super(message);
        }
    }
}
