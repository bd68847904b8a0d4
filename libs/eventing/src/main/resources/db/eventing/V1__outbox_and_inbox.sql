-- Transactional outbox: rows are written in the business transaction and relayed to Kafka by OutboxRelay.
CREATE TABLE eventing_outbox (
    seq           BIGSERIAL PRIMARY KEY,
    event_id      UUID        NOT NULL UNIQUE,
    topic         TEXT        NOT NULL,
    record_key    TEXT        NOT NULL,
    ce_type       TEXT        NOT NULL,
    ce_source     TEXT        NOT NULL,
    ce_subject    TEXT        NOT NULL,
    ce_dataschema TEXT        NOT NULL,
    ce_time       TIMESTAMPTZ NOT NULL,
    traceparent   TEXT,
    data          BYTEA       NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    published_at  TIMESTAMPTZ,
    attempts      INT         NOT NULL DEFAULT 0,
    last_error    TEXT
);
CREATE INDEX eventing_outbox_pending ON eventing_outbox (seq) WHERE published_at IS NULL;

-- Inbox: one row per (consumer group, CloudEvent id) handled; the primary key makes handling idempotent.
CREATE TABLE eventing_inbox (
    consumer_group TEXT        NOT NULL,
    event_id       TEXT        NOT NULL,
    ce_type        TEXT        NOT NULL,
    topic          TEXT        NOT NULL,
    kafka_partition INT        NOT NULL,
    kafka_offset   BIGINT      NOT NULL,
    handled_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer_group, event_id)
);
