//! The desktop shell's commands: each name, the arguments the front end sends
//! (one struct per command, keys in camelCase as Tauri expects them) and the
//! type it returns. Errors are always a Chinese sentence (`String`).
//!
//! | command | arguments | returns |
//! |---|---|---|
//! | `office_info` | — | `Option<OfficeInfo>` |
//! | `dashboard` | — | [`Dashboard`](super::Dashboard) |
//! | `list_records` | [`ListArgs`] | `Vec<RecordSummary>` |
//! | `list_page` | [`ListArgs`] | [`RecordPage`](super::RecordPage) |
//! | `deadlines` | [`DeadlinesArgs`] | `Vec<DeadlineRow>` |
//! | `get_record` | [`IdArgs`] | [`RecordView`](super::RecordView) |
//! | `record_history` | [`IdArgs`] | `Vec<HistoryEntry>` |
//! | `create_record` | [`CreateArgs`] | `RecordView` |
//! | `edit_record` | [`EditArgs`] | `RecordView` |
//! | `append_event` | [`EventArgs`] | `RecordView` |
//! | `resolve_conflict` | [`ResolveArgs`] | `RecordView` |
//! | `save_draft` | [`DraftArgs`] | [`DraftInfo`](super::DraftInfo) |
//! | `load_draft` | [`KeyArgs`] | `Option<Draft>` |
//! | `list_drafts` | — | `Vec<DraftInfo>` |
//! | `discard_draft` | [`KeyArgs`] | `()` |
//! | `settings` | — | [`Settings`](super::Settings) |
//! | `init_office` | [`InitOfficeArgs`] | `Settings` |
//! | `set_user` | [`SetUserArgs`] | `Settings` |
//! | `set_sync_interval` | [`IntervalArgs`] | `Settings` |
//! | `enroll` | [`EnrollArgs`] | `Settings` |
//! | `sync_state` | — | [`SyncState`](super::SyncState) |
//! | `sync_now` | — | `()` (progress arrives as [`SYNC_STATE_EVENT`]) |
//! | `month_glance` | [`MonthArgs`] | [`MonthGlance`](super::MonthGlance) |
//! | `attachments` | [`IdArgs`] | `Vec<AttachmentView>` |
//! | `attach_file` | [`AttachArgs`] | `AttachmentView` |
//! | `attachment_thumbnail` | [`ShaArgs`] | `Option<String>` (a `data:` URL) |
//! | `open_attachment` | [`AttachmentArgs`] | `()` |
//! | `fetch_attachment` | [`ShaArgs`] | `()` (state: poll `attachments`) |
//! | `attachment_settings` | — | `AttachmentSettings` |
//! | `set_attachment_settings` | [`AttachmentSettingsArgs`] | `AttachmentSettings` |
//! | `desk_ready` | — | `()` (the first 工作台 is drawn: logs the start-up time) |
//!
//! 联合办案 (共享, 审计记录, partner mode, 校验): see [`super::joint`].

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::draft::Draft;
use super::views::ListQuery;
use crate::record::RecordKind;

/// Event emitted whenever the background sync changes state (started, after
/// each round, finished or failed); payload [`SyncState`](super::SyncState).
pub const SYNC_STATE_EVENT: &str = "sync-state";

/// Event emitted after a sync stored records from the relay, so open pages
/// reload; payload: the number of records received (`usize`).
pub const RECORDS_CHANGED_EVENT: &str = "records-changed";

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ListArgs {
    pub query: ListQuery,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeadlinesArgs {
    /// Calendar days ahead of today (overdue ones are always included).
    pub within_days: u32,
    pub kind: Option<RecordKind>,
}

/// A record id (or a unique prefix of at least 4 characters).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdArgs {
    pub id: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CreateArgs {
    pub kind: RecordKind,
    pub fields: Map<String, Value>,
    /// The draft this form was saved as; discarded once the record is stored.
    #[serde(default)]
    pub draft_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EditArgs {
    pub id: String,
    /// Fields to change; `null` removes one.
    pub patch: Map<String, Value>,
    #[serde(default)]
    pub draft_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventArgs {
    pub id: String,
    /// One of the record's `allowed_actions`, e.g. "file" (立案), "decide" (决定).
    pub action: String,
    /// The legal date of the act.
    pub on: NaiveDate,
    #[serde(default)]
    pub params: Map<String, Value>,
    #[serde(default)]
    pub draft_key: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolveArgs {
    pub id: String,
    pub field: String,
    /// The value chosen (one of the conflict's values, or a new one).
    pub value: Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DraftArgs {
    pub draft: Draft,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyArgs {
    pub key: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct InitOfficeArgs {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SetUserArgs {
    pub user: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IntervalArgs {
    pub minutes: u32,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EnrollArgs {
    /// "http://host:port" or "https://…".
    pub server: String,
    /// The one-time code from the bureau, e.g. "ABCD-EFGH-JKMN".
    pub code: String,
    /// How the relay lists this device; defaults to the machine's name.
    #[serde(default)]
    pub device_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MonthArgs {
    /// "YYYY-MM"; `None` means the current month.
    #[serde(default)]
    pub month: Option<String>,
}

/// `attach_file`: a file the clerk picked or dropped, its bytes in base64
/// (the WebView gives no path, only the bytes).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachArgs {
    pub id: String,
    pub name: String,
    pub data_base64: String,
}

/// `open_attachment`: one attachment of a record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentArgs {
    pub id: String,
    pub sha: String,
}

/// `attachment_thumbnail`, `fetch_attachment`: an attachment by its hash.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ShaArgs {
    pub sha: String,
}

/// `set_attachment_settings`: the office's fetch policy and limits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AttachmentSettingsArgs {
    pub settings: crate::attachment::AttachmentSettings,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn command_arguments_use_the_camel_case_keys_tauri_expects() {
        let args = EventArgs {
            id: "c1".into(),
            action: "decide".into(),
            on: NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default(),
            params: Map::new(),
            draft_key: Some("event:c1:decide".into()),
        };
        let json = serde_json::to_value(&args).unwrap_or_default();
        assert_eq!(json["draftKey"], "event:c1:decide");
        let enroll: EnrollArgs =
            serde_json::from_str(r#"{"server":"http://r","code":"AB","deviceName":"所里电脑"}"#)
                .unwrap_or_default();
        assert_eq!(enroll.device_name.as_deref(), Some("所里电脑"));
    }
}
