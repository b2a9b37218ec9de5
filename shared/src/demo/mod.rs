//! Realistic demo data for an office store: two years of leads, penalty
//! cases, 12315 complaints and reports (each report with its confidential
//! annex), petitions, campaigns with their inspections, and the office
//! directory — the kinds of work, sources, amounts and campaigns the 2011
//! branch-office summaries report (domain/work-summaries-2011.txt).
//!
//! ```no_run
//! use hongdun_core::demo::{seed, SeedOptions};
//! use hongdun_core::store::Store;
//! # fn main() -> Result<(), hongdun_core::store::StoreError> {
//! let mut store = Store::open(std::path::Path::new("/tmp/demo"))?;
//! store.init("GS0101", "城关市场监督管理所")?;
//! let summary = seed(&mut store, &SeedOptions { records: 300, ..SeedOptions::default() })?;
//! println!("{} records, {} overdue", summary.records, summary.overdue);
//! # Ok(()) }
//! ```
//!
//! Every record goes through the store's own checks: fields through
//! `model::validate_record`, every workflow event through `model::check_event`
//! in date order ([`Store::import_record`]), so the data only ever follows
//! legal paths with legal dates. The same seed and office give the same
//! records, ids included (ids mix in the office code, so two offices seeded
//! with the same seed never share a document id). Seeding the same store
//! twice with the same options changes nothing.

mod catalog;
mod names;

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

use crate::model;
use crate::record::{EventEnvelope, RecordKind};
use crate::store::{ListQuery, OfficeInfo, RecordExport, Store, StoreError};

use catalog::{CampaignKind, CaseType, PartyKind, CASE_TYPES};
use names::{pick, BUREAU, DOC_ABBR};

pub use names::{area_of, BUREAU as DEMO_BUREAU, COUNTY as DEMO_COUNTY};

/// Bumped whenever the same options would give different data; caches of
/// seeded stores (the benchmarks') compare it.
pub const SEEDER_VERSION: u32 = 1;

/// Records written per transaction: one fsync per batch instead of one per record.
const BATCH: usize = 500;

/// What to seed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedOptions {
    /// Documents to create in all, counting the office directory, campaigns
    /// and the reports' annexes.
    pub records: usize,
    /// The same seed (and office) gives the same records.
    pub seed: u64,
    /// Last day of the data; records started near it are still in progress.
    pub end: NaiveDate,
    /// How many years before `end` the data covers.
    pub years: u32,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions {
            records: 300,
            seed: 2011,
            end: chrono::Local::now().date_naive(),
            years: 2,
        }
    }
}

/// What seeding created.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeedSummary {
    /// Documents created (all kinds, annexes included).
    pub records: usize,
    /// Documents that were already there (same seed seeded before).
    pub unchanged: usize,
    /// Workflow events recorded.
    pub events: usize,
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// Per kind: documents created.
    pub by_kind: BTreeMap<String, usize>,
    /// Per kind: status code → documents.
    pub by_status: BTreeMap<String, BTreeMap<String, usize>>,
    /// Closed (结案/办结/归档/已结束) records.
    pub closed: usize,
    /// Records with a deadline past due as of `end` (paused clocks excluded).
    pub overdue: usize,
    /// Records with a deadline due within 7 days after `end`.
    pub due_soon: usize,
    /// The office directory record's id.
    pub office_directory_id: Option<String>,
}

/// An officer of the demo office directory.
#[derive(Debug, Clone)]
struct Officer {
    id: String,
    name: String,
    cert: Option<String>,
    unit: &'static str,
    title: &'static str,
    legal: bool,
}

/// The demo office directory for `office`: the county bureau, this station,
/// the 法制审核 section and the 稽查 squad, and their officers with 执法证号.
/// Deterministic for an office code and seed. Returns the `office` record's
/// fields, ready for `store.create(RecordKind::Office, …)`.
pub fn office_directory(office: &OfficeInfo, seed: u64) -> Map<String, Value> {
    let officers = officers(office, seed);
    obj(json!({
        "office_code": office.code,
        "name": office.name,
        "org_units": [
            {"id": "U01", "name": BUREAU, "level": "district", "seal_name": BUREAU,
             "doc_prefix": format!("{DOC_ABBR}处罚")},
            {"id": "U02", "name": office.name, "level": "station", "parent_id": "U01", "seal_name": BUREAU},
            {"id": "U03", "name": "法制审核科", "level": "section", "parent_id": "U01"},
            {"id": "U04", "name": "执法稽查大队", "level": "squad", "parent_id": "U01"},
        ],
        "officers": officers.iter().map(|o| {
            let mut roles = vec!["handler"];
            match o.title {
                "局长" | "副局长" | "所长" => roles.push("head"),
                "法制审核员" => roles.push("legal_reviewer"),
                "登记员" => roles = vec!["clerk"],
                _ => {}
            }
            json!({
                "id": o.id, "name": o.name, "org_unit_id": o.unit,
                "enforcement_cert_no": o.cert, "has_legal_qualification": o.legal,
                "roles": roles, "active": true,
            })
        }).collect::<Vec<_>>(),
    }))
}

fn officers(office: &OfficeInfo, seed: u64) -> Vec<Officer> {
    let mut rng = StdRng::seed_from_u64(seed ^ fnv(&office.code) ^ 0x0ff1_ce00);
    let titles: [(&'static str, &'static str, bool); 11] = [
        ("U01", "局长", false),
        ("U01", "副局长", true),
        ("U03", "法制审核员", true),
        ("U02", "所长", false),
        ("U02", "副所长", false),
        ("U02", "执法人员", false),
        ("U02", "执法人员", false),
        ("U02", "执法人员", true),
        ("U02", "执法人员", false),
        ("U02", "执法人员", false),
        ("U02", "登记员", false),
    ];
    let mut used = Vec::new();
    titles
        .iter()
        .enumerate()
        .map(|(i, (unit, title, legal))| {
            let mut name = names::person_name(&mut rng).name;
            while used.contains(&name) {
                name = names::person_name(&mut rng).name;
            }
            used.push(name.clone());
            let cert = (*title != "登记员")
                .then(|| format!("{}{:05}", names::DIVISION, rng.random_range(100..99_999u32)));
            Officer {
                id: format!("{}-{:02}", office.code, i + 1),
                name,
                cert,
                unit,
                title,
                legal: *legal,
            }
        })
        .collect()
}

/// Seeds an initialised office store (see the module doc).
pub fn seed(store: &mut Store, opts: &SeedOptions) -> Result<SeedSummary, StoreError> {
    let office = store.office().ok_or(StoreError::NotInitialised)?;
    let mut g = Gen::new(&office, opts);
    let mut summary = SeedSummary::default();
    let mut pending: Vec<(RecordExport, String)> = Vec::new();

    let directory = office_directory(&office, opts.seed);
    let dir_id = g.new_id();
    summary.office_directory_id = Some(dir_id.clone());
    pending.push((
        g.export(&dir_id, RecordKind::Office, directory, Vec::new()),
        g.head().name.clone(),
    ));
    for rec in g.campaigns() {
        pending.push(rec);
    }
    let plans = g.plan();
    for plan in &plans {
        for rec in g.generate(plan) {
            pending.push(rec);
        }
        if pending.len() >= BATCH {
            flush(store, &mut pending, &mut summary)?;
        }
    }
    flush(store, &mut pending, &mut summary)?;

    let saved = store.today();
    store.set_today(opts.end);
    let overdue = store.count(&ListQuery {
        overdue: true,
        ..ListQuery::default()
    });
    let due_soon = store.count(&ListQuery {
        due_within_days: Some(7),
        ..ListQuery::default()
    });
    store.set_today(saved);
    summary.overdue = overdue?;
    summary.due_soon = due_soon?;
    summary.first_day = Some(g.start);
    summary.last_day = Some(g.end);
    Ok(summary)
}

fn flush(
    store: &mut Store,
    pending: &mut Vec<(RecordExport, String)>,
    summary: &mut SeedSummary,
) -> Result<(), StoreError> {
    if pending.is_empty() {
        return Ok(());
    }
    let batch = std::mem::take(pending);
    let outcomes = store.in_batch(|s| {
        batch
            .iter()
            .map(|(rec, by)| s.import_record(rec, by))
            .collect::<Result<Vec<_>, _>>()
    })?;
    for ((rec, _), outcome) in batch.iter().zip(outcomes) {
        if outcome == crate::store::ImportOutcome::Unchanged {
            summary.unchanged += 1;
            continue;
        }
        summary.records += 1;
        summary.events += rec.events.len();
        *summary
            .by_kind
            .entry(rec.kind.as_str().to_string())
            .or_default() += 1;
        let derived = model::derive(rec.kind, &rec.fields, &rec.events);
        if derived.closed {
            summary.closed += 1;
        }
        *summary
            .by_status
            .entry(rec.kind.as_str().to_string())
            .or_default()
            .entry(derived.status)
            .or_default() += 1;
    }
    Ok(())
}

fn obj(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
    })
}

fn add(d: NaiveDate, n: i64) -> NaiveDate {
    if n >= 0 {
        d.checked_add_days(Days::new(n as u64)).unwrap_or(d)
    } else {
        d.checked_sub_days(Days::new(n.unsigned_abs())).unwrap_or(d)
    }
}

fn days(a: NaiveDate, b: NaiveDate) -> i64 {
    (b - a).num_days()
}

/// One record's workflow events, built step by step along a legal path.
/// A step that would fall after `end`, or at the record's stall point, stops
/// the path: the record stays where it is (in progress, perhaps overdue).
struct Timeline {
    day: NaiveDate,
    end: NaiveDate,
    events: Vec<(NaiveDate, &'static str, Map<String, Value>)>,
    stall: Option<usize>,
    halted: bool,
}

impl Timeline {
    fn new(day: NaiveDate, end: NaiveDate, stall: Option<usize>) -> Self {
        Timeline {
            day,
            end,
            events: Vec::new(),
            stall,
            halted: false,
        }
    }

    /// The next step, `gap` days after the previous one.
    fn go(&mut self, gap: i64, action: &'static str, params: Value) -> Option<NaiveDate> {
        if self.halted {
            return None;
        }
        let on = add(self.day, gap.max(0));
        if on > self.end || self.stall == Some(self.events.len()) {
            self.halted = true;
            return None;
        }
        self.events.push((on, action, obj(params)));
        self.day = on;
        Some(on)
    }

    /// An event on a given day that does not move the path (an extension
    /// approved while the investigation goes on).
    fn side(&mut self, on: NaiveDate, action: &'static str, params: Value) -> bool {
        if on > self.end {
            return false;
        }
        self.events.push((on, action, obj(params)));
        true
    }

    fn has(&self, action: &str) -> bool {
        self.events.iter().any(|e| e.1 == action)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Case,
    Lead,
    Complaint,
    Report,
    Petition,
    Inspection,
}

/// A record to generate, with its register numbers assigned in date order.
#[derive(Debug, Clone)]
struct Plan {
    kind: Kind,
    day: NaiveDate,
    no: u32,
    /// Cases: the case type, the simple procedure, the source.
    case_type: usize,
    simple: bool,
    source: &'static str,
    /// A lead or report that led to this case: (received day, number).
    lead: Option<(NaiveDate, u32)>,
    report: Option<(NaiveDate, u32)>,
}

#[derive(Debug, Clone)]
struct CampaignInfo {
    id: String,
    kind: CampaignKind,
    start: NaiveDate,
    end: NaiveDate,
}

/// Generation state: one random stream for content, one for ids.
struct Gen {
    rng: StdRng,
    ids: StdRng,
    office: OfficeInfo,
    town: String,
    start: NaiveDate,
    end: NaiveDate,
    records: usize,
    officers: Vec<Officer>,
    campaigns: Vec<CampaignInfo>,
    decision_no: BTreeMap<i32, u32>,
    counters: BTreeMap<(&'static str, i32), u32>,
}

const CENTRAL: &str = "青石县市场监督管理局12315投诉举报中心";

impl Gen {
    fn new(office: &OfficeInfo, opts: &SeedOptions) -> Gen {
        let end = opts.end;
        let span = 365 * i64::from(opts.years.max(1));
        Gen {
            rng: StdRng::seed_from_u64(opts.seed),
            ids: StdRng::seed_from_u64(opts.seed ^ fnv(&office.code).rotate_left(17)),
            office: office.clone(),
            town: area_of(&office.name),
            start: add(end, 1 - span),
            end,
            records: opts.records,
            officers: officers(office, opts.seed),
            campaigns: Vec::new(),
            decision_no: BTreeMap::new(),
            counters: BTreeMap::new(),
        }
    }

    fn new_id(&mut self) -> String {
        format!("{:032x}", self.ids.random::<u128>())
    }

    fn r(&mut self, lo: i64, hi: i64) -> i64 {
        self.rng.random_range(lo..=hi)
    }

    fn p(&mut self, p: f64) -> bool {
        self.rng.random_bool(p.clamp(0.0, 1.0))
    }

    fn head(&self) -> &Officer {
        &self.officers[0]
    }
    fn deputy(&self) -> &Officer {
        &self.officers[1]
    }
    fn legal_reviewer(&self) -> &Officer {
        &self.officers[2]
    }
    fn station_head(&self) -> &Officer {
        &self.officers[3]
    }

    /// 办案人员: two (sometimes three) certified station officers.
    fn handlers(&mut self) -> Vec<Officer> {
        let pool: Vec<Officer> = self.officers[3..10].to_vec();
        let n = if self.p(0.15) { 3 } else { 2 };
        let mut out: Vec<Officer> = Vec::new();
        while out.len() < n {
            let o = pick(&mut self.rng, &pool).clone();
            if !out.iter().any(|x| x.id == o.id) {
                out.push(o);
            }
        }
        out
    }

    fn handler_json(hs: &[Officer]) -> Value {
        Value::Array(
            hs.iter()
                .map(|o| json!({"officer_id": o.id, "name": o.name, "enforcement_cert_no": o.cert}))
                .collect(),
        )
    }

    fn approver(&mut self) -> String {
        let o = if self.p(0.6) {
            self.head()
        } else {
            self.deputy()
        };
        format!("{}{}", o.title, o.name)
    }

    /// When a record stops progressing for good (a case left lying, a
    /// complaint nobody accepted): rarely for old records, more often for
    /// recent ones — which is where overdue items come from.
    fn stall(&mut self, day: NaiveDate, steps: i64) -> Option<usize> {
        let age = days(day, self.end);
        let p = if age < 150 { 0.10 } else { 0.015 };
        self.p(p).then(|| self.r(1, steps) as usize)
    }

    fn export(
        &mut self,
        id: &str,
        kind: RecordKind,
        fields: Map<String, Value>,
        mut events: Vec<(NaiveDate, &'static str, Map<String, Value>)>,
    ) -> RecordExport {
        events.sort_by_key(|e| e.0);
        let mut envelopes = Vec::with_capacity(events.len());
        for (i, (on, action, params)) in events.into_iter().enumerate() {
            // Recorded on the legal day, 09:00 Beijing time, in path order.
            let at: DateTime<Utc> = Utc
                .with_ymd_and_hms(on.year(), on.month(), on.day(), 1, 0, 0)
                .single()
                .unwrap_or_default()
                + chrono::Duration::seconds(i as i64 * 60);
            envelopes.push(EventEnvelope {
                id: self.new_id(),
                action: action.to_string(),
                on,
                at,
                by: String::new(),
                params,
            });
        }
        RecordExport {
            id: id.to_string(),
            kind,
            office: None,
            fields,
            events: envelopes,
        }
    }

    fn with_by(mut rec: RecordExport, by: &str) -> (RecordExport, String) {
        for e in &mut rec.events {
            e.by = by.to_string();
        }
        (rec, by.to_string())
    }

    fn number(&mut self, kind: &'static str, year: i32) -> u32 {
        let n = self.counters.entry((kind, year)).or_insert(0);
        *n += 1;
        *n
    }

    fn party(&mut self, kind: PartyKind, on: NaiveDate) -> Value {
        let town = self.town.clone();
        match kind {
            PartyKind::Shop(words) => {
                let w = *pick(&mut self.rng, words);
                names::sole_trader(&mut self.rng, &town, w, on)
            }
            PartyKind::Company(words) => {
                let w = *pick(&mut self.rng, words);
                names::company(&mut self.rng, &town, w)
            }
            PartyKind::Person => names::natural_person(&mut self.rng, &town, on),
        }
    }

    // ---- campaigns ----

    fn campaigns(&mut self) -> Vec<(RecordExport, String)> {
        let mut all: Vec<(NaiveDate, NaiveDate, CampaignKind, &'static str, String)> = Vec::new();
        for y in (self.start.year() - 1)..=self.end.year() {
            let d =
                |y: i32, m: u32, day: u32| NaiveDate::from_ymd_opt(y, m, day).unwrap_or_default();
            all.push((
                d(y, 3, 1),
                d(y, 5, 31),
                CampaignKind::DoubleStrike,
                "double_strike",
                format!("{y}年春季“双打”专项执法行动"),
            ));
            all.push((
                d(y, 3, 1),
                d(y, 6, 30),
                CampaignKind::RedShieldFarm,
                "red_shield_farm",
                format!("{y}年“红盾护农”专项执法行动"),
            ));
            all.push((
                d(y, 8, 15),
                d(y, 10, 31),
                CampaignKind::FakeLiquor,
                "double_strike",
                format!("{y}年中秋国庆打击假冒名酒联合执法行动"),
            ));
            all.push((
                d(y, 12, 15),
                d(y + 1, 2, 15),
                CampaignKind::HolidayMarket,
                "holiday_market",
                format!("{}年元旦春节节日市场专项整治", y + 1),
            ));
        }
        all.retain(|c| c.0 >= self.start && c.0 <= self.end);
        let limit = (self.records / 30).max(1);
        if all.len() > limit {
            all.drain(..all.len() - limit);
        }
        let mut out = Vec::new();
        for (start, end_on, kind, code, name) in all {
            let id = self.new_id();
            let (targets, notes) = match kind {
                CampaignKind::DoubleStrike => ("严厉打击侵犯知识产权和制售假冒伪劣商品违法行为，重点检查商标标识、进货来源", "与县公安局建立打假快速反应机制"),
                CampaignKind::RedShieldFarm => ("重点查处农资经营中的掺杂使假、变质失效、商标侵权、虚假广告坑农害农及无照经营农资行为", "对农资经营户建立经营台账和质量承诺制度"),
                CampaignKind::FakeLiquor => ("联合名酒企业打假办重点检查烟酒商行、超市、酒店的名优白酒进货来源和防伪标识", "联合贵州茅台酒股份有限公司、宜宾五粮液股份有限公司打假办公室开展联合执法"),
                CampaignKind::HolidayMarket => ("对辖区市场、超市、个体饮食店进行检查，重点检查节日食品、烟酒和明码标价", "节日期间实行值班制度，12315保持畅通"),
            };
            let fields = obj(json!({
                "name": name, "campaign_type": code, "start_on": start.to_string(),
                "end_on": end_on.to_string(), "lead_unit": BUREAU, "targets": targets, "notes": notes,
            }));
            let mut tl = Timeline::new(start, self.end, None);
            tl.go(0, "start", json!({}));
            tl.go(days(start, end_on), "end", json!({}));
            let by = self.station_head().name.clone();
            let rec = self.export(&id, RecordKind::Campaign, fields, tl.events);
            out.push(Self::with_by(rec, &by));
            self.campaigns.push(CampaignInfo {
                id,
                kind,
                start,
                end: end_on,
            });
        }
        out
    }

    fn campaign_at(&self, kind: CampaignKind, day: NaiveDate) -> Option<&CampaignInfo> {
        self.campaigns.iter().find(|c| {
            c.start <= day
                && day <= c.end
                && (c.kind == kind
                    || (kind == CampaignKind::DoubleStrike && c.kind == CampaignKind::FakeLiquor))
        })
    }

    // ---- planning ----

    fn plan(&mut self) -> Vec<Plan> {
        let rest = self.records.saturating_sub(1 + self.campaigns.len());
        // Reports count twice: each has its annex.
        let reports = rest * 9 / 100;
        let others = rest - 2 * reports;
        let leads = others * 24 / 82;
        let complaints = others * 19 / 82;
        let petitions = others * 7 / 82;
        let inspections = others * 3 / 82;
        let cases = others - leads - complaints - petitions - inspections;
        let span = days(self.start, self.end);
        let mut plans = Vec::new();
        let mut linked_leads = 0;
        let mut linked_reports = 0;
        for _ in 0..cases {
            let day = self.anchor_day(span);
            let simple = self.p(0.12);
            let case_type = self.pick_case_type();
            let source = self.case_source(&CASE_TYPES[case_type], day);
            let mut plan = Plan {
                kind: Kind::Case,
                day,
                no: 0,
                case_type,
                simple,
                source,
                lead: None,
                report: None,
            };
            if !simple {
                if source == "report" && linked_reports < reports / 2 {
                    linked_reports += 1;
                    plan.report = Some((add(day, -self.r(5, 13)), 0));
                } else if self.p(0.45) && linked_leads < leads / 2 {
                    linked_leads += 1;
                    plan.lead = Some((add(day, -self.r(3, 12)), 0));
                }
            }
            plans.push(plan);
        }
        for (kind, n) in [
            (Kind::Lead, leads - linked_leads),
            (Kind::Complaint, complaints),
            (Kind::Report, reports - linked_reports),
            (Kind::Petition, petitions),
            (Kind::Inspection, inspections),
        ] {
            for _ in 0..n {
                let day = if kind == Kind::Inspection && !self.campaigns.is_empty() && self.p(0.8) {
                    let i = self.rng.random_range(0..self.campaigns.len());
                    let c = self.campaigns[i].clone();
                    add(c.start, self.r(0, days(c.start, c.end.min(self.end))))
                } else {
                    self.anchor_day(span)
                };
                plans.push(Plan {
                    kind,
                    day,
                    no: 0,
                    case_type: 0,
                    simple: false,
                    source: "",
                    lead: None,
                    report: None,
                });
            }
        }
        plans.sort_by_key(|p| (p.day, p.kind));
        // Register numbers run in date order within each year.
        let mut numbered: Vec<(NaiveDate, &'static str, usize, u8)> = Vec::new();
        for (i, p) in plans.iter().enumerate() {
            let seq = match (p.kind, p.simple) {
                (Kind::Case, false) => "case",
                (Kind::Case, true) => "",
                (Kind::Lead, _) => "lead",
                (Kind::Complaint, _) => "complaint",
                (Kind::Report, _) => "report",
                (Kind::Petition, _) => "petition",
                (Kind::Inspection, _) => "",
            };
            if !seq.is_empty() {
                numbered.push((p.day, seq, i, 0));
            }
            if let Some((d, _)) = p.lead {
                numbered.push((d, "lead", i, 1));
            }
            if let Some((d, _)) = p.report {
                numbered.push((d, "report", i, 2));
            }
        }
        numbered.sort_by_key(|n| (n.0, n.2, n.3));
        for (day, seq, i, sub) in numbered {
            let no = self.number(seq, day.year());
            let p = &mut plans[i];
            match sub {
                0 => p.no = no,
                1 => p.lead = p.lead.map(|(d, _)| (d, no)),
                _ => p.report = p.report.map(|(d, _)| (d, no)),
            }
        }
        plans
    }

    /// The day a record starts: spread over the whole period, with extra
    /// work in the last 90 days so that a fair share is still in progress
    /// (an office's desk holds about a quarter's intake at any time).
    fn anchor_day(&mut self, span: i64) -> NaiveDate {
        if self.p(0.15) {
            add(self.end, -self.r(0, 89.min(span)))
        } else {
            add(self.start, self.r(0, span))
        }
    }

    fn pick_case_type(&mut self) -> usize {
        let total: u32 = CASE_TYPES.iter().map(|t| t.weight).sum();
        let mut x = self.rng.random_range(0..total);
        for (i, t) in CASE_TYPES.iter().enumerate() {
            if x < t.weight {
                return i;
            }
            x -= t.weight;
        }
        0
    }

    fn case_source(&mut self, t: &CaseType, day: NaiveDate) -> &'static str {
        if let Some(k) = t.campaign {
            if self.campaign_at(k, day).is_some() && self.p(0.7) {
                return "inspection.routine";
            }
        }
        let x = self.r(0, 99);
        match (t.category, x) {
            ("food", 0..=29) => "inspection.sampling",
            ("pyramid_selling", 0..=39) => "transferred",
            ("advertising" | "unfair_competition.false_publicity", 0..=19) => "inspection.online",
            (_, 0..=29) => "inspection.routine",
            (_, 30..=41) => "inspection.random",
            (_, 42..=53) => "complaint",
            (_, 54..=73) => "report",
            (_, 74..=81) => "assigned",
            (_, 82..=88) => "transferred",
            (_, 89..=94) => "hotline_12345",
            _ => "media",
        }
    }

    fn generate(&mut self, plan: &Plan) -> Vec<(RecordExport, String)> {
        match plan.kind {
            Kind::Case if plan.simple => vec![self.simple_case(plan)],
            Kind::Case => self.normal_case(plan),
            Kind::Lead => vec![self.lead(plan)],
            Kind::Complaint => vec![self.complaint(plan)],
            Kind::Report => self.report(plan, None),
            Kind::Petition => vec![self.petition(plan)],
            Kind::Inspection => vec![self.inspection(plan)],
        }
    }
}

mod cases;
mod intake;

#[cfg(test)]
mod tests;
