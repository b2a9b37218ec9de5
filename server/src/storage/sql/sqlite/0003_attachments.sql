-- Attachment bytes by content (SHA-256), in chunks as they arrived, and
-- which documents reference which hash (access to the bytes follows them).
CREATE TABLE blob_refs (
    sha256 TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    PRIMARY KEY (sha256, doc_id)
);
CREATE INDEX blob_refs_doc ON blob_refs (doc_id);
CREATE TABLE blobs (
    sha256   TEXT PRIMARY KEY,
    size     INTEGER NOT NULL,
    received INTEGER NOT NULL DEFAULT 0,
    complete INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL,
    pos    INTEGER NOT NULL,
    bytes  BLOB NOT NULL,
    PRIMARY KEY (sha256, pos)
);
