//! 举报 — a report of a violation (12315), handled under the penalty procedure
//! (投诉举报暂行办法 Art 31; 程序规定 Art 18).
//!
//! RECEIVED → DISPATCHED (⇄ RETURNED) → VERIFYING (15 (+15) working days) →
//! FILED | NOT_FILED | NO_JURISDICTION | TRANSFERRED → REPORTER_NOTIFIED
//! (real-name reporters, 5 working days) → CLOSED.
//!
//! The reporter's identity is never in this record: it lives in the `annex`
//! record named by `annex_id` (Art 33: 举报人信息保密).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codes::{NOT_FILE_REASON, PAUSE_REASON, RETURN_REASON};
use super::error::ValidationError;
use super::party::Party;
use super::spec::{f, get_bool, get_date, get_str, FieldSpec, FieldType as T};
use super::workflow::{
    act, end, p_code, p_extension, p_req_str, p_str, refuse, st, ActionDef, Base, Ctx, Machine,
    Refusal, StatusDef,
};
use crate::deadline::RuleId;
use crate::record::EventEnvelope;

/// 举报 — plain fields (DOMAIN §6.1 Report), without the reporter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Report {
    pub report_no: Option<String>,
    pub channel: Option<String>,
    pub received_on: Option<chrono::NaiveDate>,
    pub received_by: Option<String>,
    pub real_name: bool,
    pub annex_id: Option<String>,
    pub reported_party: Option<Party>,
    pub clue: String,
    pub category: Option<String>,
    pub problem_type: Option<String>,
    pub reward_fen: Option<i64>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f("report_no", "举报编号", T::Text, false, ""),
    f("channel", "举报渠道", T::Code("channel"), false, ""),
    f(
        "received_on",
        "收到日期",
        T::Date,
        true,
        "十五个工作日核查期限自此起算",
    ),
    f(
        "received_by",
        "接收单位",
        T::Text,
        false,
        "统一接收分送的机构",
    ),
    f(
        "real_name",
        "实名举报",
        T::Bool,
        true,
        "实名举报的，立案与否决定后五个工作日内告知举报人（第三十一条）",
    ),
    f(
        "annex_id",
        "举报人信息（保密附件）",
        T::Text,
        false,
        "举报人身份只存于保密附件（第三十三条）",
    ),
    f("reported_party", "被举报人", T::Object("party"), false, ""),
    f("clue", "举报内容", T::LongText, true, ""),
    f("category", "举报类别", T::Code("case_category"), false, ""),
    f(
        "problem_type",
        "问题类别",
        T::Text,
        false,
        "食品安全违法、价格违法…",
    ),
    f("reward_fen", "举报奖励（分）", T::Fen, false, ""),
    f("notes", "备注", T::LongText, false, ""),
];

/// Field names that would put the reporter's identity into the report itself.
const FORBIDDEN: &[&str] = &[
    "reporter",
    "reporter_name",
    "reporter_phone",
    "reporter_id_no",
    "reporter_address",
    "informant",
];

pub(crate) fn check_record(fields: &Map<String, Value>, errors: &mut Vec<ValidationError>) {
    for name in FORBIDDEN {
        if fields.contains_key(*name) {
            errors.retain(|e| e.field != *name);
            errors.push(ValidationError::new(
                *name,
                "投诉举报暂行办法第三十三条 举报人信息保密",
                "举报人信息只能存于保密附件（annex），并以 annex_id 关联 (reporter identity belongs in the annex)",
            ));
        }
    }
}

pub struct ReportMachine;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ReportState {
    base: Base,
    central: Option<String>,
}

const DECIDED: &[&str] = &["FILED", "NOT_FILED", "NO_JURISDICTION", "TRANSFERRED"];
const ART31_RULE: &str = "投诉举报暂行办法第三十一条";

impl Machine for ReportMachine {
    type State = ReportState;
    const STATUSES: &'static [StatusDef] = &[
        st("RECEIVED", "已登记"),
        st("DISPATCHED", "已分送"),
        st("RETURNED", "已退回"),
        st("VERIFYING", "核查中"),
        st("FILED", "已立案"),
        st("NOT_FILED", "不予立案"),
        st("NO_JURISDICTION", "无管辖权"),
        st("TRANSFERRED", "已移送"),
        st("REPORTER_NOTIFIED", "已告知举报人"),
        end("CLOSED", "已办结"),
    ];
    const ACTIONS: &'static [ActionDef] = &[
        // 分送 {to_office, from_office?}.
        act(
            "dispatch",
            "分送",
            "投诉举报暂行办法第三十七条",
            &["RECEIVED", "RETURNED"],
        ),
        // 退回 {reason, to_office?}: only back to the central unit.
        act(
            "return",
            "退回",
            "投诉举报暂行办法第三十七条",
            &["DISPATCHED"],
        ),
        // 核查.
        act(
            "start_verify",
            "开始核查",
            "程序规定第十八条",
            &["RECEIVED", "DISPATCHED"],
        ),
        // 延长核查期限 {approver, days? ≤15}: once.
        act(
            "extend_verify",
            "延长核查期限",
            "程序规定第十八条",
            &["VERIFYING"],
        ),
        // 检测/鉴定 {reason}: not counted.
        act(
            "pause",
            "不计入核查期限（检测鉴定等）",
            "程序规定第十八条",
            &["VERIFYING"],
        ),
        act("resume", "恢复计时", "程序规定第十八条", &["VERIFYING"]),
        // 立案 {case_id}.
        act("file", "立案", "投诉举报暂行办法第三十一条", &["VERIFYING"]),
        // 不予立案 {reason}.
        act("not_file", "不予立案", "程序规定第二十条", &["VERIFYING"]),
        // 无管辖权 — tell the reporter.
        act(
            "no_jurisdiction",
            "无管辖权告知",
            "投诉举报暂行办法第二十五条",
            &["RECEIVED", "DISPATCHED", "VERIFYING"],
        ),
        // 移送 {to}.
        act(
            "transfer",
            "移送",
            "投诉举报暂行办法第二十九条",
            &["RECEIVED", "DISPATCHED", "VERIFYING"],
        ),
        // 告知举报人 — within 5 working days of the decision.
        act("notify_reporter", "告知举报人", ART31_RULE, DECIDED),
        // 办结.
        act(
            "close",
            "办结",
            ART31_RULE,
            &[
                "FILED",
                "NOT_FILED",
                "NO_JURISDICTION",
                "TRANSFERRED",
                "REPORTER_NOTIFIED",
            ],
        ),
    ];

    fn initial(fields: &Map<String, Value>) -> ReportState {
        let mut base = Base::new("RECEIVED");
        if let Some(d) = get_date(fields, "received_on") {
            base.date("received_on", d);
            base.start_clock(RuleId::ReportVerify, d);
        }
        ReportState {
            base,
            central: get_str(fields, "received_by").map(str::to_string),
        }
    }
    fn base(s: &ReportState) -> &Base {
        &s.base
    }

    fn guard(s: &ReportState, ctx: &Ctx, def: &ActionDef) -> Result<(), Refusal> {
        let paused = s.base.is_paused(RuleId::ReportVerify);
        let real_name = get_bool(ctx.fields, "real_name").unwrap_or(false);
        match def.action {
            "extend_verify" if s.base.extensions(RuleId::ReportVerify) >= 1 => Err(refuse(
                "程序规定第十八条：核查期限仅可延长一次",
                "核查期限已延长十五个工作日，不得再次延长",
            )),
            "pause" if paused => Err(refuse("计时已暂停", "核查期限已在暂停中")),
            "resume" if !paused => Err(refuse("计时未暂停", "核查期限未暂停")),
            "notify_reporter" if ctx.admission && !real_name => {
                Err(refuse(ART31_RULE, "匿名举报无须告知举报人"))
            }
            "close" if ctx.admission && real_name && s.base.status != "REPORTER_NOTIFIED" => Err(
                refuse(ART31_RULE, "实名举报的，应当告知举报人是否立案后方可办结"),
            ),
            _ => Ok(()),
        }
    }

    fn apply(s: &mut ReportState, ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
        let on = ev.on;
        let real_name = get_bool(ctx.fields, "real_name").unwrap_or(false);
        let b = &mut s.base;
        let decided = |b: &mut Base, status: &'static str, outcome: &str| {
            b.status = status;
            b.meet(RuleId::ReportVerify, on);
            b.date("decided_on", on);
            b.outcome = Some(outcome.to_string());
            if real_name {
                // Art 31: tell a real-name reporter within 5 working days.
                b.start_clock(RuleId::ReportNotifyReporter, on);
            }
        };
        match ev.action.as_str() {
            "dispatch" => {
                p_req_str(ev, "to_office", "分送单位")?;
                if s.central.is_none() {
                    s.central = p_str(ev, "from_office").map(str::to_string);
                }
                b.status = "DISPATCHED";
                b.date("dispatched_on", on);
                // The handling unit counts from the day it receives the material.
                if !b
                    .clocks
                    .iter()
                    .any(|c| c.rule == RuleId::ReportVerify && !c.pauses.is_empty())
                {
                    b.clocks.retain(|c| c.rule != RuleId::ReportVerify);
                    b.start_clock(RuleId::ReportVerify, on);
                }
            }
            "return" => {
                p_code(ev, "reason", &RETURN_REASON, true)?;
                if let (Some(to), Some(central)) = (p_str(ev, "to_office"), s.central.as_deref()) {
                    if to != central {
                        return Err(refuse(
                            "投诉举报暂行办法第三十七条：退回分送机构，不得自行移送",
                            format!("只能退回统一分送的机构“{central}”，不得转给“{to}”"),
                        ));
                    }
                }
                b.status = "RETURNED";
            }
            "start_verify" => {
                b.status = "VERIFYING";
                b.date("verify_started_on", on);
                if !b.clocks.iter().any(|c| c.rule == RuleId::ReportVerify) {
                    b.start_clock(RuleId::ReportVerify, on);
                }
            }
            "extend_verify" => {
                let ext = p_extension(ev, Some(15))?;
                b.extend(RuleId::ReportVerify, ext);
            }
            "pause" => {
                let reason = p_code(ev, "reason", &PAUSE_REASON, true)?.unwrap_or_default();
                b.pause(
                    RuleId::ReportVerify,
                    on,
                    PAUSE_REASON.label_of(&reason).unwrap_or("鉴定"),
                );
            }
            "resume" => b.resume(RuleId::ReportVerify, on),
            "file" => {
                p_req_str(ev, "case_id", "案件/案源记录编号")?;
                decided(b, "FILED", "filed");
                b.date("filed_on", on);
            }
            "not_file" => {
                p_code(ev, "reason", &NOT_FILE_REASON, true)?;
                decided(b, "NOT_FILED", "not_filed");
            }
            "no_jurisdiction" => decided(b, "NO_JURISDICTION", "no_jurisdiction"),
            "transfer" => {
                p_req_str(ev, "to", "移送机关")?;
                decided(b, "TRANSFERRED", "transferred");
            }
            "notify_reporter" => {
                b.status = "REPORTER_NOTIFIED";
                b.meet(RuleId::ReportNotifyReporter, on);
                b.date("reporter_notified_on", on);
            }
            "close" => {
                b.status = "CLOSED";
                b.date("closed_on", on);
            }
            _ => {}
        }
        Ok(())
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    let party = fields
        .get("reported_party")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let clue: String = get_str(fields, "clue")
        .unwrap_or("")
        .chars()
        .take(30)
        .collect();
    match (party.is_empty(), clue.is_empty()) {
        (false, false) => format!("举报{party}：{clue}"),
        (false, true) => format!("举报{party}"),
        (true, _) => format!("举报：{clue}"),
    }
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in ["report_no", "clue", "problem_type", "notes"] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
    if let Some(p) = fields
        .get("reported_party")
        .and_then(|v| serde_json::from_value::<Party>(v.clone()).ok())
    {
        p.search_words(out);
    }
}
