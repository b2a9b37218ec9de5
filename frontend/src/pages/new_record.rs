//! A new record's form (new lead, new complaint…): generated from the core's
//! field specs, validated as typed, saved as a draft while the clerk types and
//! offered again when the form is reopened after closing the app or a crash.

use hongdun_core::desk::commands::CreateArgs;
use hongdun_core::record::RecordKind;
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge;
use crate::draft_saver::use_draft_saver;
use crate::form::FormState;
use crate::form_view::{Edit, FormView};
use crate::i18n::t;
use crate::route::Page;

/// The draft key of a new record's form.
pub fn new_draft_key(kind: RecordKind) -> String {
    format!("new:{kind}")
}

#[derive(Properties, PartialEq)]
pub struct NewRecordProps {
    pub kind: RecordKind,
}

#[function_component(NewRecord)]
pub fn new_record(props: &NewRecordProps) -> Html {
    let s = t();
    let desk = use_desk();
    let kind = props.kind;
    let key = new_draft_key(kind);
    let form = use_state(|| FormState::new(kind));
    let status = use_state(|| (String::new(), false));
    let saving = use_state(|| false);
    let drafts = use_draft_saver(
        key.clone(),
        kind,
        None,
        format!("{}{}", s.draft_title_new, (s.kind)(kind)),
    );

    // Offer the draft left by a closed window or a crash.
    {
        let form = form.clone();
        let status = status.clone();
        let key = key.clone();
        use_effect_with(kind, move |kind| {
            let kind = *kind;
            form.set(FormState::new(kind));
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(draft)) = bridge::load_draft(&key).await {
                    if let Some(restored) = FormState::new(kind).restore_draft(&draft.fields) {
                        form.set(restored);
                        let when = draft
                            .updated_at
                            .map(super::record::local_time)
                            .unwrap_or_default();
                        status.set(((s.draft_restored)(&when), false));
                    }
                }
            });
        });
    }

    let save_later = {
        let drafts = drafts.clone();
        move |next: &FormState| drafts.save_later(next)
    };

    let on_input = {
        let form = form.clone();
        let save_later = save_later.clone();
        Callback::from(move |(path, text): Edit| {
            let mut next = (*form).clone();
            next.set(&path, &text);
            save_later(&next);
            form.set(next);
        })
    };
    let on_add_row = {
        let form = form.clone();
        Callback::from(move |field: String| {
            let mut next = (*form).clone();
            next.add_row(&field);
            form.set(next);
        })
    };
    let on_remove_row = {
        let form = form.clone();
        let save_later = save_later.clone();
        Callback::from(move |(field, row): (String, usize)| {
            let mut next = (*form).clone();
            next.remove_row(&field, row);
            save_later(&next);
            form.set(next);
        })
    };
    let on_submit = {
        let form = form.clone();
        let status = status.clone();
        let saving = saving.clone();
        let go = desk.go.clone();
        let key = key.clone();
        let drafts = drafts.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let mut next = (*form).clone();
            let fields = next.submit();
            form.set(next);
            let Some(fields) = fields else {
                status.set((s.form_has_errors.to_string(), true));
                return;
            };
            drafts.cancel_pending();
            saving.set(true);
            status.set((s.saving.to_string(), false));
            let status = status.clone();
            let saving = saving.clone();
            let go = go.clone();
            let args = CreateArgs {
                kind,
                fields,
                draft_key: Some(key.clone()),
            };
            wasm_bindgen_futures::spawn_local(async move {
                match bridge::create_record(args).await {
                    Ok(view) => go.emit(Page::Record(view.id)),
                    Err(err) => {
                        saving.set(false);
                        status.set((err.message(), true));
                    }
                }
            });
        })
    };
    let on_discard = {
        let form = form.clone();
        let status = status.clone();
        move |_| {
            form.set(FormState::new(kind));
            status.set((String::new(), false));
            drafts.discard();
        }
    };
    let back = {
        let go = desk.go.clone();
        move |_| go.emit(Page::Register(crate::route::Section::of(kind), kind))
    };

    html! {
        <form class="record-form" data-testid="page-new" data-kind={kind.as_str()} onsubmit={on_submit}>
            <div class="page-head">
                <h1>{ (s.new_record)(kind) }</h1>
                <span class="spacer"></span>
                <button type="button" onclick={back}>{ s.back }</button>
            </div>
            <FormView form={(*form).clone()} {on_input} {on_add_row} {on_remove_row} />
            <div class="form-actions">
                <button type="submit" class="primary" data-testid="form-submit" disabled={*saving}>
                    { s.save }
                </button>
                <button type="button" data-testid="form-discard" onclick={on_discard}>{ s.discard_draft }</button>
                { status_line(&status.0, status.1) }
            </div>
        </form>
    }
}
