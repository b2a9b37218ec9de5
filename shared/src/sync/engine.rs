//! The client's side of sync as a state machine: `next_request` builds a round
//! from the store, `handle_response` stores the relay's answer. Transport,
//! retries and timing live in [`super::client`] (or in a test).

use super::protocol::{SyncRequest, SyncResponse, PROTOCOL_VERSION};
use crate::doc::SCHEMA_VERSION;
use crate::store::{Store, StoreError};

pub use crate::desk::{Progress, RoundLimits, SyncSummary, DEFAULT_ATTACHMENT_BUDGET};

/// One sync: rounds until nothing is left to send and the feed is caught up.
#[derive(Debug)]
pub struct SyncSession {
    limits: RoundLimits,
    summary: SyncSummary,
    done: bool,
}

impl SyncSession {
    pub fn new(limits: RoundLimits) -> Self {
        SyncSession {
            limits,
            summary: SyncSummary::default(),
            done: false,
        }
    }

    pub fn summary(&self) -> &SyncSummary {
        &self.summary
    }

    pub fn is_done(&self) -> bool {
        self.done
    }

    /// The next round's request, or `None` when the sync is complete. The
    /// first request is sent even with nothing to upload: it asks the feed.
    pub fn next_request(&mut self, store: &mut Store) -> Result<Option<SyncRequest>, StoreError> {
        if self.done {
            return Ok(None);
        }
        if self.summary.round_trips >= self.limits.max_rounds {
            self.done = true;
            return Ok(None);
        }
        let uploads =
            store.pending_uploads(self.limits.max_upload_bytes, self.limits.max_upload_docs)?;
        Ok(Some(SyncRequest {
            protocol: PROTOCOL_VERSION,
            request_id: rand::random(),
            cursor: store.sync_cursor()?,
            max_feed_bytes: self.limits.max_feed_bytes,
            uploads,
            want_full: store.wanted_full()?,
            schema: SCHEMA_VERSION,
        }))
    }

    /// Stores the relay's answer to `request`; the session is done when the
    /// relay has no more feed and nothing is left to upload.
    pub fn handle_response(
        &mut self,
        store: &mut Store,
        request: &SyncRequest,
        response: &SyncResponse,
        bytes_up: u64,
        bytes_down: u64,
    ) -> Result<Progress, StoreError> {
        self.summary.round_trips += 1;
        self.summary.bytes_up += bytes_up;
        self.summary.bytes_down += bytes_down;
        store.apply_acks(&response.acks)?;
        for ack in &response.acks {
            match &ack.result {
                super::protocol::AckResult::Refused { reason } => {
                    self.summary
                        .documents_refused
                        .push((ack.doc_id.clone(), reason.clone()));
                }
                super::protocol::AckResult::NeedFull => {}
                _ => self.summary.documents_sent += 1,
            }
        }
        let received = store.apply_feed(&response.feed, response.cursor, &response.revoked)?;
        self.summary.documents_received += received;
        self.summary
            .documents_revoked
            .extend(response.revoked.iter().cloned());
        self.summary.cursor = response.cursor;
        let pending = store.pending_upload_count()?;
        // Finished when the feed is drained and nothing waits to be sent (or
        // this round could send nothing: what is left cannot be loaded here).
        self.done = !response.more && (pending == 0 || request.uploads.is_empty());
        Ok(Progress {
            round: self.summary.round_trips,
            documents_sent: self.summary.documents_sent,
            documents_received: self.summary.documents_received,
            pending_uploads: pending,
            more: response.more,
        })
    }

    /// Ends the session with its summary.
    pub fn finish(mut self, duration_ms: u64) -> SyncSummary {
        self.summary.duration_ms = duration_ms;
        self.summary
    }
}
