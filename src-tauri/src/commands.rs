//! Commands the front end calls through `window.__TAURI__.core.invoke`.
//!
//! Each is a thin wrapper over `hongdun-core`: no rules live here. Names,
//! arguments and answers are listed in `hongdun_core::desk::commands`, whose
//! argument structs the front end serialises. Errors are returned as
//! sentences a clerk can act on, in Chinese; the technical cause is kept in
//! parentheses for whoever supports them.
//!
//! Commands are `async` so Tauri runs them off the window's main thread: a slow
//! disk never freezes the window.

use chrono::{Datelike, NaiveDate};
use hongdun_core::desk::{
    Dashboard, DeadlineRow, Draft, DraftInfo, HistoryEntry, ListQuery, MonthGlance, OfficeInfo,
    RecordPage, RecordView, Settings, SyncState,
};
use hongdun_core::record::{RecordKind, RecordSummary};
use hongdun_core::store::{RemoteConfig, Store, StoreError};
use hongdun_core::sync::client;
use serde_json::{Map, Value};
use tauri::State;

use crate::Desk;

/// The author recorded for a change when no user is set in 设置.
const UNNAMED_USER: &str = "本机用户";

pub(crate) fn with_store<T>(
    desk: &Desk,
    f: impl FnOnce(&mut Store) -> Result<T, String>,
) -> Result<T, String> {
    let store = desk.store.as_ref().map_err(Clone::clone)?;
    let mut store = store
        .lock()
        .map_err(|_| "台账出现内部错误，请重新启动红盾".to_string())?;
    f(&mut store)
}

/// A store error as a sentence for the clerk: what failed, then the cause.
/// The sentence for a relay request from a device not enrolled yet.
pub(crate) fn not_enrolled(what: &str) -> String {
    format!("{what}：本机尚未登记到市局中心，请先在“设置”中用登记码登记")
}

/// This device's enrollment, read under the store lock so that the request
/// itself can run without holding the store.
pub(crate) fn relay_of(store: &Store, what: &str) -> Result<RemoteConfig, String> {
    store
        .remote()
        .map_err(say(what))?
        .ok_or_else(|| not_enrolled(what))
}

pub(crate) fn say(what: &str) -> impl Fn(StoreError) -> String + '_ {
    move |err| match &err {
        StoreError::Invalid(detail) => format!("{what}：填写的内容不符合要求（{detail}）"),
        StoreError::Transition(detail) => format!("{what}：现在不能办理这一步（{detail}）"),
        StoreError::NotFound(_) => format!("{what}：找不到这条记录，可能已被移除"),
        StoreError::NotInitialised => {
            format!("{what}：本机尚未设置所属单位，请先在“设置”中填写单位或用登记码登记")
        }
        _ => format!("{what}失败（{err}）"),
    }
}

pub(crate) fn user(store: &Store) -> Result<String, String> {
    Ok(store
        .desk_user()
        .map_err(say("读取当前用户"))?
        .unwrap_or_else(|| UNNAMED_USER.to_string()))
}

/// Forgets the draft of a form once what it held is stored.
fn drop_draft(store: &Store, key: Option<&str>) {
    if let Some(key) = key {
        if let Err(err) = store.discard_draft(key) {
            tracing::warn!(%err, key, "cannot discard a stored form's draft");
        }
    }
}

fn current_sync_state(desk: &Desk, store: &Store) -> SyncState {
    desk.sync
        .as_ref()
        .map(|s| s.state(store))
        .unwrap_or_default()
}

/// `office_info`: the office this store belongs to; `null` before it is set.
#[tauri::command]
pub async fn office_info(desk: State<'_, Desk>) -> Result<Option<OfficeInfo>, String> {
    with_store(&desk, |store| Ok(store.office()))
}

/// `dashboard`: the 工作台.
#[tauri::command]
pub async fn dashboard(desk: State<'_, Desk>) -> Result<Dashboard, String> {
    with_store(&desk, |store| {
        let sync = current_sync_state(&desk, store);
        store.dashboard(sync).map_err(say("读取工作台"))
    })
}

/// `list_records`: the records matching `query`, as the list page shows them.
#[tauri::command]
pub async fn list_records(
    desk: State<'_, Desk>,
    query: ListQuery,
) -> Result<Vec<RecordSummary>, String> {
    with_store(&desk, |store| store.list(&query).map_err(say("读取记录")))
}

/// `list_page`: one page and its "共 N 条" (a search counts up to a cap), in
/// one call.
#[tauri::command]
pub async fn list_page(desk: State<'_, Desk>, query: ListQuery) -> Result<RecordPage, String> {
    with_store(&desk, |store| store.page(&query).map_err(say("读取记录")))
}

/// `deadlines`: running deadlines due within `within_days`, overdue ones too.
#[tauri::command]
pub async fn deadlines(
    desk: State<'_, Desk>,
    within_days: u32,
    kind: Option<RecordKind>,
) -> Result<Vec<DeadlineRow>, String> {
    with_store(&desk, |store| {
        store.deadlines(within_days, kind).map_err(say("读取期限"))
    })
}

/// `get_record`: the whole record with deadlines, conflicts and legal actions.
#[tauri::command]
pub async fn get_record(desk: State<'_, Desk>, id: String) -> Result<RecordView, String> {
    with_store(&desk, |store| store.get(&id).map_err(say("读取记录")))
}

/// `record_history`: who changed what, when.
#[tauri::command]
pub async fn record_history(
    desk: State<'_, Desk>,
    id: String,
) -> Result<Vec<HistoryEntry>, String> {
    with_store(&desk, |store| {
        store.history(&id).map_err(say("读取修改记录"))
    })
}

/// `create_record`: stores a new record (checked with the model's rules).
#[tauri::command]
pub async fn create_record(
    desk: State<'_, Desk>,
    kind: RecordKind,
    fields: Map<String, Value>,
    draft_key: Option<String>,
) -> Result<RecordView, String> {
    with_store(&desk, |store| {
        let by = user(store)?;
        let id = store.create(kind, &fields, &by).map_err(say("保存"))?;
        drop_draft(store, draft_key.as_deref());
        store.get(&id).map_err(say("读取记录"))
    })
}

/// `edit_record`: changes fields (`null` removes one).
#[tauri::command]
pub async fn edit_record(
    desk: State<'_, Desk>,
    id: String,
    patch: Map<String, Value>,
    draft_key: Option<String>,
) -> Result<RecordView, String> {
    with_store(&desk, |store| {
        let by = user(store)?;
        store.edit(&id, &patch, &by).map_err(say("保存修改"))?;
        drop_draft(store, draft_key.as_deref());
        store.get(&id).map_err(say("读取记录"))
    })
}

/// `append_event`: records a workflow step (立案, 决定, 送达…) if legal now.
#[tauri::command]
pub async fn append_event(
    desk: State<'_, Desk>,
    id: String,
    action: String,
    on: NaiveDate,
    params: Option<Map<String, Value>>,
    draft_key: Option<String>,
) -> Result<RecordView, String> {
    with_store(&desk, |store| {
        let by = user(store)?;
        store
            .append_event(&id, &action, on, params.unwrap_or_default(), &by)
            .map_err(say("办理"))?;
        drop_draft(store, draft_key.as_deref());
        store.get(&id).map_err(say("读取记录"))
    })
}

/// `resolve_conflict`: chooses the value of a field two people changed.
#[tauri::command]
pub async fn resolve_conflict(
    desk: State<'_, Desk>,
    id: String,
    field: String,
    value: Value,
) -> Result<RecordView, String> {
    with_store(&desk, |store| {
        let by = user(store)?;
        store
            .resolve(&id, &field, value, &by)
            .map_err(say("保存选择"))?;
        store.get(&id).map_err(say("读取记录"))
    })
}

/// `save_draft`: keeps a half-filled form (committed before answering).
#[tauri::command]
pub async fn save_draft(desk: State<'_, Desk>, draft: Draft) -> Result<DraftInfo, String> {
    with_store(&desk, |store| {
        store.save_draft(&draft).map_err(say("保存草稿"))
    })
}

/// `load_draft`: the draft of a form, if one was kept.
#[tauri::command]
pub async fn load_draft(desk: State<'_, Desk>, key: String) -> Result<Option<Draft>, String> {
    with_store(&desk, |store| {
        store.load_draft(&key).map_err(say("读取草稿"))
    })
}

/// `list_drafts`: every kept draft, newest first.
#[tauri::command]
pub async fn list_drafts(desk: State<'_, Desk>) -> Result<Vec<DraftInfo>, String> {
    with_store(&desk, |store| store.list_drafts().map_err(say("读取草稿")))
}

/// `discard_draft`: throws a draft away.
#[tauri::command]
pub async fn discard_draft(desk: State<'_, Desk>, key: String) -> Result<(), String> {
    with_store(&desk, |store| {
        store.discard_draft(&key).map_err(say("删除草稿"))
    })
}

/// `settings`: office, user, enrollment, sync interval, data directory.
#[tauri::command]
pub async fn settings(desk: State<'_, Desk>) -> Result<Settings, String> {
    with_store(&desk, |store| store.settings().map_err(say("读取设置")))
}

/// `init_office`: makes an empty store the store of an office (first start
/// without an enrollment code).
#[tauri::command]
pub async fn init_office(
    desk: State<'_, Desk>,
    code: String,
    name: String,
) -> Result<Settings, String> {
    with_store(&desk, |store| {
        if name.trim().is_empty() {
            return Err("设置单位：请填写单位名称".to_string());
        }
        store.init(&code, name.trim()).map_err(say("设置单位"))?;
        store.settings().map_err(say("读取设置"))
    })
}

/// `set_user`: the person at this desk.
#[tauri::command]
pub async fn set_user(desk: State<'_, Desk>, user: String) -> Result<Settings, String> {
    with_store(&desk, |store| {
        store.set_desk_user(&user).map_err(say("设置当前用户"))?;
        store.settings().map_err(say("读取设置"))
    })
}

/// `set_sync_interval`: minutes between background syncs (1–1440).
#[tauri::command]
pub async fn set_sync_interval(desk: State<'_, Desk>, minutes: u32) -> Result<Settings, String> {
    with_store(&desk, |store| {
        store
            .set_sync_interval_minutes(minutes)
            .map_err(say("设置同步间隔"))?;
        store.settings().map_err(say("读取设置"))
    })
}

/// `enroll`: trades a one-time code from the bureau for this device's token,
/// then starts a first sync. The store is not held while the relay answers.
#[tauri::command]
pub async fn enroll(
    desk: State<'_, Desk>,
    server: String,
    code: String,
    device_name: Option<String>,
) -> Result<Settings, String> {
    let name = device_name
        .filter(|n| !n.trim().is_empty())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .unwrap_or_else(|| "红盾桌面".to_string());
    let answer = tauri::async_runtime::spawn_blocking(move || {
        client::request_enrollment(&server, &code, &name).map(|a| (server, a))
    })
    .await
    .map_err(|err| format!("登记失败（{err}）"))?;
    let (server, answer) = answer.map_err(|err| {
        let p = err.problem(true);
        format!("登记失败：{}（{}）", p.message, p.detail)
    })?;
    let settings = with_store(&desk, |store| {
        client::record_enrollment(store, &server, answer)
            .map_err(|err| format!("登记失败（{err}）"))?;
        store.settings().map_err(say("读取设置"))
    })?;
    if let Some(sync) = &desk.sync {
        sync.sync_now();
    }
    Ok(settings)
}

/// `sync_state`: what the background sync is doing and how the last one went.
#[tauri::command]
pub async fn sync_state(desk: State<'_, Desk>) -> Result<SyncState, String> {
    with_store(&desk, |store| Ok(current_sync_state(&desk, store)))
}

/// `sync_now`: starts a sync; its progress arrives as `sync-state` events.
#[tauri::command]
pub async fn sync_now(desk: State<'_, Desk>) -> Result<(), String> {
    let sync = desk
        .sync
        .as_ref()
        .ok_or_else(|| desk.store.as_ref().err().cloned().unwrap_or_default())?;
    sync.sync_now();
    Ok(())
}

/// `month_glance`: the office's month (`"YYYY-MM"`, default this month).
#[tauri::command]
pub async fn month_glance(
    desk: State<'_, Desk>,
    month: Option<String>,
) -> Result<MonthGlance, String> {
    with_store(&desk, |store| {
        let start = match month.as_deref().map(str::trim).filter(|m| !m.is_empty()) {
            Some(m) => NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d")
                .map_err(|_| format!("月份“{m}”无法识别，请按 2026-03 的格式填写"))?,
            None => store.today().with_day(1).unwrap_or(store.today()),
        };
        store.month_glance(start).map_err(say("统计本月"))
    })
}

/// Where `desk_ready` writes the start-up time and then closes the app
/// (`scripts/startup-probe.sh` times launches with it, without WebDriver).
pub const STARTUP_PROBE_VAR: &str = "HONGDUN_STARTUP_PROBE";

/// `desk_ready`: the front end drew its first 工作台 with its figures, the
/// moment the desk becomes usable. Logged with the time since the app
/// started; with [`STARTUP_PROBE_VAR`] set, that time and the moment (Unix
/// ms) go to the file it names and the app closes.
#[tauri::command]
pub fn desk_ready(app: tauri::AppHandle, started: State<'_, crate::Started>) {
    let ms = started.0.elapsed().as_millis();
    tracing::info!(ms, "desk ready: first 工作台 drawn");
    let Some(path) = std::env::var_os(STARTUP_PROBE_VAR) else {
        return;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis());
    if let Err(e) = std::fs::write(&path, format!("{now} {ms}\n")) {
        tracing::warn!(error = %e, "cannot write the start-up probe file");
    }
    app.exit(0);
}
