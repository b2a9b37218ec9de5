//! The central bureau's consolidated views, asked of the relay by a device
//! enrolled for the bureau: the bulletin over every office (or some) for a
//! period, and beside each office's figures its sync health, so an office
//! that has not synced for days is obvious (its figures may be incomplete).
//! The relay computes them from the statistics facts uploads carry, with the
//! same code as an office's own bulletin; other roles get 403.
//! Blocking HTTP like [`super::client`]; the desktop app calls it off the
//! window's thread and without holding the store.

use super::client::SyncError;
use super::share::{call, path_segment};
use crate::stats::{BureauBulletin, Period};
use crate::store::RemoteConfig;

/// `GET /v1/bureau/bulletin`: the consolidated bulletin of `offices` (empty:
/// every office) for `period`, with the per-office comparison.
pub fn bulletin(
    cfg: &RemoteConfig,
    period: Period,
    offices: &[String],
) -> Result<BureauBulletin, SyncError> {
    call(cfg, "GET", &bulletin_path(period, offices), None)
}

fn bulletin_path(period: Period, offices: &[String]) -> String {
    let mut path = format!("/v1/bureau/bulletin?period={}", period.code());
    let offices: Vec<String> = offices
        .iter()
        .map(|o| path_segment(o))
        .filter(|o| !o.is_empty())
        .collect();
    if !offices.is_empty() {
        path.push_str("&offices=");
        path.push_str(&offices.join(","));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_names_the_period_and_only_safe_office_codes() {
        let june = Period::parse("2026-06").expect("period");
        assert_eq!(
            bulletin_path(june, &[]),
            "/v1/bureau/bulletin?period=2026-06"
        );
        let asked = ["GS0101".to_string(), "GS02&x=1".to_string(), "".to_string()];
        assert_eq!(
            bulletin_path(june, &asked),
            "/v1/bureau/bulletin?period=2026-06&offices=GS0101,GS02x1"
        );
    }
}
