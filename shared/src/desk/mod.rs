//! The desktop app's commands as data: every request the Yew front end sends
//! to the Tauri shell and every answer and event it gets back.
//!
//! This module builds without the `native` feature, so the front end (wasm)
//! and the shell (native) share one definition of each type and cannot drift
//! apart. The store's own types that cross the boundary (list queries, record
//! views, history, sync status) are defined here and re-exported where the
//! store uses them. The command list itself, with argument names as the front
//! end sends them, is in [`commands`].

pub mod bulletin;
pub mod commands;
pub mod dashboard;
pub mod draft;
pub mod joint;
pub mod settings;
pub mod sync;
pub mod views;

pub use dashboard::{Dashboard, GlanceCount, KindDeadlines, MonthGlance};
pub use draft::{Draft, DraftInfo};
pub use settings::Settings;
pub use sync::{
    Progress, RoundLimits, SyncPhase, SyncProblem, SyncProblemKind, SyncState, SyncStatus,
    SyncSummary, DEFAULT_ATTACHMENT_BUDGET,
};
pub use views::{
    DeadlineRow, FieldConflict, FieldValue, HistoryEntry, ListQuery, OfficeInfo, RecordPage,
    RecordView, RejectedView, SEARCH_COUNT_CAP,
};
