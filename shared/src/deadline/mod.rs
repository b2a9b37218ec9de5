//! Legal time limits (法定期限) and how they are counted.
//!
//! Every limit Hongdun knows is a [`RuleId`]; its length, unit (working or
//! calendar days), extension and legal basis are defined once in [`rules`].
//! A running limit is a [`Clock`]: the model derives clocks from a record's
//! workflow events, and [`compute`] turns a clock into a due date with the
//! calendar.

pub mod compute;
pub mod rules;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Identifier of a legal time limit, as used by the command line
/// (`hongdun calendar deadline case.verify 2026-09-30`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum RuleId {
    /// 案源核查 — verify a lead and decide whether to file: 15 working days (+15).
    #[serde(rename = "case.verify")]
    CaseVerify,
    /// 案件审核 — review unit finishes within 10 working days.
    #[serde(rename = "case.review")]
    CaseReview,
    /// 陈述申辩/听证申请 — party replies or asks for a hearing: 5 working days.
    #[serde(rename = "case.hearing_request")]
    CaseHearingRequest,
    /// 作出处罚决定 — decide within 90 days of filing (+30).
    #[serde(rename = "case.decide")]
    CaseDecide,
    /// 送达 — serve the decision within 7 working days.
    #[serde(rename = "case.serve")]
    CaseServe,
    /// 公示 — publish within 20 working days.
    #[serde(rename = "case.publish")]
    CasePublish,
    /// 缴纳罚款 — pay within 15 days of service.
    #[serde(rename = "case.pay")]
    CasePay,
    /// 投诉受理 — decide on acceptance within 7 working days.
    #[serde(rename = "complaint.accept")]
    ComplaintAccept,
    /// 调解 — mediation ends within 45 working days of acceptance.
    #[serde(rename = "complaint.mediate")]
    ComplaintMediate,
    /// 告知调解结果 — tell both parties within 7 working days of termination.
    #[serde(rename = "complaint.notify_outcome")]
    ComplaintNotifyOutcome,
    /// 举报核查 — 15 working days (+15).
    #[serde(rename = "report.verify")]
    ReportVerify,
    /// 告知举报人 — tell a real-name reporter within 5 working days.
    #[serde(rename = "report.notify_reporter")]
    ReportNotifyReporter,
    /// 信访告知 — notify acceptance within 15 days.
    #[serde(rename = "petition.notify")]
    PetitionNotify,
    /// 信访办理 — 60 days (+30).
    #[serde(rename = "petition.handle")]
    PetitionHandle,
    /// 信访复查 — answer a review request within 30 days.
    #[serde(rename = "petition.review")]
    PetitionReview,
}

impl RuleId {
    pub const ALL: [RuleId; 15] = [
        RuleId::CaseVerify,
        RuleId::CaseReview,
        RuleId::CaseHearingRequest,
        RuleId::CaseDecide,
        RuleId::CaseServe,
        RuleId::CasePublish,
        RuleId::CasePay,
        RuleId::ComplaintAccept,
        RuleId::ComplaintMediate,
        RuleId::ComplaintNotifyOutcome,
        RuleId::ReportVerify,
        RuleId::ReportNotifyReporter,
        RuleId::PetitionNotify,
        RuleId::PetitionHandle,
        RuleId::PetitionReview,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RuleId::CaseVerify => "case.verify",
            RuleId::CaseReview => "case.review",
            RuleId::CaseHearingRequest => "case.hearing_request",
            RuleId::CaseDecide => "case.decide",
            RuleId::CaseServe => "case.serve",
            RuleId::CasePublish => "case.publish",
            RuleId::CasePay => "case.pay",
            RuleId::ComplaintAccept => "complaint.accept",
            RuleId::ComplaintMediate => "complaint.mediate",
            RuleId::ComplaintNotifyOutcome => "complaint.notify_outcome",
            RuleId::ReportVerify => "report.verify",
            RuleId::ReportNotifyReporter => "report.notify_reporter",
            RuleId::PetitionNotify => "petition.notify",
            RuleId::PetitionHandle => "petition.handle",
            RuleId::PetitionReview => "petition.review",
        }
    }
}

impl std::fmt::Display for RuleId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The rule name was not one of [`RuleId::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown deadline rule `{0}`; run `hongdun calendar rules` to list them")]
pub struct UnknownRule(pub String);

impl std::str::FromStr for RuleId {
    type Err = UnknownRule;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RuleId::ALL
            .into_iter()
            .find(|r| r.as_str() == s)
            .ok_or_else(|| UnknownRule(s.to_string()))
    }
}

/// A paused period (中止, 听证, 公告, 检测/检验/检疫/鉴定, 权利人辨认): the clock stops
/// on `from` and resumes the day after `to`. An open pause (`to == None`) is
/// still running.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pause {
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// Why the clock stopped, e.g. "鉴定".
    pub reason: String,
}

/// An approved extension (延期) of a limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Extension {
    /// Extra days in the rule's own unit; `None` means the rule's standard
    /// extension (e.g. +15 working days for `case.verify`).
    pub days: Option<u32>,
    /// Who approved it (负责人 / 集体讨论).
    pub approver: String,
    pub approved_on: NaiveDate,
}

/// A running (or finished) legal time limit on a record, derived from its
/// workflow events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Clock {
    pub rule: RuleId,
    /// The day of the triggering act (received, filed, served…). Not counted.
    pub start: NaiveDate,
    pub pauses: Vec<Pause>,
    pub extensions: Vec<Extension>,
    /// The day the required act was done, which stops the clock.
    pub met_on: Option<NaiveDate>,
}
