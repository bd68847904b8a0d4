package io.cocoplane.eventing;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings under {@code cocoplane.eventing}.
 *
 * @param source       CloudEvents {@code source} of published events, e.g. {@code /cocoplane/registry}; defaults to
 *                     {@code /cocoplane/${spring.application.name}}
 * @param partitions   partitions of each catalogue topic and dead-letter topic created at start (ARCHITECTURE §7: 6)
 * @param replicationFactor replication factor of created topics (1 on a single local broker)
 * @param createTopics whether to create the catalogue topics at start
 * @param relay        outbox relay settings
 * @param consumer     consumer settings
 */
@ConfigurationProperties("cocoplane.eventing")
public record EventingProperties(String source, Integer partitions, Short replicationFactor, Boolean createTopics,
                                 Relay relay, Consumer consumer) {

    public EventingProperties {
        partitions = partitions == null ? 6 : partitions;
        replicationFactor = replicationFactor == null ? (short) 1 : replicationFactor;
        createTopics = createTopics == null || createTopics;
        relay = relay == null ? new Relay(null, null, null, null, null, null) : relay;
        consumer = consumer == null ? new Consumer(null, null, null, null, null) : consumer;
    }

    /**
     * @param enabled        whether this service relays its outbox (disable only in a read-only replica)
     * @param interval       pause between relay passes when the outbox is empty and no commit of this process woke the
     *                       relay ({@link OutboxRelay#wakeUp()}; default 500 ms)
     * @param batchSize      rows per pass (default 200, at most 10,000)
     * @param sendTimeout    how long a pass waits for the broker's acknowledgements (default 30 s)
     * @param maxBackoff     longest pause after a failed pass; pauses double from {@code interval} (default 5 s)
     * @param retention      how long published rows are kept for inspection before deletion (default 7 days)
     */
    public record Relay(Boolean enabled, Duration interval, Integer batchSize, Duration sendTimeout,
                        Duration maxBackoff, Duration retention) {
        public Relay {
            enabled = enabled == null || enabled;
            interval = interval == null ? Duration.ofMillis(500) : interval;
            batchSize = batchSize == null ? 200 : Math.max(1, Math.min(batchSize, 10_000));
            sendTimeout = sendTimeout == null ? Duration.ofSeconds(30) : sendTimeout;
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(5) : maxBackoff;
            retention = retention == null ? Duration.ofDays(7) : retention;
        }
    }

    /**
     * @param maxAttempts  deliveries of a record to a handler that throws before it goes to the dead-letter topic
     *                     (default 3; a poison record goes there at once; a failure because the database is
     *                     unreachable is retried until it answers, every {@code max(maxBackoff, 5 s)} at most,
     *                     and never dead-lettered)
     * @param backoff      pause before the first retry, doubled each time (default 200 ms)
     * @param maxBackoff   longest pause between retries (default 2 s)
     * @param concurrency  consumer threads per subscription (default 1; at most the partition count helps)
     * @param maxRecordBytes largest record value accepted; larger ones are dead-lettered (default 1 MiB)
     */
    public record Consumer(Integer maxAttempts, Duration backoff, Duration maxBackoff, Integer concurrency,
                           Integer maxRecordBytes) {
        public Consumer {
            maxAttempts = maxAttempts == null ? 3 : Math.max(1, maxAttempts);
            backoff = backoff == null ? Duration.ofMillis(200) : backoff;
            maxBackoff = maxBackoff == null ? Duration.ofSeconds(2) : maxBackoff;
            concurrency = concurrency == null ? 1 : Math.max(1, concurrency);
            maxRecordBytes = maxRecordBytes == null ? 1024 * 1024 : maxRecordBytes;
        }
    }
}
