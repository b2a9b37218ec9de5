//! The desk's pages, one module each. A page reads the [`crate::app::Desk`]
//! context for navigation and sync state and calls the shell through
//! [`crate::bridge`].

pub mod attachments;
pub mod edit_record;
pub mod new_record;
pub mod record;
pub mod register;
pub mod settings;
pub mod sharing;
pub mod stats;
pub mod sync;
pub mod workbench;

use yew::prelude::*;

use crate::app::Desk;

/// The desk context (always provided by the frame).
#[hook]
pub fn use_desk() -> Desk {
    use_context::<Desk>().expect("pages render inside the desk frame")
}

/// A status line: `data-testid="status"`, red when it reports an error.
pub fn status_line(text: &str, error: bool) -> Html {
    if text.is_empty() {
        return html! {};
    }
    html! {
        <div data-testid="status" class={classes!("status-line", error.then_some("error"))}>{ text }</div>
    }
}
