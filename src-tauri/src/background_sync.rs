//! Background sync: one thread that syncs with the relay every N minutes (设置)
//! and whenever the clerk presses 立即同步, pushing its state to the window as
//! `sync-state` events.
//!
//! The thread shares the window's store and holds it only while a round reads
//! or writes it (`client::sync_with`), never while waiting for the network, so
//! the desk stays usable on a slow line. Every round's answer is committed in
//! one transaction before the next request: closing or killing the app in the
//! middle of a sync keeps what was stored, and the sync at the next start goes
//! on from there. One HTTP agent is reused across syncs.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use hongdun_core::desk::commands::{RECORDS_CHANGED_EVENT, SYNC_STATE_EVENT};
use hongdun_core::desk::{SyncPhase, SyncProblem, SyncProblemKind, SyncState};
use hongdun_core::store::Store;
use hongdun_core::sync::client;
use hongdun_core::sync::engine::RoundLimits;
use tauri::{AppHandle, Emitter};

/// How long one request may take before the line counts as cut.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

enum Wake {
    Now,
    Stop,
}

/// The handle the commands use: ask for a sync, read the state, stop.
pub struct BackgroundSync {
    state: Arc<Mutex<SyncState>>,
    cancel: Arc<AtomicBool>,
    wake: Mutex<mpsc::Sender<Wake>>,
}

impl BackgroundSync {
    /// Starts the thread; it syncs once right away if the store is enrolled
    /// (so a sync cut off by closing the app resumes at the next start).
    pub fn start(app: AppHandle, store: Arc<Mutex<Store>>) -> BackgroundSync {
        let state = Arc::new(Mutex::new(SyncState::default()));
        let cancel = Arc::new(AtomicBool::new(false));
        let (tx, rx) = mpsc::channel();
        let worker = Worker {
            app,
            store,
            state: state.clone(),
            cancel: cancel.clone(),
            agent: None,
        };
        let spawned = std::thread::Builder::new()
            .name("hongdun-sync".into())
            .spawn(move || worker.run(rx));
        if let Err(err) = spawned {
            tracing::error!(%err, "cannot start the background sync thread");
        }
        BackgroundSync {
            state,
            cancel,
            wake: Mutex::new(tx),
        }
    }

    /// Asks for a sync now (queued behind a running one).
    pub fn sync_now(&self) {
        if let Ok(tx) = self.wake.lock() {
            let _ = tx.send(Wake::Now);
        }
    }

    /// The last known state with the store's current status.
    pub fn state(&self, store: &Store) -> SyncState {
        let mut state = self.state.lock().map(|s| s.clone()).unwrap_or_default();
        refresh(&mut state, store);
        state
    }

    /// Stops between rounds; what was stored stays stored.
    pub fn stop(&self) {
        self.cancel.store(true, Ordering::Relaxed);
        if let Ok(tx) = self.wake.lock() {
            let _ = tx.send(Wake::Stop);
        }
    }
}

/// The store's side of the state: enrollment, pending changes, last outcome.
fn refresh(state: &mut SyncState, store: &Store) {
    if let Ok(status) = store.sync_status() {
        if !status.configured {
            state.phase = SyncPhase::NotConfigured;
        } else if state.phase == SyncPhase::NotConfigured {
            state.phase = SyncPhase::Idle;
        }
        state.status = status;
    }
    if let Ok(minutes) = store.sync_interval_minutes() {
        state.interval_minutes = minutes;
    }
}

struct Worker {
    app: AppHandle,
    store: Arc<Mutex<Store>>,
    state: Arc<Mutex<SyncState>>,
    cancel: Arc<AtomicBool>,
    agent: Option<ureq::Agent>,
}

impl Worker {
    fn run(mut self, rx: mpsc::Receiver<Wake>) {
        let mut due_now = true;
        loop {
            if !due_now {
                let minutes = self
                    .store
                    .lock()
                    .ok()
                    .and_then(|s| s.sync_interval_minutes().ok())
                    .unwrap_or(hongdun_core::store::DEFAULT_SYNC_INTERVAL_MINUTES);
                match rx.recv_timeout(Duration::from_secs(u64::from(minutes) * 60)) {
                    Ok(Wake::Now) | Err(RecvTimeoutError::Timeout) => {}
                    Ok(Wake::Stop) | Err(RecvTimeoutError::Disconnected) => return,
                }
            }
            due_now = false;
            // Several presses of 立即同步 while one ran make one more sync.
            while let Ok(w) = rx.try_recv() {
                if matches!(w, Wake::Stop) {
                    return;
                }
            }
            if self.cancel.load(Ordering::Relaxed) {
                return;
            }
            self.sync_once();
        }
    }

    fn update(&self, f: impl FnOnce(&mut SyncState)) {
        let snapshot = {
            let mut state = match self.state.lock() {
                Ok(s) => s,
                Err(_) => return,
            };
            f(&mut state);
            if let Ok(store) = self.store.lock() {
                refresh(&mut state, &store);
            }
            state.clone()
        };
        if let Err(err) = self.app.emit(SYNC_STATE_EVENT, &snapshot) {
            tracing::warn!(%err, "cannot send the sync state to the window");
        }
    }

    fn sync_once(&mut self) {
        let enrolled = self
            .store
            .lock()
            .ok()
            .and_then(|s| s.remote().ok().flatten())
            .is_some();
        if !enrolled {
            self.update(|s| s.phase = SyncPhase::NotConfigured);
            return;
        }
        self.update(|s| {
            s.phase = SyncPhase::Running;
            s.progress = None;
        });
        let agent = match &self.agent {
            Some(agent) => agent.clone(),
            None => match client::agent(REQUEST_TIMEOUT) {
                Ok(agent) => {
                    self.agent = Some(agent.clone());
                    agent
                }
                Err(err) => {
                    let problem = err.problem(false);
                    self.update(|s| {
                        s.phase = SyncPhase::Idle;
                        s.problem = Some(problem);
                    });
                    return;
                }
            },
        };
        let result = client::sync_with(
            &*self.store,
            &agent,
            RoundLimits::default(),
            &self.cancel,
            &mut |p| {
                let p = p.clone();
                self.update(|s| s.progress = Some(p));
            },
        );
        match result {
            Ok(summary) => {
                let received = summary.documents_received;
                tracing::info!(
                    rounds = summary.round_trips,
                    sent = summary.documents_sent,
                    received,
                    "sync finished"
                );
                self.update(|s| {
                    s.phase = SyncPhase::Idle;
                    s.problem = None;
                    s.last_summary = Some(summary);
                });
                if received > 0 {
                    let _ = self.app.emit(RECORDS_CHANGED_EVENT, received);
                }
            }
            Err(err) => {
                tracing::warn!(%err, "sync failed");
                let problem: SyncProblem = err.problem(false);
                if problem.kind == SyncProblemKind::NoLine {
                    // A cut line may have left the agent's connection dead.
                    self.agent = None;
                }
                self.update(|s| {
                    s.phase = SyncPhase::Idle;
                    s.problem = Some(problem);
                });
                // Records stored before the failure are shown too.
                let _ = self.app.emit(RECORDS_CHANGED_EVENT, 0usize);
            }
        }
    }
}
