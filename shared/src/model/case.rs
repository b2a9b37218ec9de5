//! 行政处罚案件 — penalty cases, normal (普通程序) and simple (简易程序)
//! procedure: the case file's plain fields. The workflow is in
//! [`super::case_workflow`].

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codes::{PROCEDURE, SEIZURE_MEASURE};
use super::error::ValidationError;
use super::party::Party;
use super::spec::{f, get_date, get_i64, get_str, FieldSpec, FieldType as T};

/// Art 42 of 行政处罚法: at least two enforcement officers with certificates.
pub const ART42_RULE: &str = "行政处罚法第四十二条";
pub const MIN_HANDLERS: usize = 2;

/// 办案人员 as named on the 立案审批表: a snapshot of the officer and the
/// enforcement certificate held on the day of filing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Handler {
    /// The officer's id in the office directory.
    #[serde(default)]
    pub officer_id: Option<String>,
    pub name: String,
    /// 执法证号.
    #[serde(default)]
    pub enforcement_cert_no: String,
}

impl Handler {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "必填", "办案人员姓名为必填项"));
        }
        if self.enforcement_cert_no.trim().is_empty() {
            return Err(ValidationError::new(
                "enforcement_cert_no",
                ART42_RULE,
                "办案人员须持有执法证件，执法证号为必填项 (enforcement certificate required)",
            ));
        }
        Ok(())
    }
}

/// Check a list of handlers for filing: each valid, at least two distinct
/// officers (行政处罚法 Art 42; 程序规定 Art 19). `field` is the path reported.
pub fn check_handlers(field: &str, value: Option<&Value>) -> Result<Vec<Handler>, ValidationError> {
    let items = match value {
        Some(Value::Array(items)) => items.as_slice(),
        Some(Value::Null) | None => &[],
        Some(_) => return Err(ValidationError::new(field, "字段类型", "办案人员应为列表")),
    };
    let mut handlers = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let path = format!("{field}[{i}]");
        let h: Handler = serde_json::from_value(item.clone())
            .map_err(|e| ValidationError::new(path.clone(), "结构", format!("格式错误: {e}")))?;
        h.validate().map_err(|e| e.under(&path))?;
        handlers.push(h);
    }
    let mut certs: Vec<&str> = handlers
        .iter()
        .map(|h| h.enforcement_cert_no.trim())
        .collect();
    certs.sort_unstable();
    certs.dedup();
    if certs.len() < MIN_HANDLERS {
        return Err(ValidationError::new(
            field,
            ART42_RULE,
            format!(
                "立案须指定不少于两名持有执法证件的办案人员，实为{}名 (at least two certified handlers)",
                certs.len()
            ),
        ));
    }
    Ok(handlers)
}

/// 查扣清单 — one line of the seizure list (先行登记保存/查封/扣押).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeizureItem {
    pub name: String,
    #[serde(default)]
    pub spec: Option<String>,
    #[serde(default)]
    pub quantity: u64,
    #[serde(default)]
    pub unit: Option<String>,
    #[serde(default)]
    pub value_fen: i64,
    /// preservation 先行登记保存 (7 working days, Art 56) / seal 查封 / seize 扣押
    /// (30 + 30 days, 行政强制法 Art 25).
    pub measure: String,
    #[serde(default)]
    pub taken_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub released_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub document_no: Option<String>,
}

impl SeizureItem {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "必填", "物品名称为必填项"));
        }
        if SEIZURE_MEASURE.resolve(&self.measure).is_none() {
            return Err(ValidationError::new(
                "measure",
                "代码表 seizure_measure",
                "措施应为先行登记保存/查封/扣押",
            ));
        }
        if self.value_fen < 0 {
            return Err(ValidationError::new(
                "value_fen",
                "金额不得为负",
                "货值不得为负数",
            ));
        }
        if let (Some(a), Some(b)) = (self.taken_on, self.released_on) {
            if b < a {
                return Err(ValidationError::new(
                    "released_on",
                    "日期先后",
                    "解除日期早于采取措施日期",
                ));
            }
        }
        Ok(())
    }
}

/// 证据清单 — one piece of evidence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceItem {
    pub name: String,
    /// 书证/物证/视听资料/电子数据/证人证言/当事人陈述/鉴定意见/勘验笔录、现场笔录.
    #[serde(default)]
    pub evidence_type: Option<String>,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub collected_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub note: Option<String>,
}

impl EvidenceItem {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "必填", "证据名称为必填项"));
        }
        Ok(())
    }
}

/// 检测/检验/鉴定结果 — e.g. a liquor maker's identification that goods are fake.
/// The time it took is excluded from the decision limit through the
/// `pause_clock`/`resume_clock` events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appraisal {
    pub item: String,
    #[serde(default)]
    pub agency: Option<String>,
    #[serde(default)]
    pub commissioned_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub reported_on: Option<chrono::NaiveDate>,
    #[serde(default)]
    pub result: Option<String>,
    /// 是否合格/是否为假冒.
    #[serde(default)]
    pub conforming: Option<bool>,
}

impl Appraisal {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.item.trim().is_empty() {
            return Err(ValidationError::new("item", "必填", "鉴定事项为必填项"));
        }
        if let (Some(a), Some(b)) = (self.commissioned_on, self.reported_on) {
            if b < a {
                return Err(ValidationError::new(
                    "reported_on",
                    "日期先后",
                    "报告日期早于委托日期",
                ));
            }
        }
        Ok(())
    }
}

/// 行政处罚案件 — the case file's plain fields (DOMAIN §6.1 PenaltyCase).
/// Status, dates of acts and payments come from events.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PenaltyCase {
    pub case_no: Option<String>,
    pub lead_id: Option<String>,
    pub procedure: String,
    pub cause: String,
    pub case_category: Option<String>,
    pub case_source: Option<String>,
    pub issuing_org: Option<String>,
    pub org_unit_id: Option<String>,
    pub filed_on: Option<chrono::NaiveDate>,
    pub parties: Vec<Party>,
    pub handlers: Vec<Handler>,
    pub facts: Option<String>,
    pub violated_provisions: Vec<String>,
    pub penalty_basis: Vec<String>,
    pub discretion_reason: Option<String>,
    pub goods_value_fen: Option<i64>,
    pub illegal_turnover_fen: Option<i64>,
    pub illegal_gains_fen: Option<i64>,
    pub fine_fen: Option<i64>,
    pub confiscated_gains_fen: Option<i64>,
    pub confiscated_goods_desc: Option<String>,
    pub confiscated_goods_value_fen: Option<i64>,
    pub refund_ordered_fen: Option<i64>,
    pub decision_no: Option<String>,
    pub seizures: Vec<SeizureItem>,
    pub evidence: Vec<EvidenceItem>,
    pub appraisals: Vec<Appraisal>,
    pub campaign_id: Option<String>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f("case_no", "立案号", T::Text, false, "本局立案编号"),
    f("lead_id", "案源", T::Text, false, "来源案源记录编号"),
    f(
        "procedure",
        "适用程序",
        T::Code("procedure"),
        true,
        "普通程序/简易程序（行政处罚法第五十一条）",
    ),
    f("cause", "案由", T::Text, true, "如“销售假冒注册商标的商品”"),
    f(
        "case_category",
        "案件类别",
        T::Code("case_category"),
        false,
        "可配置代码表",
    ),
    f(
        "case_source",
        "案件来源",
        T::Code("case_source"),
        false,
        "程序规定第十八条所列来源",
    ),
    f(
        "issuing_org",
        "制作机关",
        T::Text,
        false,
        "以其名义作出决定的机关，可不同于承办所",
    ),
    f(
        "org_unit_id",
        "承办机构",
        T::Text,
        false,
        "机构目录中的机构编号",
    ),
    f(
        "filed_on",
        "立案日期",
        T::Date,
        false,
        "普通程序必填；九十日办案期限自此起算（行政处罚法第六十条）",
    ),
    f(
        "parties",
        "当事人",
        T::ObjectList("party"),
        true,
        "至少一名当事人",
    ),
    f(
        "handlers",
        "办案人员",
        T::ObjectList("handler"),
        false,
        "普通程序不少于两名持证人员（行政处罚法第四十二条）",
    ),
    f(
        "facts",
        "违法事实",
        T::LongText,
        false,
        "时间、地点、手段、情节、危害后果",
    ),
    f("violated_provisions", "违反条款", T::TextList, false, ""),
    f("penalty_basis", "处罚依据", T::TextList, false, ""),
    f("discretion_reason", "裁量理由", T::LongText, false, ""),
    f("goods_value_fen", "涉案货值（分）", T::Fen, false, ""),
    f(
        "illegal_turnover_fen",
        "违法经营额（分）",
        T::Fen,
        false,
        "",
    ),
    f("illegal_gains_fen", "违法所得（分）", T::Fen, false, ""),
    f(
        "fine_fen",
        "罚款（分）",
        T::Fen,
        false,
        "简易程序：自然人不超过200元，组织不超过3000元",
    ),
    f(
        "confiscated_gains_fen",
        "没收违法所得（分）",
        T::Fen,
        false,
        "",
    ),
    f(
        "confiscated_goods_desc",
        "没收非法财物",
        T::Text,
        false,
        "名称、数量",
    ),
    f(
        "confiscated_goods_value_fen",
        "没收非法财物价值（分）",
        T::Fen,
        false,
        "",
    ),
    f("refund_ordered_fen", "责令退赔（分）", T::Fen, false, ""),
    f(
        "decision_no",
        "决定书文号",
        T::Text,
        false,
        "如 马市监处罚〔2026〕193号；简易程序为预定格式编号",
    ),
    f(
        "seizures",
        "查扣清单",
        T::ObjectList("seizure_item"),
        false,
        "先行登记保存/查封/扣押物品",
    ),
    f(
        "evidence",
        "证据清单",
        T::ObjectList("evidence_item"),
        false,
        "",
    ),
    f(
        "appraisals",
        "检测鉴定结果",
        T::ObjectList("appraisal"),
        false,
        "检测、检验、检疫、鉴定、权利人辨认",
    ),
    f(
        "campaign_id",
        "专项行动",
        T::Text,
        false,
        "所属专项行动记录编号",
    ),
    f("notes", "备注", T::LongText, false, ""),
];

pub(crate) fn parties(fields: &Map<String, Value>) -> Vec<Party> {
    fields
        .get("parties")
        .and_then(|v| serde_json::from_value::<Vec<Party>>(v.clone()).ok())
        .unwrap_or_default()
}

pub(crate) fn is_simple(fields: &Map<String, Value>) -> bool {
    get_str(fields, "procedure").is_some_and(|p| PROCEDURE.is(p, "simple"))
}

/// Cross-field rules of a whole case file.
pub(crate) fn check_record(fields: &Map<String, Value>, errors: &mut Vec<ValidationError>) {
    if let Some(Value::Array(items)) = fields.get("parties") {
        for (i, item) in items.iter().enumerate() {
            if let Ok(p) = serde_json::from_value::<Party>(item.clone()) {
                if let Err(e) = p.validate_identity() {
                    let e = e.under(&format!("parties[{i}]"));
                    if !errors.contains(&e) {
                        errors.push(e);
                    }
                }
            }
        }
    }
    if is_simple(fields) {
        if get_date(fields, "filed_on").is_some() {
            errors.push(ValidationError::new(
                "procedure",
                super::case_workflow::SIMPLE_AFTER_FILING_RULE,
                "已按普通程序立案的案件不得适用简易程序 (already filed under the normal procedure)",
            ));
        }
        let limit = super::case_workflow::simple_procedure_limit_fen(&parties(fields));
        if let Some(fine) = get_i64(fields, "fine_fen") {
            if fine > limit {
                errors.push(super::case_workflow::art51_error(fine, limit));
            }
        }
    } else {
        if get_date(fields, "filed_on").is_none() {
            errors.push(ValidationError::new(
                "filed_on",
                "必填",
                "普通程序案件须填写立案日期 (filing date required)",
            ));
        }
        if let Err(e) = check_handlers("handlers", fields.get("handlers")) {
            errors.push(e);
        }
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    let party = parties(fields)
        .into_iter()
        .next()
        .map(|p| p.name)
        .unwrap_or_default();
    let cause = get_str(fields, "cause").unwrap_or("");
    let mut t = if !party.is_empty() && !cause.starts_with(party.as_str()) {
        format!("{party}{cause}")
    } else {
        cause.to_string()
    };
    if t.is_empty() {
        t = "未命名案件".to_string();
    } else if !t.ends_with('案') {
        t.push('案');
    }
    t
}

pub(crate) fn number(fields: &Map<String, Value>) -> Option<String> {
    get_str(fields, "case_no")
        .or_else(|| get_str(fields, "decision_no"))
        .map(str::to_string)
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in [
        "case_no",
        "decision_no",
        "cause",
        "facts",
        "confiscated_goods_desc",
        "notes",
    ] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
    for p in parties(fields) {
        p.search_words(out);
    }
    if let Some(Value::Array(items)) = fields.get("handlers") {
        for h in items
            .iter()
            .filter_map(|h| h.get("name").and_then(Value::as_str))
        {
            out.push(h.to_string());
        }
    }
    if let Some(Value::Array(items)) = fields.get("seizures") {
        for s in items
            .iter()
            .filter_map(|s| s.get("name").and_then(Value::as_str))
        {
            out.push(s.to_string());
        }
    }
}
