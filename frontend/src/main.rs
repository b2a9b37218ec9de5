//! # hongdun-ui
//!
//! The Yew front end of the Hongdun desktop app, built to wasm32 by trunk
//! (`trunk build --offline --release` in this folder) and embedded by the Tauri
//! shell in `src-tauri/`. It talks to the shell only through [`bridge`]; every
//! string it shows is in [`i18n`]. Record types and labels come from
//! `hongdun-core` built without its native parts.
#![forbid(unsafe_code)]

mod app;
mod bridge;
mod form;
mod i18n;
mod records;

fn main() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", i18n::t().lang);
    }
    yew::Renderer::<app::App>::new().render();
}
