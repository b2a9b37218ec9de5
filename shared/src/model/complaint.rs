//! 投诉 — a consumer complaint (12315), under 《市场监督管理投诉举报处理暂行办法》
//! (2019, amended 2022; DOMAIN §2 — a 2026 revision may change the limits).
//!
//! RECEIVED → DISPATCHED ⇄ RETURNED → PENDING_ACCEPTANCE → NOT_ACCEPTED |
//! ACCEPTED → MEDIATING → AGREED | TERMINATED | WITHDRAWN → CLOSED.
//! The complainant's identity is in the confidential annex (`annex_id`).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codes::{
    ART15_REASON, ART21_REASON, MEDIATION_MODE, PAUSE_REASON, PURCHASE_MODE, RETURN_REASON,
};
use super::error::ValidationError;
use super::party::Party;
use super::spec::{f, get_date, get_str, FieldSpec, FieldType as T};
use super::workflow::{
    act, end, p_code, p_fen, p_req_str, p_str, refuse, st, ActionDef, Base, Ctx, Machine, Refusal,
    StatusDef,
};
use crate::deadline::RuleId;
use crate::record::EventEnvelope;

/// 投诉对象 — the goods or service complained about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchasedItem {
    pub name: String,
    #[serde(default)]
    pub brand: Option<String>,
    #[serde(default)]
    pub model: Option<String>,
    #[serde(default)]
    pub quantity: Option<u64>,
    #[serde(default)]
    pub price_fen: Option<i64>,
    #[serde(default)]
    pub purchase_date: Option<chrono::NaiveDate>,
    /// online 线上 / offline 线下.
    #[serde(default)]
    pub purchase_mode: Option<String>,
    #[serde(default)]
    pub platform: Option<String>,
}

impl PurchasedItem {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new(
                "name",
                "必填",
                "商品或服务名称为必填项",
            ));
        }
        if self.price_fen.is_some_and(|p| p < 0) {
            return Err(ValidationError::new(
                "price_fen",
                "金额不得为负",
                "价格不得为负数",
            ));
        }
        if let Some(m) = self.purchase_mode.as_deref() {
            if PURCHASE_MODE.resolve(m).is_none() {
                return Err(ValidationError::new(
                    "purchase_mode",
                    "代码表 purchase_mode",
                    "购买方式应为线上/线下",
                ));
            }
        }
        Ok(())
    }
}

/// 投诉 — plain fields (DOMAIN §6.1 Complaint).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Complaint {
    pub complaint_no: Option<String>,
    pub platform_order_no: Option<String>,
    pub channel: Option<String>,
    pub received_on: Option<chrono::NaiveDate>,
    pub received_by: Option<String>,
    pub annex_id: Option<String>,
    pub co_complainant_count: Option<u64>,
    pub respondent: Option<Party>,
    pub item: Option<PurchasedItem>,
    pub category: Option<String>,
    pub problem_type: Option<String>,
    pub claim: String,
    pub facts: Option<String>,
    pub amount_in_dispute_fen: Option<i64>,
    pub satisfaction: Option<String>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f("complaint_no", "投诉编号", T::Text, false, ""),
    f(
        "platform_order_no",
        "平台工单号",
        T::Text,
        false,
        "12315/12345 工单号",
    ),
    f(
        "channel",
        "投诉渠道",
        T::Code("channel"),
        false,
        "投诉举报暂行办法第八条",
    ),
    f(
        "received_on",
        "收到日期",
        T::Date,
        true,
        "七个工作日内决定是否受理（第十四条）",
    ),
    f(
        "received_by",
        "接收单位",
        T::Text,
        false,
        "统一接收分送的机构；退回只能退回该机构（第三十七条）",
    ),
    f(
        "annex_id",
        "投诉人信息（保密附件）",
        T::Text,
        false,
        "投诉人姓名、电话、地址存于保密附件",
    ),
    f(
        "co_complainant_count",
        "共同投诉人数",
        T::Count,
        false,
        "共同投诉可推选代表（第十一条）",
    ),
    f("respondent", "被投诉人", T::Object("party"), true, ""),
    f(
        "item",
        "投诉对象",
        T::Object("purchased_item"),
        false,
        "商品或服务",
    ),
    f(
        "category",
        "投诉分类",
        T::Code("complaint_category"),
        false,
        "商品类/服务类",
    ),
    f(
        "problem_type",
        "问题类别",
        T::Text,
        false,
        "售后服务、食品安全、合同、价格…",
    ),
    f("claim", "投诉请求", T::LongText, true, "具体诉求（第九条）"),
    f("facts", "争议事实", T::LongText, false, ""),
    f("amount_in_dispute_fen", "争议金额（分）", T::Fen, false, ""),
    f(
        "satisfaction",
        "回访满意度",
        T::Code("evaluation_result"),
        false,
        "",
    ),
    f("notes", "备注", T::LongText, false, ""),
];

pub struct ComplaintMachine;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ComplaintState {
    base: Base,
    /// The unit that dispatched it: returns go back there only.
    central: Option<String>,
    outcome_notified: bool,
}

const BEFORE_ACCEPTANCE: &[&str] = &["RECEIVED", "DISPATCHED", "PENDING_ACCEPTANCE"];
const ART37_RULE: &str = "投诉举报暂行办法第三十七条：退回分送机构，不得自行移送";

impl Machine for ComplaintMachine {
    type State = ComplaintState;
    const STATUSES: &'static [StatusDef] = &[
        st("RECEIVED", "已登记"),
        st("DISPATCHED", "已分送"),
        st("RETURNED", "已退回"),
        st("PENDING_ACCEPTANCE", "待受理"),
        st("ACCEPTED", "已受理"),
        st("NOT_ACCEPTED", "不予受理"),
        st("MEDIATING", "调解中"),
        st("AGREED", "调解成功"),
        st("TERMINATED", "终止调解"),
        st("WITHDRAWN", "撤回/和解"),
        end("CLOSED", "已办结"),
    ];
    const ACTIONS: &'static [ActionDef] = &[
        // 分送 {to_office, from_office?}: the central unit sends it to the unit
        // with power to handle it.
        act(
            "dispatch",
            "分送",
            "投诉举报暂行办法第三十七条",
            &["RECEIVED", "RETURNED"],
        ),
        // 认领/签收 — the receiving unit takes it.
        act(
            "claim",
            "签收",
            "投诉举报暂行办法第三十七条",
            &["DISPATCHED"],
        ),
        // 退回 {reason, to_office?}: only back to the central unit.
        act(
            "return",
            "退回",
            "投诉举报暂行办法第三十七条",
            &["DISPATCHED", "PENDING_ACCEPTANCE"],
        ),
        // 受理 {mode?} — within 7 working days of receipt.
        act(
            "accept",
            "受理",
            "投诉举报暂行办法第十四条",
            BEFORE_ACCEPTANCE,
        ),
        // 不予受理 {art15_reason}.
        act(
            "not_accept",
            "不予受理",
            "投诉举报暂行办法第十五条",
            BEFORE_ACCEPTANCE,
        ),
        // 组织调解 {mode?: on_site|remote, entrusted_to?} (消协委托, Art 17).
        act(
            "start_mediation",
            "组织调解",
            "投诉举报暂行办法第十六条至第十八条",
            &["ACCEPTED"],
        ),
        // 检测/鉴定 {reason}: not counted (Art 20).
        act(
            "pause",
            "不计入调解期限（检测鉴定）",
            "投诉举报暂行办法第二十条",
            &["MEDIATING"],
        ),
        act(
            "resume",
            "恢复计时",
            "投诉举报暂行办法第二十条",
            &["MEDIATING"],
        ),
        // 达成调解协议 {agreement_no?, recovered_fen}.
        act(
            "agree",
            "达成调解协议",
            "投诉举报暂行办法第二十二条",
            &["MEDIATING"],
        ),
        // 终止调解 {art21_reason}.
        act(
            "terminate",
            "终止调解",
            "投诉举报暂行办法第二十一条",
            &["ACCEPTED", "MEDIATING"],
        ),
        // 撤回投诉/自行和解 {settled?}.
        act(
            "withdraw",
            "撤回投诉/自行和解",
            "投诉举报暂行办法第二十一条",
            &[
                "RECEIVED",
                "DISPATCHED",
                "PENDING_ACCEPTANCE",
                "ACCEPTED",
                "MEDIATING",
            ],
        ),
        // 告知终止调解 — both parties, within 7 working days.
        act(
            "notify_outcome",
            "告知双方终止调解",
            "投诉举报暂行办法第二十一条",
            &["TERMINATED"],
        ),
        // 办结.
        act(
            "close",
            "办结",
            "投诉举报暂行办法",
            &["NOT_ACCEPTED", "AGREED", "TERMINATED", "WITHDRAWN"],
        ),
        // 发现违法线索 {report_id}: handled as a report/lead (Art 23).
        act(
            "spawn_report",
            "发现违法线索转举报",
            "投诉举报暂行办法第二十三条",
            &[
                "RECEIVED",
                "DISPATCHED",
                "RETURNED",
                "PENDING_ACCEPTANCE",
                "ACCEPTED",
                "NOT_ACCEPTED",
                "MEDIATING",
                "AGREED",
                "TERMINATED",
                "WITHDRAWN",
            ],
        ),
    ];

    fn initial(fields: &Map<String, Value>) -> ComplaintState {
        let mut base = Base::new("RECEIVED");
        if let Some(d) = get_date(fields, "received_on") {
            base.date("received_on", d);
            // Art 14: decide on acceptance within 7 working days of receipt.
            base.start_clock(RuleId::ComplaintAccept, d);
        }
        ComplaintState {
            base,
            central: get_str(fields, "received_by").map(str::to_string),
            outcome_notified: false,
        }
    }
    fn base(s: &ComplaintState) -> &Base {
        &s.base
    }

    fn guard(s: &ComplaintState, _ctx: &Ctx, def: &ActionDef) -> Result<(), Refusal> {
        let paused = s.base.is_paused(RuleId::ComplaintMediate);
        match def.action {
            "pause" if paused => Err(refuse("计时已暂停", "调解期限已在暂停中")),
            "resume" if !paused => Err(refuse("计时未暂停", "调解期限未暂停")),
            "notify_outcome" if s.outcome_notified => {
                Err(refuse("投诉举报暂行办法第二十一条", "已告知双方"))
            }
            "close" if s.base.status == "TERMINATED" && !s.outcome_notified => Err(refuse(
                "投诉举报暂行办法第二十一条",
                "终止调解的，应当自终止之日起七个工作日内告知双方后办结",
            )),
            _ => Ok(()),
        }
    }

    fn apply(s: &mut ComplaintState, _ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
        let on = ev.on;
        match ev.action.as_str() {
            "dispatch" => {
                p_req_str(ev, "to_office", "分送单位")?;
                if s.central.is_none() {
                    s.central = p_str(ev, "from_office").map(str::to_string);
                }
                s.base.status = "DISPATCHED";
                s.base.date("dispatched_on", on);
            }
            "claim" => s.base.status = "PENDING_ACCEPTANCE",
            "return" => {
                p_code(ev, "reason", &RETURN_REASON, true)?;
                if let (Some(to), Some(central)) = (p_str(ev, "to_office"), s.central.as_deref()) {
                    if to != central {
                        return Err(refuse(
                            ART37_RULE,
                            format!("只能退回统一分送的机构“{central}”，不得转给“{to}”"),
                        ));
                    }
                }
                s.base.status = "RETURNED";
                s.base.date("returned_on", on);
            }
            "accept" => {
                p_code(ev, "mode", &MEDIATION_MODE, false)?;
                s.base.status = "ACCEPTED";
                s.base.meet(RuleId::ComplaintAccept, on);
                // Art 21(5): mediation ends within 45 working days of acceptance.
                s.base.start_clock(RuleId::ComplaintMediate, on);
                s.base.date("accepted_on", on);
            }
            "not_accept" => {
                p_code(ev, "art15_reason", &ART15_REASON, true)?;
                s.base.status = "NOT_ACCEPTED";
                s.base.meet(RuleId::ComplaintAccept, on);
                s.base.date("not_accepted_on", on);
                s.base.outcome = Some("not_accepted".into());
            }
            "start_mediation" => {
                p_code(ev, "mode", &MEDIATION_MODE, false)?;
                s.base.status = "MEDIATING";
                s.base.date("mediation_started_on", on);
            }
            "pause" => {
                let reason = p_code(ev, "reason", &PAUSE_REASON, true)?.unwrap_or_default();
                s.base.pause(
                    RuleId::ComplaintMediate,
                    on,
                    PAUSE_REASON.label_of(&reason).unwrap_or("检测"),
                );
            }
            "resume" => s.base.resume(RuleId::ComplaintMediate, on),
            "agree" => {
                let recovered = p_fen(ev, "recovered_fen", true)?.unwrap_or(0);
                s.base.status = "AGREED";
                s.base.meet(RuleId::ComplaintMediate, on);
                s.base.date("agreed_on", on);
                s.base.amounts.insert("recovered_fen".into(), recovered);
                s.base.outcome = Some("agreed".into());
            }
            "terminate" => {
                p_code(ev, "art21_reason", &ART21_REASON, true)?;
                s.base.status = "TERMINATED";
                s.base.meet(RuleId::ComplaintMediate, on);
                // Art 21: tell both parties within 7 working days.
                s.base.start_clock(RuleId::ComplaintNotifyOutcome, on);
                s.base.date("terminated_on", on);
                s.base.outcome = Some("terminated".into());
            }
            "withdraw" => {
                s.base.status = "WITHDRAWN";
                s.base.meet(RuleId::ComplaintAccept, on);
                s.base.meet(RuleId::ComplaintMediate, on);
                s.base.date("withdrawn_on", on);
                s.base.outcome = Some("withdrawn".into());
            }
            "notify_outcome" => {
                s.outcome_notified = true;
                s.base.meet(RuleId::ComplaintNotifyOutcome, on);
                s.base.date("outcome_notified_on", on);
            }
            "close" => {
                s.base.status = "CLOSED";
                s.base.date("closed_on", on);
            }
            "spawn_report" => {
                p_req_str(ev, "report_id", "举报记录编号")?;
                s.base.date("clue_found_on", on);
            }
            _ => {}
        }
        Ok(())
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    let respondent = fields
        .get("respondent")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let item = fields
        .get("item")
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let problem = get_str(fields, "problem_type").unwrap_or("");
    let mut t = format!("投诉{respondent}");
    if !item.is_empty() || !problem.is_empty() {
        t.push('：');
        t.push_str(item);
        t.push_str(problem);
    }
    t
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in [
        "complaint_no",
        "platform_order_no",
        "problem_type",
        "claim",
        "facts",
        "notes",
    ] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
    if let Some(p) = fields
        .get("respondent")
        .and_then(|v| serde_json::from_value::<Party>(v.clone()).ok())
    {
        p.search_words(out);
    }
    if let Some(item) = fields.get("item") {
        for k in ["name", "brand", "model", "platform"] {
            if let Some(s) = item.get(k).and_then(Value::as_str) {
                out.push(s.to_string());
            }
        }
    }
}
