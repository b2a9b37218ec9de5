//! 联合办案 on the desk: the record page's 共享 panel (share a case file with
//! a partner organisation, its one-time device code, who it is shared with
//! and 停止共享), 审计记录 (who changed what, and the xlsx report), partner
//! mode (the banner, what a partner sees, 补充材料, the 已停止共享 mark) and
//! 校验 on the 同步 page.
//!
//! The shell's commands and their types are in `hongdun_core::desk::joint`;
//! what a partner may add to is the core's [`PARTNER_SECTIONS`].

use chrono::{DateTime, NaiveDate, Utc};
use hongdun_core::desk::commands::{EditArgs, IdArgs};
use hongdun_core::desk::joint::{AuditView, JointStatus, ShareArgs, UnshareArgs};
use hongdun_core::desk::RecordView;
use hongdun_core::joint::{
    PartnerOrg, Share, ShareCreated, ShareMode, ShareState, StoreMode, VerifyReport,
    PARTNER_SECTIONS,
};
use hongdun_core::model::codes::code_list;
use hongdun_core::model::{self, FieldSpec, FieldType};
use hongdun_core::record::RecordKind;
use serde_json::{Map, Value};
use wasm_bindgen::JsValue;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::record::{local_time, Shared};
use super::use_desk;
use crate::bridge::{invoke, to_js, BridgeError};
use crate::form::{input_label, object_parts, parse_input};
use crate::i18n::{t, tj};
use crate::route::{Page, Section};

// ---- the shell's commands -------------------------------------------------

async fn joint_status() -> Result<JointStatus, BridgeError> {
    invoke("joint_status", JsValue::UNDEFINED).await
}

async fn share_case(args: ShareArgs) -> Result<ShareCreated, BridgeError> {
    invoke("share_case", to_js(&args)).await
}

async fn partner_orgs() -> Result<Vec<PartnerOrg>, BridgeError> {
    invoke("partner_orgs", JsValue::UNDEFINED).await
}

async fn case_shares(id: &str) -> Result<Vec<Share>, BridgeError> {
    invoke("case_shares", to_js(&IdArgs { id: id.into() })).await
}

async fn unshare_case(args: UnshareArgs) -> Result<Share, BridgeError> {
    invoke("unshare_case", to_js(&args)).await
}

async fn audit_trail(id: &str) -> Result<AuditView, BridgeError> {
    invoke("audit_trail", to_js(&IdArgs { id: id.into() })).await
}

async fn export_audit(id: &str) -> Result<String, BridgeError> {
    invoke("export_audit", to_js(&IdArgs { id: id.into() })).await
}

async fn verify_store() -> Result<VerifyReport, BridgeError> {
    invoke("verify_store", JsValue::UNDEFINED).await
}

async fn edit_record(args: EditArgs) -> Result<RecordView, BridgeError> {
    invoke("edit_record", to_js(&args)).await
}

// ---- partner mode ---------------------------------------------------------

/// The store's joint status, read again whenever records changed (a sync
/// may have marked a case file no longer shared).
#[hook]
pub fn use_joint_status(changed: u32) -> Option<JointStatus> {
    let status = use_state(|| None::<JointStatus>);
    {
        let status = status.clone();
        use_effect_with(changed, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(s) = joint_status().await {
                    status.set(Some(s));
                }
            });
        });
    }
    (*status).clone()
}

fn is_partner(joint: Option<&JointStatus>) -> bool {
    joint.is_some_and(JointStatus::is_partner)
}

/// Whether the navigation shows `page` to this store: a partner has case
/// files only, no statistics and no other registers.
pub fn shows(joint: Option<&JointStatus>, page: &Page) -> bool {
    !is_partner(joint)
        || matches!(
            page,
            Page::Workbench | Page::Register(Section::Cases, _) | Page::Sync | Page::Settings
        )
}

/// Whether a register offers `kind` (a partner holds case files only) and
/// new-record buttons (never for a partner).
pub fn offers(joint: Option<&JointStatus>, kind: Option<RecordKind>) -> bool {
    !is_partner(joint) || kind == Some(RecordKind::Case)
}

#[derive(Properties, PartialEq)]
pub struct BannerProps {
    pub joint: Option<JointStatus>,
    pub go: Callback<Page>,
}

/// 合作单位模式: which organisation this is and what is shared with it.
#[function_component(PartnerBanner)]
pub fn partner_banner(props: &BannerProps) -> Html {
    let j = tj();
    let Some(status) = &props.joint else {
        return html! {};
    };
    let StoreMode::Partner { org, org_name } = &status.mode else {
        return html! {};
    };
    let rows = status.records.iter().map(|r| {
        let go = props.go.clone();
        let id = r.id.clone();
        let gone = r.state == ShareState::NoLongerShared;
        html! {
            <li data-testid="partner-record" data-id={r.id.clone()}
                class={classes!(gone.then_some("gone"))}>
                <button type="button" class="link" onclick={move |_| go.emit(Page::Record(id.clone()))}>
                    { r.number.clone().unwrap_or_default() }{ " " }{ &r.title }
                </button>
                <span class="share-state">{ r.state.label() }</span>
            </li>
        }
    });
    html! {
        <div class="partner-banner" data-testid="partner-banner">
            <strong>{ (j.partner_banner)(org_name, org) }</strong>
            <span class="muted">{ j.partner_banner_note }</span>
            if status.records.is_empty() {
                <span>{ j.partner_no_records }</span>
            } else {
                <ul>{ for rows }</ul>
            }
        </div>
    }
}

/// Adds the 联合办案 panels to a record's: in an office, 共享 (case files)
/// and 审计记录; for a partner, no workflow actions, 补充材料 while still
/// shared, and the 已停止共享 mark first when no longer.
pub fn panels(
    v: &RecordView,
    joint: Option<&JointStatus>,
    on_changed: &Callback<RecordView>,
    out: &mut Vec<(&'static str, &'static str, Html)>,
) {
    let j = tj();
    let shared = Shared(std::rc::Rc::new(v.clone()));
    if is_partner(joint) {
        out.retain(|(id, _, _)| *id != "panel-actions" && *id != "panel-conflicts");
        if joint.is_some_and(|s| s.no_longer_shared(&v.id)) {
            out.insert(
                0,
                (
                    "panel-revoked",
                    j.panel_revoked,
                    html! {
                        <div class="revoked-mark" data-testid="no-longer-shared">
                            <strong>{ j.no_longer_shared_mark }</strong>
                            <p>{ j.no_longer_shared_note }</p>
                        </div>
                    },
                ),
            );
        } else if joint.is_some_and(|s| s.read_only(&v.id)) {
            out.insert(
                0,
                (
                    "panel-read-only",
                    j.panel_partner_edit,
                    html! { <p class="muted" data-testid="partner-read-only">{ j.read_only_note }</p> },
                ),
            );
        } else if v.kind == RecordKind::Case {
            out.insert(
                0,
                (
                    "panel-partner-edit",
                    j.panel_partner_edit,
                    html! { <PartnerEdit view={shared} on_changed={on_changed.clone()} /> },
                ),
            );
        }
    } else if v.kind == RecordKind::Case {
        out.push((
            "panel-share",
            j.panel_share,
            html! { <SharePanel id={v.id.clone()} /> },
        ));
    }
    out.push((
        "panel-audit",
        j.panel_audit,
        html! { <AuditPanel id={v.id.clone()} /> },
    ));
}

// ---- 共享 -------------------------------------------------------------------

fn time_or(at: Option<DateTime<Utc>>, none: &str) -> String {
    at.map(local_time).unwrap_or_else(|| none.to_string())
}

/// A share's last day: it runs to the end of that day, office time.
fn last_day(expires: Option<DateTime<Utc>>, none: &str) -> String {
    match expires {
        Some(t) => local_time(t - chrono::Duration::seconds(1))
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_string(),
        None => none.to_string(),
    }
}

fn share_state(s: &Share) -> &'static str {
    let j = tj();
    if s.revoked_at.is_some() {
        j.revoked
    } else if s.active {
        j.active
    } else {
        j.expired
    }
}

/// Puts `text` on the clipboard; false when the WebView does not allow it.
fn copy_to_clipboard(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    let get = |obj: &JsValue, key: &str| js_sys::Reflect::get(obj, &JsValue::from_str(key)).ok();
    let navigator = get(&window, "navigator");
    let clipboard = navigator.as_ref().and_then(|n| get(n, "clipboard"));
    let write = clipboard.as_ref().and_then(|c| get(c, "writeText"));
    match (clipboard, write) {
        (Some(c), Some(f)) if f.is_function() => js_sys::Function::from(f)
            .call1(&c, &JsValue::from_str(text))
            .is_ok(),
        _ => false,
    }
}

#[derive(Properties, PartialEq)]
pub struct IdProps {
    pub id: String,
}

/// 共享: the form, the new code, and who the case file is shared with.
#[function_component(SharePanel)]
pub fn share_panel(props: &IdProps) -> Html {
    let s = t();
    let j = tj();
    let shares = use_state(|| None::<Result<Vec<Share>, String>>);
    let reload = use_state(|| 0u32);
    let partner = use_state(String::new);
    let user = use_state(String::new);
    let mode = use_state(|| ShareMode::Read);
    let expires = use_state(String::new);
    let created = use_state(|| None::<ShareCreated>);
    let status = use_state(|| (String::new(), false));
    let busy = use_state(|| false);
    let confirm = use_state(|| None::<Share>);
    // The relay's partner organisations, offered as the code is typed
    // (offline the code is typed from the list the bureau handed out).
    let offered = use_state(Vec::<PartnerOrg>::new);
    {
        let offered = offered.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(list) = partner_orgs().await {
                    offered.set(list);
                }
            });
        });
    }
    {
        let shares = shares.clone();
        use_effect_with((props.id.clone(), *reload), move |(id, _)| {
            let id = id.clone();
            wasm_bindgen_futures::spawn_local(async move {
                shares.set(Some(case_shares(&id).await.map_err(|e| e.message())));
            });
        });
    }
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    let on_mode = {
        let mode = mode.clone();
        move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            mode.set(ShareMode::parse(&v).unwrap_or(ShareMode::Read));
        }
    };
    let submit = {
        let id = props.id.clone();
        let (partner, user, mode, expires) =
            (partner.clone(), user.clone(), mode.clone(), expires.clone());
        let (created, status, busy, reload) = (
            created.clone(),
            status.clone(),
            busy.clone(),
            reload.clone(),
        );
        move |e: SubmitEvent| {
            e.prevent_default();
            let day = expires.trim();
            let expires_on = if day.is_empty() {
                None
            } else {
                match NaiveDate::parse_from_str(day, "%Y-%m-%d") {
                    Ok(d) => Some(d),
                    Err(_) => {
                        status.set((format!("{}：{}", j.expires, j.expires_hint), true));
                        return;
                    }
                }
            };
            let args = ShareArgs {
                id: id.clone(),
                partner: partner.trim().to_string(),
                mode: *mode,
                expires: expires_on,
                partner_user: Some(user.trim().to_string()).filter(|u| !u.is_empty()),
            };
            busy.set(true);
            created.set(None);
            status.set((j.sharing.to_string(), false));
            let (created, status, busy, reload) = (
                created.clone(),
                status.clone(),
                busy.clone(),
                reload.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                match share_case(args).await {
                    Ok(c) => {
                        status.set((j.shared_ok.to_string(), false));
                        created.set(Some(c));
                        reload.set(*reload + 1);
                    }
                    Err(err) => status.set((err.message(), true)),
                }
                busy.set(false);
            });
        }
    };
    let code_box = created.as_ref().and_then(|c| {
        let e = c.enrollment.as_ref()?;
        let partner = format!("{}（{}）", c.share.partner_name, c.share.partner);
        let code = e.code.clone();
        let status = status.clone();
        let copy = move |_| {
            if copy_to_clipboard(&code) {
                status.set((j.copied.to_string(), false));
            } else {
                status.set((j.copy_failed.to_string(), true));
            }
        };
        Some(html! {
            <div class="share-code notice">
                <h3>{ j.code_title }</h3>
                <code class="code" data-testid="share-code">{ &e.code }</code>
                <button type="button" data-testid="share-copy" onclick={copy}>{ j.copy }</button>
                <p data-testid="share-explain">{ (j.code_explain)(&e.code, &partner, &local_time(e.expires_at)) }</p>
            </div>
        })
    });
    let list = match &*shares {
        None => html! { <p class="none">{ s.loading }</p> },
        Some(Err(msg)) => {
            html! { <p class="status-line error" data-testid="share-list-error">{ msg }</p> }
        }
        Some(Ok(list)) if list.is_empty() => html! { <p class="none">{ j.no_shares }</p> },
        Some(Ok(list)) => html! {
            <table class="records compact" data-testid="share-list">
                <thead><tr>
                    <th>{ j.col_partner }</th><th>{ j.col_access }</th><th>{ j.col_expires }</th>
                    <th>{ j.col_created }</th><th>{ j.col_last_sync }</th><th>{ j.col_state }</th><th></th>
                </tr></thead>
                <tbody>{ for list.iter().map(|sh| {
                    let ask = {
                        let confirm = confirm.clone();
                        let sh = sh.clone();
                        move |_| confirm.set(Some(sh.clone()))
                    };
                    html! {
                        <tr data-testid="share-row" data-grant={sh.id.clone()} data-partner={sh.partner.clone()}>
                            <td class="partner">{ format!("{}（{}）", sh.partner_name, sh.partner) }</td>
                            <td class="mode">{ sh.mode.label() }</td>
                            <td class="expires">{ last_day(sh.expires_at, j.no_expiry) }</td>
                            <td class="created">{ local_time(sh.created_at) }{ " " }<span class="muted">{ &sh.created_by }</span></td>
                            <td class="last-sync">{ time_or(sh.partner_last_sync, j.never_synced) }</td>
                            <td class="state">{ share_state(sh) }</td>
                            <td>if sh.active {
                                <button type="button" data-testid="share-revoke" onclick={ask}>{ j.revoke }</button>
                            }</td>
                        </tr>
                    }
                }) }</tbody>
            </table>
        },
    };
    let confirm_box = confirm.as_ref().map(|sh| {
        let partner = format!("{}（{}）", sh.partner_name, sh.partner);
        let yes = {
            let (confirm, status, reload) = (confirm.clone(), status.clone(), reload.clone());
            let args = UnshareArgs {
                id: props.id.clone(),
                grant: sh.id.clone(),
            };
            let partner = partner.clone();
            move |_| {
                let (confirm, status, reload) = (confirm.clone(), status.clone(), reload.clone());
                let (args, partner) = (args.clone(), partner.clone());
                wasm_bindgen_futures::spawn_local(async move {
                    match unshare_case(args).await {
                        Ok(_) => status.set(((j.revoked_ok)(&partner), false)),
                        Err(err) => status.set((err.message(), true)),
                    }
                    confirm.set(None);
                    reload.set(*reload + 1);
                });
            }
        };
        let no = {
            let confirm = confirm.clone();
            move |_| confirm.set(None)
        };
        html! {
            <div class="notice confirm" data-testid="share-confirm">
                <p>{ (j.revoke_confirm)(&partner) }</p>
                <button type="button" class="danger" data-testid="share-revoke-confirm" onclick={yes}>{ j.revoke_yes }</button>
                <button type="button" onclick={no}>{ s.cancel }</button>
            </div>
        }
    });
    let refresh = {
        let reload = reload.clone();
        move |_| reload.set(*reload + 1)
    };
    html! {
        <div class="share">
            <form class="form-grid share-form" onsubmit={submit}>
                <label class="field">
                    <span class="label">{ j.partner_code }<span class="required">{ "*" }</span></span>
                    <input type="text" data-testid="share-partner" value={(*partner).clone()}
                           list="partner-orgs"
                           oninput={text_input(&partner)} placeholder={j.partner_code_hint} />
                    <datalist id="partner-orgs" data-testid="share-partner-options">
                        { for offered.iter().map(|o| html! {
                            <option value={o.code.clone()}>{ &o.name }</option>
                        }) }
                    </datalist>
                </label>
                <label class="field">
                    <span class="label">{ j.partner_user }</span>
                    <input type="text" data-testid="share-user" value={(*user).clone()}
                           oninput={text_input(&user)} placeholder={j.partner_user_hint} />
                </label>
                <label class="field">
                    <span class="label">{ j.access }</span>
                    <select data-testid="share-mode" onchange={on_mode}>
                        { for [ShareMode::Read, ShareMode::ReadWrite].into_iter().map(|m| html! {
                            <option value={m.as_str()} selected={*mode == m}>{ m.label() }</option>
                        }) }
                    </select>
                </label>
                <label class="field">
                    <span class="label">{ j.expires }</span>
                    <input type="text" data-testid="share-expires" value={(*expires).clone()}
                           oninput={text_input(&expires)} placeholder={j.expires_hint} />
                </label>
                <div class="form-actions">
                    <button type="submit" class="primary" data-testid="share-submit" disabled={*busy}>{ j.share_submit }</button>
                </div>
            </form>
            { status_of("share-status", &status) }
            { for code_box }
            <h3>{ j.shares_title }{ " " }<button type="button" class="link" data-testid="share-refresh" onclick={refresh}>{ j.refresh }</button></h3>
            { list }
            { for confirm_box }
        </div>
    }
}

fn status_of(testid: &'static str, status: &(String, bool)) -> Html {
    if status.0.is_empty() {
        return html! {};
    }
    html! {
        <div data-testid={testid} class={classes!("status-line", status.1.then_some("error"))}>{ &status.0 }</div>
    }
}

// ---- 审计记录 -----------------------------------------------------------------

/// 审计记录: every change with organisation, user, device and time.
#[function_component(AuditPanel)]
pub fn audit_panel(props: &IdProps) -> Html {
    let s = t();
    let j = tj();
    let desk = use_desk();
    let audit = use_state(|| None::<Result<AuditView, String>>);
    let status = use_state(|| (String::new(), false));
    let reload = use_state(|| 0u32);
    {
        let audit = audit.clone();
        use_effect_with(
            (props.id.clone(), *reload, desk.changed),
            move |(id, _, _)| {
                let id = id.clone();
                wasm_bindgen_futures::spawn_local(async move {
                    audit.set(Some(audit_trail(&id).await.map_err(|e| e.message())));
                });
            },
        );
    }
    let export = {
        let id = props.id.clone();
        let status = status.clone();
        move |_| {
            let (id, status) = (id.clone(), status.clone());
            status.set((j.exporting.to_string(), false));
            wasm_bindgen_futures::spawn_local(async move {
                match export_audit(&id).await {
                    Ok(path) => status.set(((j.exported)(&path), false)),
                    Err(err) => status.set((err.message(), true)),
                }
            });
        }
    };
    let refresh = {
        let reload = reload.clone();
        move |_| reload.set(*reload + 1)
    };
    let body = match &*audit {
        None => html! { <p class="none">{ s.loading }</p> },
        Some(Err(msg)) => html! { <p class="status-line error">{ msg }</p> },
        Some(Ok(view)) if view.entries.is_empty() => html! { <p class="none">{ j.no_audit }</p> },
        Some(Ok(view)) => html! {
            <>
                if let Some(note) = &view.note {
                    <p class="muted" data-testid="audit-note">{ note }</p>
                }
                <table class="records compact" data-testid="audit">
                    <thead><tr>
                        <th>{ j.col_time }</th><th>{ j.col_org }</th><th>{ j.col_user }</th>
                        <th>{ j.col_device }</th><th>{ j.col_change }</th>
                    </tr></thead>
                    <tbody>{ for view.entries.iter().rev().map(|e| html! {
                        <tr data-testid="audit-row" data-org={e.org.clone()}>
                            <td class="when due">{ local_time(e.at) }</td>
                            <td class="org">{ if e.org.is_empty() { e.org_name.clone() } else { format!("{}（{}）", e.org_name, e.org) } }</td>
                            <td class="user">{ &e.user }</td>
                            <td class="device">{ &e.device }</td>
                            <td class="what">{ &e.what }</td>
                        </tr>
                    }) }</tbody>
                </table>
            </>
        },
    };
    html! {
        <div class="audit">
            <div class="toolbar">
                <button type="button" data-testid="audit-export" onclick={export}>{ j.audit_export }</button>
                <button type="button" data-testid="audit-refresh" onclick={refresh}>{ j.refresh }</button>
            </div>
            { status_of("audit-status", &status) }
            { body }
        </div>
    }
}

// ---- 补充材料 (a partner's additions) ---------------------------------------

#[derive(Properties, PartialEq)]
pub struct PartnerEditProps {
    pub view: Shared,
    pub on_changed: Callback<RecordView>,
}

/// The partner sections of a record's kind, in the core's order.
fn partner_specs(kind: RecordKind) -> Vec<&'static FieldSpec> {
    model::field_specs(kind)
        .iter()
        .filter(|f| PARTNER_SECTIONS.contains(&f.name))
        .collect()
}

/// The parts of one item of `spec` (a list of objects), or the field itself.
fn parts_of(spec: &'static FieldSpec) -> Vec<&'static FieldSpec> {
    match spec.ty {
        FieldType::ObjectList(name) => object_parts(name)
            .map(|p| p.iter().collect())
            .unwrap_or_default(),
        _ => vec![spec],
    }
}

/// The field's new value: the item appended to a list, a note appended to
/// the notes.
fn added_value(
    spec: &'static FieldSpec,
    current: Option<&Value>,
    inputs: &Map<String, Value>,
) -> Result<Value, String> {
    let mut item = Map::new();
    for part in parts_of(spec) {
        let text = inputs.get(part.name).and_then(Value::as_str).unwrap_or("");
        match parse_input(part.name, part.ty, text) {
            Ok(Some(v)) => {
                item.insert(part.name.to_string(), v);
            }
            Ok(None) => {}
            Err(e) => return Err(format!("{}：{}", part.label, e.message)),
        }
    }
    match spec.ty {
        FieldType::ObjectList(_) => {
            let mut list = current
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default();
            list.push(Value::Object(item));
            Ok(Value::Array(list))
        }
        _ => {
            let added = item
                .get(spec.name)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let before = current.and_then(Value::as_str).unwrap_or("");
            Ok(Value::String(if before.is_empty() {
                added
            } else {
                format!("{before}\n{added}")
            }))
        }
    }
}

/// 补充材料: a partner adds an item to 查扣清单, 鉴定结果 or 证据清单, or a
/// note. The core refuses anything else; the relay checks the share's access.
#[function_component(PartnerEdit)]
pub fn partner_edit(props: &PartnerEditProps) -> Html {
    let s = t();
    let j = tj();
    let v = &*props.view.0;
    let specs = partner_specs(v.kind);
    let section = use_state(|| specs.first().map(|f| f.name).unwrap_or(""));
    let inputs = use_state(Map::<String, Value>::new);
    let status = use_state(|| (String::new(), false));
    let Some(spec) = specs.iter().find(|f| f.name == *section).copied() else {
        return html! {};
    };
    let on_section = {
        let (section, inputs) = (section.clone(), inputs.clone());
        let specs = specs.clone();
        move |e: Event| {
            let name = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(f) = specs.iter().find(|f| f.name == name) {
                section.set(f.name);
                inputs.set(Map::new());
            }
        }
    };
    let input_of = |part: &'static FieldSpec| {
        let inputs = inputs.clone();
        let value = inputs
            .get(part.name)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let testid = format!("partner-field-{}", part.name);
        let set = move |text: String| {
            let mut next = (*inputs).clone();
            next.insert(part.name.to_string(), Value::String(text));
            inputs.set(next);
        };
        let control = match part.ty {
            FieldType::Code(list) => {
                let set = set.clone();
                html! {
                    <select data-testid={testid} onchange={move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value())}>
                        <option value="" selected={value.is_empty()}>{ s.choose }</option>
                        { for code_list(list).map(|l| l.entries).unwrap_or_default().iter().map(|c| html! {
                            <option value={c.code} selected={value == c.code}>{ c.label }</option>
                        }) }
                    </select>
                }
            }
            FieldType::Bool => {
                let set = set.clone();
                html! {
                    <select data-testid={testid} onchange={move |e: Event| set(e.target_unchecked_into::<HtmlSelectElement>().value())}>
                        <option value="" selected={value.is_empty()}>{ s.choose }</option>
                        <option value="true" selected={value == "true"}>{ s.yes }</option>
                        <option value="false" selected={value == "false"}>{ s.no }</option>
                    </select>
                }
            }
            _ => html! {
                <input type="text" data-testid={testid} value={value}
                       oninput={move |e: InputEvent| set(e.target_unchecked_into::<HtmlInputElement>().value())} />
            },
        };
        html! {
            <label class="field">
                <span class="label">{ input_label(part.label, part.ty) }
                    if part.required { <span class="required">{ "*" }</span> }
                </span>
                { control }
            </label>
        }
    };
    let submit = {
        let (inputs, status) = (inputs.clone(), status.clone());
        let on_changed = props.on_changed.clone();
        let id = v.id.clone();
        let current = v.fields.get(spec.name).cloned();
        move |e: SubmitEvent| {
            e.prevent_default();
            let value = match added_value(spec, current.as_ref(), &inputs) {
                Ok(v) => v,
                Err(msg) => {
                    status.set((msg, true));
                    return;
                }
            };
            let mut patch = Map::new();
            patch.insert(spec.name.to_string(), value);
            let args = EditArgs {
                id: id.clone(),
                patch,
                draft_key: None,
            };
            let (inputs, status, on_changed) = (inputs.clone(), status.clone(), on_changed.clone());
            status.set((s.saving.to_string(), false));
            wasm_bindgen_futures::spawn_local(async move {
                match edit_record(args).await {
                    Ok(next) => {
                        status.set((j.partner_added.to_string(), false));
                        inputs.set(Map::new());
                        on_changed.emit(next);
                    }
                    Err(err) => status.set((err.message(), true)),
                }
            });
        }
    };
    html! {
        <form class="partner-edit" onsubmit={submit}>
            <p class="muted">{ j.partner_edit_hint }</p>
            <div class="form-grid">
                <label class="field">
                    <span class="label">{ j.partner_section }</span>
                    <select data-testid="partner-section" onchange={on_section}>
                        { for specs.iter().map(|f| html! {
                            <option value={f.name} selected={f.name == spec.name}>{ f.label }</option>
                        }) }
                    </select>
                </label>
                { for parts_of(spec).into_iter().map(input_of) }
            </div>
            <div class="form-actions">
                <button type="submit" class="primary" data-testid="partner-submit">{ j.partner_add }</button>
            </div>
            { status_of("partner-status", &status) }
        </form>
    }
}

// ---- 校验 -------------------------------------------------------------------

/// 校验台账: runs `verify` over the whole store and lists what fails.
#[function_component(VerifyPanel)]
pub fn verify_panel() -> Html {
    let j = tj();
    let report = use_state(|| None::<Result<VerifyReport, String>>);
    let busy = use_state(|| false);
    let run = {
        let (report, busy) = (report.clone(), busy.clone());
        move |_| {
            let (report, busy) = (report.clone(), busy.clone());
            busy.set(true);
            report.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                report.set(Some(verify_store().await.map_err(|e| e.message())));
                busy.set(false);
            });
        }
    };
    let result = match &*report {
        None if *busy => html! { <p data-testid="verify-result">{ j.verifying }</p> },
        None => html! {},
        Some(Err(msg)) => {
            html! { <p class="status-line error" data-testid="verify-result">{ msg }</p> }
        }
        Some(Ok(r)) if r.ok() => html! {
            <p class="status-line" data-testid="verify-result" data-ok="true">{ (j.verify_ok)(r.documents, r.changes) }</p>
        },
        Some(Ok(r)) => html! {
            <>
                <p class="status-line error" data-testid="verify-result" data-ok="false">
                    { (j.verify_failed)(r.failures.len(), r.documents) }
                </p>
                <ul>{ for r.failures.iter().map(|f| html! {
                    <li data-testid="verify-failure" data-id={f.doc_id.clone()}>{ &f.problem }</li>
                }) }</ul>
            </>
        },
    };
    html! {
        <section class="panel" data-testid="panel-verify">
            <h2>{ j.verify_title }</h2>
            <p class="muted">{ j.verify_hint }</p>
            <button type="button" data-testid="verify-run" disabled={*busy} onclick={run}>{ j.verify_run }</button>
            { result }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_partner_adds_a_seizure_to_the_end_of_the_list() {
        let spec = partner_specs(RecordKind::Case)
            .into_iter()
            .find(|f| f.name == "seizures")
            .unwrap_or_else(|| panic!("cases have a 查扣清单"));
        let current = serde_json::json!([{"name": "白酒", "quantity": 1, "unit": "箱"}]);
        let mut inputs = Map::new();
        inputs.insert("name".into(), "假冒白酒".into());
        inputs.insert("quantity".into(), "3".into());
        let next = added_value(spec, Some(&current), &inputs).unwrap_or_default();
        assert_eq!(next.as_array().map(Vec::len), Some(2));
        assert_eq!(next[1]["name"], "假冒白酒");
        assert_eq!(next[1]["quantity"], 3);
    }

    #[test]
    fn a_share_shows_the_last_day_it_runs() {
        let day = NaiveDate::from_ymd_opt(2026, 12, 27).unwrap_or_default();
        let end = hongdun_core::desk::joint::share_expiry(day);
        assert_eq!(last_day(end, "不限"), "2026-12-27");
        assert_eq!(last_day(None, "不限"), "不限");
    }

    #[test]
    fn a_partner_sees_case_files_sync_and_settings_only() {
        let partner = JointStatus {
            mode: StoreMode::Partner {
                org: "GA01".into(),
                org_name: "经侦大队".into(),
            },
            records: vec![],
        };
        assert!(!shows(Some(&partner), &Page::Stats));
        assert!(shows(Some(&partner), &Page::Sync));
        assert!(!offers(Some(&partner), Some(RecordKind::Lead)));
        assert!(shows(None, &Page::Stats));
    }
}
