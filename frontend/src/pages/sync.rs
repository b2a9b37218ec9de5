//! 同步: relay address, last sync, pending changes, the last problem in
//! words a clerk understands, progress of a running sync, and 立即同步.
//! The state comes from the shell's `sync-state` events through the frame.

use hongdun_core::desk::SyncPhase;
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge;
use crate::i18n::t;

#[function_component(SyncPage)]
pub fn sync_page() -> Html {
    let s = t();
    let desk = use_desk();
    let message = use_state(|| (String::new(), false));
    let st = &desk.sync;
    let running = st.phase == SyncPhase::Running;
    let sync_now = {
        let message = message.clone();
        move |_| {
            let message = message.clone();
            message.set((s.sync_started.to_string(), false));
            wasm_bindgen_futures::spawn_local(async move {
                if let Err(err) = bridge::sync_now().await {
                    message.set((err.message(), true));
                }
            });
        }
    };
    let progress = st.progress.as_ref().filter(|_| running).map(|p| {
        html! {
            <div class="progress" data-testid="sync-progress">
                <progress />
                { (s.sync_progress)(p.round, p.documents_sent, p.documents_received, p.pending_uploads) }
            </div>
        }
    });
    html! {
        <div class="sync-page" data-testid="page-sync">
            <h1>{ s.nav_sync }</h1>
            <table class="kv" data-testid="sync-table">
                <tbody>
                    <tr><th>{ s.sync_relay }</th>
                        <td data-testid="sync-relay">{ st.status.server.clone().unwrap_or_else(|| s.sync_not_configured.to_string()) }</td></tr>
                    <tr><th>{ s.sync_phase }</th><td data-testid="sync-phase">{ (s.sync_phase_label)(st.phase) }</td></tr>
                    <tr><th>{ s.sync_last }</th>
                        <td data-testid="sync-last">{ st.status.last_sync_at.clone().unwrap_or_else(|| s.never.to_string()) }</td></tr>
                    <tr><th>{ s.sync_pending_label }</th>
                        <td data-testid="sync-pending">{ st.status.pending_documents }</td></tr>
                    if let Some(sum) = &st.last_summary {
                        <tr><th>{ s.sync_last_result }</th>
                            <td data-testid="sync-summary">{ (s.sync_summary_line)(sum.documents_sent, sum.documents_received, sum.duration_ms) }</td></tr>
                    }
                    <tr><th>{ s.sync_interval }</th><td>{ (s.minutes)(st.interval_minutes) }</td></tr>
                </tbody>
            </table>
            if let Some(problem) = &st.problem {
                <div class="notice problem" data-testid="sync-problem">
                    <p>{ &problem.message }</p>
                    <p class="muted small">{ &problem.detail }</p>
                </div>
            }
            if !st.status.refused.is_empty() {
                <h2>{ s.sync_refused }</h2>
                <ul>{ for st.status.refused.iter().map(|(id, why)| html! { <li>{ id }{ "：" }{ why }</li> }) }</ul>
            }
            { for progress }
            <div class="form-actions">
                <button type="button" class="primary" data-testid="sync-now"
                        disabled={running || st.phase == SyncPhase::NotConfigured} onclick={sync_now}>
                    { s.sync_now }
                </button>
                { status_line(&message.0, message.1) }
            </div>
            <super::sharing::VerifyPanel />
        </div>
    }
}
