//! Commands the front end calls through `window.__TAURI__.core.invoke`.
//!
//! Each is a thin wrapper over `hongdun-core`: no rules live here. Errors are
//! returned as sentences a clerk can act on, in Chinese; the technical cause is
//! kept in parentheses for whoever supports them.
//!
//! Commands are `async` so Tauri runs them off the window's main thread: a slow
//! disk never freezes the window.

use hongdun_core::record::RecordSummary;
use hongdun_core::store::{ListQuery, OfficeInfo, Store};
use tauri::State;

use crate::Desk;

fn with_store<T>(desk: &Desk, f: impl FnOnce(&Store) -> Result<T, String>) -> Result<T, String> {
    let store = desk.store.as_ref().map_err(Clone::clone)?;
    let store = store
        .lock()
        .map_err(|_| "台账出现内部错误，请重新启动红盾".to_string())?;
    f(&store)
}

/// `office_info`: the office this store belongs to; `null` before `hongdun init`.
#[tauri::command]
pub async fn office_info(desk: State<'_, Desk>) -> Result<Option<OfficeInfo>, String> {
    with_store(&desk, |store| Ok(store.office()))
}

/// `list_records`: the records matching `query`, as the list page shows them.
#[tauri::command]
pub async fn list_records(
    desk: State<'_, Desk>,
    query: ListQuery,
) -> Result<Vec<RecordSummary>, String> {
    with_store(&desk, |store| {
        store
            .list(&query)
            .map_err(|err| format!("读取记录失败（{err}）"))
    })
}
