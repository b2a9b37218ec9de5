//! The bridge to the desktop shell: Tauri commands called through
//! `window.__TAURI__.core.invoke` and events heard through
//! `window.__TAURI__.event.listen` (the shell sets `withGlobalTauri`).
//!
//! Arguments and answers are the core's `desk` types, shared with the shell.
//! Every call is guarded by [`connected`], so the page also loads in a plain
//! browser and says so instead of failing with a script error.

use hongdun_core::attachment::{AttachmentSettings, AttachmentView};
use hongdun_core::desk::bulletin::{ExportArgs, PeriodArgs};
use hongdun_core::desk::commands::{
    AttachArgs, AttachmentArgs, AttachmentSettingsArgs, CreateArgs, DraftArgs, EditArgs,
    EnrollArgs, EventArgs, IdArgs, InitOfficeArgs, KeyArgs, ListArgs, MonthArgs, ResolveArgs,
    SetUserArgs, ShaArgs,
};
use hongdun_core::desk::{
    Dashboard, Draft, HistoryEntry, ListQuery, MonthGlance, OfficeInfo, RecordPage, RecordView,
    Settings, SyncState,
};
use hongdun_core::stats::{Bulletin, BureauBulletin, ExportFormat};
use serde::{de::DeserializeOwned, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `catch`: a command's `Err(String)` arrives as `Err(JsValue)`, not a panic.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(
        event: &str,
        handler: &Closure<dyn FnMut(JsValue)>,
    ) -> Result<JsValue, JsValue>;
}

/// Why a call failed, in words for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeError {
    /// Not running inside the desktop app.
    NotConnected,
    /// The command failed; the message comes from the desktop shell.
    Command(String),
}

impl BridgeError {
    /// The sentence to show.
    pub fn message(&self) -> String {
        match self {
            BridgeError::NotConnected => crate::i18n::t().not_connected_body.to_string(),
            BridgeError::Command(msg) => msg.clone(),
        }
    }
}

/// True when the page runs inside the Tauri shell.
pub fn connected() -> bool {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &JsValue::from_str("__TAURI__"))
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false)
}

pub(crate) async fn invoke<T: DeserializeOwned>(
    cmd: &str,
    args: JsValue,
) -> Result<T, BridgeError> {
    if !connected() {
        return Err(BridgeError::NotConnected);
    }
    let value = tauri_invoke(cmd, args).await.map_err(|err| {
        BridgeError::Command(err.as_string().unwrap_or_else(|| format!("{cmd}: {err:?}")))
    })?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|err| BridgeError::Command(format!("{cmd}: 无法读取返回数据（{err}）")))
}

pub(crate) fn to_js<T: Serialize>(value: &T) -> JsValue {
    // JSON-compatible: `None` becomes `null` and maps become plain objects,
    // which is what Tauri's JSON deserialiser expects.
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .unwrap_or(JsValue::UNDEFINED)
}

/// `()` answers arrive as `null`.
async fn invoke_unit(cmd: &str, args: JsValue) -> Result<(), BridgeError> {
    invoke::<Option<()>>(cmd, args).await.map(|_| ())
}

pub async fn office_info() -> Result<Option<OfficeInfo>, BridgeError> {
    invoke("office_info", JsValue::UNDEFINED).await
}

/// Tells the shell the first 工作台 is drawn (it logs the start-up time).
pub async fn desk_ready() -> Result<(), BridgeError> {
    invoke_unit("desk_ready", JsValue::UNDEFINED).await
}

pub async fn dashboard() -> Result<Dashboard, BridgeError> {
    invoke("dashboard", JsValue::UNDEFINED).await
}

pub async fn list_page(query: ListQuery) -> Result<RecordPage, BridgeError> {
    invoke("list_page", to_js(&ListArgs { query })).await
}

pub async fn get_record(id: &str) -> Result<RecordView, BridgeError> {
    invoke("get_record", to_js(&IdArgs { id: id.into() })).await
}

pub async fn record_history(id: &str) -> Result<Vec<HistoryEntry>, BridgeError> {
    invoke("record_history", to_js(&IdArgs { id: id.into() })).await
}

pub async fn create_record(args: CreateArgs) -> Result<RecordView, BridgeError> {
    invoke("create_record", to_js(&args)).await
}

pub async fn edit_record(args: EditArgs) -> Result<RecordView, BridgeError> {
    invoke("edit_record", to_js(&args)).await
}

pub async fn append_event(args: EventArgs) -> Result<RecordView, BridgeError> {
    invoke("append_event", to_js(&args)).await
}

pub async fn resolve_conflict(args: ResolveArgs) -> Result<RecordView, BridgeError> {
    invoke("resolve_conflict", to_js(&args)).await
}

pub async fn save_draft(draft: Draft) -> Result<(), BridgeError> {
    invoke::<serde_json::Value>("save_draft", to_js(&DraftArgs { draft }))
        .await
        .map(|_| ())
}

pub async fn load_draft(key: &str) -> Result<Option<Draft>, BridgeError> {
    invoke("load_draft", to_js(&KeyArgs { key: key.into() })).await
}

pub async fn discard_draft(key: &str) -> Result<(), BridgeError> {
    invoke_unit("discard_draft", to_js(&KeyArgs { key: key.into() })).await
}

pub async fn settings() -> Result<Settings, BridgeError> {
    invoke("settings", JsValue::UNDEFINED).await
}

pub async fn init_office(args: InitOfficeArgs) -> Result<Settings, BridgeError> {
    invoke("init_office", to_js(&args)).await
}

pub async fn set_user(user: String) -> Result<Settings, BridgeError> {
    invoke("set_user", to_js(&SetUserArgs { user })).await
}

pub async fn enroll(args: EnrollArgs) -> Result<Settings, BridgeError> {
    invoke("enroll", to_js(&args)).await
}

pub async fn sync_state() -> Result<SyncState, BridgeError> {
    invoke("sync_state", JsValue::UNDEFINED).await
}

pub async fn sync_now() -> Result<(), BridgeError> {
    invoke_unit("sync_now", JsValue::UNDEFINED).await
}

pub async fn month_glance(month: Option<String>) -> Result<MonthGlance, BridgeError> {
    invoke("month_glance", to_js(&MonthArgs { month })).await
}

pub async fn office_bulletin(period: Option<String>) -> Result<Bulletin, BridgeError> {
    invoke("office_bulletin", to_js(&PeriodArgs { period })).await
}

/// Answers the written file's full path.
/// With `bureau`, the relay's consolidated bulletin.
pub async fn export_bulletin(
    period: Option<String>,
    format: ExportFormat,
    bureau: bool,
) -> Result<String, BridgeError> {
    let args = ExportArgs {
        period,
        format,
        bureau,
    };
    invoke("export_bulletin", to_js(&args)).await
}

/// The relay's consolidated bulletin with each office's sync health
/// (bureau devices only; others get the relay's refusal in words).
pub async fn bureau_bulletin(period: Option<String>) -> Result<BureauBulletin, BridgeError> {
    invoke("bureau_bulletin", to_js(&PeriodArgs { period })).await
}

pub async fn attachments(id: &str) -> Result<Vec<AttachmentView>, BridgeError> {
    invoke("attachments", to_js(&IdArgs { id: id.into() })).await
}

/// Stores the file's bytes in the store and references them from the record.
pub async fn attach_file(
    id: &str,
    name: &str,
    bytes: &[u8],
) -> Result<AttachmentView, BridgeError> {
    use base64::Engine as _;
    let args = AttachArgs {
        id: id.into(),
        name: name.into(),
        data_base64: base64::engine::general_purpose::STANDARD.encode(bytes),
    };
    invoke("attach_file", to_js(&args)).await
}

/// A `data:` URL of the image, when it is one and its bytes are here.
pub async fn attachment_thumbnail(sha: &str) -> Result<Option<String>, BridgeError> {
    invoke("attachment_thumbnail", to_js(&ShaArgs { sha: sha.into() })).await
}

pub async fn open_attachment(id: &str, sha: &str) -> Result<(), BridgeError> {
    let args = AttachmentArgs {
        id: id.into(),
        sha: sha.into(),
    };
    invoke_unit("open_attachment", to_js(&args)).await
}

/// Starts fetching a missing attachment; its row then shows the progress.
pub async fn fetch_attachment(sha: &str) -> Result<(), BridgeError> {
    invoke_unit("fetch_attachment", to_js(&ShaArgs { sha: sha.into() })).await
}

pub async fn attachment_settings() -> Result<AttachmentSettings, BridgeError> {
    invoke("attachment_settings", JsValue::UNDEFINED).await
}

pub async fn set_attachment_settings(
    settings: AttachmentSettings,
) -> Result<AttachmentSettings, BridgeError> {
    invoke(
        "set_attachment_settings",
        to_js(&AttachmentSettingsArgs { settings }),
    )
    .await
}

/// Call `on` with each payload of `event` for the life of the page.
pub fn listen<T: DeserializeOwned + 'static>(event: &'static str, on: impl Fn(T) + 'static) {
    if !connected() {
        return;
    }
    let handler = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let payload =
            js_sys::Reflect::get(&e, &JsValue::from_str("payload")).unwrap_or(JsValue::UNDEFINED);
        if let Ok(value) = serde_wasm_bindgen::from_value::<T>(payload) {
            on(value);
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        // The listener lives as long as the page: the closure is never freed.
        if tauri_listen(event, &handler).await.is_ok() {
            handler.forget();
        }
    });
}

/// Wait `ms` milliseconds (debouncing drafts and searches).
pub async fn sleep(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
