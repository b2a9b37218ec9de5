//! The bulletin from this store: statistics facts of the window's records
//! (the `stat_facts` projection), the office's settings from `stats.toml`,
//! and the one computation in [`crate::stats`].

use chrono::NaiveDate;

use super::{Store, StoreError};
use crate::stats::{self, Bulletin, Period, RecordFacts, StatsSettings};

impl Store {
    /// The office's statistics settings: `stats.toml` in the store directory,
    /// or the defaults when there is none.
    pub fn stats_settings(&self) -> Result<StatsSettings, StoreError> {
        let file = self.dir.join(stats::SETTINGS_FILE);
        match std::fs::read_to_string(&file) {
            Ok(text) => StatsSettings::from_toml(&text)
                .map_err(|e| StoreError::StatsSettings { file, message: e.0 }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(StatsSettings::default()),
            Err(source) => Err(StoreError::Dir { path: file, source }),
        }
    }

    /// The statistics facts of records touching `from..=to`, and of every
    /// campaign (their names label the inspections). Revoked records are left out.
    pub fn record_facts(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<RecordFacts>, StoreError> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT f.facts FROM stat_facts f JOIN records r ON r.id = f.record_id
             WHERE r.revoked = 0
               AND ((f.last_on >= ?1 AND f.first_on <= ?2) OR f.kind = 'campaign')",
        )?;
        let rows = stmt.query_map([from.to_string(), to.to_string()], |r| {
            r.get::<_, String>(0)
        })?;
        let mut out = Vec::new();
        for text in rows {
            out.push(serde_json::from_str(&text?)?);
        }
        Ok(out)
    }

    /// The bulletin of `offices` (empty: every office in this store) for
    /// `period`, with drill-down ids.
    pub fn bulletin(&self, period: Period, offices: &[String]) -> Result<Bulletin, StoreError> {
        let settings = self.stats_settings()?;
        let (from, to) = stats::figures::window(&period, &settings);
        let facts = self.record_facts(from, to)?;
        Ok(stats::bulletin(&facts, offices, period, &settings, true))
    }

    /// This store's office's own bulletin for `period` (the 统计 page).
    pub fn office_bulletin(&self, period: Period) -> Result<Bulletin, StoreError> {
        let office = self.office.as_ref().ok_or(StoreError::NotInitialised)?;
        self.bulletin(period, std::slice::from_ref(&office.code))
    }

    /// Offices with records in this store, by code.
    pub fn stat_offices(&self) -> Result<Vec<String>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT DISTINCT office FROM stat_facts ORDER BY office")?;
        let offices = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(offices)
    }
}
