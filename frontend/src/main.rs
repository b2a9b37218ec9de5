//! # hongdun-ui
//!
//! The Yew front end of the Hongdun desktop app, built to wasm32 by trunk
//! (`trunk build --offline --release` in this folder) and embedded by the Tauri
//! shell in `src-tauri/`. It talks to the shell only through [`bridge`] with
//! the core's `desk` types; every string it shows is in [`i18n`]. Forms are
//! generated from the core's field specs and validated by the core's rules
//! ([`form`], plain Rust tested on the host).
#![forbid(unsafe_code)]

mod app;
mod bridge;
mod draft_saver;
mod form;
mod form_view;
mod i18n;
mod latest;
mod pages;
mod perf;
mod records;
mod route;

fn main() {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", i18n::t().lang);
    }
    yew::Renderer::<app::App>::new().render();
}
