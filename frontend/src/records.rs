//! The record table: one row per record with its number, status and next legal
//! deadline (red when overdue, orange when due soon).

use hongdun_core::record::{DeadlineState, DeadlineView, RecordKind, RecordSummary};
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
pub struct RecordTableProps {
    pub records: Vec<RecordSummary>,
    /// True when a kind or search filter is active (changes the empty text).
    pub filtered: bool,
    /// Opens a record (its id) when its row is clicked.
    pub on_open: Callback<String>,
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
                { for props.records.iter().map(|r| record_row(r, &props.on_open)) }
            </tbody>
        </table>
    }
}

fn record_row(r: &RecordSummary, on_open: &Callback<String>) -> Html {
    let s = t();
    let id = r.id.clone();
    let on_open = on_open.clone();
    let number = match &r.number {
        Some(n) => html! { { n } },
        None => html! { <span class="none">{ s.no_number }</span> },
    };
    html! {
        <tr class="record" key={r.id.clone()} data-id={r.id.clone()} data-testid="record-row"
            onclick={move |_| on_open.emit(id.clone())}>
            <td class="number">{ number }</td>
            <td class="kind">{ (s.kind)(r.kind) }</td>
            <td class="title">
                { &r.title }
                if r.conflicts > 0 { <span class="conflict-mark">{ (s.conflict_mark)(r.conflicts) }</span> }
            </td>
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
    fn register_pages_list_work_items_but_not_directory_or_annex() {
        assert!(!FILTER_KINDS.contains(&RecordKind::Office));
        assert!(!FILTER_KINDS.contains(&RecordKind::Annex));
        let labels: Vec<_> = FILTER_KINDS.iter().map(|k| (t().kind)(*k)).collect();
        assert_eq!(
            labels,
            ["案源", "案件", "投诉", "举报", "信访", "专项行动", "检查"]
        );
    }
}
