//! The parameters a workflow action asks for (决定书文号, 罚款, 送达方式…), as
//! form inputs. The core reads them with its own rules when the event is
//! checked (`model::check_event`), so a parameter missing here is still
//! refused with a clear message; this table only decides what the form shows.

use hongdun_core::model::{FieldSpec, FieldType as T};
use hongdun_core::record::RecordKind;

const fn p(name: &'static str, label: &'static str, ty: T, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        label,
        ty,
        required,
        help: "",
    }
}

const APPROVER: FieldSpec = p("approver", "审批人", T::Text, true);
const APPROVER_OPT: FieldSpec = p("approver", "审批人", T::Text, false);
const PAUSE: &[FieldSpec] = &[p("reason", "不计时事由", T::Code("pause_reason"), true)];
const EXTEND: &[FieldSpec] = &[APPROVER, p("days", "延长天数", T::Count, false)];
const REASON_TEXT: &[FieldSpec] = &[p("reason", "理由", T::Text, true)];
const TO: &[FieldSpec] = &[p("to", "移送/转送至", T::Text, true)];
const DISPATCH: &[FieldSpec] = &[p("to_office", "分送至单位（代码）", T::Text, true)];
const RETURN: &[FieldSpec] = &[
    p("reason", "退回理由", T::Code("return_reason"), true),
    p("to_office", "退回单位（代码）", T::Text, false),
];

/// The parameters of `action` on a record of `kind`, in form order.
pub fn action_params(kind: RecordKind, action: &str) -> &'static [FieldSpec] {
    use RecordKind as K;
    match (kind, action) {
        (K::Lead | K::Report, "extend_verify") => EXTEND,
        (_, "pause" | "pause_clock") => PAUSE,
        (K::Lead, "file") => {
            &const {
                [
                    p(
                        "handlers",
                        "办案人员（至少两名持证）",
                        T::ObjectList("handler"),
                        true,
                    ),
                    APPROVER_OPT,
                ]
            }
        }
        (K::Report, "file") => &const { [p("case_id", "案件编号", T::Text, true)] },
        (K::Lead | K::Report, "not_file") => {
            &const {
                [
                    p("reason", "不予立案理由", T::Code("not_file_reason"), true),
                    APPROVER_OPT,
                ]
            }
        }
        (_, "transfer" | "transfer_down") => TO,
        (K::Lead, "merge") => &const { [p("into", "并入案源/案件", T::Text, true)] },
        (K::Case, "suspend" | "terminate") => REASON_TEXT,
        (K::Case, "resume_clock") => &const { [p("result", "检测鉴定结果", T::Text, false)] },
        (K::Case, "submit_review") => {
            &const { [p("legal_review_required", "需要法制审核", T::Bool, false)] }
        }
        (K::Case, "legal_review") => {
            &const {
                [
                    p("reviewer", "审核人", T::Text, true),
                    p(
                        "reviewer_has_legal_qualification",
                        "审核人具有法律职业资格",
                        T::Bool,
                        false,
                    ),
                ]
            }
        }
        (K::Case, "approve_notice") => &const { [APPROVER] },
        (K::Case, "notify") => &const { [p("notice_no", "告知书文号", T::Text, false)] },
        (K::Case, "schedule_hearing") => &const { [p("hearing_on", "听证日期", T::Date, true)] },
        (K::Case, "hold_hearing") => &const { [p("host", "听证主持人", T::Text, false)] },
        (K::Case, "deliberate") => &const { [p("collective_ref", "集体讨论记录", T::Text, false)] },
        (K::Case, "decide") => {
            &const {
                [
                    p("decision_type", "决定类型", T::Code("decision_type"), true),
                    p("decision_no", "决定书文号", T::Text, true),
                    p("fine_fen", "罚款（分）", T::Fen, false),
                    p("confiscated_gains_fen", "没收违法所得（分）", T::Fen, false),
                    p(
                        "confiscated_goods_value_fen",
                        "没收非法财物价值（分）",
                        T::Fen,
                        false,
                    ),
                ]
            }
        }
        (K::Case, "extend_decide") => {
            &const {
                [
                    APPROVER,
                    p("days", "延长天数", T::Count, false),
                    p("collective_ref", "集体讨论记录", T::Text, false),
                ]
            }
        }
        (K::Case, "serve") => &const { [p("method", "送达方式", T::Code("service_method"), true)] },
        (K::Case, "pay") => {
            &const {
                [
                    p("kind", "款项", T::Code("payment_kind"), true),
                    p("amount_fen", "金额（分）", T::Fen, true),
                    p("paid_on", "缴款日期", T::Date, false),
                    p("treasury_date", "入库日期", T::Date, false),
                    p("voucher_no", "缴款书号", T::Text, false),
                    p("channel", "缴款渠道", T::Code("payment_channel"), false),
                ]
            }
        }
        (K::Case, "defer_payment") => {
            &const {
                [
                    p("kind", "方式", T::Code("deferral_kind"), true),
                    APPROVER,
                    p("days", "延期天数", T::Count, false),
                ]
            }
        }
        (K::Case, "apply_court") => &const { [p("court", "人民法院", T::Text, false)] },
        (K::Case, "execute") => &const { [p("note", "说明", T::Text, false)] },
        (K::Case, "close") => &const { [APPROVER_OPT] },
        (K::Case, "decide_on_site") => {
            &const {
                [
                    p("decision_no", "决定书文号", T::Text, true),
                    p("fine_fen", "罚款（分，0 为警告）", T::Fen, true),
                    p("penalty_types", "处罚种类", T::Codes("penalty_type"), false),
                ]
            }
        }
        (K::Complaint | K::Report, "dispatch") => DISPATCH,
        (K::Complaint | K::Report, "return") => RETURN,
        (K::Complaint, "accept") => {
            &const { [p("mode", "处理方式", T::Code("mediation_mode"), false)] }
        }
        (K::Complaint, "not_accept") => {
            &const {
                [p(
                    "art15_reason",
                    "不予受理理由（第十五条）",
                    T::Code("art15_reason"),
                    true,
                )]
            }
        }
        (K::Complaint, "start_mediation") => {
            &const {
                [
                    p("mode", "调解方式", T::Code("mediation_mode"), false),
                    p("entrusted_to", "委托调解单位", T::Text, false),
                ]
            }
        }
        (K::Complaint, "agree") => {
            &const {
                [
                    p("agreement_no", "调解书编号", T::Text, false),
                    p("recovered_fen", "挽回经济损失（分）", T::Fen, true),
                ]
            }
        }
        (K::Complaint, "terminate") => {
            &const {
                [p(
                    "art21_reason",
                    "终止调解理由（第二十一条）",
                    T::Code("art21_reason"),
                    true,
                )]
            }
        }
        (K::Complaint, "spawn_report") => &const { [p("report_id", "举报记录", T::Text, true)] },
        (K::Petition, "redirect") => {
            &const {
                [p(
                    "procedure",
                    "法定途径",
                    T::Code("redirect_procedure"),
                    true,
                )]
            }
        }
        (K::Petition, "object") => REASON_TEXT,
        (K::Petition, "assign_leader") => &const { [p("leader", "包案领导", T::Text, true)] },
        (K::Petition, "extend_handle") => EXTEND,
        (K::Petition, "reply") => {
            &const { [p("opinion_type", "处理意见", T::Code("opinion_type"), true)] }
        }
        (K::Petition, "evaluate") => {
            &const { [p("result", "评价结果", T::Code("evaluation_result"), true)] }
        }
        (K::Petition, "review_reply" | "recheck_reply") => {
            &const { [p("opinion_type", "意见", T::Code("opinion_type"), false)] }
        }
        _ => &const { [] },
    }
}
