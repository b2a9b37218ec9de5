-- Hongdun relay, SQLite schema 1. Timestamps are UTC RFC 3339 text with
-- microseconds and a 'Z' ("2024-03-01T08:00:00.000000Z"): fixed width, so
-- comparing the text compares the instants.

CREATE TABLE orgs (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('office', 'bureau', 'partner'))
);

CREATE TABLE users (
    id   TEXT PRIMARY KEY,
    org  TEXT NOT NULL REFERENCES orgs (code),
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('staff', 'head', 'bureau', 'partner'))
);
CREATE INDEX users_org ON users (org);

CREATE TABLE devices (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users (id),
    name         TEXT NOT NULL,
    token_hash   TEXT UNIQUE,
    enrolled_at  TEXT,
    revoked_at   TEXT,
    last_sync_at TEXT,
    last_cursor  INTEGER NOT NULL DEFAULT 0,
    schema       INTEGER
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE enrollments (
    code_hash  TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices (id),
    expires_at TEXT NOT NULL,
    used_at    TEXT
);

CREATE TABLE seen_requests (
    device_id  TEXT NOT NULL,
    request_id BLOB NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (device_id, request_id)
) WITHOUT ROWID;
CREATE INDEX seen_requests_at ON seen_requests (at);

CREATE TABLE grants (
    id         TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL,
    partner    TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('read', 'read_write')),
    expires_at TEXT,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
);
CREATE INDEX grants_doc ON grants (doc_id);
CREATE INDEX grants_partner_doc ON grants (partner, doc_id);

CREATE TABLE docs (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    owner   TEXT NOT NULL,
    holder  TEXT,
    bytes   BLOB NOT NULL,
    version INTEGER NOT NULL CHECK (version > 0)
);
CREATE INDEX docs_owner ON docs (owner);
CREATE INDEX docs_holder ON docs (holder) WHERE holder IS NOT NULL;

-- AUTOINCREMENT: a sequence number is never reused, even after the newest
-- row is deleted, so a client's cursor can never skip a later entry.
CREATE TABLE feed (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('change', 'access', 'revoke')),
    audience      TEXT,
    origin_device TEXT,
    bytes         BLOB NOT NULL
);
CREATE INDEX feed_doc ON feed (doc_id, seq);
CREATE INDEX feed_audience ON feed (audience, seq) WHERE audience IS NOT NULL;

CREATE TABLE projections (
    id           TEXT PRIMARY KEY,
    kind         TEXT NOT NULL,
    owner        TEXT NOT NULL,
    holder       TEXT,
    number       TEXT,
    title        TEXT NOT NULL,
    status       TEXT NOT NULL,
    status_label TEXT NOT NULL,
    closed       INTEGER NOT NULL CHECK (closed IN (0, 1)),
    conflicts    INTEGER NOT NULL DEFAULT 0,
    next_due     TEXT,
    schema       INTEGER NOT NULL,
    data         TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX projections_owner ON projections (owner, updated_at);
CREATE INDEX projections_holder ON projections (holder) WHERE holder IS NOT NULL;
CREATE INDEX projections_updated ON projections (updated_at);
CREATE INDEX projections_kind_status ON projections (kind, status);
