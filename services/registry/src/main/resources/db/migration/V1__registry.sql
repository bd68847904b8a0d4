-- Registry metadata (schema "registry"). Blob bytes live in the blob store; manifests are kept here byte for byte.
CREATE TABLE repositories (
    name        text PRIMARY KEY,
    created_at  timestamptz NOT NULL DEFAULT now()
);

-- Every blob committed to the blob store. last_linked_at protects fresh blobs from garbage collection.
CREATE TABLE blobs (
    digest          text PRIMARY KEY,
    size            bigint NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    last_linked_at  timestamptz NOT NULL DEFAULT now()
);

-- Which repository may serve which blob (uploads and cross-repository mounts create links).
CREATE TABLE repository_blobs (
    repository  text NOT NULL REFERENCES repositories (name) ON DELETE CASCADE,
    digest      text NOT NULL REFERENCES blobs (digest) ON DELETE CASCADE,
    linked_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, digest)
);
CREATE INDEX repository_blobs_digest ON repository_blobs (digest);

CREATE TABLE manifests (
    repository       text NOT NULL REFERENCES repositories (name) ON DELETE CASCADE,
    digest           text NOT NULL,
    media_type       text NOT NULL,
    content_type     text NOT NULL,
    content          bytea NOT NULL,
    size             integer NOT NULL,
    artifact_type    text,
    subject_digest   text,
    annotations      text,
    encrypted        boolean NOT NULL DEFAULT false,
    key_ids          text NOT NULL DEFAULT '[]',
    inspection_error text,
    pushed_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, digest)
);
CREATE INDEX manifests_subject ON manifests (repository, subject_digest) WHERE subject_digest IS NOT NULL;

-- Blobs and child manifests a manifest refers to (kind: config, layer, manifest).
CREATE TABLE manifest_references (
    repository       text NOT NULL,
    manifest_digest  text NOT NULL,
    kind             text NOT NULL,
    position         integer NOT NULL,
    digest           text NOT NULL,
    PRIMARY KEY (repository, manifest_digest, kind, position),
    FOREIGN KEY (repository, manifest_digest) REFERENCES manifests (repository, digest) ON DELETE CASCADE
);
CREATE INDEX manifest_references_digest ON manifest_references (digest);

-- Per-layer encryption state, from io.cocoplane.ocicrypt.ManifestInspector.
CREATE TABLE layers (
    repository       text NOT NULL,
    manifest_digest  text NOT NULL,
    position         integer NOT NULL,
    digest           text NOT NULL,
    media_type       text NOT NULL,
    size             bigint NOT NULL,
    encrypted        boolean NOT NULL,
    recipients       text NOT NULL,
    jwe_algorithms   text NOT NULL,
    key_ids          text NOT NULL,
    PRIMARY KEY (repository, manifest_digest, position),
    FOREIGN KEY (repository, manifest_digest) REFERENCES manifests (repository, digest) ON DELETE CASCADE
);

CREATE TABLE tags (
    repository       text NOT NULL,
    tag              text NOT NULL,
    manifest_digest  text NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (repository, tag),
    FOREIGN KEY (repository, manifest_digest) REFERENCES manifests (repository, digest) ON DELETE CASCADE
);
CREATE INDEX tags_manifest ON tags (repository, manifest_digest);

CREATE TABLE uploads (
    id          uuid PRIMARY KEY,
    repository  text NOT NULL REFERENCES repositories (name) ON DELETE CASCADE,
    size        bigint NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    expires_at  timestamptz NOT NULL
);
CREATE INDEX uploads_expires ON uploads (expires_at);
