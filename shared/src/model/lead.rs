//! 案源/线索 — a lead, from registration to the filing decision.
//!
//! REGISTERED → VERIFYING (15 working days, +15 once; lab and identification
//! time paused) → FILED | NOT_FILED | TRANSFERRED | MERGED (程序规定 Art 18–20).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codes::{NOT_FILE_REASON, PAUSE_REASON};
use super::party::Party;
use super::spec::{f, get_date, get_str, FieldSpec, FieldType as T};
use super::workflow::{
    act, end, p_code, p_extension, p_req_str, refuse, st, ActionDef, Base, Ctx, Machine, Refusal,
    StatusDef,
};
use crate::deadline::RuleId;
use crate::record::EventEnvelope;

/// 案源 — plain fields (DOMAIN §6.1 Lead). The decision, its date and the
/// verification clock come from events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Lead {
    pub lead_no: Option<String>,
    pub source_type: String,
    pub source_ref: Option<String>,
    pub received_on: Option<chrono::NaiveDate>,
    pub summary: String,
    pub party: Option<Party>,
    pub assigned_officers: Vec<String>,
    pub case_category: Option<String>,
    pub org_unit_id: Option<String>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f("lead_no", "案源编号", T::Text, false, "案件来源登记表编号"),
    f(
        "source_type",
        "案件来源",
        T::Code("case_source"),
        true,
        "程序规定第十八条",
    ),
    f(
        "source_ref",
        "来源文书",
        T::Text,
        false,
        "投诉/举报记录编号或移送函文号",
    ),
    f(
        "received_on",
        "发现/收到日期",
        T::Date,
        true,
        "十五个工作日核查期限自此起算（程序规定第十八条）",
    ),
    f("summary", "线索内容", T::LongText, true, ""),
    f("party", "涉嫌当事人", T::Object("party"), false, ""),
    f(
        "assigned_officers",
        "核查人员",
        T::TextList,
        false,
        "人员编号",
    ),
    f(
        "case_category",
        "案件类别",
        T::Code("case_category"),
        false,
        "",
    ),
    f("org_unit_id", "承办机构", T::Text, false, ""),
    f("notes", "备注", T::LongText, false, ""),
];

pub struct LeadMachine;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct LeadState {
    base: Base,
}

const OPEN: &[&str] = &["REGISTERED", "VERIFYING"];

impl Machine for LeadMachine {
    type State = LeadState;
    const STATUSES: &'static [StatusDef] = &[
        st("REGISTERED", "已登记"),
        st("VERIFYING", "核查中"),
        end("FILED", "已立案"),
        end("NOT_FILED", "不予立案"),
        end("TRANSFERRED", "已移送"),
        end("MERGED", "已并案"),
    ];
    const ACTIONS: &'static [ActionDef] = &[
        // 核查 — verification of the lead begins.
        act(
            "start_verify",
            "开始核查",
            "程序规定第十八条",
            &["REGISTERED"],
        ),
        // 延长核查期限 {approver, days? ≤15}: once, with the head's approval.
        act(
            "extend_verify",
            "延长核查期限",
            "程序规定第十八条",
            &["VERIFYING"],
        ),
        // 检测/检验/检疫/鉴定/权利人辨认 {reason}: time not counted.
        act(
            "pause",
            "不计入核查期限（检测鉴定等）",
            "程序规定第十八条",
            &["VERIFYING"],
        ),
        act("resume", "恢复计时", "程序规定第十八条", &["VERIFYING"]),
        // 立案 {handlers: ≥2 certified, case_id?, approver?}.
        act(
            "file",
            "立案",
            "程序规定第十九条、行政处罚法第四十二条",
            &["VERIFYING"],
        ),
        // 不予立案 {reason (Art 20), approver?}.
        act("not_file", "不予立案", "程序规定第二十条", &["VERIFYING"]),
        // 移送 {to}: to another agency or bureau with jurisdiction.
        act("transfer", "移送", "行政处罚法第二十二条至第二十五条", OPEN),
        // 并案 {into}: merged into another lead or case.
        act("merge", "并案处理", "程序规定", OPEN),
    ];

    fn initial(fields: &Map<String, Value>) -> LeadState {
        let mut base = Base::new("REGISTERED");
        if let Some(d) = get_date(fields, "received_on") {
            base.date("received_on", d);
            // 程序规定 Art 18: 15 working days from finding the lead.
            base.start_clock(RuleId::CaseVerify, d);
        }
        LeadState { base }
    }
    fn base(s: &LeadState) -> &Base {
        &s.base
    }

    fn guard(s: &LeadState, _ctx: &Ctx, def: &ActionDef) -> Result<(), Refusal> {
        let paused = s.base.is_paused(RuleId::CaseVerify);
        match def.action {
            "extend_verify" if s.base.extensions(RuleId::CaseVerify) >= 1 => Err(refuse(
                "程序规定第十八条：核查期限仅可延长一次",
                "核查期限已延长十五个工作日，不得再次延长",
            )),
            "extend_verify" | "pause" if !s.base.has_running(RuleId::CaseVerify) => Err(refuse(
                "程序规定第十八条",
                "核查期限未起算（缺发现/收到日期）",
            )),
            "pause" if paused => Err(refuse("计时已暂停", "核查期限已在暂停中")),
            "resume" if !paused => Err(refuse("计时未暂停", "核查期限未暂停")),
            _ => Ok(()),
        }
    }

    fn apply(s: &mut LeadState, _ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
        let on = ev.on;
        let b = &mut s.base;
        let decided = |b: &mut Base, status: &'static str, outcome: &str| {
            b.status = status;
            b.meet(RuleId::CaseVerify, on);
            b.date("decided_on", on);
            b.outcome = Some(outcome.to_string());
        };
        match ev.action.as_str() {
            "start_verify" => {
                b.status = "VERIFYING";
                b.date("verify_started_on", on);
                if !b.has_running(RuleId::CaseVerify) && b.clocks.is_empty() {
                    b.start_clock(RuleId::CaseVerify, on);
                }
            }
            "extend_verify" => {
                let ext = p_extension(ev, Some(15))?;
                b.extend(RuleId::CaseVerify, ext);
            }
            "pause" => {
                let reason = p_code(ev, "reason", &PAUSE_REASON, true)?.unwrap_or_default();
                b.pause(
                    RuleId::CaseVerify,
                    on,
                    PAUSE_REASON.label_of(&reason).unwrap_or("鉴定"),
                );
            }
            "resume" => b.resume(RuleId::CaseVerify, on),
            "file" => {
                super::case_workflow::check_filing_handlers(ev)?;
                decided(b, "FILED", "filed");
                b.date("filed_on", on);
            }
            "not_file" => {
                p_code(ev, "reason", &NOT_FILE_REASON, true)?;
                decided(b, "NOT_FILED", "not_filed");
            }
            "transfer" => {
                p_req_str(ev, "to", "移送机关")?;
                decided(b, "TRANSFERRED", "transferred");
            }
            "merge" => {
                p_req_str(ev, "into", "并入的案件/案源")?;
                decided(b, "MERGED", "merged");
            }
            _ => {}
        }
        Ok(())
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    let party = fields
        .get("party")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let summary: String = get_str(fields, "summary")
        .unwrap_or("")
        .chars()
        .take(40)
        .collect();
    match (party.is_empty(), summary.is_empty()) {
        (false, false) => format!("{party}：{summary}"),
        (false, true) => format!("{party}案源"),
        (true, false) => summary,
        (true, true) => "未命名案源".to_string(),
    }
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in ["lead_no", "source_ref", "summary", "notes"] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
    if let Some(p) = fields
        .get("party")
        .and_then(|v| serde_json::from_value::<Party>(v.clone()).ok())
    {
        p.search_words(out);
    }
}
