//! The bureau's bulletin over many offices, computed one office at a time:
//! each office's statistics facts are read, tallied
//! ([`hongdun_core::stats::partial`]) and dropped before the next ones, and
//! the tallies are added up and finished into one bulletin. Memory stays
//! that of a couple of offices whatever their number, and two offices are
//! worked on at once (a read and a computation overlap).
//!
//! Each office's rows are one read, so each office is seen as of one
//! moment; a document uploaded while the bulletin runs may count or not,
//! as it would a second earlier or later. A document belongs to one owner,
//! so it never counts twice.

use futures_util::stream::{self, StreamExt, TryStreamExt};
use hongdun_core::stats::{self, Bulletin, Period, RecordFacts, StatsSettings};

use crate::storage::{Database, DbError, DbResult};

/// Offices worked on at once.
const IN_FLIGHT: usize = 2;

/// The bulletin of `offices` (empty: every office with statistics facts)
/// for `period`; `with_records` keeps the drill-down ids.
pub async fn bulletin(
    db: &dyn Database,
    settings: &StatsSettings,
    period: Period,
    offices: &[String],
    with_records: bool,
) -> DbResult<Bulletin> {
    let (from, to) = stats::figures::window(&period, settings);
    let owners = if offices.is_empty() {
        db.stat_owners().await?
    } else {
        offices.to_vec()
    };
    let parts = stream::iter(owners)
        .map(|owner| {
            let settings = settings.clone();
            async move {
                let rows = db
                    .stat_facts(std::slice::from_ref(&owner), from, to)
                    .await?;
                // Pure CPU: off the async workers. The rows are all this
                // office's, so the part takes every one of them.
                tokio::task::spawn_blocking(move || {
                    let views = rows.views()?;
                    Ok::<_, DbError>(stats::partial(&views, &[], period, &settings, with_records))
                })
                .await
                .map_err(|e| DbError::Backend(format!("bulletin task failed: {e}")))?
            }
        })
        .buffered(IN_FLIGHT);
    let empty = stats::partial::<RecordFacts>(&[], &[], period, settings, with_records);
    let whole = parts
        .try_fold(empty, |mut sum, part| async move {
            sum.merge(part);
            Ok(sum)
        })
        .await?;
    Ok(whole.finish(offices, period, settings, with_records))
}
