//! The bridge to the desktop shell: Tauri commands called through
//! `window.__TAURI__.core.invoke` (the shell sets `withGlobalTauri`).
//!
//! Every call is guarded by [`connected`], so the page also loads in a plain
//! browser and says so instead of failing with a script error.

use hongdun_core::record::{RecordKind, RecordSummary};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `catch`: a command's `Err(String)` arrives as `Err(JsValue)`, not a panic.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
}

/// The office this desk belongs to (mirrors `hongdun_core::store::OfficeInfo`,
/// which lives behind the core's native feature).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct OfficeInfo {
    pub code: String,
    pub name: String,
}

/// Which records to list (mirrors `hongdun_core::store::ListQuery` field for
/// field; the desktop command deserialises it into the core type).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ListQuery {
    pub kind: Option<RecordKind>,
    pub status: Option<String>,
    pub office: Option<String>,
    pub overdue: bool,
    pub due_within_days: Option<u32>,
    pub text: Option<String>,
    pub open_only: bool,
    pub include_annex: bool,
    pub limit: Option<usize>,
    pub offset: usize,
}

/// Why a call failed, in words for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BridgeError {
    /// Not running inside the desktop app.
    NotConnected,
    /// The command failed; the message comes from the desktop shell.
    Command(String),
}

/// True when the page runs inside the Tauri shell.
pub fn connected() -> bool {
    let global = js_sys::global();
    js_sys::Reflect::get(&global, &JsValue::from_str("__TAURI__"))
        .map(|v| !v.is_undefined() && !v.is_null())
        .unwrap_or(false)
}

async fn invoke<T: DeserializeOwned>(cmd: &str, args: JsValue) -> Result<T, BridgeError> {
    if !connected() {
        return Err(BridgeError::NotConnected);
    }
    let value = tauri_invoke(cmd, args).await.map_err(|err| {
        BridgeError::Command(err.as_string().unwrap_or_else(|| format!("{cmd}: {err:?}")))
    })?;
    serde_wasm_bindgen::from_value(value)
        .map_err(|err| BridgeError::Command(format!("{cmd}: 无法读取返回数据（{err}）")))
}

fn to_js<T: Serialize>(value: &T) -> JsValue {
    // JSON-compatible: `None` becomes `null` and maps become plain objects,
    // which is what Tauri's JSON deserialiser expects.
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .expect("plain data serialises")
}

/// `office_info`: the office this store belongs to, if initialised.
pub async fn office_info() -> Result<Option<OfficeInfo>, BridgeError> {
    invoke("office_info", JsValue::UNDEFINED).await
}

/// `list_records`: the records matching `query`.
pub async fn list_records(query: &ListQuery) -> Result<Vec<RecordSummary>, BridgeError> {
    #[derive(Serialize)]
    struct Args<'a> {
        query: &'a ListQuery,
    }
    invoke("list_records", to_js(&Args { query })).await
}
