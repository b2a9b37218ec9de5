//! # hongdun-desktop
//!
//! The Tauri 2 shell of the Hongdun desk. It opens the office's local store,
//! exposes thin commands over `hongdun-core` to the Yew front end
//! (`frontend/`, embedded from `frontend/dist` at compile time: build the
//! front end with trunk first), and syncs with the relay in the background.
//!
//! - [`commands`]: the commands (listed with their arguments in
//!   `hongdun_core::desk::commands`).
//! - [`attachments`]: the attachments panel's commands.
//! - [`bulletin`]: the 统计 page's bulletin and its export.
//! - [`sharing`]: 联合办案 — sharing a case file, its audit trail, partner
//!   mode, 校验.
//! - [`background_sync`]: the sync thread and its `sync-state` events.
//! - [`data_dir`]: where the store lives — `$HONGDUN_DATA` when set (demos and
//!   tests point it at seeded data), else the per-user application data
//!   directory.
#![forbid(unsafe_code)]

pub mod attachments;
pub mod background_sync;
pub mod bulletin;
pub mod commands;
pub mod data_dir;
pub mod sharing;

use std::sync::{Arc, Mutex};

use hongdun_core::store::Store;
use tauri::Manager;

use background_sync::BackgroundSync;

/// The opened store, or why it could not be opened (shown by every command,
/// so the window still appears and tells the clerk what is wrong), and the
/// background sync over it.
pub struct Desk {
    pub store: Result<Arc<Mutex<Store>>, String>,
    pub sync: Option<BackgroundSync>,
}

/// When the app started, for the start-up time [`commands::desk_ready`] logs.
pub struct Started(pub std::time::Instant);

/// Build and run the desktop app until its window closes.
pub fn run() {
    let started = Started(std::time::Instant::now());
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HONGDUN_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let app = tauri::Builder::default()
        .setup(|app| {
            let store = data_dir::resolve(app.path().app_data_dir())
                .and_then(|dir| data_dir::open_store(&dir))
                .map(|s| Arc::new(Mutex::new(s)));
            let sync = match &store {
                Ok(store) => Some(BackgroundSync::start(app.handle().clone(), store.clone())),
                Err(msg) => {
                    tracing::error!("{msg}");
                    None
                }
            };
            app.manage(Desk { store, sync });
            app.manage(started);
            app.manage(attachments::Fetches::default());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::office_info,
            commands::dashboard,
            commands::list_records,
            commands::list_page,
            commands::deadlines,
            commands::get_record,
            commands::record_history,
            commands::create_record,
            commands::edit_record,
            commands::append_event,
            commands::resolve_conflict,
            commands::save_draft,
            commands::load_draft,
            commands::list_drafts,
            commands::discard_draft,
            commands::settings,
            commands::init_office,
            commands::set_user,
            commands::set_sync_interval,
            commands::enroll,
            commands::sync_state,
            commands::sync_now,
            commands::month_glance,
            commands::desk_ready,
            bulletin::office_bulletin,
            bulletin::bureau_bulletin,
            bulletin::export_bulletin,
            attachments::attachments,
            attachments::attach_file,
            attachments::attachment_thumbnail,
            attachments::open_attachment,
            attachments::fetch_attachment,
            attachments::attachment_settings,
            attachments::set_attachment_settings,
            sharing::partner_orgs,
            sharing::joint_status,
            sharing::share_case,
            sharing::case_shares,
            sharing::unshare_case,
            sharing::audit_trail,
            sharing::export_audit,
            sharing::verify_store,
        ])
        .build(tauri::generate_context!())
        .expect("the Hongdun window could not start");
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            // Stop between rounds: every stored round stays stored.
            if let Some(desk) = handle.try_state::<Desk>() {
                if let Some(sync) = &desk.sync {
                    sync.stop();
                }
            }
        }
    });
}
