//! 工作台: my items, overdue and due-soon deadlines by kind, today's 接访
//! duty and the sync state.

use hongdun_core::desk::{Dashboard, DeadlineRow, KindDeadlines};
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge;
use crate::i18n::t;
use crate::perf;
use crate::records::{deadline_class, RecordTable};
use crate::route::Page;

#[function_component(Workbench)]
pub fn workbench() -> Html {
    let s = t();
    let desk = use_desk();
    let data = use_state(|| None::<Result<Dashboard, bridge::BridgeError>>);
    {
        let data = data.clone();
        use_effect_with(desk.changed, move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                data.set(Some(bridge::dashboard().await));
            });
        });
    }
    // The first 工作台 with its figures is when the desk becomes usable.
    use_effect_with(matches!(&*data, Some(Ok(_))), |ready| {
        if *ready {
            perf::mark_once("workbench", || {
                // The shell logs the start-up time; nothing to show if it fails.
                wasm_bindgen_futures::spawn_local(async {
                    let _ = bridge::desk_ready().await;
                });
            });
        }
    });
    let dash = match &*data {
        None => return html! { <div class="empty">{ s.loading }</div> },
        Some(Err(e)) => return status_line(&e.message(), true),
        Some(Ok(d)) => d,
    };
    let open = {
        let go = desk.go.clone();
        Callback::from(move |id: String| go.emit(Page::Record(id)))
    };
    let duty = if dash.duty_today.is_empty() {
        html! { <p class="none">{ s.no_duty_today }</p> }
    } else {
        html! {
            <ul>
                { for dash.duty_today.iter().map(|d| html! {
                    <li>{ (s.duty_line)(&d.leader, d.place.as_deref().unwrap_or(""), &d.staff.join("、")) }</li>
                }) }
            </ul>
        }
    };
    let next_duty = dash.duty_next.iter().map(|d| {
        html! { <li>{ d.date.to_string() }{ " " }{ &d.leader }</li> }
    });
    html! {
        <div class="workbench" data-testid="page-dashboard">
            <div class="columns">
                <section class="panel" data-testid="dash-overdue">
                    <h2 class="overdue">{ s.overdue_title }</h2>
                    { deadline_groups(&dash.overdue, &open) }
                </section>
                <section class="panel" data-testid="dash-due-soon">
                    <h2 class="due-soon">{ s.due_soon_title }</h2>
                    { deadline_groups(&dash.due_soon, &open) }
                </section>
                <section class="panel narrow">
                    <h2>{ s.duty_title }</h2>
                    <div data-testid="dash-duty">{ duty }</div>
                    if !dash.duty_next.is_empty() {
                        <h3>{ s.duty_next }</h3>
                        <ul class="small">{ for next_duty }</ul>
                    }
                    <h2>{ s.sync_title }</h2>
                    <p data-testid="dash-sync">{ (s.sync_summary)(&dash.sync) }</p>
                </section>
            </div>
            <section class="panel" data-testid="dash-mine">
                <h2>{ (s.my_items_title)(dash.user.as_deref(), dash.my_items_total) }</h2>
                <RecordTable records={dash.my_items.clone()} filtered={false} on_open={open.clone()} />
            </section>
        </div>
    }
}

fn deadline_groups(groups: &[KindDeadlines], open: &Callback<String>) -> Html {
    let s = t();
    if groups.iter().all(|g| g.count == 0) {
        return html! { <p class="none">{ s.nothing_due }</p> };
    }
    html! {
        <>
            { for groups.iter().filter(|g| g.count > 0).map(|g| html! {
                <div class="kind-group">
                    <h3>{ (s.kind)(g.kind) }{ " " }<span class="count-badge">{ g.count }</span></h3>
                    <table class="records compact">
                        <tbody>{ for g.rows.iter().map(|r| deadline_row(r, open)) }</tbody>
                    </table>
                </div>
            }) }
        </>
    }
}

fn deadline_row(r: &DeadlineRow, open: &Callback<String>) -> Html {
    let s = t();
    let id = r.id.clone();
    let open = open.clone();
    let d = &r.deadline;
    html! {
        <tr class="record" data-testid="dash-deadline-row" data-id={r.id.clone()}
            onclick={move |_| open.emit(id.clone())}>
            <td class="title">{ &r.title }</td>
            <td title={d.basis.clone()}>{ &d.name }</td>
            <td class={classes!("deadline", deadline_class(d.state))}>
                { d.due.to_string() }{ " " }{ (s.days_left)(d.days_left) }
            </td>
        </tr>
    }
}
