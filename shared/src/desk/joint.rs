//! 联合办案 in the desktop app: the requests of the 共享 and 审计记录 panels,
//! partner mode and 校验, and the answers the core's [`crate::joint`] types
//! do not already give.
//!
//! | command | arguments | answer |
//! |---|---|---|
//! | `joint_status` | — | [`JointStatus`] |
//! | `share_case` | [`ShareArgs`] | [`ShareCreated`](crate::joint::ShareCreated) |
//! | `case_shares` | [`IdArgs`](super::commands::IdArgs) | `Vec<Share>` |
//! | `unshare_case` | [`UnshareArgs`] | [`Share`](crate::joint::Share) |
//! | `audit_trail` | [`IdArgs`](super::commands::IdArgs) | [`AuditView`] |
//! | `export_audit` | [`IdArgs`](super::commands::IdArgs) | `String` (the file's full path) |
//! | `verify_store` | — | [`VerifyReport`](crate::joint::VerifyReport) |

use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use crate::joint::{AuditEntry, ShareMode, ShareState, StoreMode};

/// `share_case`: share case file `id` with the partner organisation whose
/// code on the relay is `partner`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShareArgs {
    pub id: String,
    pub partner: String,
    pub mode: ShareMode,
    /// The last day of the share (office time); `None`: until revoked.
    #[serde(default)]
    pub expires: Option<NaiveDate>,
    /// The partner's user who gets a device and its enrollment code
    /// (default: the partner's code).
    #[serde(default)]
    pub partner_user: Option<String>,
}

/// `unshare_case`: revoke share `grant` of case file `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UnshareArgs {
    pub id: String,
    pub grant: String,
}

/// A case file held in a partner's store, for the partner-mode banner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SharedRecord {
    pub id: String,
    pub number: Option<String>,
    pub title: String,
    pub state: ShareState,
    /// Read or read-write, as the relay last reported (None: not yet known).
    #[serde(default)]
    pub mode: Option<crate::joint::ShareMode>,
}

/// `joint_status`: office or partner mode; in partner mode, the case files
/// held here and whether each is still shared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JointStatus {
    pub mode: StoreMode,
    pub records: Vec<SharedRecord>,
}

impl JointStatus {
    pub fn is_partner(&self) -> bool {
        matches!(self.mode, StoreMode::Partner { .. })
    }

    /// Whether this partner may only read record `id` (shared 只读).
    pub fn read_only(&self, id: &str) -> bool {
        self.records
            .iter()
            .any(|r| r.id == id && r.mode == Some(crate::joint::ShareMode::Read))
    }

    /// Whether record `id` is marked 已停止共享 here.
    pub fn no_longer_shared(&self, id: &str) -> bool {
        self.records
            .iter()
            .any(|r| r.id == id && r.state == ShareState::NoLongerShared)
    }
}

/// `audit_trail`: the changes of a record, oldest first, and whether the
/// authors were just fetched from the relay (`fresh`) or are those known
/// here (offline, not enrolled, or the relay refused: `note` says which).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub entries: Vec<AuditEntry>,
    pub fresh: bool,
    pub note: Option<String>,
}

/// A share's last day, as the office means it: until the end of that day in
/// Beijing time (UTC+8).
pub fn share_expiry(day: NaiveDate) -> Option<DateTime<Utc>> {
    let cst = FixedOffset::east_opt(8 * 3600)?;
    let next = day.succ_opt()?.and_hms_opt(0, 0, 0)?;
    cst.from_local_datetime(&next)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_share_runs_to_the_end_of_its_last_day_in_beijing_time() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 31).unwrap_or_default();
        let end = share_expiry(day).map(|t| t.to_rfc3339());
        assert_eq!(end.as_deref(), Some("2026-12-31T16:00:00+00:00"));
    }

    #[test]
    fn share_arguments_use_the_camel_case_keys_tauri_expects() {
        let args: ShareArgs = serde_json::from_str(
            r#"{"id":"c1","partner":"GA01","mode":"read_write","expires":"2026-12-31","partnerUser":"王警官"}"#,
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(args.mode, ShareMode::ReadWrite);
        assert_eq!(args.partner_user.as_deref(), Some("王警官"));
    }
}
