//! Rebuilds the statistics facts of stored documents that have none: those
//! uploaded before the relay kept facts, or whose facts were dropped when
//! their stored form changed. Runs at start, after the migrations, in
//! batches, so the bureau's bulletin counts every document.

use chrono::Utc;
use hongdun_core::doc::RecordDoc;

use super::upload::{projection, relay_actor};
use crate::storage::{Database, DbResult, FactsUpdate};

/// Documents loaded and projected per round trip to storage.
pub const BATCH: i64 = 200;

/// Gives every stored document of a counted kind its `stat_facts` row;
/// returns how many documents were looked at. A document that cannot be
/// read is logged and skipped (it keeps no facts, as at upload).
pub async fn stat_facts(db: &dyn Database) -> DbResult<usize> {
    let mut after = String::new();
    let mut seen = 0;
    loop {
        let docs = db.docs_without_facts(&after, BATCH).await?;
        let Some(last) = docs.last() else { break };
        after = last.id.clone();
        let mut updates = Vec::with_capacity(docs.len());
        for d in &docs {
            let facts = RecordDoc::load(&d.bytes, &relay_actor())
                .map_err(|e| e.to_string())
                .and_then(|mut doc| projection(&mut doc, d.holder.clone(), Utc::now()))
                .map(|p| p.facts);
            match facts {
                Ok(facts) => updates.push(FactsUpdate {
                    id: d.id.clone(),
                    owner: d.owner.clone(),
                    kind: d.kind.clone(),
                    facts,
                }),
                Err(e) => {
                    tracing::warn!(doc = %d.id, error = %e, "cannot rebuild statistics facts")
                }
            }
        }
        // One transaction per batch: a relay with a million documents to
        // rebuild commits five thousand times, not a million.
        db.put_stat_facts(&updates).await?;
        seen += docs.len();
        tracing::info!(documents = seen, "rebuilding statistics facts");
    }
    if seen > 0 {
        tracing::info!(documents = seen, "statistics facts rebuilt");
    }
    Ok(seen)
}
