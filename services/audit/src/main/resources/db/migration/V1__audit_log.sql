-- The audit log: an append-only RFC 9162 Merkle tree over the canonical bytes of every catalogue event.

-- One row per leaf. idx is dense and gap-free (0 .. tree_size-1): appends are serialised by the row lock on
-- tree_state. leaf is the exact entry that was hashed (RFC 8785 canonical CloudEvent JSON); the other columns are
-- copies of fields inside it, kept for filtering.
CREATE TABLE entries (
    idx         BIGINT      PRIMARY KEY CHECK (idx >= 0),
    event_id    TEXT        NOT NULL,
    ce_type     TEXT        NOT NULL,
    ce_source   TEXT        NOT NULL,
    subject     TEXT        NOT NULL,
    ce_time     TIMESTAMPTZ,
    topic       TEXT        NOT NULL,
    leaf        BYTEA       NOT NULL,
    appended_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT entries_event_id_unique UNIQUE (event_id)
);
CREATE INDEX entries_subject_idx ON entries (subject, idx);
CREATE INDEX entries_type_idx ON entries (ce_type, idx);

-- The library's NodeStore: hash of the perfect subtree over leaves [idx*2^level, (idx+1)*2^level).
CREATE TABLE tree_nodes (
    level SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 63),
    idx   BIGINT   NOT NULL CHECK (idx >= 0),
    hash  BYTEA    NOT NULL CHECK (octet_length(hash) = 32),
    PRIMARY KEY (level, idx)
);

-- The committed tree size and root; the single row is also the writers' lock (SELECT ... FOR UPDATE).
CREATE TABLE tree_state (
    id        SMALLINT PRIMARY KEY CHECK (id = 1),
    tree_size BIGINT   NOT NULL CHECK (tree_size >= 0),
    root_hash BYTEA    NOT NULL CHECK (octet_length(root_hash) = 32)
);
-- the empty tree: MTH({}) = SHA-256("")
INSERT INTO tree_state (id, tree_size, root_hash)
VALUES (1, 0, decode('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'hex'));

-- Signed checkpoints (c2sp.org/tlog-checkpoint in a c2sp.org/signed-note), at most one per tree size.
CREATE TABLE checkpoints (
    tree_size   BIGINT      PRIMARY KEY CHECK (tree_size >= 0),
    origin      TEXT        NOT NULL,
    root_hash   BYTEA       NOT NULL CHECK (octet_length(root_hash) = 32),
    signed_note TEXT        NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- The log's Ed25519 signing key (PKCS#8 PEM), generated on first start unless a key file is configured.
CREATE TABLE signing_key (
    id              SMALLINT    PRIMARY KEY CHECK (id = 1),
    private_key_pem TEXT        NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
