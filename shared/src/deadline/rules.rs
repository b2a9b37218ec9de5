//! The legal time limits, each defined once with the article it comes from,
//! and an office's local overrides on top of them ([`Limits`]).
//!
//! How days are counted (DOMAIN.md "How days are counted"): 行政处罚法 Art 85
//! makes its "二日/三日/五日/七日" working days; the other rules say 工作日
//! where they mean it; every other plain "日" is a calendar day.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::RuleId;

/// The unit a limit is counted in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    /// 工作日 — only working days count (调休上班日 count; holidays and
    /// ordinary weekends do not).
    Working,
    /// 日 — calendar days; a period ending on a rest day or holiday ends on
    /// the next working day.
    Calendar,
}

impl DayUnit {
    /// "个工作日" or "日", for "15个工作日" / "90日".
    pub fn label(self) -> &'static str {
        match self {
            DayUnit::Working => "个工作日",
            DayUnit::Calendar => "日",
        }
    }
}

/// A local rule that replaces the statutory length for this office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalRule {
    /// Who set it and why, e.g. "株洲: 投诉7个工作日压缩为5".
    pub note: String,
    /// The statutory length and unit it replaces, for the basis text.
    pub law_days: u32,
    pub law_unit: DayUnit,
}

/// One legal time limit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSpec {
    pub id: RuleId,
    /// Short Chinese name, e.g. "作出处罚决定".
    pub name: &'static str,
    pub days: u32,
    pub unit: DayUnit,
    /// The standard extension an approver may grant, in the same unit.
    pub extension: Option<u32>,
    /// What starts the clock, e.g. "自立案之日起".
    pub starts: &'static str,
    /// Legal basis with the article.
    pub basis: &'static str,
    /// Set when an office's local rule replaces the statutory length.
    pub local: Option<LocalRule>,
}

impl RuleSpec {
    /// The basis as shown to a person: the law, and the local rule on top of it.
    pub fn basis_text(&self) -> String {
        match &self.local {
            None => self.basis.to_string(),
            Some(l) => format!(
                "{}；本地规定：{}（{}{}，法定{}{}）",
                self.basis,
                l.note,
                self.days,
                self.unit.label(),
                l.law_days,
                l.law_unit.label()
            ),
        }
    }

    /// "15个工作日" / "90日".
    pub fn length_text(&self) -> String {
        format!("{}{}", self.days, self.unit.label())
    }
}

const fn rule(
    id: RuleId,
    name: &'static str,
    days: u32,
    unit: DayUnit,
    extension: Option<u32>,
    starts: &'static str,
    basis: &'static str,
) -> RuleSpec {
    RuleSpec {
        id,
        name,
        days,
        unit,
        extension,
        starts,
        basis,
        local: None,
    }
}

use DayUnit::{Calendar as Cal, Working as Wd};

/// The statutory rules, one per [`RuleId`], in [`RuleId::ALL`] order.
pub static STATUTORY: [RuleSpec; 15] = [
    // 市场监督管理行政处罚程序规定 Art 18: 15 working days from finding the lead
    // or receiving the material; +15 with the head's approval; 检测、检验、检疫、
    // 鉴定 and 权利人辨认 time not counted.
    rule(
        RuleId::CaseVerify,
        "案源核查并决定是否立案",
        15,
        Wd,
        Some(15),
        "自发现线索或者收到材料之日起",
        "《市场监督管理行政处罚程序规定》第十八条：自发现线索或者收到材料之日起十五个工作日内核查并决定是否立案；特殊情况下经负责人批准可延长十五个工作日；检测、检验、检疫、鉴定以及权利人辨认或者鉴别等所需时间不计入",
    ),
    // Review unit's time limit: 程序规定 as quoted by the pinggu flowchart [S];
    // we could not read the article itself, so the basis says its number is
    // unverified. The extension "with the head's approval" has no fixed length,
    // so none is standard (an Extension must name its days).
    rule(
        RuleId::CaseReview,
        "案件审核",
        10,
        Wd,
        None,
        "自收到审核材料之日起",
        "《市场监督管理行政处罚程序规定》（案件审核条款，条文序号待核实）：审核机构自收到审核材料之日起十个工作日内完成审核，特殊情况下经负责人批准可以延长",
    ),
    // 行政处罚法 Art 64(1): 5日 after the notice; Art 85: 五日 = working days.
    rule(
        RuleId::CaseHearingRequest,
        "陈述申辩或者要求听证",
        5,
        Wd,
        None,
        "自收到行政处罚告知书之日起",
        "《行政处罚法》第六十四条第一项：当事人要求听证的，应当在行政机关告知后五日内提出；第八十五条：“五日”指工作日",
    ),
    // 行政处罚法 Art 60: 90 days from 立案; 程序规定: +30 with the head's
    // approval, further only by collective decision; suspension, hearing,
    // public notice, testing and identification time not counted.
    rule(
        RuleId::CaseDecide,
        "作出处罚决定",
        90,
        Cal,
        Some(30),
        "自立案之日起",
        "《行政处罚法》第六十条：自立案之日起九十日内作出行政处罚决定；《市场监督管理行政处罚程序规定》：经负责人批准可延长三十日，中止、听证、公告和检测、检验、检疫、鉴定等时间不计入",
    ),
    // 行政处罚法 Art 61: 7日 when the party is absent; Art 85: 七日 = working days.
    rule(
        RuleId::CaseServe,
        "送达处罚决定书",
        7,
        Wd,
        None,
        "自作出行政处罚决定之日起",
        "《行政处罚法》第六十一条：当事人不在场的，应当在七日内送达行政处罚决定书；第八十五条：“七日”指工作日",
    ),
    // 市场监督管理行政处罚信息公示规定 Art 9: 20 working days from the decision.
    rule(
        RuleId::CasePublish,
        "公示行政处罚信息",
        20,
        Wd,
        None,
        "自作出行政处罚决定之日起",
        "《市场监督管理行政处罚信息公示规定》第九条：自作出行政处罚决定之日起二十个工作日内通过国家企业信用信息公示系统公示",
    ),
    // 行政处罚法 Art 67 ¶3: 15 days from receiving the decision (calendar days).
    rule(
        RuleId::CasePay,
        "缴纳罚款",
        15,
        Cal,
        None,
        "自收到行政处罚决定书之日起",
        "《行政处罚法》第六十七条第三款：当事人应当自收到行政处罚决定书之日起十五日内缴纳罚款",
    ),
    // 投诉举报暂行办法 Art 14: 7 working days from receipt.
    rule(
        RuleId::ComplaintAccept,
        "作出是否受理投诉的决定",
        7,
        Wd,
        None,
        "自收到投诉之日起",
        "《市场监督管理投诉举报处理暂行办法》第十四条：自收到投诉之日起七个工作日内作出受理或者不予受理的决定，并告知投诉人",
    ),
    // 投诉举报暂行办法 Art 21(5): 45 working days from acceptance; Art 20:
    // testing and appraisal time not counted.
    rule(
        RuleId::ComplaintMediate,
        "投诉调解",
        45,
        Wd,
        None,
        "自投诉受理之日起",
        "《市场监督管理投诉举报处理暂行办法》第二十一条第五项：自投诉受理之日起四十五个工作日内未能达成调解协议的，终止调解；第二十条：检定、检验、检测、鉴定时间不计入",
    ),
    // 投诉举报暂行办法 Art 21 last ¶: 7 working days from termination.
    rule(
        RuleId::ComplaintNotifyOutcome,
        "告知终止调解",
        7,
        Wd,
        None,
        "自作出终止调解决定之日起",
        "《市场监督管理投诉举报处理暂行办法》第二十一条：终止调解的，自作出终止调解决定之日起七个工作日内告知投诉人和被投诉人",
    ),
    // 投诉举报暂行办法 Art 31 → 程序规定 Art 18: 15 working days (+15).
    rule(
        RuleId::ReportVerify,
        "举报核查并决定是否立案",
        15,
        Wd,
        Some(15),
        "自收到举报材料之日起",
        "《市场监督管理投诉举报处理暂行办法》第三十一条：按照行政处罚有关规定处理举报；《市场监督管理行政处罚程序规定》第十八条：十五个工作日内核查并决定是否立案，经批准可延长十五个工作日",
    ),
    // 投诉举报暂行办法 Art 31 ¶2: real-name reporter told within 5 working days.
    rule(
        RuleId::ReportNotifyReporter,
        "告知实名举报人",
        5,
        Wd,
        None,
        "自作出是否立案决定之日起",
        "《市场监督管理投诉举报处理暂行办法》第三十一条第二款：实名举报的，自作出是否立案决定之日起五个工作日内告知举报人",
    ),
    // 信访工作条例 Art 23 ¶2: written notice within 15 days (calendar).
    rule(
        RuleId::PetitionNotify,
        "书面告知信访人",
        15,
        Cal,
        None,
        "自收到信访事项之日起",
        "《信访工作条例》第二十三条：不能当场告知的，应当自收到信访事项之日起15日内书面告知信访人",
    ),
    // 信访工作条例 Art 34: 60 days from acceptance, +≤30 with approval.
    rule(
        RuleId::PetitionHandle,
        "信访事项办结",
        60,
        Cal,
        Some(30),
        "自受理之日起",
        "《信访工作条例》第三十四条：自受理之日起60日内办结；情况复杂的，经本机关负责人批准可以适当延长，延长期限不得超过30日",
    ),
    // 信访工作条例 Art 35: answer a review request within 30 days.
    rule(
        RuleId::PetitionReview,
        "提出复查意见",
        30,
        Cal,
        None,
        "自收到复查请求之日起",
        "《信访工作条例》第三十五条：收到复查请求的机关应当自收到复查请求之日起30日内提出复查意见，并予以书面答复",
    ),
];

/// The statutory rule for `id`.
pub fn statutory(id: RuleId) -> &'static RuleSpec {
    // STATUTORY is in RuleId::ALL order (checked by a test); the search is a
    // fallback that cannot fail either, since every id has an entry.
    let i = RuleId::ALL.iter().position(|r| *r == id).unwrap_or(0);
    match STATUTORY.get(i) {
        Some(spec) if spec.id == id => spec,
        _ => STATUTORY
            .iter()
            .find(|s| s.id == id)
            .unwrap_or(&STATUTORY[0]),
    }
}

/// An override file could not be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitsError {
    #[error("the local limits file is not valid TOML: {0}")]
    Syntax(String),
    #[error("local limit `{rule}`: {problem}")]
    Rule { rule: String, problem: String },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverrides {
    #[serde(default, rename = "override")]
    overrides: BTreeMap<String, RawOverride>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOverride {
    days: i64,
    unit: String,
    #[serde(default)]
    extension: Option<i64>,
    note: String,
}

/// The effective rule table of an office: the statutory rules with the
/// office's local overrides applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Limits {
    rules: Vec<RuleSpec>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits::builtin()
    }
}

impl Limits {
    /// The statutory rules, no local overrides.
    pub fn builtin() -> Limits {
        Limits {
            rules: STATUTORY.to_vec(),
        }
    }

    /// The statutory rules with local overrides from a TOML file:
    ///
    /// ```toml
    /// [override."complaint.accept"]
    /// days = 5
    /// unit = "working"            # or "calendar"
    /// extension = 0               # optional; omitted keeps the statutory one
    /// note = "株洲: 投诉7个工作日压缩为5"
    /// ```
    ///
    /// A local rule may shorten a limit, never lengthen it beyond the law (when
    /// both are in the same unit); the note is required, since the basis shown
    /// to people must say the limit is local.
    pub fn with_overrides_toml(text: &str) -> Result<Limits, LimitsError> {
        let raw: RawOverrides =
            toml::from_str(text).map_err(|e| LimitsError::Syntax(e.to_string()))?;
        let mut limits = Limits::builtin();
        for (name, o) in raw.overrides {
            let bad = |problem: String| LimitsError::Rule {
                rule: name.clone(),
                problem,
            };
            let id: RuleId = name
                .parse()
                .map_err(|e: super::UnknownRule| bad(e.to_string()))?;
            let unit = match o.unit.as_str() {
                "working" => DayUnit::Working,
                "calendar" => DayUnit::Calendar,
                other => {
                    return Err(bad(format!(
                        "unit = \"{other}\": use \"working\" or \"calendar\""
                    )))
                }
            };
            let days = u32::try_from(o.days)
                .ok()
                .filter(|d| (1..=3650).contains(d))
                .ok_or_else(|| bad(format!("days = {}: use 1 to 3650", o.days)))?;
            let law = statutory(id);
            if unit == law.unit && days > law.days {
                return Err(bad(format!(
                    "{days}{} is longer than the statutory {}; a local rule may only shorten it",
                    unit.label(),
                    law.length_text()
                )));
            }
            let extension = match o.extension {
                None if unit == law.unit => law.extension,
                None => None,
                Some(0) => None,
                Some(e) => {
                    let e = u32::try_from(e)
                        .ok()
                        .filter(|e| *e <= 3650)
                        .ok_or_else(|| bad(format!("extension = {e}: use 0 to 3650")))?;
                    if unit == law.unit && e > law.extension.unwrap_or(0) {
                        return Err(bad(format!(
                            "extension {e}{} is longer than the statutory one",
                            unit.label()
                        )));
                    }
                    Some(e)
                }
            };
            let note = o.note.trim();
            if note.is_empty() {
                return Err(bad(
                    "note is required: say who set the local rule and why".into()
                ));
            }
            if let Some(spec) = limits.rules.iter_mut().find(|s| s.id == id) {
                spec.days = days;
                spec.unit = unit;
                spec.extension = extension;
                spec.local = Some(LocalRule {
                    note: note.to_string(),
                    law_days: law.days,
                    law_unit: law.unit,
                });
            }
        }
        Ok(limits)
    }

    /// The effective rule for `id`.
    pub fn get(&self, id: RuleId) -> &RuleSpec {
        self.rules
            .iter()
            .find(|s| s.id == id)
            .unwrap_or_else(|| statutory(id))
    }

    /// All effective rules, in [`RuleId::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = &RuleSpec> {
        self.rules.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_is_one_statutory_rule_per_rule_id_in_order() {
        for (i, id) in RuleId::ALL.iter().enumerate() {
            assert_eq!(STATUTORY[i].id, *id);
            assert_eq!(statutory(*id).id, *id);
            // 案件审核's article number is not verified (see its comment).
            let cites = STATUTORY[i].basis.contains('第') || *id == RuleId::CaseReview;
            assert!(cites, "{id}: basis names no article");
        }
    }

    #[test]
    fn lengths_units_and_extensions_follow_the_domain_table() {
        let l = Limits::builtin();
        let t = |id| {
            let s = l.get(id);
            (s.days, s.unit, s.extension)
        };
        assert_eq!(t(RuleId::CaseVerify), (15, Wd, Some(15)));
        assert_eq!(t(RuleId::CaseReview), (10, Wd, None));
        assert_eq!(t(RuleId::CaseHearingRequest), (5, Wd, None));
        assert_eq!(t(RuleId::CaseDecide), (90, Cal, Some(30)));
        assert_eq!(t(RuleId::CaseServe), (7, Wd, None));
        assert_eq!(t(RuleId::CasePublish), (20, Wd, None));
        assert_eq!(t(RuleId::CasePay), (15, Cal, None));
        assert_eq!(t(RuleId::ComplaintAccept), (7, Wd, None));
        assert_eq!(t(RuleId::ComplaintMediate), (45, Wd, None));
        assert_eq!(t(RuleId::ComplaintNotifyOutcome), (7, Wd, None));
        assert_eq!(t(RuleId::ReportVerify), (15, Wd, Some(15)));
        assert_eq!(t(RuleId::ReportNotifyReporter), (5, Wd, None));
        assert_eq!(t(RuleId::PetitionNotify), (15, Cal, None));
        assert_eq!(t(RuleId::PetitionHandle), (60, Cal, Some(30)));
        assert_eq!(t(RuleId::PetitionReview), (30, Cal, None));
    }

    #[test]
    fn local_override_shortens_a_limit_and_says_so_in_the_basis() {
        let l = Limits::with_overrides_toml(
            "[override.\"complaint.accept\"]\ndays = 5\nunit = \"working\"\nnote = \"株洲: 投诉7个工作日压缩为5\"\n",
        )
        .expect("valid override");
        let s = l.get(RuleId::ComplaintAccept);
        assert_eq!((s.days, s.unit), (5, Wd));
        let basis = s.basis_text();
        assert!(
            basis.contains("第十四条") && basis.contains("本地规定") && basis.contains("株洲"),
            "{basis}"
        );
        assert!(basis.contains("法定7个工作日"), "{basis}");
        // Other rules are untouched.
        assert_eq!(l.get(RuleId::CaseVerify), statutory(RuleId::CaseVerify));
    }

    #[test]
    fn local_override_may_change_the_unit() {
        // 株洲: 举报 30 days.
        let l = Limits::with_overrides_toml(
            "[override.\"report.verify\"]\ndays = 30\nunit = \"calendar\"\nnote = \"株洲: 举报30日办结\"\n",
        )
        .expect("valid override");
        let s = l.get(RuleId::ReportVerify);
        assert_eq!((s.days, s.unit, s.extension), (30, Cal, None));
    }

    #[test]
    fn override_errors_name_the_rule() {
        let cases = [
            ("[override.\"complaint.acept\"]\ndays = 5\nunit = \"working\"\nnote = \"x\"\n", "complaint.acept"),
            ("[override.\"complaint.accept\"]\ndays = 9\nunit = \"working\"\nnote = \"x\"\n", "longer"),
            ("[override.\"complaint.accept\"]\ndays = 0\nunit = \"working\"\nnote = \"x\"\n", "days = 0"),
            ("[override.\"complaint.accept\"]\ndays = 5\nunit = \"weeks\"\nnote = \"x\"\n", "unit"),
            ("[override.\"complaint.accept\"]\ndays = 5\nunit = \"working\"\nnote = \" \"\n", "note"),
            ("[override.\"case.verify\"]\ndays = 10\nunit = \"working\"\nextension = 20\nnote = \"x\"\n", "extension"),
        ];
        for (text, want) in cases {
            match Limits::with_overrides_toml(text) {
                Err(LimitsError::Rule { rule, problem }) => {
                    assert!(rule.contains('.'), "{rule}");
                    assert!(
                        format!("{rule} {problem}").contains(want),
                        "{rule}: {problem}"
                    );
                }
                other => panic!("{text}: expected a rule error, got {other:?}"),
            }
        }
        assert!(matches!(
            Limits::with_overrides_toml("[override.\"case.verify\"]\ndays = 5\nunit = \"working\"\nnote = \"x\"\ncolour = 1\n"),
            Err(LimitsError::Syntax(_))
        ));
        assert_eq!(Limits::with_overrides_toml(""), Ok(Limits::builtin()));
    }
}
