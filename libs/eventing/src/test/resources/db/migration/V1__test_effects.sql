CREATE TABLE test_effects (
    id          BIGSERIAL PRIMARY KEY,
    event_id    TEXT NOT NULL,
    workload_id TEXT NOT NULL
);
CREATE TABLE test_widgets (
    workload_id TEXT PRIMARY KEY
);
