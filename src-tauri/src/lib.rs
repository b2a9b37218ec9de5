//! # hongdun-desktop
//!
//! The Tauri 2 shell of the Hongdun desk. It opens the office's local store and
//! exposes a few thin commands over `hongdun-core` to the Yew front end
//! (`frontend/`), which it embeds from `frontend/dist` at compile time: build the
//! front end with trunk first.
//!
//! The store lives in `$HONGDUN_DATA` when set (demos and tests point it at
//! seeded data), else in the per-user application data directory.
#![forbid(unsafe_code)]

pub mod commands;
pub mod data_dir;

use std::sync::Mutex;

use hongdun_core::store::Store;
use tauri::Manager;

/// The opened store, or why it could not be opened (shown by every command,
/// so the window still appears and tells the clerk what is wrong).
pub struct Desk {
    pub store: Result<Mutex<Store>, String>,
}

/// Build and run the desktop app until its window closes.
pub fn run() {
    tauri::Builder::default()
        .setup(|app| {
            let store = data_dir::resolve(app.path().app_data_dir())
                .and_then(|dir| data_dir::open_store(&dir))
                .map(Mutex::new);
            if let Err(msg) = &store {
                eprintln!("hongdun-desktop: {msg}");
            }
            app.manage(Desk { store });
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::office_info,
            commands::list_records
        ])
        .run(tauri::generate_context!())
        .expect("the Hongdun window could not start");
}
