//! WAL checkpoints off the editing path.
//!
//! With `synchronous=FULL` every acknowledged edit costs one fsync of the WAL.
//! SQLite's automatic checkpoint also copies the WAL into the database file
//! and fsyncs it once the WAL passes 1,000 pages — on the connection that
//! happens to commit, i.e. inside some clerk's edit. This thread checkpoints
//! (PASSIVE: never blocks a writer) about once a second from a second
//! connection, so the WAL rarely grows that far and edits rarely pay for it.
//! The automatic checkpoint stays on as a bound: a process that dies leaves
//! at most a small WAL to recover at the next open.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

/// How often the background checkpoint runs.
const EVERY: Duration = Duration::from_secs(1);

/// Stops the thread when dropped.
pub(super) struct Checkpointer {
    stop: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    pub(super) fn start(db: &Path) -> Option<Checkpointer> {
        let conn = rusqlite::Connection::open(db).ok()?;
        conn.busy_timeout(Duration::from_millis(100)).ok()?;
        let (tx, rx) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("hongdun-checkpoint".into())
            .spawn(move || {
                // Runs until the store drops its sender.
                while let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(EVERY) {
                    if let Err(e) = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
                    {
                        tracing::debug!(error = %e, "background checkpoint skipped");
                    }
                }
            })
            .ok()?;
        Some(Checkpointer {
            stop: Some(tx),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.stop.take());
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}
