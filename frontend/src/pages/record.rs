//! The record file (案卷): header with status, then panels — 基本信息,
//! lists of parties, evidence and seizures, 期限 with basis and days left,
//! 办理 (the actions legal now, each with its parameter form), 冲突 (values
//! side by side with a way to choose) and 历史.
//!
//! Panels are listed in [`panels`]; a later feature (attachments, sharing,
//! audit) adds its panel there.

use std::rc::Rc;

use chrono::{DateTime, NaiveDate, Utc};
use hongdun_core::deadline::RuleId;
use hongdun_core::desk::commands::{EventArgs, ResolveArgs};
use hongdun_core::desk::{FieldConflict, HistoryEntry, RecordView};
use hongdun_core::model::codes::code_list;
use hongdun_core::model::money::format_yuan;
use hongdun_core::model::{self, FieldSpec, FieldType, ValidationError};
use hongdun_core::record::{EventEnvelope, RecordKind};
use serde_json::Value;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge::{self, BridgeError};
use crate::draft_saver::use_draft_saver;
use crate::form::{input_text, object_parts, FormState};
use crate::form_view::{FormView, OpenFormHandlers};
use crate::i18n::t;
use crate::records::deadline_class;

#[derive(Properties, PartialEq)]
pub struct RecordPageProps {
    pub id: String,
}

#[function_component(RecordPage)]
pub fn record_page(props: &RecordPageProps) -> Html {
    let s = t();
    let desk = use_desk();
    let view = use_state(|| None::<Result<RecordView, BridgeError>>);
    let history = use_state(|| None::<Vec<HistoryEntry>>);
    let reload = use_state(|| 0u32);
    {
        let view = view.clone();
        let history = history.clone();
        let record_kind = desk.record_kind.clone();
        use_effect_with(
            (props.id.clone(), *reload, desk.changed),
            move |(id, _, _)| {
                let id = id.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    let got = bridge::get_record(&id).await;
                    if let Ok(v) = &got {
                        record_kind.emit(v.kind);
                    }
                    view.set(Some(got));
                    history.set(bridge::record_history(&id).await.ok());
                });
            },
        );
    }
    let v = match &*view {
        None => return html! { <div class="empty">{ s.loading }</div> },
        Some(Err(e)) => return status_line(&e.message(), true),
        Some(Ok(v)) => v.clone(),
    };
    let on_changed = {
        let view = view.clone();
        let reload = reload.clone();
        Callback::from(move |next: RecordView| {
            view.set(Some(Ok(next)));
            reload.set(*reload + 1);
        })
    };
    let panels = panels(&v, history.as_deref(), &on_changed, desk.joint.as_ref());
    html! {
        <div class="record-file" data-testid="page-record" data-id={v.id.clone()}>
            <div class="page-head">
                <h1 data-testid="record-title">{ &v.title }</h1>
                <span class="number">{ v.number.clone().unwrap_or_default() }</span>
                <span class="status-pill" data-testid="record-status" data-status={v.status.clone()}>
                    { &v.status_label }
                </span>
                <span class="kind-pill">{ (s.kind)(v.kind) }</span>
            </div>
            <div class="panels">
                { for panels.into_iter().map(|(testid, title, body)| html! {
                    <section class="panel" data-testid={testid}>
                        <h2>{ title }</h2>
                        { body }
                    </section>
                }) }
            </div>
        </div>
    }
}

/// The record file's panels, in page order: (`data-testid`, title, body).
pub fn panels(
    v: &RecordView,
    history: Option<&[HistoryEntry]>,
    on_changed: &Callback<RecordView>,
    joint: Option<&hongdun_core::desk::joint::JointStatus>,
) -> Vec<(&'static str, &'static str, Html)> {
    let s = t();
    let shared = Shared(Rc::new(v.clone()));
    let mut out = vec![
        (
            "panel-actions",
            s.panel_actions,
            html! { <Actions view={shared.clone()} on_changed={on_changed.clone()} /> },
        ),
        ("panel-deadlines", s.panel_deadlines, deadlines(v)),
    ];
    if !v.conflicts.is_empty() {
        out.push((
            "panel-conflicts",
            s.panel_conflicts,
            html! { <Conflicts view={shared.clone()} on_changed={on_changed.clone()} /> },
        ));
    }
    out.push((
        "panel-fields",
        s.panel_fields,
        html! { <super::edit_record::FieldsPanel view={shared.clone()} on_changed={on_changed.clone()} /> },
    ));
    if v.kind != RecordKind::Office {
        out.push((
            "panel-attachments",
            s.panel_attachments,
            html! { <super::attachments::AttachmentsPanel id={v.id.clone()} /> },
        ));
    }
    out.push(("panel-events", s.panel_events, events(v)));
    out.push((
        "panel-history",
        s.panel_history,
        self::history(v.kind, history),
    ));
    super::sharing::panels(v, joint, on_changed, &mut out);
    out
}

/// A stored value as text for reading.
pub fn show_value(ty: FieldType, value: &Value) -> String {
    match (ty, value) {
        (FieldType::Fen, Value::Number(n)) => n
            .as_i64()
            .map(|f| format!("{} 元", format_yuan(f)))
            .unwrap_or_default(),
        (FieldType::Code(list), Value::String(code)) => code_list(list)
            .and_then(|l| l.label_of(code))
            .unwrap_or(code)
            .to_string(),
        (FieldType::Bool, Value::Bool(b)) => if *b { t().yes } else { t().no }.to_string(),
        (FieldType::Object(name), Value::Object(map)) => match object_parts(name) {
            Some(parts) => parts
                .iter()
                .filter_map(|p| map.get(p.name).map(|v| show_value(p.ty, v)))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("，"),
            None => value.to_string(),
        },
        (FieldType::ObjectList(name), Value::Array(items)) => items
            .iter()
            .map(|item| show_value(FieldType::Object(name), item))
            .collect::<Vec<_>>()
            .join("；"),
        (ty, v) => input_text(ty, v),
    }
}

pub fn fields(v: &RecordView) -> Html {
    let specs = model::field_specs(v.kind);
    let plain = specs
        .iter()
        .filter(|spec| !matches!(spec.ty, FieldType::ObjectList(_)))
        .filter_map(|spec| v.fields.get(spec.name).map(|value| (spec, value)))
        .map(|(spec, value)| {
            html! {
                <tr data-field={spec.name}>
                    <th>{ crate::form::input_label(spec.label, spec.ty).replace("（元）", "") }</th>
                    <td>{ show_value(spec.ty, value) }</td>
                </tr>
            }
        });
    let lists = specs
        .iter()
        .filter_map(|spec| match (spec.ty, v.fields.get(spec.name)) {
            (FieldType::ObjectList(name), Some(Value::Array(items))) if !items.is_empty() => {
                Some(object_table(spec, name, items))
            }
            _ => None,
        });
    html! {
        <>
            <table class="kv"><tbody>{ for plain }</tbody></table>
            { for lists }
        </>
    }
}

/// 当事人, 证据清单, 查扣清单…: one row per item.
fn object_table(spec: &FieldSpec, name: &str, items: &[Value]) -> Html {
    let Some(parts) = object_parts(name) else {
        return html! {};
    };
    let used: Vec<&FieldSpec> = parts
        .iter()
        .filter(|p| items.iter().any(|i| i.get(p.name).is_some()))
        .collect();
    html! {
        <div class="object-list" data-testid={format!("list-{}", spec.name)}>
            <h3>{ spec.label }</h3>
            <table class="records compact">
                <thead><tr>{ for used.iter().map(|p| html! {
                    <th>{ crate::form::input_label(p.label, p.ty) }</th>
                }) }</tr></thead>
                <tbody>{ for items.iter().map(|item| html! {
                    <tr>{ for used.iter().map(|p| html! {
                        <td>{ item.get(p.name).map(|v| show_value(p.ty, v).replace(" 元", "")).unwrap_or_default() }</td>
                    }) }</tr>
                }) }</tbody>
            </table>
        </div>
    }
}

fn deadlines(v: &RecordView) -> Html {
    let s = t();
    if v.deadlines.is_empty() {
        return html! { <p class="none">{ s.no_deadlines }</p> };
    }
    html! {
        <table class="records compact">
            <thead><tr>
                <th>{ s.col_deadline }</th><th>{ s.col_due }</th><th>{ s.col_days_left }</th>
                <th>{ s.col_status }</th><th>{ s.col_basis }</th>
            </tr></thead>
            <tbody>{ for v.deadlines.iter().map(|d| html! {
                <tr data-testid={format!("deadline-{}", rule_name(d.rule))} data-rule={rule_name(d.rule)}
                    class={classes!("deadline-row", "deadline", deadline_class(d.state))}>
                    <td class="deadline-name">{ &d.name }</td>
                    <td class="due">
                        { d.due.to_string() }
                        if d.provisional { <span class="provisional">{ s.provisional }</span> }
                    </td>
                    <td class="days-left">{ (s.days_left)(d.days_left) }</td>
                    <td>{ (s.deadline_state)(d.state) }{ if d.late { s.late } else { "" } }</td>
                    <td class="basis">{ &d.basis }</td>
                </tr>
            }) }</tbody>
        </table>
    }
}

/// An event's parameters in words: the form's labels and the code lists' labels.
fn event_params(kind: RecordKind, e: &EventEnvelope) -> String {
    let specs = crate::form::action_params(kind, &e.action);
    e.params
        .iter()
        .map(
            |(name, value)| match specs.iter().find(|s| s.name == name) {
                Some(spec) => format!(
                    "{}：{}",
                    crate::form::input_label(spec.label, spec.ty).replace("（元）", ""),
                    show_value(spec.ty, value)
                ),
                None => format!("{name}：{}", input_text(FieldType::Text, value)),
            },
        )
        .collect::<Vec<_>>()
        .join("；")
}

/// A rule's stable name, e.g. "case.decide" (as the command line spells it).
fn rule_name(rule: RuleId) -> String {
    serde_json::to_value(rule)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn events(v: &RecordView) -> Html {
    let s = t();
    if v.events.is_empty() {
        return html! { <p class="none">{ s.no_events }</p> };
    }
    let mut events: Vec<&EventEnvelope> = v.events.iter().collect();
    events.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let rejected = |id: &str| v.rejected_events.iter().find(|r| r.event_id == id);
    html! {
        <table class="records compact">
            <tbody>{ for events.iter().map(|e| {
                let label = model::event_label(v.kind, &e.action).unwrap_or(e.action.as_str());
                let refused = rejected(&e.id);
                html! {
                    <tr data-testid="event-row" data-action={e.action.clone()}
                        class={classes!(refused.is_some().then_some("rejected"))}>
                        <td class="due">{ e.on.to_string() }</td>
                        <td class="nowrap">{ label }</td>
                        <td>{ event_params(v.kind, e) }</td>
                        <td class="muted nowrap">{ &e.by }</td>
                        <td class="error">{ refused.map(|r| format!("{}{}", s.event_rejected, r.reason)).unwrap_or_default() }</td>
                    </tr>
                }
            }) }</tbody>
        </table>
    }
}

fn history(kind: RecordKind, entries: Option<&[HistoryEntry]>) -> Html {
    let s = t();
    let Some(entries) = entries else {
        return html! { <p class="none">{ s.loading }</p> };
    };
    html! {
        <table class="records compact" data-testid="history">
            <thead><tr><th>{ s.col_when }</th><th>{ s.col_who }</th><th>{ s.col_what }</th></tr></thead>
            <tbody>{ for entries.iter().rev().map(|h| html! {
                <tr data-testid="history-row">
                    <td class="due">{ local_time(h.at) }</td>
                    <td>{ &h.by }</td>
                    <td>{ (s.history_op)(&h.op) }{ "：" }{ history_what(kind, h) }</td>
                </tr>
            }) }</tbody>
        </table>
    }
}

/// What a change touched, in words: field labels, or the step's name.
fn history_what(kind: RecordKind, h: &HistoryEntry) -> String {
    h.what
        .iter()
        .map(|w| {
            model::event_label(kind, w)
                .or_else(|| {
                    model::field_specs(kind)
                        .iter()
                        .find(|f| f.name == w)
                        .map(|f| f.label)
                })
                .unwrap_or(w)
                .to_string()
        })
        .collect::<Vec<_>>()
        .join("、")
}

pub fn local_time(at: DateTime<Utc>) -> String {
    // Offices are in China (UTC+8, no daylight saving).
    (at + chrono::Duration::hours(8))
        .format("%Y-%m-%d %H:%M")
        .to_string()
}

/// Today in the office's time zone (UTC+8), from the WebView's clock.
pub fn today() -> NaiveDate {
    now()
        .checked_add_signed(chrono::Duration::hours(8))
        .unwrap_or_default()
        .date_naive()
}

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

#[derive(Properties, PartialEq)]
struct ActionsProps {
    view: Shared,
    on_changed: Callback<RecordView>,
}

/// A record view shared by the panels; equal when it is the same answer.
#[derive(Clone)]
pub struct Shared(pub Rc<RecordView>);

impl PartialEq for Shared {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// 办理: one button per action legal now; the chosen one opens its form.
#[function_component(Actions)]
fn actions(props: &ActionsProps) -> Html {
    let s = t();
    let v = &*props.view.0;
    let chosen = use_state(|| None::<String>);
    let form = use_state(|| None::<FormState>);
    let on = use_state(|| today().to_string());
    let status = use_state(|| (String::new(), false));
    let busy = use_state(|| false);
    let drafts = use_draft_saver(
        format!("action:{}", v.id),
        v.kind,
        Some(v.id.clone()),
        format!("{}{}", s.draft_title_action, v.title),
    );

    // An action form left half filled (window closed, crash) comes back, if
    // the action is still allowed.
    {
        let (chosen, form, status) = (chosen.clone(), form.clone(), status.clone());
        let (key, kind) = (drafts.key().to_string(), v.kind);
        let allowed: Vec<String> = v.allowed_actions.iter().map(|(a, _)| a.clone()).collect();
        use_effect_with(v.id.clone(), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let Ok(Some(draft)) = bridge::load_draft(&key).await else {
                    return;
                };
                let Some(action) = draft.fields.get("action").and_then(|a| a.as_str()) else {
                    return;
                };
                if !allowed.iter().any(|a| a == action) {
                    return;
                }
                if let Some(restored) =
                    FormState::for_action(kind, action).restore_draft(&draft.fields)
                {
                    let when = draft.updated_at.map(local_time).unwrap_or_default();
                    status.set(((s.draft_restored)(&when), false));
                    chosen.set(Some(action.to_string()));
                    form.set(Some(restored));
                }
            });
        });
    }

    let buttons = v.allowed_actions.iter().map(|(action, label)| {
        let chosen = chosen.clone();
        let form = form.clone();
        let status = status.clone();
        let kind = v.kind;
        let a = action.clone();
        let current = chosen.as_deref() == Some(action.as_str());
        html! {
            <button type="button" class={classes!("action", current.then_some("active"))}
                    data-testid={format!("action-{action}")}
                    onclick={move |_| {
                        status.set((String::new(), false));
                        form.set(Some(FormState::for_action(kind, &a)));
                        chosen.set(Some(a.clone()));
                    }}>
                { label }
            </button>
        }
    });
    let basis = chosen.as_deref().and_then(|a| {
        model::actions(v.kind)
            .iter()
            .find(|d| d.action == a)
            .map(|d| d.basis)
    });

    let action_form = match (&*chosen, &*form) {
        (Some(action), Some(f)) => {
            let OpenFormHandlers {
                on_input,
                on_add_row,
                on_remove_row,
            } = OpenFormHandlers::new(&form, &drafts);
            let on_date = {
                let on = on.clone();
                move |e: InputEvent| on.set(e.target_unchecked_into::<HtmlInputElement>().value())
            };
            let submit = {
                let form = form.clone();
                let status = status.clone();
                let busy = busy.clone();
                let chosen = chosen.clone();
                let on = on.clone();
                let view = props.view.0.clone();
                let on_changed = props.on_changed.clone();
                let action = action.clone();
                let drafts = drafts.clone();
                move |e: SubmitEvent| {
                    e.prevent_default();
                    let Some(f) = &*form else { return };
                    let mut next = f.clone();
                    let params = next.submit();
                    let Ok(date) = NaiveDate::parse_from_str(on.trim(), "%Y-%m-%d") else {
                        status.set((s.bad_action_date.to_string(), true));
                        form.set(Some(next));
                        return;
                    };
                    let Some(params) = params else {
                        status.set((s.form_has_errors.to_string(), true));
                        form.set(Some(next));
                        return;
                    };
                    // The core's own check, with this record's events, before asking the shell.
                    let candidate = EventEnvelope {
                        id: "candidate".into(),
                        action: action.clone(),
                        on: date,
                        at: now(),
                        by: String::new(),
                        params: params.clone(),
                    };
                    if let Err(err) =
                        model::check_event(view.kind, &view.fields, &view.events, &candidate)
                    {
                        let field = err
                            .rule
                            .strip_prefix("params.")
                            .and_then(|r| r.split([' ', '.', '[']).next())
                            .unwrap_or("")
                            .to_string();
                        next.show_error(ValidationError::new(
                            field,
                            err.rule.clone(),
                            err.message.clone(),
                        ));
                        status.set((err.message, true));
                        form.set(Some(next));
                        return;
                    }
                    form.set(Some(next));
                    busy.set(true);
                    status.set((s.saving.to_string(), false));
                    drafts.cancel_pending();
                    let args = EventArgs {
                        id: view.id.clone(),
                        action: action.clone(),
                        on: date,
                        params,
                        draft_key: Some(drafts.key().to_string()),
                    };
                    let status = status.clone();
                    let busy = busy.clone();
                    let chosen = chosen.clone();
                    let form = form.clone();
                    let on_changed = on_changed.clone();
                    wasm_bindgen_futures::spawn_local(async move {
                        match bridge::append_event(args).await {
                            Ok(next) => {
                                status.set((s.action_done.to_string(), false));
                                chosen.set(None);
                                form.set(None);
                                on_changed.emit(next);
                            }
                            Err(err) => status.set((err.message(), true)),
                        }
                        busy.set(false);
                    });
                }
            };
            html! {
                <form class="action-form" data-testid="action-form" onsubmit={submit}>
                    if let Some(basis) = basis {
                        <p class="basis">{ s.col_basis }{ "：" }{ basis }</p>
                    }
                    <div class="form-grid">
                        <label class="field">
                            <span class="label">{ s.action_date }<span class="required">{ "*" }</span></span>
                            <input type="text" data-testid="field-on" value={(*on).clone()} oninput={on_date} />
                        </label>
                    </div>
                    <FormView form={f.clone()} {on_input} {on_add_row} {on_remove_row} />
                    <div class="form-actions">
                        <button type="submit" class="primary" data-testid="action-submit" disabled={*busy}>
                            { s.confirm_action }
                        </button>
                        <button type="button" onclick={{
                            let chosen = chosen.clone();
                            move |_| chosen.set(None)
                        }}>{ s.cancel }</button>
                    </div>
                </form>
            }
        }
        _ => html! {},
    };

    html! {
        <div class="actions">
            if v.allowed_actions.is_empty() {
                <p class="none">{ s.no_actions }</p>
            } else {
                <div class="action-buttons">{ for buttons }</div>
            }
            { action_form }
            { status_line(&status.0, status.1) }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ConflictsProps {
    view: Shared,
    on_changed: Callback<RecordView>,
}

/// 冲突: for each field two people changed, the values side by side.
#[function_component(Conflicts)]
fn conflicts(props: &ConflictsProps) -> Html {
    let s = t();
    let status = use_state(|| (String::new(), false));
    let v = &*props.view.0;
    let row = |c: &FieldConflict| {
        let spec = model::field_specs(v.kind)
            .iter()
            .find(|f| f.name == c.field);
        let label = spec.map(|f| f.label).unwrap_or(c.field.as_str());
        let ty = spec.map(|f| f.ty).unwrap_or(FieldType::Text);
        html! {
            <div class="conflict" data-testid={format!("conflict-{}", c.field)} data-field={c.field.clone()}>
                <h3>{ label }</h3>
                <div class="side-by-side">
                    { for c.values.iter().enumerate().map(|(i, fv)| {
                        let args = ResolveArgs { id: v.id.clone(), field: c.field.clone(), value: fv.value.clone() };
                        let on_changed = props.on_changed.clone();
                        let status = status.clone();
                        let choose = move |_| {
                            let args = args.clone();
                            let on_changed = on_changed.clone();
                            let status = status.clone();
                            wasm_bindgen_futures::spawn_local(async move {
                                match bridge::resolve_conflict(args).await {
                                    Ok(next) => on_changed.emit(next),
                                    Err(err) => status.set((err.message(), true)),
                                }
                            });
                        };
                        html! {
                            <div class="choice">
                                <div class="value">{ show_value(ty, &fv.value) }</div>
                                <div class="muted">{ (s.written_by)(&fv.by, &local_time(fv.at)) }</div>
                                <button type="button" data-testid={format!("choose-{}-{i}", c.field)} onclick={choose}>
                                    { s.choose_value }
                                </button>
                            </div>
                        }
                    }) }
                </div>
            </div>
        }
    };
    html! {
        <>
            <p class="muted">{ s.conflicts_hint }</p>
            { for v.conflicts.iter().map(row) }
            { status_line(&status.0, status.1) }
        </>
    }
}
