//! How long the clerk waits, measured in the WebView for the desk benchmark
//! (`src-tauri/tests/perf_webview.rs`, docs/PERFORMANCE.md).
//!
//! A list input (a search keystroke, a filter or a tab) is timed from its
//! event to the frame that shows its rows: [`input`] notes the event, the
//! page hands the note to its request ([`take_input`]), [`answered`] arms it
//! when the latest answer is about to render, and [`rendered`], called after
//! the page rendered, records it in the next animation frame. The first
//! usable 工作台 is [`mark_once`]. Entries go to `window.__hongdunPerf`
//! (`events`: the last [`KEEP`] inputs; `recorded`: how many ever; `marks`:
//! milliseconds since the page started loading). The cost in normal use is a `performance.now()` per
//! input and per answer, and one small object per rendered answer.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Entries kept in `__hongdunPerf.events`; older ones are dropped.
pub const KEEP: u32 = 2000;

const GLOBAL: &str = "__hongdunPerf";

/// An input waiting for its rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// What changed: `search`, `filter-open`, `filter-overdue`, `tab`.
    pub what: &'static str,
    /// The list it asked for (kind and search text).
    pub query: String,
    /// `performance.now()` at the event.
    pub at: f64,
}

/// An answer about to render: its input, when it arrived and its rows.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    input: Input,
    answered: f64,
    rows: usize,
}

thread_local! {
    static PENDING: RefCell<Option<Input>> = const { RefCell::new(None) };
    static ARMED: RefCell<Option<Answer>> = const { RefCell::new(None) };
}

/// Milliseconds since the page started loading (0 outside a browser).
pub fn now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

/// A list input happened now; a later input replaces it.
pub fn input(what: &'static str, query: String) {
    let at = now();
    PENDING.with(|p| *p.borrow_mut() = Some(Input { what, query, at }));
}

/// The request for a list page is being sent: the input it answers, if any.
pub fn take_input() -> Option<Input> {
    PENDING.with(|p| p.borrow_mut().take())
}

/// The latest request's answer arrived with `rows` rows and is about to be
/// rendered. Call it before setting the state that renders it.
pub fn answered(input: Option<Input>, rows: usize) {
    if let Some(input) = input {
        let answered = now();
        ARMED.with(|a| {
            *a.borrow_mut() = Some(Answer {
                input,
                answered,
                rows,
            })
        });
    }
}

/// The page rendered: an armed answer is recorded in the next frame.
pub fn rendered() {
    let Some(answer) = ARMED.with(|a| a.borrow_mut().take()) else {
        return;
    };
    after_frame(move || {
        let shown = now();
        let entry = js_sys::Object::new();
        let set = |key: &str, value: JsValue| {
            let _ = js_sys::Reflect::set(&entry, &key.into(), &value);
        };
        set("what", answer.input.what.into());
        set("query", answer.input.query.as_str().into());
        set("rows", (answer.rows as f64).into());
        set("answeredMs", (answer.answered - answer.input.at).into());
        set("ms", (shown - answer.input.at).into());
        if let Some(events) = global("events", || js_sys::Array::new().into()) {
            let events: js_sys::Array = events.unchecked_into();
            events.push(&entry);
            if events.length() > KEEP {
                events.shift();
            }
        }
        // How many were ever recorded (`events` stops growing at KEEP).
        if let Some(recorded) = global("recorded", || 0.into()) {
            let next = recorded.as_f64().unwrap_or(0.0) + 1.0;
            if let Some(perf) = global_object() {
                let _ = js_sys::Reflect::set(&perf, &"recorded".into(), &next.into());
            }
        }
    });
}

/// Note `name` in `__hongdunPerf.marks` the first time, in the next frame,
/// then run `then` in that frame's callback (only the first time).
pub fn mark_once(name: &'static str, then: impl FnOnce() + 'static) {
    let Some(marks) = global("marks", || js_sys::Object::new().into()) else {
        return;
    };
    if js_sys::Reflect::has(&marks, &name.into()).unwrap_or(true) {
        return;
    }
    // Claimed now, so renders before the frame do not mark it again.
    let _ = js_sys::Reflect::set(&marks, &name.into(), &JsValue::NULL);
    after_frame(move || {
        let _ = js_sys::Reflect::set(&marks, &name.into(), &now().into());
        then();
    });
}

/// `window.__hongdunPerf`, made when missing.
fn global_object() -> Option<JsValue> {
    let window: JsValue = web_sys::window()?.into();
    let perf = js_sys::Reflect::get(&window, &GLOBAL.into()).ok()?;
    if perf.is_object() {
        return Some(perf);
    }
    let perf: JsValue = js_sys::Object::new().into();
    js_sys::Reflect::set(&window, &GLOBAL.into(), &perf).ok()?;
    Some(perf)
}

/// `window.__hongdunPerf[key]`, made with `make` when missing.
fn global(key: &str, make: impl FnOnce() -> JsValue) -> Option<JsValue> {
    let perf = global_object()?;
    let mut value = js_sys::Reflect::get(&perf, &key.into()).ok()?;
    if value.is_undefined() || value.is_null() {
        value = make();
        js_sys::Reflect::set(&perf, &key.into(), &value).ok()?;
    }
    Some(value)
}

/// Runs `f` in the next animation frame: after the DOM changes of this
/// render, as the frame that shows them is prepared.
fn after_frame(f: impl FnOnce() + 'static) {
    if let Some(window) = web_sys::window() {
        let callback = Closure::once_into_js(f);
        let _ = window.request_animation_frame(callback.unchecked_ref());
    }
}
