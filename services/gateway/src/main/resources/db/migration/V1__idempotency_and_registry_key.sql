-- Idempotency-Key records of POST /api/v1/workloads, scoped per caller subject.
CREATE TABLE idempotency_keys (
    subject       text        NOT NULL,
    idem_key      text        NOT NULL,
    request_hash  bytea       NOT NULL,  -- SHA-256 of method, path and the canonical JSON of the validated body
    workload_id   text        NOT NULL,
    status        integer     NOT NULL,
    response_body bytea       NOT NULL,
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (subject, idem_key)
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- The ES256 key that signs registry tokens, when none is configured: generated once, shared by every replica.
CREATE TABLE registry_signing_key (
    id         smallint    PRIMARY KEY CHECK (id = 1),
    jwk        text        NOT NULL,     -- private EC P-256 JWK (RFC 7517)
    created_at timestamptz NOT NULL DEFAULT now()
);
