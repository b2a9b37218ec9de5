-- Hongdun relay, PostgreSQL schema 1. Same logical schema as the SQLite one;
-- timestamps are TIMESTAMPTZ (microsecond precision), the projection JSONB.

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
    enrolled_at  TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ,
    last_sync_at TIMESTAMPTZ,
    last_cursor  BIGINT NOT NULL DEFAULT 0,
    schema       BIGINT
);
CREATE INDEX devices_user ON devices (user_id);

CREATE TABLE enrollments (
    code_hash  TEXT PRIMARY KEY,
    device_id  TEXT NOT NULL REFERENCES devices (id),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);

CREATE TABLE seen_requests (
    device_id  TEXT NOT NULL,
    request_id BYTEA NOT NULL,
    at         TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (device_id, request_id)
);
CREATE INDEX seen_requests_at ON seen_requests (at);

CREATE TABLE grants (
    id         TEXT PRIMARY KEY,
    doc_id     TEXT NOT NULL,
    partner    TEXT NOT NULL,
    mode       TEXT NOT NULL CHECK (mode IN ('read', 'read_write')),
    expires_at TIMESTAMPTZ,
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX grants_doc ON grants (doc_id);
CREATE INDEX grants_partner_doc ON grants (partner, doc_id);

CREATE TABLE docs (
    id      TEXT PRIMARY KEY,
    kind    TEXT NOT NULL,
    owner   TEXT NOT NULL,
    holder  TEXT,
    bytes   BYTEA NOT NULL,
    version BIGINT NOT NULL CHECK (version > 0)
);
CREATE INDEX docs_owner ON docs (owner);
CREATE INDEX docs_holder ON docs (holder) WHERE holder IS NOT NULL;

-- Sequence values are handed out outside transactions; store_doc and
-- append_entries serialise feed inserts with an advisory lock so that they
-- also commit in seq order (see postgres.rs).
CREATE TABLE feed (
    seq           BIGSERIAL PRIMARY KEY,
    doc_id        TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('change', 'access', 'revoke')),
    audience      TEXT,
    origin_device TEXT,
    bytes         BYTEA NOT NULL
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
    closed       BOOLEAN NOT NULL,
    conflicts    BIGINT NOT NULL DEFAULT 0,
    next_due     TEXT,
    schema       BIGINT NOT NULL,
    data         JSONB NOT NULL,
    updated_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX projections_owner ON projections (owner, updated_at);
CREATE INDEX projections_holder ON projections (holder) WHERE holder IS NOT NULL;
CREATE INDEX projections_updated ON projections (updated_at);
CREATE INDEX projections_kind_status ON projections (kind, status);
