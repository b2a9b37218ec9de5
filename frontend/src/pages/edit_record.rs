//! 基本信息 of a record file, read-only with a 修改 button that turns it into
//! the record's form filled with what is stored. Saving sends only what
//! changed (`edit_record` with a patch; a cleared field is removed), so a
//! colleague's concurrent change to another field is never overwritten. The
//! form is saved as a draft while the clerk types and offered again when the
//! file is reopened.

use hongdun_core::desk::commands::EditArgs;
use hongdun_core::desk::RecordView;
use yew::prelude::*;

use super::record::{fields, Shared};
use super::status_line;
use crate::bridge;
use crate::draft_saver::use_draft_saver;
use crate::form::FormState;
use crate::form_view::{FormView, OpenFormHandlers};
use crate::i18n::t;

/// The draft key of a record's edit form.
pub fn edit_draft_key(id: &str) -> String {
    format!("edit:{id}")
}

#[derive(Properties, PartialEq)]
pub struct FieldsPanelProps {
    pub view: Shared,
    pub on_changed: Callback<RecordView>,
}

#[function_component(FieldsPanel)]
pub fn fields_panel(props: &FieldsPanelProps) -> Html {
    let s = t();
    let v = props.view.0.clone();
    let key = edit_draft_key(&v.id);
    let form = use_state(|| None::<FormState>);
    let status = use_state(|| (String::new(), false));
    let saving = use_state(|| false);
    let drafts = use_draft_saver(
        key.clone(),
        v.kind,
        Some(v.id.clone()),
        format!("{}{}", s.draft_title_edit, v.title),
    );

    // A draft left by a closed window reopens the form where it was.
    {
        let (form, status, key, v) = (form.clone(), status.clone(), key.clone(), v.clone());
        use_effect_with(v.id.clone(), move |_| {
            form.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(Some(draft)) = bridge::load_draft(&key).await {
                    let base = FormState::from_fields(v.kind, &v.fields);
                    if let Some(restored) = base.restore_draft(&draft.fields) {
                        let when = draft
                            .updated_at
                            .map(super::record::local_time)
                            .unwrap_or_default();
                        status.set(((s.draft_restored)(&when), false));
                        form.set(Some(restored));
                    }
                }
            });
        });
    }

    let Some(current) = (*form).clone() else {
        let start = {
            let (form, status, v) = (form.clone(), status.clone(), v.clone());
            move |_: MouseEvent| {
                status.set((String::new(), false));
                form.set(Some(FormState::from_fields(v.kind, &v.fields)));
            }
        };
        return html! {
            <div data-testid="fields-view">
                { fields(&v) }
                <div class="form-actions">
                    <button type="button" data-testid="edit-fields" onclick={start}>{ s.edit_fields }</button>
                    { status_line(&status.0, status.1) }
                </div>
            </div>
        };
    };

    let OpenFormHandlers {
        on_input,
        on_add_row,
        on_remove_row,
    } = OpenFormHandlers::new(&form, &drafts);
    let on_submit = {
        let (form, status, saving) = (form.clone(), status.clone(), saving.clone());
        let (drafts, on_changed, v) = (drafts.clone(), props.on_changed.clone(), v.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(mut next) = (*form).clone() else {
                return;
            };
            let edited = next.submit();
            let patch = edited.map(|f| next.patch(&f, &v.fields));
            form.set(Some(next));
            let Some(patch) = patch else {
                status.set((s.form_has_errors.to_string(), true));
                return;
            };
            drafts.cancel_pending();
            if patch.is_empty() {
                drafts.discard();
                form.set(None);
                status.set((s.edit_no_changes.to_string(), false));
                return;
            }
            saving.set(true);
            let (form, status, saving) = (form.clone(), status.clone(), saving.clone());
            let on_changed = on_changed.clone();
            let args = EditArgs {
                id: v.id.clone(),
                patch,
                draft_key: Some(drafts.key().to_string()),
            };
            wasm_bindgen_futures::spawn_local(async move {
                match bridge::edit_record(args).await {
                    Ok(view) => {
                        form.set(None);
                        status.set((s.edit_saved.to_string(), false));
                        on_changed.emit(view);
                    }
                    Err(err) => status.set((err.message(), true)),
                }
                saving.set(false);
            });
        })
    };
    let on_cancel = {
        let (form, status) = (form.clone(), status.clone());
        move |_: MouseEvent| {
            drafts.discard();
            status.set((String::new(), false));
            form.set(None);
        }
    };
    html! {
        <form class="record-form" data-testid="edit-form" onsubmit={on_submit}>
            <FormView form={current} {on_input} {on_add_row} {on_remove_row} />
            <div class="form-actions">
                <button type="submit" class="primary" data-testid="edit-submit" disabled={*saving}>
                    { s.edit_save }
                </button>
                <button type="button" data-testid="edit-cancel" onclick={on_cancel}>{ s.cancel }</button>
                { status_line(&status.0, status.1) }
            </div>
        </form>
    }
}
