//! A register page (案件, 投诉举报, 信访, 专项行动): kind tabs, filters, search,
//! one page of rows with the total, and the button for a new record.

use hongdun_core::desk::{ListQuery, RecordPage};
use hongdun_core::record::RecordKind;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge::{self, BridgeError};
use crate::i18n::t;
use crate::latest::Latest;
use crate::perf;
use crate::records::RecordTable;
use crate::route::{Page, Section};

/// Rows per page: enough to fill the laptop's screen twice, few enough to
/// render within a keystroke.
pub const PAGE_ROWS: usize = 100;

#[derive(Properties, PartialEq)]
pub struct RegisterProps {
    pub section: Section,
    pub kind: RecordKind,
}

#[function_component(Register)]
pub fn register(props: &RegisterProps) -> Html {
    let s = t();
    let desk = use_desk();
    let text = use_state(String::new);
    let open_only = use_state(|| false);
    let overdue = use_state(|| false);
    let offset = use_state(|| 0usize);
    let rows = use_state(|| None::<Result<RecordPage, BridgeError>>);
    let latest = use_memo((), |_| Latest::default());
    let kind = props.kind;

    {
        let rows = rows.clone();
        let latest = (*latest).clone();
        use_effect_with(
            (
                kind,
                (*text).clone(),
                *open_only,
                *overdue,
                *offset,
                desk.changed,
            ),
            move |(kind, text, open_only, overdue, offset, _)| {
                let query = ListQuery {
                    kind: Some(*kind),
                    text: Some(text.trim().to_string()).filter(|t| !t.is_empty()),
                    open_only: *open_only,
                    overdue: *overdue,
                    limit: Some(PAGE_ROWS),
                    offset: *offset,
                    ..ListQuery::default()
                };
                // Answers to fast typing can arrive out of order: only the
                // latest request may update the table.
                let ticket = latest.issue();
                let input = perf::take_input();
                wasm_bindgen_futures::spawn_local(async move {
                    let result = bridge::list_page(query).await;
                    if latest.is_current(ticket) {
                        perf::answered(input, result.as_ref().map_or(0, |p| p.rows.len()));
                        rows.set(Some(result));
                    }
                });
            },
        );
    }

    // Rows shown: the input that asked for them is timed to this frame.
    use_effect(perf::rendered);

    let partner = !super::sharing::offers(desk.joint.as_ref(), None);
    let tabs = props
        .section
        .kinds()
        .iter()
        .filter(|&&k| super::sharing::offers(desk.joint.as_ref(), Some(k)))
        .map(|&k| {
            let go = desk.go.clone();
            let section = props.section;
            let offset = offset.clone();
            html! {
                <button type="button" class={classes!("tab", (k == kind).then_some("active"))}
                        data-testid={format!("tab-{k}")}
                        onclick={move |_| {
                            if k != kind {
                                perf::input("tab", k.to_string());
                            }
                            offset.set(0);
                            go.emit(Page::Register(section, k))
                        }}>
                    { (s.kind_register)(k) }
                </button>
            }
        });
    let on_search = {
        let text = text.clone();
        let offset = offset.clone();
        move |e: InputEvent| {
            let value = e.target_unchecked_into::<HtmlInputElement>().value();
            perf::input("search", format!("{kind}:{value}"));
            offset.set(0);
            text.set(value);
        }
    };
    let toggle = |state: &UseStateHandle<bool>, what: &'static str| {
        let state = state.clone();
        let offset = offset.clone();
        move |_| {
            perf::input(what, kind.to_string());
            offset.set(0);
            state.set(!*state);
        }
    };
    let new = {
        let go = desk.go.clone();
        move |_| go.emit(Page::New(kind))
    };
    let open = {
        let go = desk.go.clone();
        Callback::from(move |id: String| go.emit(Page::Record(id)))
    };
    let filtered = *open_only || *overdue || !text.trim().is_empty();
    let (body, pager) = match &*rows {
        None => (html! { <div class="empty">{ s.loading }</div> }, html! {}),
        Some(Err(e)) => (status_line(&e.message(), true), html! {}),
        Some(Ok(page)) => {
            let shown_to = *offset + page.rows.len();
            let prev = {
                let offset = offset.clone();
                move |_| offset.set(offset.saturating_sub(PAGE_ROWS))
            };
            let next = {
                let offset = offset.clone();
                move |_| offset.set(*offset + PAGE_ROWS)
            };
            (
                html! { <RecordTable records={page.rows.clone()} {filtered} on_open={open} /> },
                html! {
                    <div class="pager">
                        <span data-testid="count" class="count">
                            { (s.range)(if page.rows.is_empty() { 0 } else { *offset + 1 }, shown_to, page.total, page.capped) }
                        </span>
                        <button type="button" disabled={*offset == 0} onclick={prev}>{ s.prev_page }</button>
                        <button type="button" disabled={shown_to >= page.total && !page.capped} onclick={next}>{ s.next_page }</button>
                    </div>
                },
            )
        }
    };
    html! {
        <div class="register" data-testid={format!("page-{}", props.section.slug())}>
            <div class="toolbar">
                <div class="tabs">{ for tabs }</div>
                <input data-testid="search" id="search" type="search" placeholder={s.search_placeholder}
                       value={(*text).clone()} oninput={on_search} />
                <label class="check">
                    <input type="checkbox" data-testid="filter-open" checked={*open_only}
                           onclick={toggle(&open_only, "filter-open")} />{ s.filter_open }
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="filter-overdue" checked={*overdue}
                           onclick={toggle(&overdue, "filter-overdue")} />{ s.filter_overdue }
                </label>
                <span class="spacer"></span>
                if !partner {
                <button type="button" class="primary" data-testid={format!("new-{kind}")} onclick={new}>
                    { (s.new_record)(kind) }
                </button>
                }
            </div>
            { body }
            { pager }
        </div>
    }
}
