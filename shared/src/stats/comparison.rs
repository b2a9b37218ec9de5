//! The central bureau's per-office comparison: each office's main figures
//! for a period beside its sync health, so a stale office is obvious. Offices
//! are listed by code, never ranked (行政处罚法 Art 74).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::figures::{Bulletin, OfficeRow};
use super::period::Period;

/// How many days without a sync make an office stale.
pub const STALE_AFTER_DAYS: i64 = 3;

/// An office's sync health as the relay knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncHealth {
    /// The most recent sync of any of its devices.
    pub last_sync_at: Option<DateTime<Utc>>,
    /// Whole days since then (None: never synced).
    pub days_since_sync: Option<i64>,
    /// Enrolled, unrevoked devices.
    pub devices: usize,
    pub pending_conflicts: i64,
    /// No sync for [`STALE_AFTER_DAYS`] days, or never: its figures may be incomplete.
    pub stale: bool,
}

impl SyncHealth {
    /// Health from the devices' last syncs, as of `now`.
    pub fn from_syncs(
        last_syncs: impl IntoIterator<Item = Option<DateTime<Utc>>>,
        pending_conflicts: i64,
        now: DateTime<Utc>,
    ) -> SyncHealth {
        let mut devices = 0;
        let mut last: Option<DateTime<Utc>> = None;
        for s in last_syncs {
            devices += 1;
            last = last.max(s);
        }
        let days = last.map(|l| (now - l).num_days());
        SyncHealth {
            last_sync_at: last,
            days_since_sync: days,
            devices,
            pending_conflicts,
            stale: days.is_none_or(|d| d >= STALE_AFTER_DAYS),
        }
    }
}

/// One office in the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeComparisonRow {
    pub office: String,
    pub name: String,
    pub figures: OfficeRow,
    pub health: SyncHealth,
}

/// The per-office comparison for a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfficeComparison {
    pub period: Period,
    pub period_label: String,
    pub rows: Vec<OfficeComparisonRow>,
}

/// What the relay's bureau endpoint returns: the consolidated bulletin
/// (without drill-down ids) and the comparison.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BureauBulletin {
    pub bulletin: Bulletin,
    pub comparison: OfficeComparison,
}
