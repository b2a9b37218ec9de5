//! 机构与人员 — the office directory document: org units (市局, 分局, 所, 科室,
//! 稽查队) and officers with their 执法证号 and 法律职业资格.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::codes::ORG_LEVEL;
use super::error::ValidationError;
use super::spec::{f, get_str, FieldSpec, FieldType as T};

/// 机构 (DOMAIN §6.1 OrgUnit).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrgUnit {
    pub id: String,
    pub name: String,
    /// bureau 市局 / district 区县局（分局）/ station 所 / section 科室 / squad 稽查队.
    pub level: String,
    #[serde(default)]
    pub parent_id: Option<String>,
    /// 印章名称 — the issuing name on documents (a 所 may act in the county
    /// bureau's name, DOMAIN §1.5).
    #[serde(default)]
    pub seal_name: Option<String>,
    /// 文号前缀, e.g. "马市监处罚".
    #[serde(default)]
    pub doc_prefix: Option<String>,
}

impl OrgUnit {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.id.trim().is_empty() {
            return Err(ValidationError::new("id", "必填", "机构编号为必填项"));
        }
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "必填", "机构名称为必填项"));
        }
        if ORG_LEVEL.resolve(&self.level).is_none() {
            return Err(ValidationError::new(
                "level",
                "代码表 org_level",
                format!("“{}”不是机构层级", self.level),
            ));
        }
        Ok(())
    }
}

/// 执法人员 (DOMAIN §6.1 Officer).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officer {
    pub id: String,
    pub name: String,
    pub org_unit_id: String,
    /// 执法证号 — needed to be named a handler (行政处罚法 Art 42).
    #[serde(default)]
    pub enforcement_cert_no: Option<String>,
    /// 法律职业资格 — needed for a first-time 法制审核 (行政处罚法 Art 58).
    #[serde(default)]
    pub has_legal_qualification: bool,
    #[serde(default)]
    pub roles: Vec<String>,
    /// 在岗 — false once the officer left; kept for history.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl Officer {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.id.trim().is_empty() {
            return Err(ValidationError::new("id", "必填", "人员编号为必填项"));
        }
        if self.name.trim().is_empty() {
            return Err(ValidationError::new("name", "必填", "姓名为必填项"));
        }
        if self.org_unit_id.trim().is_empty() {
            return Err(ValidationError::new(
                "org_unit_id",
                "必填",
                "所属机构为必填项",
            ));
        }
        Ok(())
    }

    /// May be named a 办案人员 on filing.
    pub fn can_handle_cases(&self) -> bool {
        self.active
            && self
                .enforcement_cert_no
                .as_deref()
                .is_some_and(|c| !c.trim().is_empty())
    }
}

/// 领导接访日 — one leaders' reception day (《信访工作条例》 Art 10: 行政机关负责人
/// 信访接待日; DOMAIN §6.1 LeaderReceptionDay). The schedule lives in the office
/// directory document, so it syncs with the office and the bureau sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReceptionDay {
    /// The day, "YYYY-MM-DD".
    pub date: chrono::NaiveDate,
    /// The leader on duty (an officer id of this directory, or a name).
    pub leader: String,
    /// 接访地点, e.g. "一楼信访接待室".
    #[serde(default)]
    pub place: Option<String>,
    /// Others on duty with the leader.
    #[serde(default)]
    pub staff: Vec<String>,
    #[serde(default)]
    pub notes: Option<String>,
}

impl ReceptionDay {
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.leader.trim().is_empty() {
            return Err(ValidationError::new("leader", "必填", "接访领导为必填项"));
        }
        Ok(())
    }
}

/// The 接访日 schedule held in an office directory's `reception_days` field;
/// unreadable entries are skipped (the field's validation refuses them on entry).
pub fn reception_days(fields: &Map<String, Value>) -> Vec<ReceptionDay> {
    match fields.get("reception_days") {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(|v| serde_json::from_value(v.clone()).ok())
            .collect(),
        _ => Vec::new(),
    }
}

/// The office directory (one document per office).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfficeDirectory {
    pub office_code: String,
    pub name: String,
    pub org_units: Vec<OrgUnit>,
    pub officers: Vec<Officer>,
    /// 接访日 schedule.
    pub reception_days: Vec<ReceptionDay>,
}

pub const FIELDS: &[FieldSpec] = &[
    f(
        "office_code",
        "机构代码",
        T::Text,
        true,
        "同步与权限使用的本机构代码",
    ),
    f("name", "机构名称", T::Text, true, ""),
    f(
        "org_units",
        "机构",
        T::ObjectList("org_unit"),
        false,
        "市局/分局/所/科室/稽查队",
    ),
    f(
        "officers",
        "人员",
        T::ObjectList("officer"),
        false,
        "执法证号、法律职业资格",
    ),
    f(
        "reception_days",
        "接访日安排",
        T::ObjectList("reception_day"),
        false,
        "领导信访接待日：日期、接访领导、地点",
    ),
];

/// Ids unique; parents and officers' units exist.
pub(crate) fn check_record(fields: &Map<String, Value>, errors: &mut Vec<ValidationError>) {
    let units: Vec<OrgUnit> = fields
        .get("org_units")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let officers: Vec<Officer> = fields
        .get("officers")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    for (i, u) in units.iter().enumerate() {
        if units[..i].iter().any(|o| o.id == u.id) {
            errors.push(ValidationError::new(
                format!("org_units[{i}].id"),
                "编号唯一",
                format!("机构编号“{}”重复", u.id),
            ));
        }
        if let Some(p) = u.parent_id.as_deref().filter(|p| !p.is_empty()) {
            if !units.iter().any(|o| o.id == p) {
                errors.push(ValidationError::new(
                    format!("org_units[{i}].parent_id"),
                    "引用存在",
                    format!("上级机构“{p}”不存在"),
                ));
            }
        }
    }
    for (i, o) in officers.iter().enumerate() {
        if officers[..i].iter().any(|x| x.id == o.id) {
            errors.push(ValidationError::new(
                format!("officers[{i}].id"),
                "编号唯一",
                format!("人员编号“{}”重复", o.id),
            ));
        }
        if !units.is_empty() && !units.iter().any(|u| u.id == o.org_unit_id) {
            errors.push(ValidationError::new(
                format!("officers[{i}].org_unit_id"),
                "引用存在",
                format!("所属机构“{}”不存在", o.org_unit_id),
            ));
        }
    }
}

pub(crate) fn title(fields: &Map<String, Value>) -> String {
    get_str(fields, "name").unwrap_or("机构目录").to_string()
}

pub(crate) fn search_words(fields: &Map<String, Value>, out: &mut Vec<String>) {
    for name in ["office_code", "name"] {
        if let Some(s) = get_str(fields, name) {
            out.push(s.to_string());
        }
    }
    if let Some(Value::Array(items)) = fields.get("org_units") {
        out.extend(
            items
                .iter()
                .filter_map(|u| u.get("name").and_then(Value::as_str))
                .map(str::to_string),
        );
    }
    if let Some(Value::Array(items)) = fields.get("officers") {
        out.extend(
            items
                .iter()
                .filter_map(|u| u.get("name").and_then(Value::as_str))
                .map(str::to_string),
        );
    }
}
