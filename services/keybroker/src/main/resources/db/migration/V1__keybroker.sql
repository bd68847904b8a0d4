-- RCAR sessions: shared by every replica so any of them can finish a handshake (ARCHITECTURE §7)
CREATE TABLE kbs_session (
    id          varchar(32)  PRIMARY KEY,           -- 32 lowercase hex (128 random bits)
    tee         varchar(32)  NOT NULL,
    nonce       varchar(64)  NOT NULL,              -- standard padded base64 of 32 random bytes
    nonce_used  boolean      NOT NULL DEFAULT false, -- burned by the first /attest, successful or not
    created_at  timestamptz  NOT NULL,
    expires_at  timestamptz  NOT NULL,
    token       text,                               -- EAR token once attested
    attested_at timestamptz
);
CREATE INDEX kbs_session_expires ON kbs_session (expires_at);

-- resources: metadata row (kept after a delete so versions keep counting) and envelope-encrypted versions
CREATE TABLE kbs_resource (
    path            varchar(800) PRIMARY KEY,
    current_version bigint       NOT NULL,
    size            bigint       NOT NULL,
    updated_at      timestamptz  NOT NULL,
    updated_by      varchar(256) NOT NULL,
    deleted         boolean      NOT NULL DEFAULT false
);
CREATE TABLE kbs_resource_version (
    path          varchar(800) NOT NULL REFERENCES kbs_resource (path),
    version       bigint       NOT NULL,
    master_key_id varchar(64)  NOT NULL,
    wrapped_key   bytea        NOT NULL,
    ciphertext    bytea        NOT NULL,
    created_at    timestamptz  NOT NULL,
    PRIMARY KEY (path, version)
);

CREATE TABLE kbs_policy (
    id         varchar(64)  PRIMARY KEY,
    source     text         NOT NULL,
    digest     varchar(80)  NOT NULL,
    updated_by varchar(256) NOT NULL,
    updated_at timestamptz  NOT NULL
);

-- workload bindings from coco.workload.events; live = false is a tombstone (TERMINATED or FAILED)
CREATE TABLE kbs_workload_binding (
    workload_id       varchar(256) PRIMARY KEY,
    init_data_digest  varchar(512) NOT NULL,
    lookup_key        varchar(64)  NOT NULL,
    image_digest      varchar(128) NOT NULL,
    tee               varchar(64)  NOT NULL,
    allowed_resources text         NOT NULL, -- newline-separated resource paths
    live              boolean      NOT NULL,
    updated_at        timestamptz  NOT NULL
);
CREATE INDEX kbs_workload_binding_lookup ON kbs_workload_binding (lookup_key) WHERE live;

-- KEK ids of pushed images (coco.image.events), joined to bindings by manifest digest
CREATE TABLE kbs_image_keys (
    image_digest varchar(128) NOT NULL,
    repository   varchar(512) NOT NULL,
    key_paths    text         NOT NULL, -- newline-separated resource paths, kbs:/// stripped
    updated_at   timestamptz  NOT NULL,
    PRIMARY KEY (image_digest, repository)
);
