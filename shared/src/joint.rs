//! 联合办案 — joint operations with a partner organisation (公安, a brand
//! owner's anti-counterfeiting office): the types every layer shares about
//! sharing one case file, partner mode, the audit trail and `verify`.
//!
//! Plain serde types with no native parts, so the wasm front end shows the
//! 共享 dialog, the partner-mode banner and the audit panel with the same
//! shapes the desktop commands and the command line return. The native work
//! (talking to the relay, reading the history, writing the xlsx report) is in
//! `sync::share` and `audit`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// What a partner may do with a shared case file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareMode {
    /// 只读 — sees the case file.
    Read,
    /// 可补充 — may also add to the sections a partner may edit
    /// ([`PARTNER_SECTIONS`]).
    ReadWrite,
}

impl ShareMode {
    /// The relay's wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            ShareMode::Read => "read",
            ShareMode::ReadWrite => "read_write",
        }
    }

    /// Accepts the wire names and the command line's `read-write`/`rw`.
    pub fn parse(s: &str) -> Option<ShareMode> {
        match s.trim() {
            "read" | "只读" => Some(ShareMode::Read),
            "read_write" | "read-write" | "rw" | "可补充" => Some(ShareMode::ReadWrite),
            _ => None,
        }
    }

    /// 只读 / 可补充.
    pub fn label(self) -> &'static str {
        match self {
            ShareMode::Read => "只读",
            ShareMode::ReadWrite => "可补充",
        }
    }
}

/// The sections of a case file a partner with a read-write share may add
/// to: 查扣清单, 鉴定 results, evidence and notes. The relay enforces the
/// same list on every upload.
pub const PARTNER_SECTIONS: [&str; 4] = ["seizures", "appraisals", "evidence", "notes"];

/// One of this partner device's shares as the relay reports it: which case
/// file, read or read-write, until when. The desk offers 补充材料 only where
/// the partner may write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerGrant {
    pub doc_id: String,
    pub mode: ShareMode,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A partner organisation on the relay (a public-security unit, a brand
/// owner's anti-counterfeiting office), offered when sharing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerOrg {
    /// Its code on the relay, what a share names.
    pub code: String,
    pub name: String,
}

/// One share of a case file with a partner, as the sharing office sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Share {
    /// The grant's id on the relay (what `unshare` takes).
    pub id: String,
    pub doc_id: String,
    /// The partner organisation's code and name.
    pub partner: String,
    pub partner_name: String,
    pub mode: ShareMode,
    pub expires_at: Option<DateTime<Utc>>,
    /// "user@office" that shared it.
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// Shared now: not revoked and not expired.
    pub active: bool,
    /// The last finished sync of any of the partner's devices.
    pub partner_last_sync: Option<DateTime<Utc>>,
}

/// What sharing returns: the share, and the one-time code the partner's
/// device enrolls with (`hongdun enroll --code …`), when one was asked for.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShareCreated {
    pub share: Share,
    pub enrollment: Option<PartnerEnrollment>,
}

/// A one-time enrollment code for a new device of a partner.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartnerEnrollment {
    pub code: String,
    pub device_id: String,
    pub expires_at: DateTime<Utc>,
}

/// How a store takes part in joint operations (the desktop app's look).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum StoreMode {
    /// An office's or the bureau's own store.
    Office,
    /// 合作单位模式 — the store of a partner's device: it holds only case
    /// files shared with the partner.
    Partner { org: String, org_name: String },
}

/// A case file in a partner's store: still shared, or no longer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShareState {
    Shared,
    /// 已停止共享 — the office revoked the share or it expired; the copy
    /// stays readable here but receives and sends nothing.
    NoLongerShared,
}

impl ShareState {
    pub fn label(self) -> &'static str {
        match self {
            ShareState::Shared => "共享中",
            ShareState::NoLongerShared => "已停止共享",
        }
    }
}

/// Who an Automerge actor (one store's replica) is, from the relay's
/// directory of enrolled devices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Author {
    /// The actor id, hex.
    pub actor: String,
    pub org: String,
    pub org_name: String,
    pub user: String,
    pub device: String,
}

/// The name shown in a partner's audit view for an organisation that is
/// neither the partner itself nor an office or bureau: a partner never
/// learns which other partners a case is shared with.
pub const OTHER_PARTNER: &str = "其他合作单位";

/// One change of a case file in the audit trail.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    /// Organisation code and name ("" and "未知" when the relay does not know
    /// the actor yet: a change not synced yet).
    pub org: String,
    pub org_name: String,
    pub user: String,
    pub device: String,
    /// What the change did, in Chinese: 新建, 修改：查扣清单、备注, 办理：立案…
    pub what: String,
    /// The Automerge change hash, hex (its identity in every replica).
    pub hash: String,
    pub actor: String,
}

/// The outcome of `hongdun verify` for one document whose history does not
/// verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyFailure {
    pub doc_id: String,
    /// One plain sentence.
    pub problem: String,
}

/// The outcome of `hongdun verify` over a whole store.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerifyReport {
    pub documents: usize,
    pub changes: usize,
    pub failures: Vec<VerifyFailure>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.failures.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn share_modes_read_from_the_command_line_and_the_wire() {
        assert_eq!(ShareMode::parse("read-write"), Some(ShareMode::ReadWrite));
        assert_eq!(ShareMode::parse("read_write"), Some(ShareMode::ReadWrite));
        assert_eq!(ShareMode::parse("read"), Some(ShareMode::Read));
        assert_eq!(ShareMode::parse("write"), None);
        let json = serde_json::to_string(&StoreMode::Partner {
            org: "GA01".into(),
            org_name: "经侦大队".into(),
        })
        .unwrap_or_default();
        assert!(json.contains("\"mode\":\"partner\""));
    }
}
