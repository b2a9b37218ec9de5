-- Attachment bytes by content (SHA-256), in chunks as they arrived, and
-- which documents reference which hash (access to the bytes follows them).
-- In the database, not on a relay's disk: every relay instance serves every
-- attachment.
CREATE TABLE blob_refs (
    sha256 TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    PRIMARY KEY (sha256, doc_id)
);
CREATE INDEX blob_refs_doc ON blob_refs (doc_id);
CREATE TABLE blobs (
    sha256   TEXT PRIMARY KEY,
    size     BIGINT NOT NULL,
    received BIGINT NOT NULL DEFAULT 0,
    complete BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL,
    pos    BIGINT NOT NULL,
    bytes  BYTEA NOT NULL,
    PRIMARY KEY (sha256, pos)
);
