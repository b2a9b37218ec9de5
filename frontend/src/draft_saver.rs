//! Forms are saved as drafts while the clerk types: 600 ms after the last
//! keystroke, so a closed window, a crash or a power cut loses at most the
//! last moment of typing. A form with nothing typed has no draft.

use std::cell::Cell;
use std::rc::Rc;

use hongdun_core::desk::Draft;
use hongdun_core::record::RecordKind;
use yew::prelude::*;

use crate::bridge;
use crate::form::FormState;

/// Milliseconds of quiet typing before the draft is saved.
pub const DRAFT_DEBOUNCE_MS: i32 = 600;

/// Saves one form's drafts under one key.
#[derive(Clone)]
pub struct DraftSaver {
    key: String,
    kind: RecordKind,
    record_id: Option<String>,
    title: String,
    /// Bumped by every save request; a pending save runs only if still the last.
    generation: Rc<Cell<u64>>,
}

impl DraftSaver {
    pub fn key(&self) -> &str {
        &self.key
    }

    /// Save `form` once typing pauses (or forget the draft if it is blank).
    pub fn save_later(&self, form: &FormState) {
        let mine = self.generation.get() + 1;
        self.generation.set(mine);
        let generation = self.generation.clone();
        let draft = Draft {
            key: self.key.clone(),
            kind: Some(self.kind),
            record_id: self.record_id.clone(),
            title: self.title.clone(),
            fields: form.to_draft(),
            updated_at: None,
        };
        let blank = form.is_blank();
        wasm_bindgen_futures::spawn_local(async move {
            bridge::sleep(DRAFT_DEBOUNCE_MS).await;
            if generation.get() != mine {
                return;
            }
            let _ = if blank {
                bridge::discard_draft(&draft.key).await
            } else {
                bridge::save_draft(draft).await
            };
        });
    }

    /// No pending save may recreate the draft once the form is stored or
    /// thrown away.
    pub fn cancel_pending(&self) {
        self.generation.set(self.generation.get() + 1);
    }

    /// Forget the draft (the clerk discarded or cancelled the form).
    pub fn discard(&self) {
        self.cancel_pending();
        let key = self.key.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let _ = bridge::discard_draft(&key).await;
        });
    }
}

/// A draft saver for the form under `key`; stable across renders.
#[hook]
pub fn use_draft_saver(
    key: String,
    kind: RecordKind,
    record_id: Option<String>,
    title: String,
) -> DraftSaver {
    let generation = use_mut_ref(|| Rc::new(Cell::new(0u64)));
    let generation = generation.borrow().clone();
    DraftSaver {
        key,
        kind,
        record_id,
        title,
        generation,
    }
}
