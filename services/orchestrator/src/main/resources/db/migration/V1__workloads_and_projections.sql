-- Projection of the registry's manifests (image.pushed / image.deleted).
CREATE TABLE image_manifest (
    repository               TEXT        NOT NULL,
    digest                   TEXT        NOT NULL,
    media_type               TEXT        NOT NULL,
    key_ids                  TEXT        NOT NULL, -- JSON array of kbs:/// key ids (image and layers)
    unkeyed_encrypted_layers INTEGER     NOT NULL, -- encrypted layers without a CoCo key id
    pushed_at                TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repository, digest)
);

CREATE TABLE image_tag (
    repository TEXT        NOT NULL,
    tag        TEXT        NOT NULL,
    digest     TEXT        NOT NULL,
    pushed_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (repository, tag)
);

-- Projection of the key broker's resources (key.resource-updated / key.resource-deleted).
CREATE TABLE key_resource (
    resource_path TEXT        PRIMARY KEY,
    version       BIGINT      NOT NULL,
    updated_at    TIMESTAMPTZ NOT NULL
);

CREATE TABLE workload (
    id                  TEXT        PRIMARY KEY,
    name                TEXT        NOT NULL,
    namespace           TEXT        NOT NULL,
    requested_image     TEXT        NOT NULL,
    tee                 TEXT        NOT NULL,
    resources           TEXT        NOT NULL, -- JSON array
    allow_exec          BOOLEAN     NOT NULL,
    allow_logs          BOOLEAN     NOT NULL,
    cpu                 TEXT,
    memory              TEXT,
    requested_by        TEXT,
    state               TEXT        NOT NULL,
    reason              TEXT,
    detail              TEXT,
    pod_ready           BOOLEAN     NOT NULL DEFAULT FALSE,
    attested            BOOLEAN     NOT NULL DEFAULT FALSE,
    requested_at        TIMESTAMPTZ NOT NULL,
    scheduled_at        TIMESTAMPTZ,
    updated_at          TIMESTAMPTZ NOT NULL,
    pod_name            TEXT,
    pod_uid             TEXT,
    runtime_class       TEXT,
    image               TEXT,
    image_digest        TEXT,
    init_data_digest    TEXT,
    init_data_algorithm TEXT,
    allowed_resources   TEXT      -- JSON array
);
CREATE INDEX workload_state_idx ON workload (state);
CREATE INDEX workload_pod_idx ON workload (namespace, pod_name);

CREATE TABLE workload_history (
    seq         BIGSERIAL   PRIMARY KEY,
    workload_id TEXT        NOT NULL REFERENCES workload (id),
    from_state  TEXT,
    to_state    TEXT        NOT NULL,
    reason      TEXT,
    detail      TEXT,
    cause       TEXT        NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX workload_history_idx ON workload_history (workload_id, seq);
