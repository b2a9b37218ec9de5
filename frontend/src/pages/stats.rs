//! 统计: the office's bulletin (通报) for a month, quarter, half year, year or
//! year to date — figures with 同比 and 环比, breakdowns, the generated summary,
//! the three charts (the same SVG the exported files embed), drill-down to the
//! records behind a figure, export to .xlsx/.docx/.csv/.json — and below it
//! the month at a glance (what is open and overdue now).
//!
//! On a device enrolled for the central bureau the page also offers 各单位汇总:
//! the relay's consolidated bulletin and, per office, its figures beside its
//! sync health, so an office whose figures may be incomplete is obvious.

use hongdun_core::desk::{MonthGlance, RecordView};
use hongdun_core::record::RecordKind;
use hongdun_core::stats::comparison::STALE_AFTER_DAYS;
use hongdun_core::stats::{
    figures::wan_yuan, svg, Bulletin, ChartKind, ExportFormat, Figure, Finance, OfficeComparison,
    OfficeComparisonRow,
};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{status_line, use_desk};
use crate::bridge::{self, BridgeError};
use crate::i18n::t;
use crate::route::Page;

/// The kinds of period the chooser offers, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeriodKind {
    Month,
    Quarter,
    Half,
    Year,
    YearToDate,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 5] = [
        PeriodKind::Month,
        PeriodKind::Quarter,
        PeriodKind::Half,
        PeriodKind::Year,
        PeriodKind::YearToDate,
    ];

    fn index(self) -> usize {
        PeriodKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }
}

/// The period code (as `Period::parse` reads it) of the period of `kind`
/// holding `month` ("YYYY-MM"); None when `month` is not a month.
pub fn period_code(kind: PeriodKind, month: &str) -> Option<String> {
    let (y, m) = month.split_once('-')?;
    let year: i32 = y.parse().ok()?;
    let m: u32 = m.parse().ok()?;
    if !(1..=12).contains(&m) || y.len() != 4 {
        return None;
    }
    Some(match kind {
        PeriodKind::Month => format!("{year}-{m:02}"),
        PeriodKind::Quarter => format!("{year}-Q{}", (m - 1) / 3 + 1),
        PeriodKind::Half => format!("{year}-H{}", (m - 1) / 6 + 1),
        PeriodKind::Year => format!("{year}"),
        PeriodKind::YearToDate => format!("{year}-{m:02}-ytd"),
    })
}

fn chart_slug(kind: ChartKind) -> &'static str {
    match kind {
        ChartKind::Trend => "trend",
        ChartKind::ByType => "by-type",
        ChartKind::ByOffice => "by-office",
    }
}

/// At most this many records are listed under a figure.
const DRILL_LIMIT: usize = 50;

#[function_component(Stats)]
pub fn stats() -> Html {
    let s = t();
    // Bureau devices start on the consolidated view and may switch.
    let bureau_device = use_state(|| false);
    let bureau = use_state(|| false);
    {
        let (bureau_device, bureau) = (bureau_device.clone(), bureau.clone());
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(st) = bridge::settings().await {
                    let is_bureau = st.org_kind.as_deref() == Some("bureau")
                        || st.role.as_deref() == Some("bureau");
                    bureau_device.set(is_bureau);
                    bureau.set(is_bureau);
                }
            });
        });
    }
    let pick = |to: bool| {
        let bureau = bureau.clone();
        move |_: MouseEvent| bureau.set(to)
    };
    html! {
        <div class="stats" data-testid="page-stats">
            if *bureau_device {
                <div class="tabs" data-testid="stats-scope">
                    <button type="button" data-testid="stats-scope-office"
                            class={classes!((!*bureau).then_some("active"))} onclick={pick(false)}>
                        { s.scope_office }
                    </button>
                    <button type="button" data-testid="stats-scope-bureau"
                            class={classes!((*bureau).then_some("active"))} onclick={pick(true)}>
                        { s.scope_bureau }
                    </button>
                </div>
            }
            <BulletinView bureau={*bureau} />
            if !*bureau {
                <MonthGlancePanel />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct BulletinProps {
    /// The relay's consolidated bulletin instead of this office's own.
    bureau: bool,
}

/// A bulletin, with the per-office comparison when it is the bureau's.
type Loaded = (Bulletin, Option<OfficeComparison>);

#[function_component(BulletinView)]
fn bulletin_view(props: &BulletinProps) -> Html {
    let s = t();
    let desk = use_desk();
    let kind = use_state(|| PeriodKind::Month);
    let month = use_state(|| None::<String>);
    let data = use_state(|| None::<Result<Loaded, BridgeError>>);
    let drill = use_state(|| None::<(String, Vec<String>)>);
    let status = use_state(|| (String::new(), false));
    let code = month.as_deref().and_then(|m| period_code(*kind, m));
    {
        let data = data.clone();
        use_effect_with(
            (code.clone(), desk.changed, props.bureau),
            move |(code, _, bureau)| {
                let (code, bureau) = (code.clone(), *bureau);
                data.set(None);
                wasm_bindgen_futures::spawn_local(async move {
                    let got = if bureau {
                        bridge::bureau_bulletin(code)
                            .await
                            .map(|bb| (bb.bulletin, Some(bb.comparison)))
                    } else {
                        bridge::office_bulletin(code).await.map(|b| (b, None))
                    };
                    data.set(Some(got));
                });
            },
        );
    }
    let (b, comparison) = match &*data {
        None => return html! { <div class="empty">{ s.loading }</div> },
        Some(Err(e)) => return status_line(&e.message(), true),
        Some(Ok((b, c))) => (b, c),
    };
    let shown_month = month
        .as_ref()
        .cloned()
        .unwrap_or_else(|| b.period.end().format("%Y-%m").to_string());
    let on_kind = {
        let kind = kind.clone();
        let month = month.clone();
        let shown_month = shown_month.clone();
        move |e: Event| {
            let i: usize = e
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0);
            kind.set(PeriodKind::ALL.get(i).copied().unwrap_or(PeriodKind::Month));
            month.set(Some(shown_month.clone()));
        }
    };
    let on_month = {
        let month = month.clone();
        move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            month.set(Some(v).filter(|v| !v.is_empty()));
        }
    };
    let open_figure = {
        let drill = drill.clone();
        Callback::from(move |f: (String, Vec<String>)| drill.set(Some(f)))
    };
    let bureau = props.bureau;
    let export = |format: ExportFormat| {
        let status = status.clone();
        let code = Some(b.period.code());
        Callback::from(move |_: MouseEvent| {
            let status = status.clone();
            let code = code.clone();
            status.set(((s.exporting)(format.extension()), false));
            wasm_bindgen_futures::spawn_local(async move {
                match bridge::export_bulletin(code, format, bureau).await {
                    Ok(path) => status.set(((s.exported)(&path), false)),
                    Err(e) => status.set((e.message(), true)),
                }
            });
        })
    };
    html! {
        <section class="bulletin">
            <div class="page-head">
                <h1 data-testid="stats-title">{ (s.bulletin_title)(&b.period_label) }</h1>
                <select data-testid="stats-period" onchange={on_kind}>
                    { for PeriodKind::ALL.iter().map(|k| html! {
                        <option value={k.index().to_string()} selected={*k == *kind}>
                            { s.period_kinds[k.index()] }
                        </option>
                    }) }
                </select>
                <input type="month" data-testid="stats-period-month" value={shown_month} onchange={on_month} />
                { for ExportFormat::ALL.iter().map(|&f| html! {
                    <button data-testid={format!("stats-export-{}", f.extension())} onclick={export(f)}>
                        { (s.export_button)(f.extension()) }
                    </button>
                }) }
            </div>
            <div data-testid="stats-status" class={classes!("status-line", status.1.then_some("error"))}>
                { status.0.clone() }
            </div>
            <h2>{ s.summary_title }</h2>
            <p class="summary" data-testid="stats-summary">{ b.summary.clone() }</p>
            // The bureau reads first who is behind: stale offices' figures may be incomplete.
            { comparison.as_ref().map(comparison_view).unwrap_or_default() }
            { for b.sections.iter().map(|sec| html! {
                <div class="bulletin-section" data-testid={format!("stats-section-{}", sec.key)}>
                    <h2>{ sec.title.clone() }</h2>
                    <table class="records figures">
                        <thead><tr>
                            <th>{ s.col_figure }</th><th>{ s.col_value }</th>
                            <th>{ s.col_yoy }</th><th>{ s.col_mom }</th>
                        </tr></thead>
                        <tbody>{ for sec.figures.iter().map(|f| figure_row(f, &open_figure)) }</tbody>
                    </table>
                    { for sec.breakdowns.iter().map(|bd| html! {
                        <table class="records breakdown" data-testid={format!("stats-breakdown-{}", bd.key)}>
                            <thead><tr><th>{ bd.title.clone() }</th><th>{ s.col_count }</th></tr></thead>
                            <tbody>{ for bd.rows.iter().map(|r| {
                                let open = open_figure.clone();
                                let pick = (format!("{} · {}", bd.title, r.label), r.records.clone());
                                html! {
                                    <tr class="clickable" onclick={move |_| open.emit(pick.clone())}>
                                        <td>{ r.label.clone() }</td><td class="num">{ r.value }</td>
                                    </tr>
                                }
                            }) }</tbody>
                        </table>
                    }) }
                </div>
            }) }
            if let Some((label, ids)) = &*drill {
                <RecordList label={label.clone()} ids={ids.clone()} />
            }
            { b.finance.as_ref().map(finance_view).unwrap_or_default() }
            <h2>{ s.charts_title }</h2>
            <div class="charts">
                { for ChartKind::ALL.iter().map(|&k| html! {
                    <figure class="chart" data-testid={format!("stats-chart-{}", chart_slug(k))}>
                        { Html::from_html_unchecked(AttrValue::from(svg(b, k))) }
                    </figure>
                }) }
            </div>
        </section>
    }
}

/// Each office's main figures beside its sync health, by office code.
fn comparison_view(c: &OfficeComparison) -> Html {
    let s = t();
    html! {
        <div class="comparison" data-testid="stats-comparison">
            <h2>{ s.comparison_title }</h2>
            <p class="muted small">{ s.comparison_note }</p>
            <table class="records figures">
                <thead><tr>
                    <th>{ s.cmp_office }</th>
                    <th>{ s.cmp_filed }</th><th>{ s.cmp_closed }</th>
                    <th>{ s.cmp_decided }</th><th>{ s.cmp_treasury }</th>
                    <th>{ s.cmp_complaints }</th><th>{ s.cmp_reports }</th>
                    <th>{ s.cmp_petitions }</th><th>{ s.cmp_inspections }</th>
                    <th>{ s.cmp_last_sync }</th><th>{ s.cmp_health }</th>
                </tr></thead>
                <tbody>{ for c.rows.iter().map(comparison_row) }</tbody>
            </table>
        </div>
    }
}

fn comparison_row(r: &OfficeComparisonRow) -> Html {
    let s = t();
    let f = &r.figures;
    let h = &r.health;
    let last = match (h.last_sync_at, h.days_since_sync) {
        (Some(at), Some(days)) => format!(
            "{}（{}）",
            super::record::local_time(at),
            (s.days_ago)(days)
        ),
        _ => s.never_synced.to_string(),
    };
    let mut health = if h.stale {
        (s.stale_mark)(STALE_AFTER_DAYS)
    } else {
        s.fresh_mark.to_string()
    };
    if h.pending_conflicts > 0 {
        health = format!("{health}；{}", (s.pending_conflicts)(h.pending_conflicts));
    }
    html! {
        <tr data-testid={format!("stats-office-{}", r.office)} data-stale={h.stale.to_string()}
            class={classes!(h.stale.then_some("stale"))}>
            <td>{ &r.name }<span class="muted small">{ format!("（{}）", r.office) }</span></td>
            <td class="num">{ f.filed }</td><td class="num">{ f.closed }</td>
            <td class="num">{ wan_yuan(f.decided_fen) }</td><td class="num">{ wan_yuan(f.treasury_fen) }</td>
            <td class="num">{ f.complaints }</td><td class="num">{ f.reports }</td>
            <td class="num">{ f.petitions }</td><td class="num">{ f.inspections }</td>
            <td>{ last }</td>
            <td class="health" data-testid="stats-office-health">{ health }</td>
        </tr>
    }
}

fn figure_row(f: &Figure, open: &Callback<(String, Vec<String>)>) -> Html {
    let open = open.clone();
    let pick = (f.label.clone(), f.records.clone());
    html! {
        <tr class="clickable" data-testid={format!("stats-figure-{}", f.key)}
            onclick={move |_| open.emit(pick.clone())}>
            <th>{ f.label.clone() }</th>
            <td class="num">{ f.display() }</td>
            <td>{ f.yoy.text.clone() }</td>
            <td>{ f.mom.as_ref().map(|c| c.text.clone()).unwrap_or_else(|| "—".into()) }</td>
        </tr>
    }
}

fn finance_view(fin: &Finance) -> Html {
    let s = t();
    let pct = fin
        .completion_rate
        .map_or("—".into(), |r| format!("{r:.1}%"));
    let per = fin
        .per_officer_fen
        .map_or("—".into(), hongdun_core::stats::figures::wan_yuan);
    html! {
        <div class="finance" data-testid="stats-finance">
            <h2>{ s.finance_title }</h2>
            <p class="notice">{ fin.note.clone() }</p>
            <table class="records">
                <tbody>
                    <tr><th>{ s.treasury_ytd }</th>
                        <td class="num">{ hongdun_core::stats::figures::wan_yuan(fin.treasury_ytd_fen) }</td></tr>
                    <tr><th>{ s.budget_rate }</th><td class="num">{ pct }</td></tr>
                    <tr><th>{ s.per_officer }</th><td class="num">{ per }</td></tr>
                </tbody>
            </table>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct RecordListProps {
    label: String,
    ids: Vec<String>,
}

/// The records behind a figure; clicking one opens its file.
#[function_component(RecordList)]
fn record_list(p: &RecordListProps) -> Html {
    let s = t();
    let desk = use_desk();
    let rows = use_state(|| None::<Result<Vec<RecordView>, BridgeError>>);
    {
        let rows = rows.clone();
        use_effect_with(p.ids.clone(), move |ids| {
            let ids: Vec<String> = ids.iter().take(DRILL_LIMIT).cloned().collect();
            rows.set(None);
            wasm_bindgen_futures::spawn_local(async move {
                let mut out = Vec::with_capacity(ids.len());
                for id in &ids {
                    match bridge::get_record(id).await {
                        Ok(v) => out.push(v),
                        Err(e) => {
                            rows.set(Some(Err(e)));
                            return;
                        }
                    }
                }
                rows.set(Some(Ok(out)));
            });
        });
    }
    let body = match &*rows {
        None => html! { <div class="empty">{ s.loading }</div> },
        Some(Err(e)) => status_line(&e.message(), true),
        Some(Ok(rows)) => html! {
            <table class="records">
                <thead><tr>
                    <th>{ s.col_number }</th><th>{ s.col_kind }</th>
                    <th>{ s.col_title }</th><th>{ s.col_status }</th>
                </tr></thead>
                <tbody>{ for rows.iter().map(|r| {
                    let go = desk.go.clone();
                    let id = r.id.clone();
                    html! {
                        <tr class="clickable" data-testid={format!("stats-record-{}", r.id)}
                            onclick={move |_| go.emit(Page::Record(id.clone()))}>
                            <td>{ r.number.clone().unwrap_or_else(|| s.no_number.to_string()) }</td>
                            <td>{ (s.kind)(r.kind) }</td>
                            <td>{ r.title.clone() }</td>
                            <td>{ r.status_label.clone() }</td>
                        </tr>
                    }
                }) }</tbody>
            </table>
        },
    };
    html! {
        <div class="drill" data-testid="stats-drill">
            <h3>{ (s.drill_title)(&p.label, p.ids.len()) }</h3>
            { body }
            if p.ids.len() > DRILL_LIMIT {
                <p class="muted">{ (s.drill_more)(p.ids.len() - DRILL_LIMIT) }</p>
            }
        </div>
    }
}

#[function_component(MonthGlancePanel)]
fn month_glance_panel() -> Html {
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
        <div class="stats month-glance">
            <div class="page-head">
                <h2>{ (s.month_title)(&g.month) }</h2>
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

#[cfg(test)]
mod tests {
    use super::*;
    use hongdun_core::stats::Period;

    #[test]
    fn every_period_kind_gives_a_code_the_core_reads() {
        let want = ["2026-06", "2026-Q2", "2026-H1", "2026", "2026-06-ytd"];
        for (kind, want) in PeriodKind::ALL.iter().zip(want) {
            let code = period_code(*kind, "2026-06").expect("code");
            assert_eq!(code, want);
            assert_eq!(Period::parse(&code).expect("parses").code(), want);
        }
    }

    #[test]
    fn quarters_and_halves_follow_the_month() {
        assert_eq!(
            period_code(PeriodKind::Quarter, "2026-01").as_deref(),
            Some("2026-Q1")
        );
        assert_eq!(
            period_code(PeriodKind::Quarter, "2026-12").as_deref(),
            Some("2026-Q4")
        );
        assert_eq!(
            period_code(PeriodKind::Half, "2026-07").as_deref(),
            Some("2026-H2")
        );
    }

    #[test]
    fn a_malformed_month_gives_no_code() {
        assert_eq!(period_code(PeriodKind::Month, ""), None);
        assert_eq!(period_code(PeriodKind::Month, "2026-13"), None);
        assert_eq!(period_code(PeriodKind::Year, "26-01"), None);
    }
}
