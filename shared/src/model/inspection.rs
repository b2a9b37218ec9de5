//! 检查记录 — one inspection, usually within a campaign: RECORDED ⇄ CLOSED.
//!
//! Campaign figures come from here: 出动人次 = officers per inspection
//! ([`person_times`]), 检查户次 = `premises_count`, 抽检批次/不合格批次,
//! 查获数量/货值, 捣毁窝点, 移送公安.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::error::ValidationError;
use super::party::Party;
use super::spec::{f, get_i64, get_str, FieldSpec, FieldType as T};
use super::workflow::{act, end, st, ActionDef, Base, Ctx, Machine, Refusal, StatusDef};
use crate::record::EventEnvelope;

/// 检查记录 — plain fields (DOMAIN §6.1 Inspection).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Inspection {
    pub campaign_id: Option<String>,
    pub inspected_on: Option<chrono::NaiveDate>,
    pub org_unit_id: Option<String>,
    pub officer_ids: Vec<String>,
    pub officer_count: Option<u64>,
    pub premises_count: Option<u64>,
    pub entities: Vec<Party>,
    pub sample_batches: Option<u64>,
    pub unqualified_batches: Option<u64>,
    pub findings: Option<String>,
    pub actions: Vec<String>,
    pub lead_id: Option<String>,
    pub seized_qty: Option<u64>,
    pub seized_value_fen: Option<i64>,
    pub dens_destroyed: Option<u64>,
    pub referred_to_police: Option<bool>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f("campaign_id", "专项行动", T::Text, false, ""),
    f("inspected_on", "检查日期", T::Date, true, ""),
    f("org_unit_id", "检查机构", T::Text, false, ""),
    f(
        "officer_ids",
        "出动人员",
        T::TextList,
        false,
        "人员编号；人次按人数计",
    ),
    f(
        "officer_count",
        "出动人数",
        T::Count,
        false,
        "未逐一登记人员时填写",
    ),
    f("premises_count", "检查户次", T::Count, false, ""),
    f(
        "entities",
        "检查对象",
        T::ObjectList("party"),
        false,
        "用于统计检查户数（去重）",
    ),
    f("sample_batches", "抽检批次", T::Count, false, ""),
    f(
        "unqualified_batches",
        "不合格批次",
        T::Count,
        false,
        "不超过抽检批次",
    ),
    f("findings", "检查情况", T::LongText, false, ""),
    f(
        "actions",
        "处置措施",
        T::Codes("inspection_action"),
        false,
        "责令改正/立案线索/查扣",
    ),
    f("lead_id", "形成案源", T::Text, false, ""),
    f("seized_qty", "查获数量", T::Count, false, ""),
    f("seized_value_fen", "查获货值（分）", T::Fen, false, ""),
    f("dens_destroyed", "捣毁窝点", T::Count, false, ""),
    f("referred_to_police", "移送公安", T::Bool, false, ""),
    f("notes", "备注", T::LongText, false, ""),
];

pub(crate) fn check_record(fields: &Map<String, Value>, errors: &mut Vec<ValidationError>) {
    if let (Some(all), Some(bad)) = (
        get_i64(fields, "sample_batches"),
        get_i64(fields, "unqualified_batches"),
    ) {
        if bad > all {
            errors.push(ValidationError::new(
                "unqualified_batches",
                "不合格批次不超过抽检批次",
                "不合格批次多于抽检批次",
            ));
        }
    }
}

/// 出动人次 of one inspection: the officers listed, else the count given.
pub fn person_times(fields: &Map<String, Value>) -> u64 {
    match fields.get("officer_ids").and_then(Value::as_array) {
        Some(ids) if !ids.is_empty() => ids.len() as u64,
        _ => fields
            .get("officer_count")
            .and_then(Value::as_u64)
            .unwrap_or(0),
    }
}

pub struct InspectionMachine;

impl Machine for InspectionMachine {
    type State = Base;
    const STATUSES: &'static [StatusDef] = &[st("RECORDED", "已记录"), end("CLOSED", "已办结")];
    const ACTIONS: &'static [ActionDef] = &[
        // 办结 — follow-up done (整改复查, 线索移交).
        act("close", "办结", "检查记录", &["RECORDED"]),
        // 重新打开 — a follow-up turned up.
        act("reopen", "重新打开", "检查记录", &["CLOSED"]),
    ];
    fn initial(_fields: &Map<String, Value>) -> Base {
        Base::new("RECORDED")
    }
    fn base(s: &Base) -> &Base {
        s
    }
    fn apply(s: &mut Base, _ctx: &Ctx, ev: &EventEnvelope) -> Result<(), Refusal> {
        match ev.action.as_str() {
            "close" => {
                s.status = "CLOSED";
                s.date("closed_on", ev.on);
            }
            "reopen" => {
                s.status = "RECORDED";
                s.dates.remove("closed_on");
            }
            _ => {}
        }
        Ok(())
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    let date = get_str(fields, "inspected_on").unwrap_or("");
    let first = fields
        .get("entities")
        .and_then(Value::as_array)
        .and_then(|a| a.first())
        .and_then(|p| p.get("name"))
        .and_then(Value::as_str);
    match first {
        Some(name) => format!("{date} 检查{name}"),
        None => format!("{date} 检查记录"),
    }
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in ["findings", "notes"] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
    if let Some(Value::Array(items)) = fields.get("entities") {
        for p in items
            .iter()
            .filter_map(|v| serde_json::from_value::<Party>(v.clone()).ok())
        {
            p.search_words(out);
        }
    }
}
