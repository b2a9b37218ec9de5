//! Statistics and the bulletin (通报): every figure of DOMAIN §6.3 computed
//! from the records, never typed in (definitions in docs/STATISTICS.md).
//!
//! - [`period`]: months, quarters, half years, years, year to date; 同比 and 环比 bases.
//! - [`facts`]: what a record contributes, taken once from its fields and the workflow fold.
//! - [`figures`]: the figures and the [`Bulletin`], with drill-down ids.
//! - [`settings`]: what each office decides (大要案 brackets, 息访 window, finance switch).
//! - [`summary`]: the generated paragraph; [`chart`]: SVG charts.
//! - [`comparison`]: the bureau's per-office comparison with sync health.
//! - `export` (feature `native`): .xlsx, .docx, .csv and .json files.
//!
//! All of it but `export` builds without `native`, for the wasm front end.

pub mod chart;
pub mod comparison;
#[cfg(feature = "native")]
pub mod export;
pub mod facts;
pub mod figures;
pub mod period;
pub mod settings;
pub mod summary;

pub use chart::{svg, ChartKind};
pub use comparison::{BureauBulletin, OfficeComparison, OfficeComparisonRow, SyncHealth};
pub use facts::{facts_of, ClockFact, Facts, PaymentFact, RecordFacts};
pub use figures::{
    bulletin, partial, Breakdown, BreakdownRow, Bulletin, Comparison, Figure, Finance, OfficeRow,
    Partial, Section, TrendPoint, Unit,
};
pub use period::{Period, PeriodError};
pub use settings::{StatsSettings, SETTINGS_FILE};

/// A bulletin file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    Json,
    Xlsx,
    Docx,
    Csv,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 4] = [
        ExportFormat::Json,
        ExportFormat::Xlsx,
        ExportFormat::Docx,
        ExportFormat::Csv,
    ];

    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Json => "json",
            ExportFormat::Xlsx => "xlsx",
            ExportFormat::Docx => "docx",
            ExportFormat::Csv => "csv",
        }
    }
}

/// The format name was not json, xlsx, docx or csv.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown format `{0}`; use json, xlsx, docx or csv")]
pub struct UnknownFormat(pub String);

impl std::str::FromStr for ExportFormat {
    type Err = UnknownFormat;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ExportFormat::ALL
            .into_iter()
            .find(|f| f.extension() == s)
            .ok_or_else(|| UnknownFormat(s.to_string()))
    }
}
