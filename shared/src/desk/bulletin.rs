//! The 统计 page's requests: the office bulletin for a period and its export
//! to a file. (The answers are the core's [`crate::stats::Bulletin`] and the
//! written file's path.)
//!
//! | command | arguments | answer |
//! |---|---|---|
//! | `office_bulletin` | [`PeriodArgs`] | [`Bulletin`](crate::stats::Bulletin) |
//! | `bureau_bulletin` | [`PeriodArgs`] | [`BureauBulletin`](crate::stats::BureauBulletin) (bureau devices; asked of the relay) |
//! | `export_bulletin` | [`ExportArgs`] | `String` (the file's full path) |

use serde::{Deserialize, Serialize};

use crate::stats::ExportFormat;

/// `office_bulletin`: a period code as [`crate::stats::Period::parse`] reads it
/// (`2026-06`, `2026-Q2`, `2026-H1`, `2026`, `2026-06-ytd`); `None` is this month.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PeriodArgs {
    #[serde(default)]
    pub period: Option<String>,
}

/// `export_bulletin`: the period's bulletin written as `format`; with
/// `bureau`, the relay's consolidated bulletin over every office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExportArgs {
    #[serde(default)]
    pub period: Option<String>,
    pub format: ExportFormat,
    #[serde(default)]
    pub bureau: bool,
}
