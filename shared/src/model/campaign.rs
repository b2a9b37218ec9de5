//! 专项行动 — a campaign (双打, 红盾护农, 节日市场…): PLANNED → ACTIVE → ENDED.
//! Its figures (出动人次, 检查户次, 抽检批次…) are sums over its inspections.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::ValidationError;
use super::spec::{f, get_date, get_str, FieldSpec, FieldType as T};
use super::workflow::{act, end, st, ActionDef, Base, Ctx, Machine, Refusal, StatusDef};
use crate::record::EventEnvelope;

/// 专项行动 — plain fields (DOMAIN §6.1 Campaign).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Campaign {
    pub name: String,
    pub campaign_type: Option<String>,
    pub start_on: Option<chrono::NaiveDate>,
    pub end_on: Option<chrono::NaiveDate>,
    pub lead_unit: Option<String>,
    pub targets: Option<String>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f(
        "name",
        "行动名称",
        T::Text,
        true,
        "如“2026年春季红盾护农行动”",
    ),
    f(
        "campaign_type",
        "行动类型",
        T::Code("campaign_type"),
        false,
        "可配置代码表",
    ),
    f("start_on", "计划开始日期", T::Date, false, ""),
    f("end_on", "计划结束日期", T::Date, false, ""),
    f("lead_unit", "牵头单位", T::Text, false, ""),
    f("targets", "工作目标", T::LongText, false, ""),
    f("notes", "备注", T::LongText, false, ""),
];

pub(crate) fn check_record(fields: &Map<String, Value>, errors: &mut Vec<ValidationError>) {
    if let (Some(a), Some(b)) = (get_date(fields, "start_on"), get_date(fields, "end_on")) {
        if b < a {
            errors.push(ValidationError::new(
                "end_on",
                "日期先后",
                "结束日期早于开始日期",
            ));
        }
    }
}

pub struct CampaignMachine;

impl Machine for CampaignMachine {
    type State = Base;
    const STATUSES: &'static [StatusDef] = &[
        st("PLANNED", "计划中"),
        st("ACTIVE", "进行中"),
        end("ENDED", "已结束"),
    ];
    const ACTIONS: &'static [ActionDef] = &[
        // 启动.
        act("start", "启动行动", "专项行动方案", &["PLANNED"]),
        // 结束 — the summary (总结) follows.
        act("end", "结束行动", "专项行动方案", &["ACTIVE"]),
    ];
    fn initial(_fields: &Map<String, Value>) -> Base {
        Base::new("PLANNED")
    }
    fn base(s: &Base) -> &Base {
        s
    }
    fn apply(s: &mut Base, _ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
        match ev.action.as_str() {
            "start" => {
                s.status = "ACTIVE";
                s.date("started_on", ev.on);
            }
            "end" => {
                s.status = "ENDED";
                s.date("ended_on", ev.on);
                s.date("closed_on", ev.on);
            }
            _ => {}
        }
        Ok(())
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    get_str(fields, "name")
        .unwrap_or("未命名专项行动")
        .to_string()
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in ["name", "lead_unit", "targets", "notes"] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
}
