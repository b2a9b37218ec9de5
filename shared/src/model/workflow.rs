//! The fold: workflow events in, status and clocks out.
//!
//! Every replica sorts a record's events by [`EventEnvelope::order_key`] and
//! applies them one by one to a kind's [`Machine`]. An event that is not legal
//! where it lands (two offices decided the same case offline; a resume with no
//! pause) is skipped and reported in `rejected` — never a panic, never a
//! partial effect: a step works on a copy of the state and only a successful
//! step replaces it. The same events in any input order give the same result.
//!
//! Guards come in two sorts. *Structural* guards depend only on the event, its
//! parameters and the events before it; they hold in the fold and before
//! appending. *Admission* guards also read the record's plain fields (the
//! parties' type for Art 51, a report's `real_name`); they are checked only
//! when an event is appended ([`check`]), because plain fields are edited
//! later and a later edit must not silently rewrite history.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::{TransitionError, ValidationError};
use crate::deadline::{Clock, Extension, Pause, RuleId};
use crate::record::EventEnvelope;

/// A status of a kind's machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusDef {
    pub code: &'static str,
    pub label: &'static str,
    /// The record is finished (结案/办结/归档): no deadline runs any more.
    pub closed: bool,
}

pub(crate) const fn st(code: &'static str, label: &'static str) -> StatusDef {
    StatusDef {
        code,
        label,
        closed: false,
    }
}
pub(crate) const fn end(code: &'static str, label: &'static str) -> StatusDef {
    StatusDef {
        code,
        label,
        closed: true,
    }
}

/// An action of a kind's machine: its Chinese label, its legal basis and the
/// statuses it may start from (guards may narrow this further).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionDef {
    pub action: &'static str,
    pub label: &'static str,
    pub basis: &'static str,
    pub from: &'static [&'static str],
}

pub(crate) const fn act(
    action: &'static str,
    label: &'static str,
    basis: &'static str,
    from: &'static [&'static str],
) -> ActionDef {
    ActionDef {
        action,
        label,
        basis,
        from,
    }
}

/// An action the record can take now, for menus.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionInfo {
    pub action: String,
    /// Chinese label, e.g. "作出处罚决定".
    pub label: String,
}

/// An event the fold skipped, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RejectedEvent {
    pub event_id: String,
    pub error: TransitionError,
}

/// 罚没款入库 — a payment recorded by a case's `pay` event (DOMAIN §6.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payment {
    /// The `pay` event that recorded it.
    pub event_id: String,
    /// fine 罚款 / confiscated_gains 没收违法所得 / auction_proceeds 拍卖款 /
    /// late_surcharge 加处罚款.
    pub kind: String,
    pub amount_fen: i64,
    pub paid_on: NaiveDate,
    /// 入库日期 — the day the treasury booked it (the basis of 罚没入库 figures).
    pub treasury_date: Option<NaiveDate>,
    /// 缴款书号.
    pub voucher_no: Option<String>,
    pub channel: Option<String>,
}

/// What the model derives from a record's fields and events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Derived {
    /// Status code, e.g. "FILED".
    pub status: String,
    /// Status in Chinese, e.g. "已立案".
    pub status_label: String,
    /// Legal time limits, running or met, for the deadline module to compute.
    pub clocks: Vec<Clock>,
    /// Actions legal now (status and history guards; parameters not yet known).
    pub allowed_actions: Vec<ActionInfo>,
    /// Events skipped by the fold, in order.
    pub rejected: Vec<RejectedEvent>,
    pub closed: bool,
    /// Payments recorded (cases only).
    pub payments: Vec<Payment>,
    /// Dates for statistics: `received_on`, `filed_on`, `decided_on`,
    /// `served_on`, `accepted_on`, `closed_on`…
    pub dates: BTreeMap<String, NaiveDate>,
    /// Amounts for statistics, in fen: `fine_fen` decided,
    /// `confiscated_gains_fen`, `paid_fen`, `recovered_fen`…
    pub amounts: BTreeMap<String, i64>,
    /// The outcome code where there is one: a case's `decision_type`, a
    /// lead's decision, a complaint's `agreed`/`terminated`, a petition's
    /// evaluation…
    pub outcome: Option<String>,
}

/// Why a step was refused, before the action and status are attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Refusal {
    pub rule: String,
    pub message: String,
}

pub(crate) fn refuse(rule: impl Into<String>, message: impl Into<String>) -> Refusal {
    Refusal {
        rule: rule.into(),
        message: message.into(),
    }
}

impl From<ValidationError> for Refusal {
    fn from(e: ValidationError) -> Self {
        let t = TransitionError::from_param("", "", e);
        Refusal {
            rule: t.rule,
            message: t.message,
        }
    }
}

/// What every machine's state carries.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Base {
    pub status: &'static str,
    pub clocks: Vec<Clock>,
    pub dates: BTreeMap<String, NaiveDate>,
    pub payments: Vec<Payment>,
    pub amounts: BTreeMap<String, i64>,
    pub outcome: Option<String>,
}

impl Base {
    pub fn new(status: &'static str) -> Self {
        Base {
            status,
            ..Base::default()
        }
    }

    pub fn date(&mut self, key: &str, on: NaiveDate) {
        self.dates.insert(key.to_string(), on);
    }

    pub fn start_clock(&mut self, rule: RuleId, start: NaiveDate) {
        self.clocks.push(Clock {
            rule,
            start,
            pauses: Vec::new(),
            extensions: Vec::new(),
            met_on: None,
        });
    }

    /// The latest clock of a rule that is still running.
    pub fn running(&mut self, rule: RuleId) -> Option<&mut Clock> {
        self.clocks
            .iter_mut()
            .rev()
            .find(|c| c.rule == rule && c.met_on.is_none())
    }

    pub fn has_running(&self, rule: RuleId) -> bool {
        self.clocks
            .iter()
            .any(|c| c.rule == rule && c.met_on.is_none())
    }

    /// The act was done: stop the clock (closing any open pause that day).
    pub fn meet(&mut self, rule: RuleId, on: NaiveDate) {
        if let Some(c) = self.running(rule) {
            for p in c.pauses.iter_mut().filter(|p| p.to.is_none()) {
                p.to = Some(on);
            }
            c.met_on = Some(on);
        }
    }

    pub fn pause(&mut self, rule: RuleId, from: NaiveDate, reason: &str) {
        if let Some(c) = self.running(rule) {
            c.pauses.push(Pause {
                from,
                to: None,
                reason: reason.to_string(),
            });
        }
    }

    pub fn resume(&mut self, rule: RuleId, to: NaiveDate) {
        if let Some(c) = self.running(rule) {
            for p in c.pauses.iter_mut().filter(|p| p.to.is_none()) {
                p.to = Some(to);
            }
        }
    }

    pub fn is_paused(&self, rule: RuleId) -> bool {
        self.clocks
            .iter()
            .rev()
            .find(|c| c.rule == rule && c.met_on.is_none())
            .is_some_and(|c| c.pauses.iter().any(|p| p.to.is_none()))
    }

    pub fn extend(&mut self, rule: RuleId, ext: Extension) {
        if let Some(c) = self.running(rule) {
            c.extensions.push(ext);
        }
    }

    pub fn extensions(&self, rule: RuleId) -> usize {
        self.clocks
            .iter()
            .rev()
            .find(|c| c.rule == rule)
            .map_or(0, |c| c.extensions.len())
    }

    pub fn add_amount(&mut self, key: &str, fen: i64) {
        *self.amounts.entry(key.to_string()).or_insert(0) += fen;
    }
}

/// What a step sees besides the state.
pub(crate) struct Ctx<'a> {
    pub fields: &'a Map<String, Value>,
    /// Check admission guards (only for the event being appended).
    pub admission: bool,
}

/// A kind's status machine.
pub(crate) trait Machine {
    type State: Clone;
    const STATUSES: &'static [StatusDef];
    const ACTIONS: &'static [ActionDef];

    fn initial(fields: &Map<String, Value>) -> Self::State;
    fn base(s: &Self::State) -> &Base;
    /// Guards that need no parameters (history, open pauses, once-only
    /// extensions). Used for `allowed_actions` too.
    fn guard(_s: &Self::State, _ctx: &Ctx, _def: &ActionDef) -> Result<(), Refusal> {
        Ok(())
    }
    /// Validate the parameters and apply the event. May leave `s` half
    /// changed on error: the engine discards it.
    fn apply(s: &mut Self::State, ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal>;
}

pub(crate) fn status_def<M: Machine>(code: &str) -> StatusDef {
    M::STATUSES
        .iter()
        .copied()
        .find(|d| d.code == code)
        .unwrap_or(StatusDef {
            code: "UNKNOWN",
            label: "未知",
            closed: false,
        })
}

pub(crate) fn action_def<M: Machine>(action: &str) -> Option<&'static ActionDef> {
    M::ACTIONS.iter().find(|d| d.action == action)
}

fn labels_of<M: Machine>(codes: &[&str]) -> String {
    codes
        .iter()
        .map(|c| format!("{}({c})", status_def::<M>(c).label))
        .collect::<Vec<_>>()
        .join("、")
}

/// One step of the fold: the next state, or why not.
pub(crate) fn step<M: Machine>(
    state: &M::State,
    ctx: &Ctx,
    ev: &EventEnvelope,
) -> Result<M::State, TransitionError> {
    let status = M::base(state).status;
    let err = |r: Refusal| TransitionError::new(ev.action.clone(), status, r.rule, r.message);
    let def = action_def::<M>(&ev.action).ok_or_else(|| {
        let known: Vec<&str> = M::ACTIONS.iter().map(|a| a.action).collect();
        err(refuse(
            "未定义的操作",
            format!(
                "“{}”不是本类记录的操作；可用：{}",
                ev.action,
                known.join(", ")
            ),
        ))
    })?;
    if !def.from.contains(&status) {
        return Err(err(refuse(
            format!(
                "状态机：{}仅可在{}状态下进行",
                def.label,
                labels_of::<M>(def.from)
            ),
            format!(
                "当前状态为{}，不能{}（{}）",
                status_def::<M>(status).label,
                def.label,
                def.basis
            ),
        )));
    }
    M::guard(state, ctx, def).map_err(err)?;
    let mut next = state.clone();
    M::apply(&mut next, ctx, ev).map_err(err)?;
    Ok(next)
}

/// Fold all events (sorted here), applying admission guards only to the event
/// with id `admit` (if any).
pub(crate) fn fold<M: Machine>(
    fields: &Map<String, Value>,
    events: &[&EventEnvelope],
    admit: Option<&str>,
) -> (M::State, Vec<RejectedEvent>) {
    let mut sorted: Vec<&EventEnvelope> = events.to_vec();
    sorted.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let mut state = M::initial(fields);
    let mut rejected = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for ev in sorted {
        if seen.contains(&ev.id.as_str()) {
            rejected.push(RejectedEvent {
                event_id: ev.id.clone(),
                error: TransitionError::new(
                    ev.action.clone(),
                    M::base(&state).status,
                    "事件唯一性",
                    "同一事件编号重复出现，已忽略重复者 (duplicate event id)",
                ),
            });
            continue;
        }
        seen.push(&ev.id);
        let ctx = Ctx {
            fields,
            admission: admit == Some(ev.id.as_str()),
        };
        match step::<M>(&state, &ctx, ev) {
            Ok(next) => state = next,
            Err(error) => rejected.push(RejectedEvent {
                event_id: ev.id.clone(),
                error,
            }),
        }
    }
    (state, rejected)
}

pub(crate) fn allowed<M: Machine>(
    state: &M::State,
    fields: &Map<String, Value>,
) -> Vec<ActionInfo> {
    let status = M::base(state).status;
    let ctx = Ctx {
        fields,
        admission: true,
    };
    M::ACTIONS
        .iter()
        .filter(|d| d.from.contains(&status) && M::guard(state, &ctx, d).is_ok())
        .map(|d| ActionInfo {
            action: d.action.to_string(),
            label: d.label.to_string(),
        })
        .collect()
}

pub(crate) fn derive<M: Machine>(fields: &Map<String, Value>, events: &[EventEnvelope]) -> Derived {
    let refs: Vec<&EventEnvelope> = events.iter().collect();
    let (state, rejected) = fold::<M>(fields, &refs, None);
    let allowed_actions = allowed::<M>(&state, fields);
    let base = M::base(&state).clone();
    let def = status_def::<M>(base.status);
    Derived {
        status: def.code.to_string(),
        status_label: def.label.to_string(),
        clocks: base.clocks,
        allowed_actions,
        rejected,
        closed: def.closed,
        payments: base.payments,
        dates: base.dates,
        amounts: base.amounts,
        outcome: base.outcome,
    }
}

/// Is `new` legal after `events`? It is folded in its place (it may be
/// back-dated), with admission guards; it must be accepted itself and must not
/// displace an event that was accepted before.
pub(crate) fn check<M: Machine>(
    fields: &Map<String, Value>,
    events: &[EventEnvelope],
    new: &EventEnvelope,
) -> Result<(), TransitionError> {
    let before: Vec<&EventEnvelope> = events.iter().collect();
    if events.iter().any(|e| e.id == new.id) {
        return Err(TransitionError::new(
            new.action.clone(),
            M::base(&fold::<M>(fields, &before, None).0).status,
            "事件唯一性",
            format!("事件编号 {} 已存在 (duplicate event id)", new.id),
        ));
    }
    let (_, rejected_before) = fold::<M>(fields, &before, None);
    let mut all = before.clone();
    all.push(new);
    let (_, rejected_after) = fold::<M>(fields, &all, Some(&new.id));
    if let Some(r) = rejected_after.iter().find(|r| r.event_id == new.id) {
        return Err(r.error.clone());
    }
    if let Some(displaced) = rejected_after
        .iter()
        .find(|r| !rejected_before.iter().any(|b| b.event_id == r.event_id))
    {
        let (state_at, _) = fold::<M>(fields, &before, None);
        return Err(TransitionError::new(
            new.action.clone(),
            M::base(&state_at).status,
            "事件顺序",
            format!(
                "该事件日期（{}）早于已记录的“{}”，插入后将使其无效：{}",
                new.on, displaced.error.action, displaced.error.message
            ),
        ));
    }
    Ok(())
}

// ---- parameter helpers: each names the parameter it reads ----

pub(crate) fn p_str<'a>(ev: &'a EventEnvelope, name: &str) -> Option<&'a str> {
    ev.params
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub(crate) fn p_req_str<'a>(
    ev: &'a EventEnvelope,
    name: &str,
    label: &str,
) -> Result<&'a str, ValidationError> {
    match ev.params.get(name) {
        Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim()),
        Some(v) if !v.is_null() && !v.is_string() => Err(ValidationError::new(
            format!("params.{name}"),
            "参数类型",
            format!("{label}应为文本"),
        )),
        _ => Err(ValidationError::new(
            format!("params.{name}"),
            "必填",
            format!("{label}为必填参数 (required)"),
        )),
    }
}

pub(crate) fn p_code(
    ev: &EventEnvelope,
    name: &str,
    list: &super::codes::CodeList,
    required: bool,
) -> Result<Option<String>, ValidationError> {
    let field = format!("params.{name}");
    match ev.params.get(name) {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(ValidationError::new(
            field,
            "必填",
            format!("{}为必填参数 (required)", list.label),
        )),
        Some(v) => {
            super::spec::check_code(&field, list.name, v)?;
            // The canonical code for a known code or label; an open list's
            // local code as given.
            let s = v.as_str().unwrap_or_default().trim();
            Ok(Some(
                list.resolve(s)
                    .map_or_else(|| s.to_string(), |c| c.code.to_string()),
            ))
        }
    }
}

pub(crate) fn p_fen(
    ev: &EventEnvelope,
    name: &str,
    required: bool,
) -> Result<Option<i64>, ValidationError> {
    let field = format!("params.{name}");
    match ev.params.get(name) {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(ValidationError::new(
            field,
            "必填",
            "金额为必填参数 (required)",
        )),
        Some(v) => match v.as_i64() {
            Some(n) if n >= 0 => Ok(Some(n)),
            Some(_) => Err(ValidationError::new(
                field,
                "金额不得为负",
                "金额不得为负数",
            )),
            None => Err(ValidationError::new(
                field,
                "金额以分为单位的整数",
                "金额应为以分计的整数 (integer fen)",
            )),
        },
    }
}

pub(crate) fn p_u32(ev: &EventEnvelope, name: &str) -> Result<Option<u32>, ValidationError> {
    match ev.params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => v
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| {
                ValidationError::new(format!("params.{name}"), "参数类型", "应为正整数天数")
            }),
    }
}

pub(crate) fn p_bool(ev: &EventEnvelope, name: &str) -> Result<Option<bool>, ValidationError> {
    match ev.params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ValidationError::new(
            format!("params.{name}"),
            "参数类型",
            "应为 true/false",
        )),
    }
}

pub(crate) fn p_date(ev: &EventEnvelope, name: &str) -> Result<Option<NaiveDate>, ValidationError> {
    match ev.params.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => super::spec::parse_date(&format!("params.{name}"), v).map(Some),
    }
}

/// An approver is required for every extension (负责人批准).
pub(crate) fn p_extension(
    ev: &EventEnvelope,
    max_days: Option<u32>,
) -> Result<Extension, ValidationError> {
    let approver = p_req_str(ev, "approver", "批准人")?.to_string();
    let days = p_u32(ev, "days")?;
    if let (Some(d), Some(max)) = (days, max_days) {
        if d == 0 || d > max {
            return Err(ValidationError::new(
                "params.days",
                "延长期限上限",
                format!("延长天数应在1至{max}之间，实为{d}"),
            ));
        }
    }
    Ok(Extension {
        days,
        approver,
        approved_on: ev.on,
    })
}
