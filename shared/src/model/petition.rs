//! 信访事项 — a petition, under 《信访工作条例》 (2022; DOMAIN §3).
//!
//! RECEIVED → REGISTERED → (notify ≤15 days) ACCEPTED | REDIRECTED |
//! TRANSFERRED_DOWN | OBJECTED → HANDLING (60 days, +≤30) → REPLIED →
//! EVALUATED → CLOSED; appeal chain REVIEW_REQUESTED (≤30 days after the reply)
//! → REVIEWED (≤30 days) → RECHECK_REQUESTED (≤30 days) → FINAL (≤30 days;
//! after that the same claim is not accepted again, Art 36).
//! Petitioners' identities are in the confidential annex (`annex_id`).

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codes::{EVALUATION_RESULT, OPINION_TYPE, PETITION_SOURCE, REDIRECT_PROCEDURE};
use super::error::ValidationError;
use super::spec::{f, get_date, get_i64, get_str, FieldSpec, FieldType as T};
use super::workflow::{
    act, end, p_code, p_extension, p_req_str, refuse, st, ActionDef, Base, Ctx, Machine, Refusal,
    StatusDef,
};
use crate::deadline::RuleId;
use crate::record::EventEnvelope;

/// 信访工作条例 Art 20: a group visit elects at most five representatives.
pub const MAX_REPRESENTATIVES: i64 = 5;

/// 信访事项 — plain fields (DOMAIN §6.1 Petition).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Petition {
    pub petition_no: Option<String>,
    pub channel: Option<String>,
    pub source: String,
    pub petition_type: String,
    pub received_on: Option<NaiveDate>,
    pub annex_id: Option<String>,
    pub petitioner_count: Option<u64>,
    pub representative_count: Option<u64>,
    pub content: String,
    pub receiving_org: Option<String>,
    pub repeat_of_id: Option<String>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f("petition_no", "信访件编号", T::Text, false, ""),
    f(
        "channel",
        "信访形式",
        T::Code("petition_channel"),
        false,
        "信访工作条例第十七条",
    ),
    f(
        "source",
        "来源",
        T::Code("petition_source"),
        true,
        "直接/信访部门转送/上级交办",
    ),
    f(
        "petition_type",
        "事项类型",
        T::Code("petition_type"),
        true,
        "建议意见类/检举控告类/申诉求决类",
    ),
    f(
        "received_on",
        "收到日期",
        T::Date,
        true,
        "十五日内告知是否受理（第二十三条）",
    ),
    f("annex_id", "信访人信息（保密附件）", T::Text, false, ""),
    f("petitioner_count", "信访人数", T::Count, false, ""),
    f(
        "representative_count",
        "推选代表人数",
        T::Count,
        false,
        "多人走访的代表不超过五人（第二十条）",
    ),
    f("content", "信访事项", T::LongText, true, ""),
    f("receiving_org", "受理机关", T::Text, false, ""),
    f(
        "repeat_of_id",
        "重复信访原件",
        T::Text,
        false,
        "同一事项的前次信访记录编号",
    ),
    f("notes", "备注", T::LongText, false, ""),
];

pub(crate) fn check_record(fields: &Map<String, Value>, errors: &mut Vec<ValidationError>) {
    if get_i64(fields, "representative_count").is_some_and(|n| n > MAX_REPRESENTATIVES) {
        errors.push(ValidationError::new(
            "representative_count",
            "信访工作条例第二十条",
            "多人采用走访形式的，应当推选代表，代表人数不超过五人",
        ));
    }
}

pub struct PetitionMachine;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Answer {
    #[default]
    None,
    Reply(NaiveDate),
    Review(NaiveDate),
    Recheck,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct PetitionState {
    base: Base,
    last_answer: Answer,
    leader: bool,
}

const DECIDE_FROM: &[&str] = &["REGISTERED"];
const ART35: &str = "信访工作条例第三十五条";
const ART36: &str = "信访工作条例第三十六条";

impl Machine for PetitionMachine {
    type State = PetitionState;
    const STATUSES: &'static [StatusDef] = &[
        st("RECEIVED", "已收到"),
        st("REGISTERED", "已登记"),
        st("ACCEPTED", "已受理"),
        st("REDIRECTED", "已告知通过法定途径"),
        st("TRANSFERRED_DOWN", "已转送交办"),
        st("OBJECTED", "已提出异议"),
        st("HANDLING", "办理中"),
        st("REPLIED", "已答复"),
        st("EVALUATED", "已评价"),
        st("REVIEW_REQUESTED", "已申请复查"),
        st("REVIEWED", "已复查"),
        st("RECHECK_REQUESTED", "已申请复核"),
        end("FINAL", "复核终结"),
        end("CLOSED", "已办结"),
    ];
    const ACTIONS: &'static [ActionDef] = &[
        // 登记 — entered into the 信访信息系统.
        act("register", "登记", "信访工作条例第二十一条", &["RECEIVED"]),
        // 受理 — written notice within 15 days.
        act(
            "accept",
            "受理并告知",
            "信访工作条例第二十三条",
            DECIDE_FROM,
        ),
        // 告知通过法定途径 {procedure}: 导入相应程序.
        act(
            "redirect",
            "告知通过法定途径解决",
            "信访工作条例第三十一条",
            DECIDE_FROM,
        ),
        // 转送交办 {to}.
        act(
            "transfer_down",
            "转送交办",
            "信访工作条例第二十二条",
            DECIDE_FROM,
        ),
        // 提出异议 {reason}: transferred items outside our remit, 5 working days.
        act("object", "提出异议", "信访工作条例第二十三条", DECIDE_FROM),
        // 领导包案 {leader}.
        act(
            "assign_leader",
            "领导包案",
            "信访工作条例第十八条",
            &["ACCEPTED", "HANDLING"],
        ),
        // 开始办理.
        act(
            "start_handling",
            "开始办理",
            "信访工作条例第三十四条",
            &["ACCEPTED"],
        ),
        // 延长办理期限 {approver, days? ≤30}: once.
        act(
            "extend_handle",
            "延长办理期限",
            "信访工作条例第三十四条",
            &["ACCEPTED", "HANDLING"],
        ),
        // 出具处理意见 {opinion_type: 支持/解释说明/不予支持}.
        act(
            "reply",
            "出具书面答复",
            "信访工作条例第三十二条、第三十四条",
            &["ACCEPTED", "HANDLING"],
        ),
        // 满意度评价 {result: 满意/基本满意/不满意}.
        act("evaluate", "满意度评价", "国信发〔2022〕11号", &["REPLIED"]),
        // 请求复查 — within 30 days of the reply.
        act(
            "request_review",
            "请求复查",
            ART35,
            &["REPLIED", "EVALUATED", "CLOSED"],
        ),
        // 复查意见 {opinion_type?} — within 30 days.
        act("review_reply", "出具复查意见", ART35, &["REVIEW_REQUESTED"]),
        // 请求复核 — within 30 days of the review opinion.
        act(
            "request_recheck",
            "请求复核",
            ART36,
            &["REVIEWED", "CLOSED"],
        ),
        // 复核意见 {opinion_type?} — final.
        act(
            "recheck_reply",
            "出具复核意见",
            ART36,
            &["RECHECK_REQUESTED"],
        ),
        // 办结.
        act(
            "close",
            "办结",
            "信访工作条例",
            &[
                "REDIRECTED",
                "TRANSFERRED_DOWN",
                "OBJECTED",
                "REPLIED",
                "EVALUATED",
                "REVIEWED",
            ],
        ),
    ];

    fn initial(fields: &Map<String, Value>) -> PetitionState {
        let mut base = Base::new("RECEIVED");
        if let Some(d) = get_date(fields, "received_on") {
            base.date("received_on", d);
            // Art 23: tell the petitioner within 15 days whether it is accepted.
            base.start_clock(RuleId::PetitionNotify, d);
        }
        PetitionState {
            base,
            ..PetitionState::default()
        }
    }
    fn base(s: &PetitionState) -> &Base {
        &s.base
    }

    fn guard(s: &PetitionState, ctx: &Ctx, def: &ActionDef) -> Result<(), Refusal> {
        let closed = s.base.status == "CLOSED";
        match def.action {
            "request_review" if closed && !matches!(s.last_answer, Answer::Reply(_)) => {
                Err(refuse(ART35, "仅可对书面答复请求复查"))
            }
            "request_recheck" if closed && !matches!(s.last_answer, Answer::Review(_)) => {
                Err(refuse(ART36, "仅可对复查意见请求复核"))
            }
            "extend_handle" if s.base.extensions(RuleId::PetitionHandle) >= 1 => Err(refuse(
                "信访工作条例第三十四条",
                "办理期限已延长，延长期限不得超过三十日",
            )),
            "object" if ctx.admission => {
                let source = get_str(ctx.fields, "source").unwrap_or("direct");
                if PETITION_SOURCE.is(source, "direct") {
                    Err(refuse(
                        "信访工作条例第二十三条",
                        "仅对转送、交办的信访事项可以提出异议",
                    ))
                } else {
                    Ok(())
                }
            }
            _ => Ok(()),
        }
    }

    fn apply(s: &mut PetitionState, _ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
        let on = ev.on;
        let within_30 = |since: NaiveDate, rule: &str, what: &str| -> Result<(), Refusal> {
            if since
                .checked_add_days(Days::new(30))
                .is_none_or(|last| on > last)
            {
                Err(refuse(
                    rule,
                    format!("应自收到{what}之日起三十日内提出（{since} 起算）"),
                ))
            } else {
                Ok(())
            }
        };
        let b = &mut s.base;
        match ev.action.as_str() {
            "register" => {
                b.status = "REGISTERED";
                b.date("registered_on", on);
            }
            "accept" => {
                b.status = "ACCEPTED";
                b.meet(RuleId::PetitionNotify, on);
                // Art 34: 60 days from acceptance.
                b.start_clock(RuleId::PetitionHandle, on);
                b.date("accepted_on", on);
            }
            "redirect" => {
                p_code(ev, "procedure", &REDIRECT_PROCEDURE, true)?;
                b.status = "REDIRECTED";
                b.meet(RuleId::PetitionNotify, on);
                b.outcome = Some("redirected".into());
            }
            "transfer_down" => {
                p_req_str(ev, "to", "转送交办机关")?;
                b.status = "TRANSFERRED_DOWN";
                b.meet(RuleId::PetitionNotify, on);
                b.outcome = Some("transferred_down".into());
            }
            "object" => {
                p_req_str(ev, "reason", "异议理由")?;
                b.status = "OBJECTED";
                b.meet(RuleId::PetitionNotify, on);
                b.outcome = Some("objected".into());
            }
            "assign_leader" => {
                p_req_str(ev, "leader", "包案领导")?;
                s.leader = true;
                b.date("leader_assigned_on", on);
            }
            "start_handling" => b.status = "HANDLING",
            "extend_handle" => {
                let ext = p_extension(ev, Some(30))?;
                b.extend(RuleId::PetitionHandle, ext);
            }
            "reply" => {
                let opinion = p_code(ev, "opinion_type", &OPINION_TYPE, true)?;
                b.status = "REPLIED";
                b.meet(RuleId::PetitionHandle, on);
                b.date("replied_on", on);
                b.outcome = opinion;
                s.last_answer = Answer::Reply(on);
            }
            "evaluate" => {
                let result = p_code(ev, "result", &EVALUATION_RESULT, true)?;
                b.status = "EVALUATED";
                b.date("evaluated_on", on);
                if let Some(r) = result {
                    b.outcome = Some(format!("evaluated:{r}"));
                }
            }
            "request_review" => {
                if let Answer::Reply(d) = s.last_answer {
                    within_30(d, ART35, "书面答复")?;
                }
                b.status = "REVIEW_REQUESTED";
                b.start_clock(RuleId::PetitionReview, on);
                b.date("review_requested_on", on);
            }
            "review_reply" => {
                p_code(ev, "opinion_type", &OPINION_TYPE, false)?;
                b.status = "REVIEWED";
                b.meet(RuleId::PetitionReview, on);
                b.date("reviewed_on", on);
                s.last_answer = Answer::Review(on);
            }
            "request_recheck" => {
                if let Answer::Review(d) = s.last_answer {
                    within_30(d, ART36, "复查意见")?;
                }
                b.status = "RECHECK_REQUESTED";
                // 复核 has the same 30-day limit; no separate rule id exists.
                b.start_clock(RuleId::PetitionReview, on);
                b.date("recheck_requested_on", on);
            }
            "recheck_reply" => {
                p_code(ev, "opinion_type", &OPINION_TYPE, false)?;
                b.status = "FINAL";
                b.meet(RuleId::PetitionReview, on);
                b.date("rechecked_on", on);
                b.date("closed_on", on);
                s.last_answer = Answer::Recheck;
            }
            "close" => {
                b.status = "CLOSED";
                b.date("closed_on", on);
            }
            _ => {}
        }
        if s.leader {
            s.base.amounts.insert("leader_assigned".into(), 1);
        }
        Ok(())
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    let content: String = get_str(fields, "content")
        .unwrap_or("")
        .chars()
        .take(40)
        .collect();
    if content.is_empty() {
        "信访事项".to_string()
    } else {
        format!("信访：{content}")
    }
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in ["petition_no", "content", "notes"] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
}
