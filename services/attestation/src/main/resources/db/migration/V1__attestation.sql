-- The EAR signing key (one row; generated on first start unless a key file is configured). PKCS#8 PEM, EC P-256.
CREATE TABLE signing_key (
    id              integer PRIMARY KEY CHECK (id = 1),
    private_key_pem text        NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

-- RVPS reference values: the JSON value, when it stops being used, who set it.
CREATE TABLE reference_value (
    name        text PRIMARY KEY,
    value_json  text        NOT NULL,
    expiration  timestamptz NOT NULL,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- CEL appraisal policies (built-in default_cpu inserted at start when absent).
CREATE TABLE policy (
    id          text PRIMARY KEY,
    document    text        NOT NULL,
    updated_by  text        NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- Init-data digests of live workloads, learnt from workload.scheduled; removed on TERMINATED / FAILED.
CREATE TABLE workload_binding (
    workload_id       text PRIMARY KEY,
    init_data_digest  text        NOT NULL,
    algorithm         text        NOT NULL,
    tee               text        NOT NULL,
    scheduled_at      timestamptz NOT NULL
);
CREATE INDEX workload_binding_digest ON workload_binding (init_data_digest);

-- One row per verification, passed or failed.
CREATE TABLE verification (
    id               uuid PRIMARY KEY,
    evidence_digest  text        NOT NULL,
    tee              text        NOT NULL,
    status           text        NOT NULL,
    workload_id      text,
    token_id         text,
    failure_reason   text,
    created_at       timestamptz NOT NULL
);
