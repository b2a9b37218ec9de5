//! The record list: kind filter, search box and the table of records with their
//! next legal deadline.

use hongdun_core::record::{DeadlineState, DeadlineView, RecordKind, RecordSummary};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::i18n::t;

/// The kinds a clerk filters by, in the order of the filter bar. The office
/// directory and confidential annexes are not work items and never listed.
pub const FILTER_KINDS: [RecordKind; 7] = [
    RecordKind::Lead,
    RecordKind::Case,
    RecordKind::Complaint,
    RecordKind::Report,
    RecordKind::Petition,
    RecordKind::Campaign,
    RecordKind::Inspection,
];

/// CSS class for a deadline: red when overdue, orange when due soon, grey when
/// the clock is paused.
pub fn deadline_class(state: DeadlineState) -> &'static str {
    match state {
        DeadlineState::Overdue => "overdue",
        DeadlineState::DueSoon => "due-soon",
        DeadlineState::Paused => "paused",
        DeadlineState::OnTime => "on-time",
        DeadlineState::Met => "met",
    }
}

#[derive(Properties, PartialEq)]
pub struct FilterBarProps {
    pub kind: Option<RecordKind>,
    pub text: String,
    pub on_kind: Callback<Option<RecordKind>>,
    pub on_text: Callback<String>,
    /// Already formatted count line, e.g. "共 50 条记录".
    pub count: Option<String>,
}

#[function_component(FilterBar)]
pub fn filter_bar(props: &FilterBarProps) -> Html {
    let s = t();
    let button = |kind: Option<RecordKind>, label: &'static str| {
        let on_kind = props.on_kind.clone();
        let class = classes!("kind", (props.kind == kind).then_some("active"));
        let value = kind.map(RecordKind::as_str).unwrap_or("all");
        html! {
            <button type="button" {class} data-kind={value} onclick={move |_| on_kind.emit(kind)}>
                { label }
            </button>
        }
    };
    let on_input = {
        let on_text = props.on_text.clone();
        move |e: InputEvent| on_text.emit(e.target_unchecked_into::<HtmlInputElement>().value())
    };
    html! {
        <div class="toolbar">
            <div class="kinds" role="group">
                { button(None, s.filter_all) }
                { for FILTER_KINDS.iter().map(|&k| button(Some(k), (s.kind)(k))) }
            </div>
            <input id="search" type="search" placeholder={s.search_placeholder}
                   value={props.text.clone()} oninput={on_input} />
            if let Some(count) = &props.count {
                <span id="count" class="count">{ count }</span>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct RecordTableProps {
    pub records: Vec<RecordSummary>,
    /// True when a kind or search filter is active (changes the empty text).
    pub filtered: bool,
}

#[function_component(RecordTable)]
pub fn record_table(props: &RecordTableProps) -> Html {
    let s = t();
    if props.records.is_empty() {
        let text = if props.filtered {
            s.empty_filtered
        } else {
            s.empty
        };
        return html! { <div id="empty-state" class="empty">{ text }</div> };
    }
    html! {
        <table id="records" class="records">
            <thead>
                <tr>
                    <th>{ s.col_number }</th>
                    <th>{ s.col_kind }</th>
                    <th>{ s.col_title }</th>
                    <th>{ s.col_status }</th>
                    <th>{ s.col_next_deadline }</th>
                </tr>
            </thead>
            <tbody>
                { for props.records.iter().map(record_row) }
            </tbody>
        </table>
    }
}

fn record_row(r: &RecordSummary) -> Html {
    let s = t();
    let number = match &r.number {
        Some(n) => html! { { n } },
        None => html! { <span class="none">{ s.no_number }</span> },
    };
    html! {
        <tr class="record" key={r.id.clone()} data-id={r.id.clone()}>
            <td class="number">{ number }</td>
            <td class="kind">{ (s.kind)(r.kind) }</td>
            <td class="title">{ &r.title }</td>
            <td class="status" data-status={r.status.clone()}>{ &r.status_label }</td>
            <td>{ deadline_cell(r.next_deadline.as_ref()) }</td>
        </tr>
    }
}

fn deadline_cell(d: Option<&DeadlineView>) -> Html {
    let s = t();
    let Some(d) = d else {
        return html! { <span class="none">{ s.no_deadline }</span> };
    };
    html! {
        <span class={classes!("deadline", deadline_class(d.state))} title={d.basis.clone()}>
            { &d.name }{ " " }
            <span class="due">{ d.due.to_string() }</span>
            if d.provisional {
                <span class="provisional">{ s.provisional }</span>
            }
            { " · " }{ (s.deadline_state)(d.state) }
        </span>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overdue_is_red_due_soon_orange_paused_grey() {
        assert_eq!(deadline_class(DeadlineState::Overdue), "overdue");
        assert_eq!(deadline_class(DeadlineState::DueSoon), "due-soon");
        assert_eq!(deadline_class(DeadlineState::Paused), "paused");
    }

    #[test]
    fn filter_bar_lists_work_items_but_not_directory_or_annex() {
        assert!(!FILTER_KINDS.contains(&RecordKind::Office));
        assert!(!FILTER_KINDS.contains(&RecordKind::Annex));
        let labels: Vec<_> = FILTER_KINDS.iter().map(|k| (t().kind)(*k)).collect();
        assert_eq!(
            labels,
            ["案源", "案件", "投诉", "举报", "信访", "专项行动", "检查"]
        );
    }
}
