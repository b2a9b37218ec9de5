//! Everything the relay may do to storage, in one trait (the pattern of
//! atuin-server-database). Two backends implement it: [`sqlite`] (the
//! embedded default, one relay) and [`postgres`] (several stateless relay
//! instances on one database). The same test suite runs against both.
//!
//! Documents are stored whole (an Automerge save) with a version number for
//! optimistic concurrency: a writer loads a document, merges in memory and
//! stores it back only if nobody stored it meanwhile ([`Database::store_doc`]
//! returns `false`, and the writer reloads and merges again). Every stored
//! update appends to the change feed in the same transaction, so the feed and
//! the documents never disagree.

pub mod facts;
pub mod postgres;
pub mod sqlite;

use async_trait::async_trait;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use hongdun_core::stats::RecordFacts;
use serde::{Deserialize, Serialize};

/// A storage failure. Handlers turn it into a 500 without details.
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database: {0}")]
    Backend(String),
    #[error("{0}")]
    Conflict(String),
    #[error("not found: {0}")]
    NotFound(String),
}

pub type DbResult<T> = Result<T, DbError>;

/// What an organisation is to the relay.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// A branch office (所/分局/科室): owns its documents.
    Office,
    /// The central bureau (市局/区局): reads and writes every office's documents.
    Bureau,
    /// A partner in a joint operation (公安, a brand owner): reads (and with
    /// read-write grants, writes) exactly the documents granted to it.
    Partner,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Office => "office",
            OrgKind::Bureau => "bureau",
            OrgKind::Partner => "partner",
        }
    }
    pub fn parse(s: &str) -> Option<OrgKind> {
        match s {
            "office" => Some(OrgKind::Office),
            "bureau" => Some(OrgKind::Bureau),
            "partner" => Some(OrgKind::Partner),
            _ => None,
        }
    }
}

/// A user's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 办案人员 — office staff.
    Staff,
    /// 所长/科长 — office head.
    Head,
    /// 市局 — bureau staff: reads every office.
    Bureau,
    /// 合作单位 — a partner's user.
    Partner,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Staff => "staff",
            Role::Head => "head",
            Role::Bureau => "bureau",
            Role::Partner => "partner",
        }
    }
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "staff" => Some(Role::Staff),
            "head" => Some(Role::Head),
            "bureau" => Some(Role::Bureau),
            "partner" => Some(Role::Partner),
            _ => None,
        }
    }
}

/// An organisation (office, bureau or partner), identified by its code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Org {
    pub code: String,
    pub name: String,
    pub kind: OrgKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: String,
    pub org: String,
    pub name: String,
    pub role: Role,
}

/// An enrolled (or enrollable) device of a user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Device {
    pub id: String,
    pub user_id: String,
    pub name: String,
    pub enrolled_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_cursor: i64,
    pub schema: Option<i64>,
}

/// Who is calling: resolved from a device token on every request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Principal {
    pub device_id: String,
    pub user_id: String,
    pub user_name: String,
    pub role: Role,
    pub org: String,
    pub org_kind: OrgKind,
    /// For a partner device enrolled by an office (not by the relay's admin):
    /// that office. Such a device reads only the grants that office made.
    #[serde(default)]
    pub sponsor: Option<String>,
}

/// Read or read-write access to one document for a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GrantMode {
    Read,
    ReadWrite,
}

impl GrantMode {
    pub fn as_str(self) -> &'static str {
        match self {
            GrantMode::Read => "read",
            GrantMode::ReadWrite => "read_write",
        }
    }
    pub fn parse(s: &str) -> Option<GrantMode> {
        match s {
            "read" => Some(GrantMode::Read),
            "read_write" | "rw" => Some(GrantMode::ReadWrite),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    pub id: String,
    pub doc_id: String,
    /// The partner organisation's code.
    pub partner: String,
    pub mode: GrantMode,
    pub expires_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The organisation that made the grant (None for grants made before
    /// this was recorded, and by the admin command line).
    #[serde(default)]
    pub office: Option<String>,
}

impl Grant {
    pub fn is_active(&self, now: DateTime<Utc>) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }

    /// Does this grant reach `who` (a partner device)? A sponsored device
    /// sees only the grants its sponsoring office made.
    pub fn reaches(&self, who: &Principal) -> bool {
        self.partner == who.org
            && who
                .sponsor
                .as_deref()
                .is_none_or(|s| self.office.as_deref() == Some(s))
    }
}

/// Who made changes by one Automerge actor, from the actor directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorInfo {
    pub actor: String,
    pub device_id: String,
    pub device_name: String,
    pub user_name: String,
    pub org: String,
    pub org_name: String,
    pub org_kind: OrgKind,
}

/// A stored document and what the relay knows about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredDoc {
    pub id: String,
    pub kind: String,
    /// The office that created it (the document's `office`).
    pub owner: String,
    /// The office handling it after 流转/交办, if not the owner.
    pub holder: Option<String>,
    /// The whole Automerge document.
    pub bytes: Vec<u8>,
    /// Bumped on every store; the optimistic-concurrency check.
    pub version: i64,
}

/// What a feed entry announces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// New changes of a document (`bytes` holds them).
    Change,
    /// `audience` may now read the document (dispatched to it, or granted):
    /// send it whole.
    Access,
    /// `audience` may no longer read the document.
    Revoke,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Change => "change",
            EntryKind::Access => "access",
            EntryKind::Revoke => "revoke",
        }
    }
    pub fn parse(s: &str) -> Option<EntryKind> {
        match s {
            "change" => Some(EntryKind::Change),
            "access" => Some(EntryKind::Access),
            "revoke" => Some(EntryKind::Revoke),
            _ => None,
        }
    }
}

/// One entry to append to the change feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewEntry {
    pub kind: EntryKind,
    /// For access/revoke: the organisation code it concerns.
    pub audience: Option<String>,
    /// The device whose upload caused it (its own changes are not sent back).
    pub origin_device: Option<String>,
    /// For changes: the Automerge change bytes.
    pub bytes: Vec<u8>,
}

/// One entry of the change feed as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedEntry {
    pub seq: i64,
    pub doc_id: String,
    pub kind: EntryKind,
    pub audience: Option<String>,
    pub origin_device: Option<String>,
    pub bytes: Vec<u8>,
}

/// The bureau's projection of one document (one row per document).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DocProjection {
    pub id: String,
    pub kind: String,
    pub owner: String,
    pub holder: Option<String>,
    pub number: Option<String>,
    pub title: String,
    pub status: String,
    pub status_label: String,
    pub closed: bool,
    pub conflicts: i64,
    pub next_due: Option<String>,
    pub schema: i64,
    /// The derived record as JSON (fields, dates, amounts) for reports.
    pub data: serde_json::Value,
    pub updated_at: DateTime<Utc>,
    /// What the bulletin needs from this record, stored in its own table
    /// (`stat_facts`) beside the projection; not part of the records view.
    #[serde(skip)]
    pub facts: Option<RecordFacts>,
    /// SHA-256 of every attachment the document references: `store_doc`
    /// rewrites the document's rows of `blob_refs` from it (not read back).
    #[serde(default)]
    pub attachments: Vec<String>,
}

/// What the relay holds of one attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BlobRow {
    pub size: i64,
    /// Bytes stored durably from the start.
    pub received: i64,
    /// Every byte arrived and the whole matched its hash.
    pub complete: bool,
}

/// The outcome of appending chunks to an attachment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlobAppend {
    /// Stored; the relay now holds this many bytes.
    Appended(i64),
    /// The chunks do not start where the relay stands (it holds this many).
    WrongOffset(i64),
    /// The declared size differs from the size first declared for this hash.
    WrongSize(i64),
}

/// Who may see what in the feed: resolved from the principal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Visibility {
    /// Every document (the bureau).
    All,
    /// Documents owned or held by this office.
    Office(String),
    /// Documents with an active grant to this partner, never annexes.
    Partner(String),
    /// A sponsored partner device: documents with an active grant to
    /// `partner` made by `office`, never annexes.
    PartnerVia { partner: String, office: String },
}

/// Per office, for the bureau's sync-health view.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeHealth {
    pub org: String,
    pub name: String,
    pub documents: i64,
    pub pending_conflicts: i64,
    pub schema_versions: Vec<i64>,
    pub devices: Vec<DeviceHealth>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceHealth {
    pub device_id: String,
    pub device_name: String,
    pub user: String,
    pub last_sync_at: Option<DateTime<Utc>>,
    pub last_cursor: i64,
    pub schema: Option<i64>,
    pub revoked: bool,
}

/// Everything the relay may do to storage.
#[async_trait]
pub trait Database: Send + Sync + 'static {
    /// Creates the tables if needed (run at start-up; idempotent).
    async fn migrate(&self) -> DbResult<()>;

    // --- identity -------------------------------------------------------
    async fn create_org(&self, org: &Org) -> DbResult<()>;
    async fn get_org(&self, code: &str) -> DbResult<Option<Org>>;
    async fn list_orgs(&self) -> DbResult<Vec<Org>>;
    async fn create_user(&self, user: &User) -> DbResult<()>;
    async fn get_user(&self, id: &str) -> DbResult<Option<User>>;
    async fn create_device(&self, device_id: &str, user_id: &str, name: &str) -> DbResult<()>;
    /// Stores a one-time enrollment code (hashed) for a device.
    async fn create_enrollment(
        &self,
        device_id: &str,
        code_hash: &str,
        expires_at: DateTime<Utc>,
    ) -> DbResult<()>;
    /// Redeems a code: if it exists, is unused and unexpired, marks it used,
    /// binds `token_hash` to its device and returns the device's principal —
    /// atomically, so a code works once even with two relays racing.
    async fn redeem_enrollment(
        &self,
        code_hash: &str,
        token_hash: &str,
        now: DateTime<Utc>,
    ) -> DbResult<Option<Principal>>;
    /// The principal of an enrolled, unrevoked device with this token hash.
    async fn principal_by_token(&self, token_hash: &str) -> DbResult<Option<Principal>>;
    /// Revokes a device: its token stops working at once.
    async fn revoke_device(&self, device_id: &str, at: DateTime<Utc>) -> DbResult<bool>;
    async fn list_devices(&self) -> DbResult<Vec<Device>>;
    /// Marks a not yet enrolled device as sponsored by `office`: once
    /// enrolled it reads only the grants `office` made (set before its
    /// enrollment code is handed out).
    async fn sponsor_device(&self, device_id: &str, office: &str) -> DbResult<()>;
    /// The newest finished sync of any device of `org`.
    async fn org_last_sync(&self, org: &str) -> DbResult<Option<DateTime<Utc>>>;

    // --- the actor directory (who made which change) ---------------------
    /// Binds each unknown actor to `device_id` and returns the actors that
    /// are already bound to a device of another user: changes by those may
    /// not be uploaded by this device (they would be passed off as someone
    /// else's). Another device of the same user may carry an actor on (the
    /// same store enrolled again); the actor stays bound to its first device.
    async fn claim_actors(
        &self,
        device_id: &str,
        actors: &[String],
        at: DateTime<Utc>,
    ) -> DbResult<Vec<String>>;
    /// Who each known actor among `actors` is.
    async fn actor_infos(&self, actors: &[String]) -> DbResult<Vec<ActorInfo>>;
    /// Records a request id; false if this device used it before (a replay).
    async fn note_request(
        &self,
        device_id: &str,
        request_id: &[u8],
        at: DateTime<Utc>,
    ) -> DbResult<bool>;
    /// Records a finished sync round of a device.
    async fn touch_device(
        &self,
        device_id: &str,
        at: DateTime<Utc>,
        cursor: i64,
        schema: i64,
    ) -> DbResult<()>;

    // --- grants ---------------------------------------------------------
    async fn create_grant(&self, grant: &Grant) -> DbResult<()>;
    async fn get_grant(&self, id: &str) -> DbResult<Option<Grant>>;
    /// Revokes a grant (idempotent); true if it was active.
    async fn revoke_grant(&self, id: &str, at: DateTime<Utc>) -> DbResult<bool>;
    async fn grants_for_doc(&self, doc_id: &str) -> DbResult<Vec<Grant>>;
    async fn grants_for_partner(&self, partner: &str) -> DbResult<Vec<Grant>>;

    // --- documents and the feed -----------------------------------------
    async fn load_doc(&self, id: &str) -> DbResult<Option<StoredDoc>>;
    /// Stores a document, its projection and its feed entries in one
    /// transaction, if its version is still `expected_version` (0 for a new
    /// document). Returns false (and changes nothing) if someone stored it
    /// meanwhile. The stored version becomes `expected_version + 1`.
    async fn store_doc(
        &self,
        doc: &StoredDoc,
        expected_version: i64,
        projection: &DocProjection,
        entries: &[NewEntry],
    ) -> DbResult<bool>;
    /// Appends feed entries that change no document (a grant, a revocation).
    async fn append_entries(&self, doc_id: &str, entries: &[NewEntry]) -> DbResult<()>;
    /// Feed entries after `cursor` that `vis` may see, in order, at most
    /// `limit` of them: change entries of visible documents, and access and
    /// revoke entries addressed to the caller's organisation.
    async fn feed_since(
        &self,
        cursor: i64,
        vis: &Visibility,
        now: DateTime<Utc>,
        limit: i64,
    ) -> DbResult<Vec<FeedEntry>>;
    /// The highest feed position (0 when empty).
    async fn feed_head(&self) -> DbResult<i64>;

    // --- attachments (content-addressed; see relay/attachments.rs) --------
    /// Documents whose latest stored version references `sha256`.
    async fn blob_docs(&self, sha256: &str) -> DbResult<Vec<String>>;
    async fn blob_status(&self, sha256: &str) -> DbResult<Option<BlobRow>>;
    /// Appends `chunks` (in order, contiguous) at `offset` in one transaction,
    /// if `offset` is exactly what is held and `size` what was declared.
    async fn blob_append(
        &self,
        sha256: &str,
        size: i64,
        offset: i64,
        chunks: Vec<Vec<u8>>,
    ) -> DbResult<BlobAppend>;
    /// Stored chunks covering `from..`, in order, about `max_bytes` of them
    /// (at least one): `(position, bytes)`.
    async fn blob_read(
        &self,
        sha256: &str,
        from: i64,
        max_bytes: i64,
    ) -> DbResult<Vec<(i64, Vec<u8>)>>;
    /// After the last byte: marks the blob complete if it verified, else
    /// drops its chunks so the upload starts again.
    async fn blob_finish(&self, sha256: &str, verified: bool) -> DbResult<()>;

    // --- the bureau copy ------------------------------------------------
    async fn projections(
        &self,
        owner: Option<&str>,
        limit: i64,
        offset: i64,
    ) -> DbResult<Vec<DocProjection>>;
    async fn office_health(&self) -> DbResult<Vec<OfficeHealth>>;
    /// Statistics facts of documents owned by `owners` (empty: every
    /// owner) that touch `from..=to`, and of every campaign, as packed rows
    /// (read them with [`facts::PackedRows::views`]).
    async fn stat_facts(
        &self,
        owners: &[String],
        from: NaiveDate,
        to: NaiveDate,
    ) -> DbResult<facts::PackedRows>;
    /// The owners (office codes) of every statistics fact, in order.
    async fn stat_owners(&self) -> DbResult<Vec<String>>;
    /// Documents of the kinds statistics count that have no `stat_facts`
    /// row, with ids after `after`, in id order, at most `limit` of them
    /// (stored before the table existed, or before its format changed).
    async fn docs_without_facts(&self, after: &str, limit: i64) -> DbResult<Vec<StoredDoc>>;
    /// Writes documents' statistics facts in one transaction (removes a
    /// document's facts when they are None or have no dated fact), as
    /// `store_doc` does with a projection.
    async fn put_stat_facts(&self, rows: &[FactsUpdate]) -> DbResult<()>;
}

/// One document's statistics facts to write ([`Database::put_stat_facts`]).
#[derive(Debug, Clone)]
pub struct FactsUpdate {
    pub id: String,
    pub owner: String,
    pub kind: String,
    pub facts: Option<RecordFacts>,
}

/// The `stat_facts` row of a projection: first and last day, and the
/// packed facts ([`facts::pack`]). None when the record has no dated facts.
pub(crate) fn facts_row(
    facts: Option<&RecordFacts>,
) -> DbResult<Option<(NaiveDate, NaiveDate, Vec<u8>)>> {
    let Some(f) = facts else { return Ok(None) };
    let Some((first, last)) = hongdun_core::stats::Facts::span(f) else {
        return Ok(None);
    };
    Ok(Some((first, last, facts::pack(f)?)))
}

/// The distinct owners of `stat_facts`, one index probe each (a skip scan
/// over the owner index instead of reading every row's entry).
pub(crate) const STAT_OWNERS_SQL: &str = "
    WITH RECURSIVE o(owner) AS (
        SELECT MIN(owner) FROM stat_facts
        UNION ALL
        SELECT (SELECT MIN(s.owner) FROM stat_facts s WHERE s.owner > o.owner)
        FROM o WHERE o.owner IS NOT NULL
    )
    SELECT owner FROM o WHERE owner IS NOT NULL";

/// Kinds whose documents have no statistics facts (`facts_of` gives none).
pub(crate) const KINDS_WITHOUT_FACTS: &str = "('office', 'annex', 'lead')";
