package io.cocoplane.eventing;

import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.kafka.listener.BatchListenerFailedException;
import org.springframework.kafka.listener.BatchMessageListener;
import org.springframework.transaction.support.TransactionTemplate;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Span;

/**
 * The batch listener of an {@link EventSubscription} in batch mode: the records of one poll are decoded, then in one
 * database transaction their event ids go into {@code eventing_inbox} with one statement
 * ({@code INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING RETURNING event_id}) and the handlers run for the
 * new ones only, in poll order (offset order within a partition). The container commits the poll's offsets after it.
 *
 * <p>Failures are isolated to one record, so that retries and dead-lettering are per record as in record mode
 * ({@link SubscriptionListener}): the listener throws spring-kafka's {@link BatchListenerFailedException} naming the
 * record, and the container's {@code DefaultErrorHandler} commits the offsets before it, retries it with backoff or
 * dead-letters it, and delivers the records after it again.
 * <ul>
 * <li>A record that does not decode ({@link PoisonRecordException}): the records before it are handled as a batch,
 * then it is named.</li>
 * <li>A failing batch: the transaction rolls back (no inbox row, no effect of any handler), then the records are
 * handled one at a time, each in its own transaction, by the record listener; the first that fails is named (the
 * ones before it have committed). A batch of one handled event is named at once, without a second attempt.</li>
 * </ul>
 */
final class BatchSubscriptionListener implements BatchMessageListener<String, byte[]> {

    private static final Logger log = LoggerFactory.getLogger(BatchSubscriptionListener.class);

    private static final String INBOX_BATCH = "INSERT INTO eventing_inbox (consumer_group, event_id, ce_type, topic,"
            + " kafka_partition, kafka_offset) SELECT ?, u.* FROM unnest(?::text[], ?::text[], ?::text[], ?::int[],"
            + " ?::bigint[]) AS u ON CONFLICT DO NOTHING RETURNING event_id";

    private final EventSubscription subscription;
    private final CloudEventCodec codec;
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final TraceContext trace;
    private final MeterRegistry meters;
    private final SubscriptionListener oneByOne;

    /** A decoded record of a handled type, with its position in the poll. */
    private record Decoded(int index, ConsumerRecord<String, byte[]> record, EventEnvelope<?> event) {
    }

    BatchSubscriptionListener(EventSubscription subscription, CloudEventCodec codec, JdbcTemplate jdbc,
                              TransactionTemplate tx, TraceContext trace, MeterRegistry meters) {
        if (!subscription.batchMode()) {
            throw new IllegalArgumentException("subscription " + subscription.group() + " is not in batch mode");
        }
        this.subscription = subscription;
        this.codec = codec;
        this.jdbc = jdbc;
        this.tx = tx;
        this.trace = trace;
        this.meters = meters;
        this.oneByOne = new SubscriptionListener(subscription, codec, jdbc, tx, trace, meters);
    }

    /**
     * @param records one poll's records, in poll order
     * @throws BatchListenerFailedException naming the record that failed (undecodable, or its handler threw); the
     *                                      records before it are committed
     */
    @Override
    public void onMessage(List<ConsumerRecord<String, byte[]>> records) {
        List<Decoded> handled = new ArrayList<>(records.size());
        List<Integer> skipped = new ArrayList<>();
        int end = records.size();
        PoisonRecordException poison = null;
        for (int i = 0; i < records.size(); i++) {
            ConsumerRecord<String, byte[]> record = records.get(i);
            Optional<EventEnvelope<?>> decoded;
            try {
                decoded = codec.decode(record);
            } catch (PoisonRecordException e) {
                poison = e;
                end = i;
                break;
            }
            if (decoded.isEmpty() || !subscription.handlers().containsKey(decoded.get().type().ceType())) {
                skipped.add(i);
            } else {
                handled.add(new Decoded(i, record, decoded.get()));
            }
        }
        try {
            if (!handled.isEmpty()) {
                handleInOneTransaction(handled);
            }
            countSkipped(records, skipped, end);
        } catch (RuntimeException e) {
            if (handled.size() == 1) { // nothing to isolate: the one handled record failed
                Decoded only = handled.get(0);
                countSkipped(records, skipped, only.index());
                throw failed(only.record(), e);
            }
            log.warn("batch of {} records of group {} failed ({}); handling them one at a time", end,
                    subscription.group(), e.toString());
            for (int i = 0; i < end; i++) {
                try {
                    oneByOne.onMessage(records.get(i));
                } catch (RuntimeException one) {
                    throw failed(records.get(i), one);
                }
            }
        }
        if (poison != null) {
            throw failed(records.get(end), poison);
        }
    }

    private void handleInOneTransaction(List<Decoded> batch) {
        // the first record of an event id carries it; repeats inside the poll are duplicates like redeliveries
        Map<String, Decoded> firsts = new LinkedHashMap<>();
        List<Decoded> repeats = new ArrayList<>();
        for (Decoded d : batch) {
            if (firsts.putIfAbsent(d.event().id(), d) != null) {
                repeats.add(d);
            }
        }
        List<Span> spans = new ArrayList<>();
        List<EventEnvelope<?>> fresh = new ArrayList<>();
        List<EventEnvelope<?>> known = new ArrayList<>();
        repeats.forEach(d -> known.add(d.event()));
        try {
            tx.executeWithoutResult(status -> {
                Set<String> inserted = insertInbox(firsts.values());
                for (Decoded d : firsts.values()) {
                    (inserted.contains(d.event().id()) ? fresh : known).add(d.event());
                }
                if (fresh.isEmpty()) {
                    return;
                }
                if (subscription.batchHandler() != null) {
                    fresh.forEach(e -> spans.add(trace.startChild(e.traceparent(), "consume " + e.type().ceType())));
                    invokeBatch(fresh);
                } else {
                    for (EventEnvelope<?> e : fresh) {
                        SubscriptionListener.inEventScope(trace, e, () -> {
                            SubscriptionListener.invoke(subscription, e);
                            return null;
                        });
                    }
                }
            });
        } finally {
            spans.stream().filter(Objects::nonNull).forEach(Span::end);
        }
        for (EventEnvelope<?> e : fresh) {
            meters.counter("cocoplane.events.consumed", "group", subscription.group(), "type", e.type().ceType())
                    .increment();
        }
        for (EventEnvelope<?> e : known) {
            meters.counter("cocoplane.events.duplicates", "group", subscription.group(), "type", e.type().ceType())
                    .increment();
        }
        log.debug("handled a batch of {} events of group {}: {} new, {} duplicates", batch.size(),
                subscription.group(), fresh.size(), known.size());
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void invokeBatch(List<EventEnvelope<?>> events) {
        try {
            ((BatchEventHandler) subscription.batchHandler()).handle(events);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new SubscriptionListener.HandlerException("batch handler of group " + subscription.group()
                    + " failed on " + events.size() + " events: " + e, e);
        }
    }

    /** @return the event ids of {@code batch} that were not yet in the group's inbox (now inserted) */
    private Set<String> insertInbox(Collection<Decoded> batch) {
        int n = batch.size();
        String[] ids = new String[n];
        String[] types = new String[n];
        String[] topics = new String[n];
        Integer[] partitions = new Integer[n];
        Long[] offsets = new Long[n];
        int i = 0;
        for (Decoded d : batch) {
            ids[i] = d.event().id();
            types[i] = d.event().type().ceType();
            topics[i] = d.record().topic();
            partitions[i] = d.record().partition();
            offsets[i] = d.record().offset();
            i++;
        }
        Set<String> inserted = new HashSet<>();
        jdbc.query(con -> {
            PreparedStatement ps = con.prepareStatement(INBOX_BATCH);
            ps.setString(1, subscription.group());
            ps.setArray(2, con.createArrayOf("text", ids));
            ps.setArray(3, con.createArrayOf("text", types));
            ps.setArray(4, con.createArrayOf("text", topics));
            ps.setArray(5, con.createArrayOf("integer", partitions));
            ps.setArray(6, con.createArrayOf("bigint", offsets));
            return ps;
        }, (RowCallbackHandler) rs -> inserted.add(rs.getString(1)));
        return inserted;
    }

    private void countSkipped(List<ConsumerRecord<String, byte[]>> records, List<Integer> skipped, int before) {
        for (int i : skipped) {
            if (i < before) {
                meters.counter("cocoplane.events.skipped", "group", subscription.group(), "topic",
                        records.get(i).topic()).increment();
            }
        }
    }

    private static BatchListenerFailedException failed(ConsumerRecord<String, byte[]> record, RuntimeException e) {
        return new BatchListenerFailedException(record.topic() + "-" + record.partition() + "@" + record.offset()
                + " failed: " + e.getMessage(), e, record);
    }
}
