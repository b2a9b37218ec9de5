//! An office's statistics settings: what the law leaves to the office (大要案
//! amount brackets, the 息访 window, whether 基本满意 counts as satisfied)
//! and the finance figures it may turn on. Data, not code: the store reads
//! them from `stats.toml` beside its database (docs/STATISTICS.md), the
//! relay from `--stats-settings FILE`; a missing file means the defaults.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// The name of the settings file in a store directory.
pub const SETTINGS_FILE: &str = "stats.toml";

/// Statistics settings of an office (or of the bureau for its own bulletin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatsSettings {
    /// Lower bounds of the 大要案 brackets, in yuan, ascending. Each bracket
    /// runs from its bound to the next one; the last is open. The defaults
    /// follow the 2011 branch-office summaries (1万, 5万, 10万, 20万, 40万).
    pub big_case_brackets_yuan: Vec<i64>,
    /// 息访率: a replied petition counts as settled if no repeat petition
    /// (a petition naming it in `repeat_of_id`) arrives within this many months.
    pub quiet_months: u32,
    /// 满意率: whether 基本满意 counts as satisfied.
    pub basically_satisfied_counts: bool,
    /// Finance figures (预算完成率, 人均罚没); off unless the office turns them on.
    pub finance: FinanceSettings,
}

impl Default for StatsSettings {
    fn default() -> Self {
        StatsSettings {
            big_case_brackets_yuan: vec![10_000, 50_000, 100_000, 200_000, 400_000],
            quiet_months: 3,
            basically_satisfied_counts: true,
            finance: FinanceSettings::default(),
        }
    }
}

/// 预算完成率 and 人均罚没, shown as finance information only (行政处罚法
/// Art 74: fines are never linked to the assessment of an agency or its staff).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct FinanceSettings {
    /// Turned on by the office; nothing is computed otherwise.
    pub enabled: bool,
    /// The annual 罚没 budget in yuan, by year (`"2026" = 1200000`).
    pub budget_yuan: BTreeMap<String, i64>,
    /// Number of officers for 人均罚没.
    pub officers: u32,
}

/// The settings file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("statistics settings: {0}")]
pub struct SettingsError(pub String);

impl StatsSettings {
    /// Reads settings from TOML text; missing keys take their defaults.
    pub fn from_toml(text: &str) -> Result<StatsSettings, SettingsError> {
        let s: StatsSettings = toml::from_str(text).map_err(|e| SettingsError(e.to_string()))?;
        s.check()?;
        Ok(s)
    }

    fn check(&self) -> Result<(), SettingsError> {
        let b = &self.big_case_brackets_yuan;
        if b.iter().any(|&v| v <= 0) || b.windows(2).any(|w| w[0] >= w[1]) {
            return Err(SettingsError(
                "big_case_brackets_yuan must be positive and ascending, e.g. [10000, 50000, 100000]"
                    .into(),
            ));
        }
        if self.quiet_months == 0 || self.quiet_months > 24 {
            return Err(SettingsError(
                "quiet_months must be between 1 and 24".into(),
            ));
        }
        Ok(())
    }

    /// The budget for `year` in fen, if set.
    pub fn budget_fen(&self, year: i32) -> Option<i64> {
        self.finance
            .budget_yuan
            .get(&year.to_string())
            .map(|y| y * 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_default_when_empty_and_refuse_unordered_brackets() {
        assert_eq!(
            StatsSettings::from_toml("").unwrap(),
            StatsSettings::default()
        );
        let s = StatsSettings::from_toml(
            "big_case_brackets_yuan = [50000, 100000]\n[finance]\nenabled = true\nofficers = 4\nbudget_yuan = { \"2026\" = 1000000 }\n",
        )
        .unwrap();
        assert_eq!(s.budget_fen(2026), Some(100_000_000));
        assert!(StatsSettings::from_toml("big_case_brackets_yuan = [5, 1]").is_err());
        assert!(StatsSettings::from_toml("unknown = 1").is_err());
    }
}
