//! 统计: the office's month at a glance — what was received, filed, decided
//! and closed this month, what is open and overdue now. (The full monthly
//! bulletin is a page of its own.)

use hongdun_core::desk::MonthGlance;
use hongdun_core::record::RecordKind;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge::{self, BridgeError};
use crate::i18n::t;

#[function_component(Stats)]
pub fn stats() -> Html {
    let s = t();
    let desk = use_desk();
    let month = use_state(|| None::<String>);
    let data = use_state(|| None::<Result<MonthGlance, BridgeError>>);
    {
        let data = data.clone();
        use_effect_with(((*month).clone(), desk.changed), move |(month, _)| {
            let month = month.clone();
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(bridge::month_glance(month).await));
            });
        });
    }
    let g = match &*data {
        None => return html! { <div class="empty">{ s.loading }</div> },
        Some(Err(e)) => return status_line(&e.message(), true),
        Some(Ok(g)) => g,
    };
    let on_month = {
        let month = month.clone();
        move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            month.set(Some(v).filter(|v| !v.is_empty()));
        }
    };
    let kinds: Vec<RecordKind> = crate::records::FILTER_KINDS.to_vec();
    let whats: Vec<&str> = {
        let mut w: Vec<&str> = g.counts.iter().map(|c| c.what.as_str()).collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    let count = |k: RecordKind, what: &str| {
        g.counts
            .iter()
            .find(|c| c.kind == k && c.what == what)
            .map(|c| c.count)
            .unwrap_or(0)
    };
    let open = |k: RecordKind| {
        g.open_now
            .iter()
            .find(|(kk, _)| *kk == k)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    };
    html! {
        <div class="stats" data-testid="page-stats">
            <div class="page-head">
                <h1>{ (s.month_title)(&g.month) }</h1>
                <input type="month" data-testid="stats-month" value={g.month.clone()} onchange={on_month} />
                <span class="muted">{ format!("{} — {}", g.from, g.to) }</span>
            </div>
            <p data-testid="stats-overdue" class={classes!((g.overdue_now > 0).then_some("overdue"))}>
                { (s.overdue_now)(g.overdue_now) }
            </p>
            <table class="records" data-testid="stats-table">
                <thead><tr>
                    <th>{ s.col_kind }</th>
                    { for whats.iter().map(|w| html! { <th>{ (s.date_key)(w) }</th> }) }
                    <th>{ s.open_now }</th>
                </tr></thead>
                <tbody>{ for kinds.iter().map(|&k| html! {
                    <tr>
                        <th>{ (s.kind)(k) }</th>
                        { for whats.iter().map(|w| html! { <td class="num">{ count(k, w) }</td> }) }
                        <td class="num">{ open(k) }</td>
                    </tr>
                }) }</tbody>
            </table>
        </div>
    }
}
