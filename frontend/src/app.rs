//! The desk: the office header and its record list.

use std::cell::Cell;
use std::rc::Rc;

use hongdun_core::record::{RecordKind, RecordSummary};
use yew::prelude::*;

use crate::bridge::{self, BridgeError, ListQuery, OfficeInfo};
use crate::i18n::t;
use crate::records::{FilterBar, RecordTable};

/// How many rows one list call returns; the count line says when there are more.
const PAGE: usize = 1000;

#[derive(Debug, Clone, PartialEq)]
enum Load<T> {
    Loading,
    Ready(T),
    Failed(BridgeError),
}

#[function_component(App)]
pub fn app() -> Html {
    let s = t();
    let office = use_state(|| Load::<Option<OfficeInfo>>::Loading);
    let records = use_state(|| Load::<Vec<RecordSummary>>::Loading);
    let kind = use_state(|| None::<RecordKind>);
    let text = use_state(String::new);
    // Answers to fast typing can arrive out of order: only the latest request
    // may update the table.
    let generation = use_mut_ref(|| Rc::new(Cell::new(0u64)));

    {
        let office = office.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                office.set(match bridge::office_info().await {
                    Ok(info) => Load::Ready(info),
                    Err(err) => Load::Failed(err),
                });
            });
        });
    }

    {
        let records = records.clone();
        let generation = generation.borrow().clone();
        use_effect_with(((*kind), (*text).clone()), move |(kind, text)| {
            let query = ListQuery {
                kind: *kind,
                text: Some(text.trim().to_string()).filter(|t| !t.is_empty()),
                limit: Some(PAGE),
                ..ListQuery::default()
            };
            let mine = generation.get() + 1;
            generation.set(mine);
            wasm_bindgen_futures::spawn_local(async move {
                let result = bridge::list_records(&query).await;
                if generation.get() == mine {
                    records.set(match result {
                        Ok(rows) => Load::Ready(rows),
                        Err(err) => Load::Failed(err),
                    });
                }
            });
        });
    }

    if let Load::Failed(BridgeError::NotConnected) = *office {
        return notice("not-connected", s.not_connected_title, s.not_connected_body);
    }

    let header = match &*office {
        Load::Ready(Some(info)) => html! {
            <>
                <span id="office-name" class="office">{ &info.name }</span>
                <span class="office-code">{ &info.code }</span>
            </>
        },
        Load::Ready(None) => html! { <span id="office-name" class="office">{ s.no_office }</span> },
        Load::Loading | Load::Failed(_) => html! {},
    };

    let filtered = kind.is_some() || !text.trim().is_empty();
    let count = match &*records {
        Load::Ready(rows) if rows.len() >= PAGE => Some(format!(
            "{}，{}",
            (s.count)(rows.len()),
            (s.truncated)(PAGE)
        )),
        Load::Ready(rows) => Some((s.count)(rows.len())),
        _ => None,
    };
    let body = match &*records {
        Load::Loading => html! { <div class="empty">{ s.loading }</div> },
        Load::Failed(BridgeError::Command(msg)) => notice("error", s.error_title, msg),
        Load::Failed(BridgeError::NotConnected) => {
            notice("not-connected", s.not_connected_title, s.not_connected_body)
        }
        Load::Ready(rows) => html! { <RecordTable records={rows.clone()} {filtered} /> },
    };

    let on_kind = {
        let kind = kind.clone();
        Callback::from(move |k| kind.set(k))
    };
    let on_text = {
        let text = text.clone();
        Callback::from(move |v| text.set(v))
    };

    html! {
        <>
            <header class="desk">
                <span class="brand">{ s.brand }</span>
                { header }
            </header>
            <main>
                if matches!(*office, Load::Ready(None)) {
                    <div class="notice"><p>{ s.no_office_hint }</p></div>
                }
                <FilterBar kind={*kind} text={(*text).clone()} {on_kind} {on_text} {count} />
                { body }
            </main>
        </>
    }
}

fn notice(id: &'static str, title: &str, body: &str) -> Html {
    html! {
        <div {id} class="notice">
            <h2>{ title }</h2>
            <p>{ body }</p>
        </div>
    }
}
