//! The penalty case status machine (DOMAIN §6.2), normal and simple procedure.
//!
//! Normal: FILED → INVESTIGATING ⇄ SUSPENDED → [TERMINATED] →
//! INVESTIGATION_CONCLUDED → UNDER_REVIEW (→ LEGAL_REVIEW) → APPROVED_FOR_NOTICE →
//! NOTIFIED → [HEARING_REQUESTED → HEARING_SCHEDULED → HEARD] → DECIDING → DECIDED
//! → SERVED → EXECUTING / DEFERRED / REMINDED → COURT_ENFORCEMENT → EXECUTED →
//! CLOSED → ARCHIVED. Publication (公示) runs beside execution and does not
//! change the status.
//!
//! Simple: PENDING_ON_SITE → ON_SITE_DECIDED → PAID → CLOSED → ARCHIVED.
//! A case record starts FILED unless its procedure is simple and it has no
//! filing date.

use chrono::{Days, NaiveDate};
use serde_json::{Map, Value};

use super::case::{check_handlers, is_simple, parties};
use super::codes::{
    DECISION_TYPE, DEFERRAL_KIND, PAUSE_REASON, PAYMENT_CHANNEL, PAYMENT_KIND, PENALTY_TYPE,
    SERVICE_METHOD,
};
use super::error::ValidationError;
use super::party::Party;
use super::spec::get_date;
use super::workflow::{
    act, end, p_bool, p_code, p_date, p_extension, p_fen, p_req_str, p_str, refuse, st, ActionDef,
    Base, Ctx, Machine, Payment, Refusal, StatusDef,
};
use crate::deadline::RuleId;
use crate::record::EventEnvelope;

pub const ART51_RULE: &str = "行政处罚法第五十一条";
pub const SIMPLE_AFTER_FILING_RULE: &str = "简易程序不适用已按普通程序立案的案件";
/// 行政处罚法 Art 51: on-the-spot fines up to 200 yuan for a citizen…
pub const SIMPLE_LIMIT_PERSON_FEN: i64 = 20_000;
/// …and up to 3000 yuan for a legal person or other organisation.
pub const SIMPLE_LIMIT_ORGANISATION_FEN: i64 = 300_000;
/// 行政处罚法 Art 68: collect on the spot only up to 100 yuan (or when hard to
/// collect later).
pub const ON_THE_SPOT_COLLECTION_LIMIT_FEN: i64 = 10_000;

/// The Art 51 ceiling for these parties: the organisation limit only if every
/// party is a 法人 or 非法人组织. A 个体工商户 counts as a citizen [I — the
/// stricter reading; the law says 公民/法人或者其他组织]. No party known → the
/// citizen limit.
pub fn simple_procedure_limit_fen(parties: &[Party]) -> i64 {
    if !parties.is_empty() && parties.iter().all(Party::is_organisation) {
        SIMPLE_LIMIT_ORGANISATION_FEN
    } else {
        SIMPLE_LIMIT_PERSON_FEN
    }
}

pub(crate) fn art51_error(fine_fen: i64, limit: i64) -> ValidationError {
    ValidationError::new(
        "fine_fen",
        ART51_RULE,
        format!(
            "简易程序罚款不得超过{}元（fine_fen {} > {}）；应适用普通程序",
            limit / 100,
            fine_fen,
            limit
        ),
    )
}

const PRE_DECISION: &[&str] = &[
    "FILED",
    "INVESTIGATING",
    "SUSPENDED",
    "INVESTIGATION_CONCLUDED",
    "UNDER_REVIEW",
    "LEGAL_REVIEW",
    "APPROVED_FOR_NOTICE",
    "NOTIFIED",
    "HEARING_REQUESTED",
    "HEARING_SCHEDULED",
    "HEARD",
    "DECIDING",
];
const CLOCK_PAUSABLE: &[&str] = &[
    "INVESTIGATING",
    "INVESTIGATION_CONCLUDED",
    "UNDER_REVIEW",
    "LEGAL_REVIEW",
    "DECIDING",
];
const EXECUTION: &[&str] = &[
    "SERVED",
    "EXECUTING",
    "DEFERRED",
    "REMINDED",
    "COURT_ENFORCEMENT",
];

pub struct CaseMachine;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum OpenPause {
    #[default]
    None,
    Suspension,
    Hearing,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct CaseState {
    base: Base,
    simple: bool,
    open_pause: OpenPause,
    legal_review_required: bool,
    decision_type: Option<String>,
    warning_only: bool,
    fine_due: i64,
    gains_due: i64,
    paid_fine: i64,
    paid_gains: i64,
    surcharge: i64,
    published: bool,
    reminded_on: Option<NaiveDate>,
}

impl CaseState {
    fn outstanding(&self) -> i64 {
        (self.fine_due - self.paid_fine).max(0) + (self.gains_due - self.paid_gains).max(0)
    }
    fn is_penalty(&self) -> bool {
        self.decision_type.as_deref() == Some("penalty")
    }
}

impl Machine for CaseMachine {
    type State = CaseState;

    const STATUSES: &'static [StatusDef] = &[
        st("FILED", "已立案"),
        st("INVESTIGATING", "调查取证"),
        st("SUSPENDED", "中止调查"),
        st("TERMINATED", "终止调查"),
        st("INVESTIGATION_CONCLUDED", "调查终结"),
        st("UNDER_REVIEW", "案件审核"),
        st("LEGAL_REVIEW", "法制审核"),
        st("APPROVED_FOR_NOTICE", "已批准告知"),
        st("NOTIFIED", "已告知"),
        st("HEARING_REQUESTED", "已申请听证"),
        st("HEARING_SCHEDULED", "已通知听证"),
        st("HEARD", "已听证"),
        st("DECIDING", "审查决定"),
        st("DECIDED", "已作出决定"),
        st("SERVED", "已送达"),
        st("EXECUTING", "执行中"),
        st("DEFERRED", "延期/分期缴纳"),
        st("REMINDED", "已催告"),
        st("COURT_ENFORCEMENT", "申请法院强制执行"),
        st("EXECUTED", "执行完毕"),
        st("PENDING_ON_SITE", "待当场处罚"),
        st("ON_SITE_DECIDED", "已当场处罚"),
        st("PAID", "已缴款"),
        end("CLOSED", "已结案"),
        end("ARCHIVED", "已归档"),
    ];

    const ACTIONS: &'static [ActionDef] = &[
        // 调查取证 — begin the investigation (行政处罚法 Art 54–55).
        act(
            "investigate",
            "调查取证",
            "行政处罚法第五十四条",
            &["FILED"],
        ),
        // 中止调查 {reason} — the decision clock stops (程序规定; DOMAIN §1.2 step 8).
        act(
            "suspend",
            "中止调查",
            "程序规定 中止调查；期间不计入办案期限",
            &["INVESTIGATING"],
        ),
        // 恢复调查.
        act(
            "resume",
            "恢复调查",
            "程序规定 中止情形消除后恢复调查",
            &["SUSPENDED"],
        ),
        // 检测/检验/检疫/鉴定/权利人辨认/公告/责令退还 {reason}: time excluded.
        act(
            "pause_clock",
            "不计入期限（检测鉴定等）",
            "程序规定第十八条、行政处罚法第六十条",
            CLOCK_PAUSABLE,
        ),
        // The excluded period ended {result?}.
        act(
            "resume_clock",
            "恢复计时",
            "程序规定第十八条、行政处罚法第六十条",
            CLOCK_PAUSABLE,
        ),
        // 终止调查 {reason}.
        act(
            "terminate",
            "终止调查",
            "程序规定 终止调查",
            &["INVESTIGATING", "SUSPENDED"],
        ),
        // 调查终结 — 调查终结报告.
        act(
            "conclude_investigation",
            "调查终结",
            "程序规定 调查终结报告",
            &["INVESTIGATING"],
        ),
        // 提交审核 {legal_review_required?} — review within 10 working days.
        act(
            "submit_review",
            "提交案件审核",
            "程序规定 案件审核（十个工作日）",
            &["INVESTIGATION_CONCLUDED"],
        ),
        // 法制审核 {reviewer, reviewer_has_legal_qualification?}.
        act(
            "legal_review",
            "法制审核",
            "行政处罚法第五十八条",
            &["UNDER_REVIEW"],
        ),
        // 退回补充调查.
        act(
            "supplement",
            "退回补充调查",
            "程序规定 案件审核",
            &["UNDER_REVIEW", "LEGAL_REVIEW"],
        ),
        // 审批同意告知 {approver}.
        act(
            "approve_notice",
            "批准告知",
            "程序规定 审批",
            &["UNDER_REVIEW", "LEGAL_REVIEW"],
        ),
        // 送达行政处罚告知书/听证告知书 {notice_no?}: 5 working days to reply.
        act(
            "notify",
            "告知（陈述申辩/听证权利）",
            "行政处罚法第四十四条、第六十三条",
            &["APPROVED_FOR_NOTICE"],
        ),
        // 当事人申请听证 — hearing time excluded from the decision limit.
        act(
            "request_hearing",
            "当事人申请听证",
            "行政处罚法第六十四条",
            &["NOTIFIED"],
        ),
        // 通知听证 {hearing_on} — at least 7 days' notice.
        act(
            "schedule_hearing",
            "通知听证时间地点",
            "行政处罚法第六十四条",
            &["HEARING_REQUESTED"],
        ),
        // 举行听证 {host?}.
        act(
            "hold_hearing",
            "举行听证",
            "行政处罚法第六十四条",
            &["HEARING_SCHEDULED"],
        ),
        // 复核/审查决定 {collective_ref?} — after statement or hearing.
        act(
            "deliberate",
            "复核审查（集体讨论）",
            "行政处罚法第五十七条",
            &["NOTIFIED", "HEARD"],
        ),
        // 作出决定 {decision_type, decision_no, fine_fen, confiscated_gains_fen,
        // confiscated_goods_value_fen, penalty_types, collective_ref, approver}.
        act(
            "decide",
            "作出处理决定",
            "行政处罚法第五十七条",
            &[
                "INVESTIGATING",
                "INVESTIGATION_CONCLUDED",
                "UNDER_REVIEW",
                "LEGAL_REVIEW",
                "APPROVED_FOR_NOTICE",
                "NOTIFIED",
                "HEARD",
                "DECIDING",
            ],
        ),
        // 延长办案期限 {approver, days?, collective_ref?}: +30 days, then only
        // by collective decision.
        act(
            "extend_decide",
            "延长办案期限",
            "行政处罚法第六十条、程序规定",
            PRE_DECISION,
        ),
        // 送达决定书 {method}: within 7 working days (Art 61).
        act(
            "serve",
            "送达处罚决定书",
            "行政处罚法第六十一条",
            &["DECIDED"],
        ),
        // 公示 — within 20 working days, not for warnings (公示规定 Art 2, 9).
        act(
            "publish",
            "信息公示",
            "市场监督管理行政处罚信息公示规定第二条、第九条",
            &[
                "DECIDED",
                "SERVED",
                "EXECUTING",
                "DEFERRED",
                "REMINDED",
                "COURT_ENFORCEMENT",
                "EXECUTED",
                "CLOSED",
            ],
        ),
        // 缴款入库 {kind, amount_fen, paid_on?, treasury_date?, voucher_no?,
        // channel?, on_the_spot?, hard_to_collect?}.
        act(
            "pay",
            "罚没款缴纳入库",
            "行政处罚法第六十七条",
            &[
                "SERVED",
                "EXECUTING",
                "DEFERRED",
                "REMINDED",
                "COURT_ENFORCEMENT",
                "EXECUTED",
                "ON_SITE_DECIDED",
                "PAID",
            ],
        ),
        // 延期/分期缴纳 {kind: deferred|instalment, approver, days?}.
        act(
            "defer_payment",
            "延期/分期缴纳",
            "行政处罚法第六十六条",
            &["SERVED", "EXECUTING"],
        ),
        // 催告.
        act(
            "remind",
            "催告履行",
            "行政强制法第三十五条",
            &["SERVED", "EXECUTING", "DEFERRED"],
        ),
        // 申请法院强制执行 {court?}: ten days after the reminder.
        act(
            "apply_court",
            "申请人民法院强制执行",
            "行政强制法第五十三条、第五十四条",
            &["REMINDED"],
        ),
        // 执行完毕 {note?}.
        act("execute", "执行完毕", "行政处罚法第七十二条", EXECUTION),
        // 结案 {approver?}.
        act(
            "close",
            "结案",
            "程序规定 结案",
            &[
                "TERMINATED",
                "DECIDED",
                "SERVED",
                "EXECUTED",
                "ON_SITE_DECIDED",
                "PAID",
            ],
        ),
        // 归档.
        act("archive", "归档", "程序规定 归档", &["CLOSED"]),
        // 当场作出处罚决定 {decision_no, fine_fen (0 = warning), penalty_types?}.
        act(
            "decide_on_site",
            "当场作出处罚决定",
            "行政处罚法第五十一条、第五十二条",
            &["PENDING_ON_SITE", "FILED"],
        ),
    ];

    fn initial(fields: &Map<String, Value>) -> CaseState {
        let filed_on = get_date(fields, "filed_on");
        let simple = is_simple(fields) && filed_on.is_none();
        let mut base = Base::new(if simple { "PENDING_ON_SITE" } else { "FILED" });
        if let Some(d) = filed_on {
            base.date("filed_on", d);
            // 行政处罚法 Art 60: decide within 90 days of filing.
            base.start_clock(RuleId::CaseDecide, d);
        }
        CaseState {
            base,
            simple,
            ..CaseState::default()
        }
    }

    fn base(s: &CaseState) -> &Base {
        &s.base
    }

    fn guard(s: &CaseState, _ctx: &Ctx, def: &ActionDef) -> Result<(), Refusal> {
        match def.action {
            "decide_on_site" if s.base.status == "FILED" => Err(refuse(
                SIMPLE_AFTER_FILING_RULE,
                "本案已按普通程序立案，不得转为简易程序当场处罚",
            )),
            "pause_clock" if s.open_pause != OpenPause::None => Err(refuse(
                "计时已暂停",
                "已有未结束的不计入期限情形，请先恢复计时",
            )),
            "resume_clock" if s.open_pause != OpenPause::Other => Err(refuse(
                "计时未暂停",
                "没有正在进行的检测鉴定等不计入期限情形",
            )),
            "suspend" | "conclude_investigation" if s.open_pause != OpenPause::None => Err(refuse(
                "检测鉴定期间未结束",
                "检测/鉴定等期间尚未结束，请先恢复计时",
            )),
            "approve_notice" if s.base.status == "UNDER_REVIEW" && s.legal_review_required => {
                Err(refuse(
                    "行政处罚法第五十八条",
                    "本案须经法制审核，未经法制审核或者审核未通过的，不得作出决定",
                ))
            }
            "publish" => {
                if !s.is_penalty() {
                    Err(refuse("公示规定第二条", "仅对行政处罚决定进行公示"))
                } else if s.simple {
                    Err(refuse(
                        "公示规定第二条",
                        "适用普通程序作出的行政处罚决定才公示",
                    ))
                } else if s.warning_only {
                    Err(refuse("公示规定第二条", "仅给予警告的行政处罚决定不予公示"))
                } else if s.published {
                    Err(refuse("公示规定第九条", "该决定已公示"))
                } else {
                    Ok(())
                }
            }
            "pay" => {
                if matches!(s.base.status, "EXECUTED" | "PAID") {
                    // Only auction proceeds arrive after the money due is in.
                    Ok(())
                } else if s.fine_due + s.gains_due == 0 {
                    Err(refuse(
                        "行政处罚法第六十七条",
                        "处罚决定未确定罚没金额，无需缴款",
                    ))
                } else {
                    Ok(())
                }
            }
            "close" => match s.base.status {
                "DECIDED" | "SERVED" if s.is_penalty() => Err(refuse(
                    "处罚决定须执行完毕方可结案",
                    "行政处罚决定须送达并执行完毕后结案",
                )),
                "ON_SITE_DECIDED" if s.outstanding() > 0 => {
                    Err(refuse("处罚决定须执行完毕方可结案", "当场处罚罚款尚未缴纳"))
                }
                _ => Ok(()),
            },
            "extend_decide" if !s.base.has_running(RuleId::CaseDecide) => {
                Err(refuse("行政处罚法第六十条", "办案期限未起算（缺立案日期）"))
            }
            _ => Ok(()),
        }
    }

    fn apply(s: &mut CaseState, ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
        let on = ev.on;
        let b = &mut s.base;
        match ev.action.as_str() {
            "investigate" => {
                b.status = "INVESTIGATING";
                b.date("investigated_on", on);
            }
            "suspend" => {
                p_req_str(ev, "reason", "中止理由")?;
                b.status = "SUSPENDED";
                b.pause(RuleId::CaseDecide, on, "中止");
                s.open_pause = OpenPause::Suspension;
            }
            "resume" => {
                b.status = "INVESTIGATING";
                b.resume(RuleId::CaseDecide, on);
                s.open_pause = OpenPause::None;
            }
            "pause_clock" => {
                let reason = p_code(ev, "reason", &PAUSE_REASON, true)?.unwrap_or_default();
                let label = PAUSE_REASON.label_of(&reason).unwrap_or("鉴定");
                b.pause(RuleId::CaseDecide, on, label);
                s.open_pause = OpenPause::Other;
            }
            "resume_clock" => {
                b.resume(RuleId::CaseDecide, on);
                s.open_pause = OpenPause::None;
            }
            "terminate" => {
                p_req_str(ev, "reason", "终止理由")?;
                b.status = "TERMINATED";
                b.meet(RuleId::CaseDecide, on);
                b.meet(RuleId::CaseReview, on);
                s.open_pause = OpenPause::None;
                b.date("terminated_on", on);
                b.outcome = Some("terminated".into());
            }
            "conclude_investigation" => {
                b.status = "INVESTIGATION_CONCLUDED";
                b.date("investigation_concluded_on", on);
            }
            "submit_review" => {
                s.legal_review_required = p_bool(ev, "legal_review_required")?.unwrap_or(false);
                b.status = "UNDER_REVIEW";
                b.start_clock(RuleId::CaseReview, on);
                b.date("review_submitted_on", on);
            }
            "legal_review" => {
                p_req_str(ev, "reviewer", "法制审核人员")?;
                if p_bool(ev, "reviewer_has_legal_qualification")? == Some(false) {
                    return Err(refuse(
                        "行政处罚法第五十八条",
                        "初次从事行政处罚决定法制审核的人员，应当通过国家统一法律职业资格考试取得法律职业资格",
                    ));
                }
                b.status = "LEGAL_REVIEW";
            }
            "supplement" => {
                b.status = "INVESTIGATING";
                b.meet(RuleId::CaseReview, on);
            }
            "approve_notice" => {
                p_req_str(ev, "approver", "审批负责人")?;
                b.status = "APPROVED_FOR_NOTICE";
                b.meet(RuleId::CaseReview, on);
                b.date("approved_on", on);
            }
            "notify" => {
                b.status = "NOTIFIED";
                b.start_clock(RuleId::CaseHearingRequest, on);
                b.date("notified_on", on);
            }
            "request_hearing" => {
                b.status = "HEARING_REQUESTED";
                b.meet(RuleId::CaseHearingRequest, on);
                b.pause(RuleId::CaseDecide, on, "听证");
                s.open_pause = OpenPause::Hearing;
                b.date("hearing_requested_on", on);
            }
            "schedule_hearing" => {
                let hearing_on = p_date(ev, "hearing_on")?.ok_or_else(|| {
                    ValidationError::new("params.hearing_on", "必填", "听证日期为必填参数")
                })?;
                // Art 64: notify at least 7 (working) days before; the calendar
                // check is the deadline module's, this is the floor.
                if on
                    .checked_add_days(Days::new(7))
                    .is_none_or(|min| hearing_on < min)
                {
                    return Err(refuse(
                        "行政处罚法第六十四条",
                        format!("应于举行听证的七日前通知当事人；通知日 {on}，听证日 {hearing_on}"),
                    ));
                }
                b.status = "HEARING_SCHEDULED";
            }
            "hold_hearing" => {
                b.status = "HEARD";
                b.resume(RuleId::CaseDecide, on);
                s.open_pause = OpenPause::None;
                b.date("heard_on", on);
            }
            "deliberate" => {
                b.status = "DECIDING";
                b.meet(RuleId::CaseHearingRequest, on);
            }
            "decide" => decide(s, ev)?,
            "extend_decide" => {
                let first = s.base.extensions(RuleId::CaseDecide) == 0;
                // 程序规定: +30 days with the head's approval; beyond that only
                // by 负责人集体讨论.
                let ext = p_extension(ev, if first { Some(30) } else { None })?;
                if !first && p_str(ev, "collective_ref").is_none() {
                    return Err(refuse(
                        "程序规定：再次延长须经负责人集体讨论",
                        "已延长过一次；再次延长须经负责人集体讨论，请填写 params.collective_ref",
                    ));
                }
                s.base.extend(RuleId::CaseDecide, ext);
            }
            "serve" => {
                p_code(ev, "method", &SERVICE_METHOD, true)?;
                b.status = "SERVED";
                b.meet(RuleId::CaseServe, on);
                b.date("served_on", on);
                if s.fine_due + s.gains_due > 0 {
                    // 行政处罚法 Art 67: pay within 15 days of service.
                    b.start_clock(RuleId::CasePay, on);
                }
            }
            "publish" => {
                s.published = true;
                b.meet(RuleId::CasePublish, on);
                b.date("published_on", on);
            }
            "pay" => pay(s, ev)?,
            "defer_payment" => {
                p_code(ev, "kind", &DEFERRAL_KIND, true)?;
                let ext = p_extension(ev, None)?;
                b.status = "DEFERRED";
                b.extend(RuleId::CasePay, ext);
            }
            "remind" => {
                b.status = "REMINDED";
                s.reminded_on = Some(on);
                b.date("reminded_on", on);
            }
            "apply_court" => {
                let reminded = s.reminded_on.unwrap_or(on);
                // 行政强制法 Art 54: apply only after the reminder has gone
                // unheeded for ten days.
                if reminded
                    .checked_add_days(Days::new(10))
                    .is_none_or(|earliest| on < earliest)
                {
                    return Err(refuse(
                        "行政强制法第五十四条",
                        format!(
                            "催告书送达十日后当事人仍未履行的，方可申请强制执行；催告日 {reminded}"
                        ),
                    ));
                }
                b.status = "COURT_ENFORCEMENT";
                b.date("court_applied_on", on);
            }
            "execute" => {
                b.status = "EXECUTED";
                b.meet(RuleId::CasePay, on);
                b.date("executed_on", on);
            }
            "close" => {
                b.status = "CLOSED";
                b.date("closed_on", on);
            }
            "archive" => {
                b.status = "ARCHIVED";
                b.date("archived_on", on);
            }
            "decide_on_site" => decide_on_site(s, ctx, ev)?,
            _ => {}
        }
        Ok(())
    }
}

fn penalty_types(ev: &EventEnvelope) -> Result<Vec<String>, ValidationError> {
    match ev.params.get("penalty_types") {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let field = format!("params.penalty_types[{i}]");
                super::spec::check_code(&field, PENALTY_TYPE.name, v)?;
                Ok(PENALTY_TYPE
                    .resolve(v.as_str().unwrap_or_default())
                    .map_or("", |c| c.code)
                    .to_string())
            })
            .collect(),
        Some(_) => Err(ValidationError::new(
            "params.penalty_types",
            "参数类型",
            "处罚种类应为列表",
        )),
    }
}

fn decide(s: &mut CaseState, ev: &EventEnvelope) -> Result<(), Refusal> {
    let on = ev.on;
    let decision_type = p_code(ev, "decision_type", &DECISION_TYPE, true)?.unwrap_or_default();
    let penalty = decision_type == "penalty";
    if penalty && !matches!(s.base.status, "NOTIFIED" | "HEARD" | "DECIDING") {
        return Err(refuse(
            "行政处罚法第四十四条、第六十二条",
            "作出行政处罚决定之前，应当告知当事人拟作出的处罚内容及其陈述、申辩、听证权利",
        ));
    }
    if penalty {
        p_req_str(ev, "decision_no", "决定书文号")?;
    }
    let fine = p_fen(ev, "fine_fen", false)?.unwrap_or(0);
    let gains = p_fen(ev, "confiscated_gains_fen", false)?.unwrap_or(0);
    let goods = p_fen(ev, "confiscated_goods_value_fen", false)?.unwrap_or(0);
    let types = penalty_types(ev)?;
    if !penalty && (fine > 0 || gains > 0 || goods > 0) {
        return Err(ValidationError::new(
            "params.fine_fen",
            "不予处罚不得确定罚没金额",
            "非处罚决定不得有罚款或没收金额",
        )
        .into());
    }
    let b = &mut s.base;
    b.status = "DECIDED";
    b.meet(RuleId::CaseDecide, on);
    // A decision ends the review and reply periods that led to it (a
    // no-penalty decision may follow the review directly).
    b.meet(RuleId::CaseReview, on);
    b.meet(RuleId::CaseHearingRequest, on);
    b.date("decided_on", on);
    b.outcome = Some(decision_type.clone());
    s.open_pause = OpenPause::None;
    if penalty {
        s.warning_only = types == ["warning"];
        s.fine_due = fine;
        s.gains_due = gains;
        b.amounts.insert("fine_fen".into(), fine);
        b.amounts.insert("confiscated_gains_fen".into(), gains);
        b.amounts
            .insert("confiscated_goods_value_fen".into(), goods);
        // 行政处罚法 Art 61: serve within 7 working days if not on the spot.
        b.start_clock(RuleId::CaseServe, on);
        if !s.simple && !s.warning_only {
            // 公示规定 Art 9: publish within 20 working days of the decision.
            b.start_clock(RuleId::CasePublish, on);
        }
    }
    s.decision_type = Some(decision_type);
    Ok(())
}

fn decide_on_site(s: &mut CaseState, ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
    let on = ev.on;
    p_req_str(ev, "decision_no", "预定格式决定书编号")?;
    let fine = p_fen(ev, "fine_fen", true)?.unwrap_or(0);
    let types = penalty_types(ev)?;
    if ctx.admission {
        let limit = simple_procedure_limit_fen(&parties(ctx.fields));
        if fine > limit {
            let e = art51_error(fine, limit);
            return Err(refuse(
                ART51_RULE,
                format!("params.fine_fen: {}", e.message),
            ));
        }
    } else if fine > SIMPLE_LIMIT_ORGANISATION_FEN {
        // Whoever the party is, no on-the-spot fine may exceed 3000 yuan.
        let e = art51_error(fine, SIMPLE_LIMIT_ORGANISATION_FEN);
        return Err(refuse(
            ART51_RULE,
            format!("params.fine_fen: {}", e.message),
        ));
    }
    let b = &mut s.base;
    b.status = "ON_SITE_DECIDED";
    b.date("decided_on", on);
    b.date("served_on", on);
    b.outcome = Some("penalty".into());
    b.amounts.insert("fine_fen".into(), fine);
    s.decision_type = Some("penalty".into());
    s.warning_only = fine == 0 || types == ["warning"];
    s.fine_due = fine;
    if fine > 0 {
        // Handed over on the spot = served; 15 days to pay (Art 67).
        b.start_clock(RuleId::CasePay, on);
    }
    Ok(())
}

fn pay(s: &mut CaseState, ev: &EventEnvelope) -> Result<(), Refusal> {
    let kind = p_code(ev, "kind", &PAYMENT_KIND, true)?.unwrap_or_default();
    let amount = p_fen(ev, "amount_fen", true)?.unwrap_or(0);
    if amount == 0 {
        return Err(
            ValidationError::new("params.amount_fen", "金额须大于零", "缴款金额须大于零").into(),
        );
    }
    let after_due = matches!(s.base.status, "EXECUTED" | "PAID");
    if after_due && kind != "auction_proceeds" && kind != "late_surcharge" {
        return Err(refuse(
            "罚没款已缴清",
            "应缴罚没款已缴清或执行完毕，仅可登记拍卖款或加处罚款",
        ));
    }
    let channel = p_code(ev, "channel", &PAYMENT_CHANNEL, false)?;
    let on_the_spot =
        p_bool(ev, "on_the_spot")?.unwrap_or(false) || channel.as_deref() == Some("on_the_spot");
    if on_the_spot
        && s.fine_due > ON_THE_SPOT_COLLECTION_LIMIT_FEN
        && !p_bool(ev, "hard_to_collect")?.unwrap_or(false)
    {
        return Err(refuse(
            "行政处罚法第六十八条",
            "当场收缴罚款仅限一百元以下，或不当场收缴事后难以执行的情形（params.hard_to_collect）",
        ));
    }
    match kind.as_str() {
        "fine" if s.paid_fine + amount > s.fine_due => {
            return Err(refuse(
                "缴款不得超过决定金额",
                format!(
                    "罚款累计缴纳 {} 分将超过决定的 {} 分",
                    s.paid_fine + amount,
                    s.fine_due
                ),
            ))
        }
        "confiscated_gains" if s.paid_gains + amount > s.gains_due => {
            return Err(refuse(
                "缴款不得超过决定金额",
                format!(
                    "没收违法所得累计 {} 分将超过决定的 {} 分",
                    s.paid_gains + amount,
                    s.gains_due
                ),
            ))
        }
        // 行政处罚法 Art 72: the surcharge may not exceed the fine itself.
        "late_surcharge" if s.surcharge + amount > s.fine_due => {
            return Err(refuse(
                "行政处罚法第七十二条",
                "加处罚款的数额不得超出罚款的数额",
            ))
        }
        "fine" => s.paid_fine += amount,
        "confiscated_gains" => s.paid_gains += amount,
        "late_surcharge" => s.surcharge += amount,
        _ => {}
    }
    let paid_on = p_date(ev, "paid_on")?.unwrap_or(ev.on);
    let treasury_date = p_date(ev, "treasury_date")?;
    if treasury_date.is_some_and(|t| t < paid_on) {
        return Err(ValidationError::new(
            "params.treasury_date",
            "日期先后",
            "入库日期早于缴款日期",
        )
        .into());
    }
    s.base.payments.push(Payment {
        event_id: ev.id.clone(),
        kind: kind.clone(),
        amount_fen: amount,
        paid_on,
        treasury_date,
        voucher_no: p_str(ev, "voucher_no").map(str::to_string),
        channel,
    });
    s.base.add_amount("paid_fen", amount);
    s.base.add_amount(&format!("paid_{kind}_fen"), amount);
    if !after_due && s.outstanding() == 0 {
        s.base.meet(RuleId::CasePay, ev.on);
        s.base.date("paid_on", ev.on);
        s.base.status = if s.simple { "PAID" } else { "EXECUTED" };
        if !s.simple {
            s.base.date("executed_on", ev.on);
        }
    } else if !after_due && !s.simple && s.base.status == "SERVED" {
        s.base.status = "EXECUTING";
    }
    Ok(())
}

/// Check a lead's `file` parameters: the handlers named on the 立案审批表.
pub(crate) fn check_filing_handlers(ev: &EventEnvelope) -> Result<(), ValidationError> {
    check_handlers("params.handlers", ev.params.get("handlers")).map(|_| ())
}
