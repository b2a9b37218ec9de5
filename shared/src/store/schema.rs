//! The store's SQLite schema. Documents and their change bytes are the truth;
//! every other table is a projection rebuilt from them by `reindex`.

/// Bumped when the tables change; `migrate` brings older stores forward.
pub const STORE_VERSION: i64 = 2;

/// The first version with `stat_facts`; older stores are reindexed on open.
pub const STAT_FACTS_VERSION: i64 = 2;

pub const SCHEMA: &str = r#"
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- One row per record document: its latest compacted snapshot.
CREATE TABLE IF NOT EXISTS docs (
    id        TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    office    TEXT NOT NULL,
    snapshot  BLOB NOT NULL,
    n_changes INTEGER NOT NULL DEFAULT 0
);

-- Incremental change bytes appended after the snapshot, in order. An edit is
-- acknowledged once its row is committed; compaction folds them into the
-- snapshot in the same transaction that deletes them.
CREATE TABLE IF NOT EXISTS changes (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id TEXT NOT NULL,
    bytes  BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS changes_doc ON changes(doc_id, seq);

-- Documents that failed to load: kept byte for byte, out of the way.
CREATE TABLE IF NOT EXISTS quarantine (
    id       TEXT NOT NULL,
    reason   TEXT NOT NULL,
    snapshot BLOB,
    changes  BLOB,
    at       TEXT NOT NULL
);

-- Projection: one row per record for lists, filters and deadlines.
CREATE TABLE IF NOT EXISTS records (
    rowid            INTEGER PRIMARY KEY,
    id               TEXT NOT NULL UNIQUE,
    kind             TEXT NOT NULL,
    office           TEXT NOT NULL,
    number           TEXT,
    title            TEXT NOT NULL,
    status           TEXT NOT NULL,
    status_label     TEXT NOT NULL,
    closed           INTEGER NOT NULL,
    conflicts        INTEGER NOT NULL,
    updated_at       INTEGER NOT NULL,
    next_due         TEXT,
    next_paused      INTEGER NOT NULL DEFAULT 0,
    clocks           TEXT NOT NULL,
    search_text      TEXT NOT NULL,
    revoked          INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS records_kind_updated ON records(kind, updated_at DESC);
CREATE INDEX IF NOT EXISTS records_updated ON records(updated_at DESC);
CREATE INDEX IF NOT EXISTS records_status ON records(status, updated_at DESC);
CREATE INDEX IF NOT EXISTS records_office ON records(office, updated_at DESC);
CREATE INDEX IF NOT EXISTS records_due ON records(next_due) WHERE next_due IS NOT NULL;
-- 已超期 / due soon on one register (a kind): without it SQLite reads every
-- record of the kind through records_counts and sorts (≈ 40 ms each for the
-- page and the count on 29,000 cases).
CREATE INDEX IF NOT EXISTS records_kind_due ON records(kind, next_due) WHERE next_due IS NOT NULL;
-- Covers the counts behind "共 N 条" (by kind, open only) without the rows.
-- `revoked` goes last: as a leading equality it would lure the planner away
-- from the updated_at and next_due indexes that lists are ordered by.
CREATE INDEX IF NOT EXISTS records_counts ON records(kind, closed, revoked);
DROP INDEX IF EXISTS records_count;

-- Sync with the relay: per document, the heads the relay is known to have,
-- whether local changes wait to be uploaded, and whether this device may
-- still read it. A document without a row has never been synced (dirty).
CREATE TABLE IF NOT EXISTS sync_docs (
    doc_id      TEXT PRIMARY KEY,
    relay_heads BLOB NOT NULL DEFAULT x'',
    dirty       INTEGER NOT NULL DEFAULT 1,
    refused     TEXT,
    need_full   INTEGER NOT NULL DEFAULT 0,
    revoked     INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sync_docs_dirty ON sync_docs(dirty) WHERE dirty = 1;
-- A no-op sync reads only these small partial indexes, whatever the store size.
CREATE INDEX IF NOT EXISTS sync_docs_need_full ON sync_docs(need_full) WHERE need_full = 1;
CREATE INDEX IF NOT EXISTS sync_docs_refused ON sync_docs(doc_id) WHERE refused IS NOT NULL;

-- Attachments (blobs.rs): which records reference which hash (a projection
-- of the documents), and what this device and the relay hold of each hash.
CREATE TABLE IF NOT EXISTS blob_refs (
    sha256    TEXT NOT NULL,
    record_id TEXT NOT NULL,
    PRIMARY KEY (sha256, record_id)
);
CREATE INDEX IF NOT EXISTS blob_refs_record ON blob_refs(record_id);
CREATE TABLE IF NOT EXISTS blobs (
    sha256         TEXT PRIMARY KEY,
    size           INTEGER NOT NULL,
    present        INTEGER NOT NULL DEFAULT 0,
    uploaded       INTEGER NOT NULL DEFAULT 0,
    relay_received INTEGER NOT NULL DEFAULT 0,
    wanted         INTEGER NOT NULL DEFAULT 0
);

-- The relay's directory of authors, as last fetched: which organisation,
-- user and device each Automerge actor is (the audit trail works offline).
CREATE TABLE IF NOT EXISTS authors (
    actor    TEXT PRIMARY KEY,
    org      TEXT NOT NULL,
    org_name TEXT NOT NULL,
    user     TEXT NOT NULL,
    device   TEXT NOT NULL
);

-- Projection: every running clock, for the deadline page.
CREATE TABLE IF NOT EXISTS deadlines (
    record_id TEXT NOT NULL,
    rule      TEXT NOT NULL,
    due       TEXT NOT NULL,
    paused    INTEGER NOT NULL,
    met       INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS deadlines_record ON deadlines(record_id);
CREATE INDEX IF NOT EXISTS deadlines_due ON deadlines(met, due);

-- Projection: what statistics need from a record (stats::RecordFacts as
-- JSON), with the first and last day it touches so a bulletin reads only the
-- records of its window.
CREATE TABLE IF NOT EXISTS stat_facts (
    record_id TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    office    TEXT NOT NULL,
    first_on  TEXT NOT NULL,
    last_on   TEXT NOT NULL,
    facts     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stat_facts_last ON stat_facts(last_on);

-- Projection: the dated steps of each record (received_on, filed_on,
-- decided_on, closed_on…), for counts by month.
CREATE TABLE IF NOT EXISTS record_dates (
    record_id TEXT NOT NULL,
    kind      TEXT NOT NULL,
    what      TEXT NOT NULL,
    on_date   TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS record_dates_record ON record_dates(record_id);
CREATE INDEX IF NOT EXISTS record_dates_on ON record_dates(on_date, kind, what);

-- Drafts of forms on this device (never synced): a half-filled form
-- survives closing the app or a crash.
CREATE TABLE IF NOT EXISTS drafts (
    key        TEXT PRIMARY KEY,
    kind       TEXT,
    record_id  TEXT,
    title      TEXT NOT NULL DEFAULT '',
    fields     TEXT NOT NULL,
    updated_at INTEGER NOT NULL
);

-- Projection: search over Chinese bigrams and ASCII words (see search.rs).
CREATE VIRTUAL TABLE IF NOT EXISTS search USING fts5(
    grams, content='', contentless_delete=1, tokenize='unicode61 remove_diacritics 0'
);
"#;
