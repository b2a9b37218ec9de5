//! The Yew view of a [`FormState`]: one labelled input per field (grouped
//! parts for 当事人 and other structured values, rows for lists), each with
//! its error underneath. Every input carries `data-testid="field-<path>"`.

use hongdun_core::model::codes::code_list;
use hongdun_core::model::{FieldSpec, FieldType};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::draft_saver::DraftSaver;
use crate::form::{input_label, object_parts, part_path, FormState};
use crate::i18n::t;

/// An edit: input path and new text.
pub type Edit = (String, String);

/// The callbacks of a form that is open or not (an action's parameters, an
/// edit of a stored record); every change is saved as a draft.
pub struct OpenFormHandlers {
    pub on_input: Callback<Edit>,
    pub on_add_row: Callback<String>,
    pub on_remove_row: Callback<(String, usize)>,
}

impl OpenFormHandlers {
    pub fn new(form: &UseStateHandle<Option<FormState>>, drafts: &DraftSaver) -> Self {
        let change = {
            let (form, drafts) = (form.clone(), drafts.clone());
            move |edit: &dyn Fn(&mut FormState)| {
                if let Some(mut next) = (*form).clone() {
                    edit(&mut next);
                    drafts.save_later(&next);
                    form.set(Some(next));
                }
            }
        };
        let (c1, c2, c3) = (change.clone(), change.clone(), change);
        OpenFormHandlers {
            on_input: Callback::from(move |(path, text): Edit| c1(&|f| f.set(&path, &text))),
            on_add_row: Callback::from(move |field: String| c2(&|f| f.add_row(&field))),
            on_remove_row: Callback::from(move |(field, row): (String, usize)| {
                c3(&|f| f.remove_row(&field, row))
            }),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct FormViewProps {
    pub form: FormState,
    pub on_input: Callback<Edit>,
    pub on_add_row: Callback<String>,
    pub on_remove_row: Callback<(String, usize)>,
}

#[function_component(FormView)]
pub fn form_view(props: &FormViewProps) -> Html {
    let form = &props.form;
    let fields = form.specs().map(|spec| match spec.ty {
        FieldType::Object(name) => match object_parts(name) {
            Some(parts) => group(props, spec, None, parts),
            None => html! {},
        },
        FieldType::ObjectList(name) => match object_parts(name) {
            Some(parts) => list(props, spec, parts),
            None => html! {},
        },
        _ => field(props, spec, spec.name.to_string(), spec.label),
    });
    html! {
        <div class="form-grid">
            { for fields }
            if !form.record_errors().is_empty() {
                <ul class="form-errors" data-testid="form-errors">
                    { for form.record_errors().iter().map(|e| html! { <li>{ &e.message }</li> }) }
                </ul>
            }
        </div>
    }
}

fn group(props: &FormViewProps, spec: &FieldSpec, row: Option<usize>, parts: &[FieldSpec]) -> Html {
    let inputs = parts.iter().map(|part| {
        let path = part_path(spec.name, row, part.name);
        field(props, part, path, part.label)
    });
    let whole_error = props
        .form
        .errors_of(spec.name)
        .iter()
        .find(|e| e.field == spec.name)
        .map(|e| e.message.clone());
    html! {
        <fieldset class="group">
            if row.is_none() {
                <legend>{ input_label(spec.label, spec.ty) }</legend>
            }
            <div class="form-grid">{ for inputs }</div>
            if let Some(msg) = whole_error {
                <div class="error" data-testid={format!("error-{}", spec.name)}>{ msg }</div>
            }
        </fieldset>
    }
}

fn list(props: &FormViewProps, spec: &FieldSpec, parts: &[FieldSpec]) -> Html {
    let s = t();
    let n = props.form.row_count(spec.name);
    let rows = (0..n).map(|row| {
        let remove = props.on_remove_row.clone();
        let name = spec.name.to_string();
        html! {
            <div class="list-row">
                { group(props, spec, Some(row), parts) }
                <button type="button" class="link" onclick={move |_| remove.emit((name.clone(), row))}>
                    { s.remove_row }
                </button>
            </div>
        }
    });
    let add = props.on_add_row.clone();
    let name = spec.name.to_string();
    let whole_error = props
        .form
        .errors_of(spec.name)
        .iter()
        .find(|e| e.field == spec.name)
        .map(|e| e.message.clone());
    html! {
        <fieldset class="group wide">
            <legend>{ spec.label }</legend>
            { for rows }
            <button type="button" data-testid={format!("add-{}", spec.name)}
                    onclick={move |_| add.emit(name.clone())}>{ s.add_row }</button>
            if let Some(msg) = whole_error {
                <div class="error" data-testid={format!("error-{}", spec.name)}>{ msg }</div>
            }
        </fieldset>
    }
}

fn field(props: &FormViewProps, spec: &FieldSpec, path: String, label: &str) -> Html {
    let s = t();
    let text = props.form.input(&path).to_string();
    let error = props.form.error_at(&path).map(str::to_string);
    let testid = format!("field-{path}");
    let on_input = props.on_input.clone();
    let p = path.clone();
    let oninput = Callback::from(move |e: InputEvent| {
        let target = e.target_unchecked_into::<HtmlInputElement>();
        on_input.emit((p.clone(), target.value()));
    });
    let on_input = props.on_input.clone();
    let p = path.clone();
    let onchange_select = Callback::from(move |e: Event| {
        let target = e.target_unchecked_into::<HtmlSelectElement>();
        on_input.emit((p.clone(), target.value()));
    });
    let on_input = props.on_input.clone();
    let p = path.clone();
    let oninput_area = Callback::from(move |e: InputEvent| {
        let target = e.target_unchecked_into::<HtmlTextAreaElement>();
        on_input.emit((p.clone(), target.value()));
    });
    let invalid = error.is_some().then_some("invalid");
    let control = match spec.ty {
        FieldType::LongText => html! {
            <textarea data-testid={testid} class={classes!(invalid)} rows="2"
                      value={text} oninput={oninput_area} />
        },
        FieldType::Bool => html! {
            <select data-testid={testid} class={classes!(invalid)} onchange={onchange_select}>
                <option value="" selected={text.is_empty()}>{ s.choose }</option>
                <option value="true" selected={text == "true"}>{ s.yes }</option>
                <option value="false" selected={text == "false"}>{ s.no }</option>
            </select>
        },
        FieldType::Code(list) if code_list(list).is_some() => {
            let entries = code_list(list).map(|l| l.entries).unwrap_or(&[]);
            html! {
                <select data-testid={testid} class={classes!(invalid)} onchange={onchange_select}>
                    <option value="" selected={text.is_empty()}>{ s.choose }</option>
                    { for entries.iter().map(|c| html! {
                        <option value={c.code} selected={text == c.code}>
                            { if c.parent.is_some() { format!("　{}", c.label) } else { c.label.to_string() } }
                        </option>
                    }) }
                </select>
            }
        }
        ty => {
            let placeholder = match ty {
                FieldType::Date => s.date_placeholder,
                FieldType::Fen => s.yuan_placeholder,
                FieldType::Codes(_) | FieldType::TextList => s.list_placeholder,
                _ => "",
            };
            html! {
                <input data-testid={testid} class={classes!(invalid)} type="text"
                       {placeholder} value={text} {oninput} />
            }
        }
    };
    let wide = matches!(spec.ty, FieldType::LongText).then_some("wide");
    html! {
        <label class={classes!("field", wide)}>
            <span class="label">
                { input_label(label, spec.ty) }
                if spec.required { <span class="required">{ "*" }</span> }
            </span>
            { control }
            if let Some(msg) = error {
                <span class="error" data-testid={format!("error-{path}")}>{ msg }</span>
            } else if !spec.help.is_empty() {
                <span class="help">{ spec.help }</span>
            }
        </label>
    }
}
