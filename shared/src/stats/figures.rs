//! The bulletin figures (DOMAIN §6.3, docs/STATISTICS.md), computed from
//! [`RecordFacts`] for a set of offices and a period, with 同比 and 环比.
//! One place for every definition: the store, the command line and the
//! relay all call [`bulletin`].

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::facts::Facts;
use super::period::{shift_month, Period};
use super::settings::StatsSettings;
use super::summary;
use crate::deadline::RuleId;
use crate::model::codes;
use crate::record::RecordKind;

mod partial;
pub use partial::{partial, Partial};

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// 件, 人次, 户次, 批次…
    Count,
    /// Money in fen (shown in 万元).
    Fen,
    /// A rate: `value` ÷ `denominator`, shown in percent.
    Rate,
}

/// A figure against a base period (同比 or 环比).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    /// The base period's value (count, fen, or a rate in percent).
    pub base: f64,
    /// Change in percent (counts, money) or percentage points (rates); None
    /// when there is nothing to divide by (新增, or both zero).
    pub change: Option<f64>,
    /// True when the base is zero and this period is not (新增).
    pub new: bool,
    /// As the bulletin writes it: "增长12.5%", "下降3.0%", "持平", "新增",
    /// "上升2.1个百分点", "—".
    pub text: String,
}

/// One figure of a bulletin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// Stable key, e.g. `cases.filed` (docs/STATISTICS.md).
    pub key: String,
    /// Chinese name, e.g. "立案数".
    pub label: String,
    pub unit: Unit,
    /// The count, the amount in fen, or a rate's numerator.
    pub value: i64,
    /// A rate's denominator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<i64>,
    /// 同比: against the same period last year.
    pub yoy: Comparison,
    /// 环比: against the previous period (none for year to date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mom: Option<Comparison>,
    /// The records behind the figure (drill-down): for a rate, its cohort.
    #[serde(default)]
    pub records: Vec<String>,
}

impl Figure {
    /// A rate in percent, or None (not a rate, or nothing to divide by).
    pub fn rate(&self) -> Option<f64> {
        rate_of(self.value, self.denominator?)
    }

    /// The value as a bulletin prints it: "12", "3.50万元", "85.7%", "—".
    pub fn display(&self) -> String {
        match self.unit {
            Unit::Count => self.value.to_string(),
            Unit::Fen => wan_yuan(self.value),
            Unit::Rate => self.rate().map_or("—".into(), |r| format!("{r:.1}%")),
        }
    }
}

/// Money in 万元 with two decimals, as the summaries write it.
pub fn wan_yuan(fen: i64) -> String {
    format!("{:.2}万元", fen as f64 / 1_000_000.0)
}

fn rate_of(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 * 100.0 / den as f64)
}

/// Counts by code (by case type, by channel…) in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    pub key: String,
    pub title: String,
    pub unit: Unit,
    pub rows: Vec<BreakdownRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BreakdownRow {
    pub code: String,
    pub label: String,
    pub value: i64,
    #[serde(default)]
    pub records: Vec<String>,
}

/// A group of figures: 行政处罚案件, 12315, 信访, 专项行动.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Section {
    pub key: String,
    pub title: String,
    pub figures: Vec<Figure>,
    pub breakdowns: Vec<Breakdown>,
}

/// One month of the trend chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrendPoint {
    /// `2026-06`.
    pub month: String,
    pub filed: i64,
    pub closed: i64,
    pub decided_fen: i64,
    pub treasury_fen: i64,
    pub complaints: i64,
}

/// One office's main figures in the period (the by-office chart and the
/// bureau's comparison). Listed by office code, never ranked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfficeRow {
    pub office: String,
    pub filed: i64,
    pub closed: i64,
    pub simple: i64,
    pub decided_fen: i64,
    pub treasury_fen: i64,
    pub complaints: i64,
    pub reports: i64,
    pub petitions: i64,
    pub inspections: i64,
}

/// 预算完成率 and 人均罚没: finance information for an office that turned
/// them on (行政处罚法 Art 74), never a ranking of units or people.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finance {
    pub year: i32,
    /// 罚没入库 from 1 January to the period's end.
    pub treasury_ytd_fen: i64,
    pub budget_fen: Option<i64>,
    /// 预算完成率 in percent.
    pub completion_rate: Option<f64>,
    pub officers: u32,
    /// 人均罚没 (入库累计 ÷ officers).
    pub per_officer_fen: Option<i64>,
    /// The notice printed with these figures.
    pub note: String,
}

/// The monthly (quarterly, yearly…) bulletin of a set of offices.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bulletin {
    pub period: Period,
    /// "2026年6月".
    pub period_label: String,
    /// The offices counted (empty: every office in the data).
    pub offices: Vec<String>,
    pub sections: Vec<Section>,
    /// Twelve months to the period's end.
    pub trend: Vec<TrendPoint>,
    pub by_office: Vec<OfficeRow>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub finance: Option<Finance>,
    /// The generated summary paragraph (通报正文).
    pub summary: String,
}

impl Bulletin {
    /// A figure by key, e.g. `cases.filed`.
    pub fn figure(&self, key: &str) -> Option<&Figure> {
        self.sections
            .iter()
            .flat_map(|s| &s.figures)
            .find(|f| f.key == key)
    }

    pub fn breakdown(&self, key: &str) -> Option<&Breakdown> {
        self.sections
            .iter()
            .flat_map(|s| &s.breakdowns)
            .find(|b| b.key == key)
    }

    /// Drops the drill-down ids (for a bureau-wide bulletin sent over the wire).
    pub fn without_records(mut self) -> Bulletin {
        for s in &mut self.sections {
            for f in &mut s.figures {
                f.records = Vec::new();
            }
            for b in &mut s.breakdowns {
                for r in &mut b.rows {
                    r.records = Vec::new();
                }
            }
        }
        self
    }
}

/// Every scalar figure, in bulletin order: (key, label, unit).
pub const DEFINITIONS: &[(&str, &str, Unit)] = &[
    ("cases.filed", "立案数", Unit::Count),
    ("cases.closed", "结案数", Unit::Count),
    ("cases.simple", "简易程序案件", Unit::Count),
    ("cases.goods_value", "案值（涉案货值）", Unit::Fen),
    ("cases.decided", "罚没金额（决定）", Unit::Fen),
    ("cases.treasury", "罚没入库", Unit::Fen),
    ("cases.judicial", "移送司法机关", Unit::Count),
    ("cases.big", "大要案", Unit::Count),
    ("consumer.complaints", "受理投诉", Unit::Count),
    ("consumer.reports", "受理举报", Unit::Count),
    ("consumer.accept_on_time", "投诉按时初查率", Unit::Rate),
    ("consumer.close_on_time", "投诉按时办结率", Unit::Rate),
    ("consumer.mediation_success", "调解成功率", Unit::Rate),
    ("consumer.closure", "投诉办结率", Unit::Rate),
    (
        "consumer.report_verify_on_time",
        "举报按时核查率",
        Unit::Rate,
    ),
    ("consumer.disputed", "争议金额", Unit::Fen),
    ("consumer.recovered", "挽回经济损失", Unit::Fen),
    ("petitions.received", "受理信访", Unit::Count),
    ("petitions.accept_on_time", "及时受理率", Unit::Rate),
    ("petitions.handle_on_time", "按期办结率", Unit::Rate),
    ("petitions.satisfaction", "群众满意率", Unit::Rate),
    ("petitions.participation", "参评率", Unit::Rate),
    ("petitions.leader_resolved", "包案化解率", Unit::Rate),
    ("petitions.reply", "回复率", Unit::Rate),
    ("petitions.closure", "办结率", Unit::Rate),
    ("petitions.quiet", "息访率", Unit::Rate),
    ("campaigns.officers", "出动执法人员", Unit::Count),
    ("campaigns.visits", "检查户次", Unit::Count),
    ("campaigns.entities", "检查户数", Unit::Count),
    ("campaigns.samples", "抽检批次", Unit::Count),
    ("campaigns.unqualified", "不合格批次", Unit::Count),
    ("campaigns.unqualified_rate", "不合格率", Unit::Rate),
    ("campaigns.cases", "专项行动立案", Unit::Count),
    ("campaigns.case_value", "专项行动案值", Unit::Fen),
    ("campaigns.decided", "专项行动罚没金额", Unit::Fen),
    ("campaigns.police", "移送公安", Unit::Count),
    ("campaigns.dens", "捣毁窝点", Unit::Count),
    ("campaigns.seized_qty", "查获物品数量", Unit::Count),
    ("campaigns.seized_value", "查获物品货值", Unit::Fen),
];

const SECTIONS: &[(&str, &str)] = &[
    ("cases", "行政处罚案件"),
    ("consumer", "12315投诉举报"),
    ("petitions", "信访"),
    ("campaigns", "专项行动与检查"),
];

#[derive(Clone, Copy)]
#[repr(usize)]
enum F {
    Filed,
    Closed,
    Simple,
    GoodsValue,
    Decided,
    Treasury,
    Judicial,
    Big,
    Complaints,
    Reports,
    AcceptOnTime,
    CloseOnTime,
    Mediation,
    ComplaintClosure,
    ReportVerify,
    Disputed,
    Recovered,
    Petitions,
    PetAccept,
    PetHandle,
    Satisfaction,
    Participation,
    Leader,
    Reply,
    PetClosure,
    Quiet,
    Officers,
    Visits,
    Entities,
    Samples,
    Unqualified,
    UnqualifiedRate,
    CampCases,
    CampValue,
    CampDecided,
    Police,
    Dens,
    SeizedQty,
    SeizedValue,
}
const N: usize = F::SeizedValue as usize + 1;

#[derive(Default, Clone)]
struct Acc {
    value: i64,
    den: i64,
    records: Vec<String>,
}

struct Tally {
    acc: Vec<Acc>,
    keep: bool,
}

impl Tally {
    fn new(keep: bool) -> Self {
        Tally {
            acc: vec![Acc::default(); N],
            keep,
        }
    }
    fn add(&mut self, f: F, v: i64, id: &str) {
        let a = &mut self.acc[f as usize];
        a.value += v;
        if self.keep {
            a.records.push(id.to_string());
        }
    }
    /// One record of a rate's cohort; `hit` if it counts in the numerator.
    fn rate(&mut self, f: F, hit: bool, id: &str) {
        let a = &mut self.acc[f as usize];
        a.den += 1;
        a.value += i64::from(hit);
        if self.keep {
            a.records.push(id.to_string());
        }
    }
}

/// A period's first and last day, worked out once: a bureau bulletin checks
/// millions of dates against them.
#[derive(Clone, Copy)]
struct Days {
    first: NaiveDate,
    last: NaiveDate,
}

impl Days {
    fn of(p: &Period) -> Days {
        Days {
            first: p.start(),
            last: p.end(),
        }
    }
    fn start(&self) -> NaiveDate {
        self.first
    }
    fn end(&self) -> NaiveDate {
        self.last
    }
    fn contains(&self, d: NaiveDate) -> bool {
        self.first <= d && d <= self.last
    }
}

/// Whether a record can count in a period: cases, complaints, reports and
/// inspections count only through a date, payment or clock of theirs in the
/// period, so one whose span misses it is skipped. Petitions (息访 looks back
/// months) and campaigns (names for the breakdowns) always go through.
fn counts_by_span<T: Facts>(f: &T) -> impl Fn(&Days) -> bool + use<T> {
    let by_span = matches!(
        f.kind(),
        RecordKind::Case | RecordKind::Complaint | RecordKind::Report | RecordKind::Inspection
    );
    let span = f.span();
    move |d: &Days| !by_span || span.is_some_and(|(a, b)| a <= d.last && d.first <= b)
}

fn within(d: Option<NaiveDate>, p: &Days) -> bool {
    d.is_some_and(|d| p.contains(d))
}

fn by(d: Option<NaiveDate>, end: NaiveDate) -> bool {
    d.is_some_and(|d| d <= end)
}

/// The decided 罚没 amount of a case: fine + confiscated gains + the value
/// of confiscated goods.
fn decided_fen(f: &impl Facts) -> i64 {
    f.amount("fine_fen")
        + f.amount("confiscated_gains_fen")
        + f.amount("confiscated_goods_value_fen")
}

/// A case's amount for the 大要案 brackets: the larger of 案值 and 罚没.
fn big_case_amount(f: &impl Facts) -> i64 {
    f.amount("goods_value_fen").max(decided_fen(f))
}

fn penalty_decided_in(f: &impl Facts, p: &Days) -> bool {
    f.outcome() == Some("penalty") && within(f.date("decided_on"), p)
}

/// The same day `months` months later (the month's last day if shorter).
fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    let (y, m) = shift_month(d.year(), d.month(), -(months as i32));
    NaiveDate::from_ymd_opt(y, m, d.day()).unwrap_or_else(|| super::period::month_end(y, m))
}

/// Repeat petitions: for each petition id, the days repeats of it arrived.
type Repeats<'a> = HashMap<&'a str, Vec<NaiveDate>>;

/// One period's tallies over some records, before the figures that need
/// every office's records: 息访 (a repeat may come in at another office),
/// 检查户数 (distinct entities) and 不合格率.
#[derive(Clone)]
struct Measured {
    acc: Vec<Acc>,
    entities: BTreeSet<String>,
    entity_records: Vec<String>,
    /// Petitions whose 息访 window ends in the period: id and reply day.
    quiet: Vec<(String, NaiveDate)>,
}

impl Measured {
    fn merge(&mut self, other: Measured) {
        for (a, b) in self.acc.iter_mut().zip(other.acc) {
            a.value += b.value;
            a.den += b.den;
            a.records.extend(b.records);
        }
        self.entities.extend(other.entities);
        self.entity_records.extend(other.entity_records);
        self.quiet.extend(other.quiet);
    }

    /// The figures, once every record is in.
    fn settle(self, repeats: &Repeats<'_>, s: &StatsSettings, keep: bool) -> Vec<Acc> {
        let mut t = Tally {
            acc: self.acc,
            keep,
        };
        for (id, r) in &self.quiet {
            let limit = add_months(*r, s.quiet_months);
            let repeated = repeats
                .get(id.as_str())
                .is_some_and(|days| days.iter().any(|d| r < d && *d <= limit));
            t.rate(F::Quiet, !repeated, id);
        }
        let e = &mut t.acc[F::Entities as usize];
        e.value = self.entities.len() as i64;
        if keep {
            e.records = self.entity_records;
        }
        let samples = t.acc[F::Samples as usize].clone();
        let unq = t.acc[F::Unqualified as usize].value;
        let r = &mut t.acc[F::UnqualifiedRate as usize];
        r.value = unq;
        r.den = samples.value;
        r.records = samples.records;
        t.acc
    }
}

fn measure<T: Facts>(facts: &[&T], p: &Period, s: &StatsSettings, keep: bool) -> Measured {
    let p = &Days::of(p);
    let mut t = Tally::new(keep);
    let end = p.end();
    let first_bracket = s.big_case_brackets_yuan.first().map(|y| y * 100);
    let mut entities: BTreeSet<String> = BTreeSet::new();
    let mut entity_records: Vec<String> = Vec::new();
    let mut quiet: Vec<(String, NaiveDate)> = Vec::new();
    // Who evaluates as satisfied.
    let satisfied = |o: &str| {
        o == "evaluated:satisfied"
            || (s.basically_satisfied_counts && o == "evaluated:basically_satisfied")
    };
    let (quiet_from, quiet_to) = {
        let m = s.quiet_months as i32;
        let (y0, m0) = shift_month(p.start().year(), p.start().month(), m);
        let (y1, m1) = shift_month(p.end().year(), p.end().month(), m);
        // Replies in [start − N months, end − N months].
        (
            NaiveDate::from_ymd_opt(y0, m0, 1).unwrap_or(NaiveDate::MIN),
            super::period::month_end(y1, m1),
        )
    };
    for f in facts {
        let id = f.id();
        match f.kind() {
            RecordKind::Case => {
                let campaign = f.code("campaign_id").is_some();
                if f.is_simple() {
                    if penalty_decided_in(f, p) {
                        t.add(F::Simple, 1, id);
                        if campaign {
                            t.add(F::CampCases, 1, id);
                        }
                    }
                } else {
                    if within(f.date("filed_on"), p) {
                        t.add(F::Filed, 1, id);
                        t.add(F::GoodsValue, f.amount("goods_value_fen"), id);
                        if campaign {
                            t.add(F::CampCases, 1, id);
                            t.add(F::CampValue, f.amount("goods_value_fen"), id);
                        }
                    }
                    if within(f.date("closed_on"), p) {
                        t.add(F::Closed, 1, id);
                    }
                }
                if penalty_decided_in(f, p) {
                    t.add(F::Decided, decided_fen(f), id);
                    if campaign {
                        t.add(F::CampDecided, decided_fen(f), id);
                    }
                    if first_bracket.is_some_and(|b| big_case_amount(f) >= b) {
                        t.add(F::Big, 1, id);
                    }
                }
                if f.outcome() == Some("referred_judicial") && within(f.date("decided_on"), p) {
                    t.add(F::Judicial, 1, id);
                }
                let booked: i64 = f
                    .payments()
                    .filter(|pay| within(pay.treasury_date, p))
                    .map(|pay| pay.amount_fen)
                    .sum();
                if f.payments().any(|pay| within(pay.treasury_date, p)) {
                    t.add(F::Treasury, booked, id);
                }
            }
            RecordKind::Complaint => {
                if within(f.date("received_on"), p) {
                    t.add(F::Complaints, 1, id);
                }
                if let Some(c) = f.clock(RuleId::ComplaintAccept) {
                    if p.contains(c.due) {
                        t.rate(F::AcceptOnTime, c.on_time(), id);
                    }
                }
                if let Some(c) = f.clock(RuleId::ComplaintMediate) {
                    if p.contains(c.due) {
                        t.rate(F::CloseOnTime, c.on_time(), id);
                    }
                }
                let accepted = f.date("accepted_on");
                if accepted.is_some() && within(f.date("closed_on"), p) {
                    t.rate(F::Mediation, f.outcome() == Some("agreed"), id);
                }
                if within(accepted, p) {
                    t.rate(F::ComplaintClosure, by(f.date("closed_on"), end), id);
                }
                if within(f.date("closed_on"), p) {
                    t.add(F::Disputed, f.amount("amount_in_dispute_fen"), id);
                    t.add(F::Recovered, f.amount("recovered_fen"), id);
                }
            }
            RecordKind::Report => {
                if within(f.date("received_on"), p) {
                    t.add(F::Reports, 1, id);
                }
                if let Some(c) = f.clock(RuleId::ReportVerify) {
                    if p.contains(c.due) {
                        t.rate(F::ReportVerify, c.on_time(), id);
                    }
                }
            }
            RecordKind::Petition => {
                if within(f.date("received_on"), p) {
                    t.add(F::Petitions, 1, id);
                    if f.amount("leader_assigned") > 0 {
                        t.rate(F::Leader, by(f.date("replied_on"), end), id);
                    }
                }
                if let Some(c) = f.clock(RuleId::PetitionNotify) {
                    if p.contains(c.due) {
                        t.rate(F::PetAccept, c.on_time(), id);
                    }
                }
                if let Some(c) = f.clock(RuleId::PetitionHandle) {
                    if p.contains(c.due) {
                        t.rate(F::PetHandle, c.on_time(), id);
                    }
                }
                if within(f.date("evaluated_on"), p) {
                    let o = f.outcome().unwrap_or("");
                    t.rate(F::Satisfaction, satisfied(o), id);
                }
                let replied = f.date("replied_on");
                if within(replied, p) {
                    t.rate(F::Participation, by(f.date("evaluated_on"), end), id);
                }
                if within(f.date("accepted_on"), p) {
                    t.rate(F::Reply, by(replied, end), id);
                    t.rate(F::PetClosure, by(f.date("closed_on"), end), id);
                }
                // 息访率: replies whose quiet window ends in the period.
                if let Some(r) = replied.filter(|r| quiet_from <= *r && *r <= quiet_to) {
                    quiet.push((id.to_string(), r));
                }
            }
            RecordKind::Inspection if within(f.date("inspected_on"), p) => {
                t.add(F::Officers, f.amount("officer_count"), id);
                t.add(F::Visits, f.amount("premises_count"), id);
                if f.entities().next().is_some() {
                    entity_records.push(id.to_string());
                }
                entities.extend(f.entities().map(str::to_string));
                t.add(F::Samples, f.amount("sample_batches"), id);
                t.add(F::Unqualified, f.amount("unqualified_batches"), id);
                if f.amount("referred_to_police") > 0 {
                    t.add(F::Police, 1, id);
                }
                t.add(F::Dens, f.amount("dens_destroyed"), id);
                t.add(F::SeizedQty, f.amount("seized_qty"), id);
                t.add(F::SeizedValue, f.amount("seized_value_fen"), id);
            }
            _ => {}
        }
    }
    Measured {
        acc: t.acc,
        entities,
        entity_records,
        quiet,
    }
}

/// A figure against a base: counts and money in percent, rates in points.
pub fn compare(unit: Unit, now: (i64, i64), base: (i64, i64)) -> Comparison {
    if unit == Unit::Rate {
        let (a, b) = (rate_of(now.0, now.1), rate_of(base.0, base.1));
        return match (a, b) {
            (Some(a), Some(b)) => {
                let d = a - b;
                let text = if d.abs() < 0.05 {
                    "持平".into()
                } else if d > 0.0 {
                    format!("上升{d:.1}个百分点")
                } else {
                    format!("下降{:.1}个百分点", -d)
                };
                Comparison {
                    base: b,
                    change: Some(d),
                    new: false,
                    text,
                }
            }
            (_, b) => Comparison {
                base: b.unwrap_or(0.0),
                change: None,
                new: false,
                text: "—".into(),
            },
        };
    }
    let (v, b) = (now.0, base.0);
    if b == 0 {
        return Comparison {
            base: 0.0,
            change: None,
            new: v != 0,
            text: if v != 0 {
                "新增".into()
            } else {
                "—".into()
            },
        };
    }
    let pct = (v - b) as f64 * 100.0 / b as f64;
    let text = if v == b {
        "持平".into()
    } else if pct > 0.0 {
        format!("增长{pct:.1}%")
    } else {
        format!("下降{:.1}%", -pct)
    };
    Comparison {
        base: b as f64,
        change: Some(pct),
        new: false,
        text,
    }
}

/// The offices a bulletin covers, and which facts count.
fn select<'a, T: Facts>(facts: &'a [T], offices: &[String]) -> Vec<&'a T> {
    if offices.is_empty() {
        facts.iter().collect()
    } else {
        let set: BTreeSet<&str> = offices.iter().map(String::as_str).collect();
        facts.iter().filter(|f| set.contains(f.office())).collect()
    }
}

fn code_or<T: Facts>(f: &T, k: &str) -> String {
    f.code(k).unwrap_or("unspecified").to_string()
}

fn label_of(list: &str, code: &str) -> String {
    codes::code_list(list)
        .and_then(|l| l.label_of(code))
        .unwrap_or(code)
        .to_string()
}

/// How a breakdown's rows are labelled.
#[derive(Clone, Copy)]
enum Rows {
    /// Counts by a code, labelled from this code list.
    Coded(&'static str),
    /// Inspections by campaign, labelled with the campaign's name.
    Campaigns,
    /// 大要案 by the office's amount brackets.
    Brackets,
}

/// Every breakdown, in bulletin order: (section, key, title, rows).
const BREAKDOWNS: &[(&str, &str, &str, Rows)] = &[
    (
        "cases",
        "cases.by_category",
        "立案按案件类别",
        Rows::Coded("case_category"),
    ),
    (
        "cases",
        "cases.by_source",
        "立案按案件来源",
        Rows::Coded("case_source"),
    ),
    (
        "cases",
        "cases.big_by_bracket",
        "大要案按金额",
        Rows::Brackets,
    ),
    (
        "consumer",
        "consumer.complaints_by_channel",
        "投诉按渠道",
        Rows::Coded("channel"),
    ),
    (
        "consumer",
        "consumer.complaints_by_category",
        "投诉按商品和服务",
        Rows::Coded("complaint_category"),
    ),
    (
        "consumer",
        "consumer.reports_by_channel",
        "举报按渠道",
        Rows::Coded("channel"),
    ),
    (
        "petitions",
        "petitions.by_channel",
        "信访按渠道",
        Rows::Coded("petition_channel"),
    ),
    (
        "petitions",
        "petitions.by_type",
        "信访按类别",
        Rows::Coded("petition_type"),
    ),
    (
        "campaigns",
        "campaigns.inspections_by_campaign",
        "检查按专项行动",
        Rows::Campaigns,
    ),
];

/// A count and its records (drill-down).
type Count = (i64, Vec<String>);

/// The breakdowns' counts over some records, before labels and order:
/// parts over different offices add up ([`RawBreakdowns::merge`]).
#[derive(Clone, Default)]
struct RawBreakdowns {
    /// By breakdown key, then code.
    by_code: BTreeMap<&'static str, BTreeMap<String, Count>>,
    /// 大要案 by bracket (one per configured bracket).
    brackets: Vec<Count>,
    /// Campaign names by id, to label the inspections.
    campaigns: BTreeMap<String, String>,
}

impl RawBreakdowns {
    fn add(&mut self, key: &'static str, code: String, id: &str, keep: bool) {
        let (n, records) = self
            .by_code
            .entry(key)
            .or_default()
            .entry(code)
            .or_default();
        *n += 1;
        if keep {
            records.push(id.to_string());
        }
    }

    fn merge(&mut self, other: RawBreakdowns) {
        for (key, codes) in other.by_code {
            let mine = self.by_code.entry(key).or_default();
            for (code, (n, records)) in codes {
                let (m, r) = mine.entry(code).or_default();
                *m += n;
                r.extend(records);
            }
        }
        if self.brackets.len() < other.brackets.len() {
            self.brackets.resize(other.brackets.len(), Count::default());
        }
        for (a, (n, records)) in self.brackets.iter_mut().zip(other.brackets) {
            a.0 += n;
            a.1.extend(records);
        }
        self.campaigns.extend(other.campaigns);
    }

    /// The breakdowns by section, labelled, largest first (brackets in
    /// their own order).
    fn finish(mut self, s: &StatsSettings) -> BTreeMap<&'static str, Vec<Breakdown>> {
        let mut out: BTreeMap<&'static str, Vec<Breakdown>> = BTreeMap::new();
        for &(section, key, title, how) in BREAKDOWNS {
            let rows = match how {
                Rows::Brackets => self.bracket_rows(s),
                Rows::Coded(list) => {
                    sorted_rows(self.by_code.remove(key).unwrap_or_default(), |c| {
                        label_of(list, c)
                    })
                }
                Rows::Campaigns => {
                    sorted_rows(self.by_code.remove(key).unwrap_or_default(), |c| match self
                        .campaigns
                        .get(c)
                    {
                        Some(name) => name.clone(),
                        None if c == "unspecified" => "日常检查".into(),
                        None => c.to_string(),
                    })
                }
            };
            out.entry(section).or_default().push(Breakdown {
                key: key.into(),
                title: title.into(),
                unit: Unit::Count,
                rows,
            });
        }
        out
    }

    /// 大要案 brackets: [b_i, b_{i+1}) yuan; the last is open.
    fn bracket_rows(&mut self, s: &StatsSettings) -> Vec<BreakdownRow> {
        let b = &s.big_case_brackets_yuan;
        let label = |i: usize| match b.get(i + 1) {
            Some(next) => format!("{}—{}", yuan_words(b[i]), yuan_words(*next)),
            None => format!("{}以上", yuan_words(b[i])),
        };
        let mut counts = std::mem::take(&mut self.brackets);
        counts.resize(b.len(), Count::default());
        counts
            .into_iter()
            .enumerate()
            .map(|(i, (value, records))| BreakdownRow {
                code: format!("ge_{}", b[i]),
                label: label(i),
                value,
                records,
            })
            .collect()
    }
}

/// Rows by code with their labels, largest first (then by code).
fn sorted_rows(
    codes: BTreeMap<String, Count>,
    label: impl Fn(&str) -> String,
) -> Vec<BreakdownRow> {
    let mut rows: Vec<BreakdownRow> = codes
        .into_iter()
        .map(|(code, (value, records))| BreakdownRow {
            label: label(&code),
            code,
            value,
            records,
        })
        .collect();
    rows.sort_by(|a, b| b.value.cmp(&a.value).then_with(|| a.code.cmp(&b.code)));
    rows
}

fn raw_breakdowns<T: Facts>(
    facts: &[&T],
    p: &Period,
    s: &StatsSettings,
    keep: bool,
) -> RawBreakdowns {
    let p = &Days::of(p);
    let mut out = RawBreakdowns {
        brackets: vec![Count::default(); s.big_case_brackets_yuan.len()],
        ..RawBreakdowns::default()
    };
    let b = &s.big_case_brackets_yuan;
    for f in facts {
        let id = f.id();
        match f.kind() {
            RecordKind::Case => {
                if !f.is_simple() && within(f.date("filed_on"), p) {
                    out.add("cases.by_category", code_or(f, "case_category"), id, keep);
                    out.add("cases.by_source", code_or(f, "case_source"), id, keep);
                }
                if penalty_decided_in(f, p) {
                    let amount = big_case_amount(f);
                    if let Some(i) = b.iter().rposition(|y| amount >= y * 100) {
                        out.brackets[i].0 += 1;
                        if keep {
                            out.brackets[i].1.push(id.to_string());
                        }
                    }
                }
            }
            RecordKind::Complaint if within(f.date("received_on"), p) => {
                let channel = code_or(f, "channel");
                out.add("consumer.complaints_by_channel", channel, id, keep);
                let top = code_or(f, "category");
                let top = top.split('.').next().unwrap_or("unspecified").to_string();
                out.add("consumer.complaints_by_category", top, id, keep);
            }
            RecordKind::Report if within(f.date("received_on"), p) => {
                out.add(
                    "consumer.reports_by_channel",
                    code_or(f, "channel"),
                    id,
                    keep,
                );
            }
            RecordKind::Petition if within(f.date("received_on"), p) => {
                out.add("petitions.by_channel", code_or(f, "channel"), id, keep);
                out.add("petitions.by_type", code_or(f, "petition_type"), id, keep);
            }
            RecordKind::Campaign => {
                if let Some(name) = f.code("name") {
                    out.campaigns.insert(id.to_string(), name.to_string());
                }
            }
            RecordKind::Inspection if within(f.date("inspected_on"), p) => {
                let campaign = code_or(f, "campaign_id");
                out.add("campaigns.inspections_by_campaign", campaign, id, keep);
            }
            _ => {}
        }
    }
    out
}

/// 10000 → "1万元", 150000 → "15万元", 5000 → "5000元".
pub fn yuan_words(yuan: i64) -> String {
    if yuan >= 10_000 && yuan % 1_000 == 0 {
        let w = yuan as f64 / 10_000.0;
        if w.fract() == 0.0 {
            format!("{}万元", w as i64)
        } else {
            format!("{w}万元")
        }
    } else {
        format!("{yuan}元")
    }
}

fn trend<T: Facts>(facts: &[&T], p: &Period) -> Vec<TrendPoint> {
    let months = p.trend_months();
    let first = months.first().map(|m| m.start()).unwrap_or(p.start());
    let mut points: Vec<TrendPoint> = months
        .iter()
        .map(|m| TrendPoint {
            month: m.code(),
            filed: 0,
            closed: 0,
            decided_fen: 0,
            treasury_fen: 0,
            complaints: 0,
        })
        .collect();
    let idx = |d: NaiveDate| -> Option<usize> {
        if d < first || d > p.end() {
            return None;
        }
        let i = (d.year() - first.year()) * 12 + d.month() as i32 - first.month() as i32;
        usize::try_from(i).ok().filter(|i| *i < 12)
    };
    for f in facts {
        match f.kind() {
            RecordKind::Case => {
                if !f.is_simple() {
                    if let Some(i) = f.date("filed_on").and_then(idx) {
                        points[i].filed += 1;
                    }
                    if let Some(i) = f.date("closed_on").and_then(idx) {
                        points[i].closed += 1;
                    }
                }
                if f.outcome() == Some("penalty") {
                    if let Some(i) = f.date("decided_on").and_then(idx) {
                        points[i].decided_fen += decided_fen(f);
                    }
                }
                for pay in f.payments() {
                    if let Some(i) = pay.treasury_date.and_then(idx) {
                        points[i].treasury_fen += pay.amount_fen;
                    }
                }
            }
            RecordKind::Complaint => {
                if let Some(i) = f.date("received_on").and_then(idx) {
                    points[i].complaints += 1;
                }
            }
            _ => {}
        }
    }
    points
}

/// One row per office seen (with records in the window), with the figures
/// of `facts` in the period; offices asked for but without records get
/// their row of zeros when the bulletin is finished.
fn office_rows<'a, T: Facts>(
    facts: &[&'a T],
    p: &Period,
    seen: impl Iterator<Item = &'a str>,
) -> BTreeMap<String, OfficeRow> {
    let p = &Days::of(p);
    let mut rows: BTreeMap<String, OfficeRow> = BTreeMap::new();
    for o in seen {
        rows.entry(o.to_string())
            .or_insert_with(|| OfficeRow::empty(o));
    }
    for f in facts {
        let r = match rows.get_mut(f.office()) {
            Some(r) => r,
            None => rows
                .entry(f.office().to_string())
                .or_insert_with(|| OfficeRow::empty(f.office())),
        };
        match f.kind() {
            RecordKind::Case => {
                if f.is_simple() {
                    if penalty_decided_in(f, p) {
                        r.simple += 1;
                    }
                } else {
                    r.filed += i64::from(within(f.date("filed_on"), p));
                    r.closed += i64::from(within(f.date("closed_on"), p));
                }
                if penalty_decided_in(f, p) {
                    r.decided_fen += decided_fen(f);
                }
                r.treasury_fen += f
                    .payments()
                    .filter(|pay| within(pay.treasury_date, p))
                    .map(|pay| pay.amount_fen)
                    .sum::<i64>();
            }
            RecordKind::Complaint => r.complaints += i64::from(within(f.date("received_on"), p)),
            RecordKind::Report => r.reports += i64::from(within(f.date("received_on"), p)),
            RecordKind::Petition => r.petitions += i64::from(within(f.date("received_on"), p)),
            RecordKind::Inspection => r.inspections += i64::from(within(f.date("inspected_on"), p)),
            _ => {}
        }
    }
    rows
}

impl OfficeRow {
    /// Adds another part's figures of the same office.
    fn add(&mut self, o: &OfficeRow) {
        self.filed += o.filed;
        self.closed += o.closed;
        self.simple += o.simple;
        self.decided_fen += o.decided_fen;
        self.treasury_fen += o.treasury_fen;
        self.complaints += o.complaints;
        self.reports += o.reports;
        self.petitions += o.petitions;
        self.inspections += o.inspections;
    }

    /// A row of zeros (an office without records in the period).
    pub fn empty(office: &str) -> OfficeRow {
        OfficeRow {
            office: office.to_string(),
            filed: 0,
            closed: 0,
            simple: 0,
            decided_fen: 0,
            treasury_fen: 0,
            complaints: 0,
            reports: 0,
            petitions: 0,
            inspections: 0,
        }
    }
}

/// The notice printed with the finance figures.
pub const FINANCE_NOTE: &str = "以上为财务信息，仅供预算执行参考；依据《行政处罚法》第七十四条，罚没收入不得作为考核、评价执法单位和人员的依据，不作排名。";

/// 罚没入库 from 1 January to the period's end.
fn treasury_ytd<T: Facts>(facts: &[&T], p: &Period) -> i64 {
    let ytd = Days::of(&Period::YearToDate {
        year: p.end().year(),
        month: p.end().month(),
    });
    facts
        .iter()
        .filter(|f| f.kind() == RecordKind::Case)
        .flat_map(|f| f.payments())
        .filter(|pay| within(pay.treasury_date, &ytd))
        .map(|pay| pay.amount_fen)
        .sum()
}

fn finance(treasury: i64, p: &Period, s: &StatsSettings) -> Option<Finance> {
    if !s.finance.enabled {
        return None;
    }
    let year = p.end().year();
    let budget = s.budget_fen(year);
    let officers = s.finance.officers;
    Some(Finance {
        year,
        treasury_ytd_fen: treasury,
        budget_fen: budget,
        completion_rate: budget.and_then(|b| rate_of(treasury, b)),
        officers,
        per_officer_fen: (officers > 0).then(|| treasury / i64::from(officers)),
        note: FINANCE_NOTE.into(),
    })
}

/// The days whose records a bulletin of `period` reads: from the earliest
/// base (same period last year, previous period, the trend's first month,
/// less the 息访 window) to the period's end. Storage selects the records
/// whose facts touch this window.
pub fn window(period: &Period, s: &StatsSettings) -> (NaiveDate, NaiveDate) {
    let mut start = period.same_last_year().start().min(period.start());
    if let Some(prev) = period.previous() {
        start = start.min(prev.start());
    }
    if let Some(first) = period.trend_months().first() {
        start = start.min(first.start());
    }
    let (y, m) = shift_month(start.year(), start.month(), s.quiet_months as i32);
    let start = NaiveDate::from_ymd_opt(y, m, 1).unwrap_or(start);
    (start, period.end())
}

/// Computes the bulletin of `offices` (empty: every office in `facts`) for
/// `period`. `with_records` keeps the drill-down ids. The same as the
/// [`Partial`] of all of `facts`, finished; a caller holding many offices'
/// records can compute each office's part on its own and add them up.
pub fn bulletin<T: Facts>(
    facts: &[T],
    offices: &[String],
    period: Period,
    settings: &StatsSettings,
    with_records: bool,
) -> Bulletin {
    partial(facts, offices, period, settings, with_records).finish(
        offices,
        period,
        settings,
        with_records,
    )
}
