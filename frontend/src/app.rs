//! The desk's frame: header with the office and sync state, the navigation on
//! the left, the current page on the right. Sized for a 1366×768 laptop.
//!
//! The frame listens to the shell's sync events once and hands the latest
//! [`SyncState`] and a "records changed" counter to every page through the
//! [`Desk`] context, so pages reload after a sync brought new records.

use hongdun_core::desk::commands::{RECORDS_CHANGED_EVENT, SYNC_STATE_EVENT};
use hongdun_core::desk::{OfficeInfo, SyncPhase, SyncState};
use hongdun_core::record::RecordKind;
use yew::prelude::*;

use crate::bridge::{self, BridgeError};
use crate::i18n::t;
use crate::pages;
use crate::route::{is_current, nav, Page};

/// What every page may use: navigation, the office, sync state.
#[derive(Clone, PartialEq)]
pub struct Desk {
    pub go: Callback<Page>,
    pub office: Option<OfficeInfo>,
    pub sync: SyncState,
    /// Bumped whenever records changed underneath the pages (a sync).
    pub changed: u32,
    /// The record page reports its kind so the navigation highlights it.
    pub record_kind: Callback<RecordKind>,
    /// Reload the office (after 设置 changed it).
    pub reload_office: Callback<()>,
    /// Office or partner mode (联合办案), read again after each sync.
    pub joint: Option<hongdun_core::desk::joint::JointStatus>,
}

#[function_component(App)]
pub fn app() -> Html {
    let s = t();
    let page = use_state(|| Page::Workbench);
    let office = use_state(|| None::<Result<Option<OfficeInfo>, BridgeError>>);
    let office_gen = use_state(|| 0u32);
    let sync = use_state(SyncState::default);
    let changed = use_state(|| 0u32);
    let record_kind = use_state(|| None::<RecordKind>);
    let joint = pages::sharing::use_joint_status(*changed);

    {
        let office = office.clone();
        use_effect_with(*office_gen, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                office.set(Some(bridge::office_info().await));
            });
        });
    }
    {
        let sync = sync.clone();
        let changed = changed.clone();
        use_effect_with((), move |_| {
            let first = sync.clone();
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(state) = bridge::sync_state().await {
                    first.set(state);
                }
            });
            bridge::listen::<SyncState>(SYNC_STATE_EVENT, move |state| sync.set(state));
            // The counter is read through a handle that stays current.
            let counter = std::rc::Rc::new(std::cell::Cell::new(0u32));
            bridge::listen::<usize>(RECORDS_CHANGED_EVENT, move |_| {
                counter.set(counter.get() + 1);
                changed.set(counter.get());
            });
        });
    }

    if let Some(Err(BridgeError::NotConnected)) = &*office {
        return html! {
            <div id="not-connected" class="notice">
                <h2>{ s.not_connected_title }</h2>
                <p>{ s.not_connected_body }</p>
            </div>
        };
    }

    let go = {
        let page = page.clone();
        let record_kind = record_kind.clone();
        Callback::from(move |p: Page| {
            if !matches!(p, Page::Record(_)) {
                record_kind.set(None);
            }
            page.set(p);
        })
    };
    let desk = Desk {
        go: go.clone(),
        office: office.as_ref().and_then(|o| o.clone().ok()).flatten(),
        sync: (*sync).clone(),
        changed: *changed,
        record_kind: {
            let record_kind = record_kind.clone();
            Callback::from(move |k| record_kind.set(Some(k)))
        },
        reload_office: {
            let office_gen = office_gen.clone();
            Callback::from(move |_| office_gen.set(*office_gen + 1))
        },
        joint: joint.clone(),
    };

    let office_line = match &desk.office {
        Some(info) => html! {
            <>
                <span id="office-name" class="office">{ &info.name }</span>
                <span class="office-code">{ &info.code }</span>
            </>
        },
        None if office.is_some() => {
            html! { <span id="office-name" class="office">{ s.no_office }</span> }
        }
        None => html! {},
    };

    let nav_items = nav()
        .into_iter()
        .filter(|e| pages::sharing::shows(joint.as_ref(), &e.page))
        .map(|entry| {
            let current = is_current(&entry.page, &page, *record_kind);
            let target = entry.page.clone();
            let go = go.clone();
            html! {
                <li>
                    <button type="button" class={classes!(current.then_some("current"))}
                            data-testid={entry.testid}
                            onclick={move |_| go.emit(target.clone())}>
                        { (s.nav)(&entry.page) }
                    </button>
                </li>
            }
        });

    let body = match &*page {
        Page::Workbench => html! { <pages::workbench::Workbench /> },
        Page::Register(section, kind) => {
            html! { <pages::register::Register section={*section} kind={*kind} /> }
        }
        Page::New(kind) => html! { <pages::new_record::NewRecord kind={*kind} /> },
        Page::Record(id) => html! { <pages::record::RecordPage id={id.clone()} /> },
        Page::Stats => html! { <pages::stats::Stats /> },
        Page::Sync => html! { <pages::sync::SyncPage /> },
        Page::Settings => html! { <pages::settings::SettingsPage /> },
    };

    html! {
        <ContextProvider<Desk> context={desk.clone()}>
            <header class="desk">
                <span class="brand">{ s.brand }</span>
                { office_line }
                <span class="spacer"></span>
                <SyncBadge sync={desk.sync.clone()} />
            </header>
            <pages::sharing::PartnerBanner joint={joint.clone()} go={go.clone()} />
            <div class="frame">
                <nav class="side"><ul>{ for nav_items }</ul></nav>
                <main>{ body }</main>
            </div>
        </ContextProvider<Desk>>
    }
}

#[derive(Properties, PartialEq)]
struct SyncBadgeProps {
    sync: SyncState,
}

/// The header's one-line sync state.
#[function_component(SyncBadge)]
fn sync_badge(props: &SyncBadgeProps) -> Html {
    let s = t();
    let st = &props.sync;
    let (class, text) = match (st.phase, &st.problem) {
        (SyncPhase::NotConfigured, _) => ("off", s.sync_not_configured.to_string()),
        (SyncPhase::Running, _) => ("running", s.sync_running.to_string()),
        (_, Some(_)) => ("failed", s.sync_failed_short.to_string()),
        (SyncPhase::Idle, None) => ("ok", (s.sync_pending)(st.status.pending_documents)),
    };
    html! {
        <span data-testid="sync-badge" class={classes!("sync-badge", class)}>{ text }</span>
    }
}
