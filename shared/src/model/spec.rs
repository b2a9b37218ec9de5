//! Field specifications: what a record of each kind holds, for forms (the Yew
//! UI renders them), imports and per-field validation of Automerge edits.

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

use super::codes;
use super::error::ValidationError;
use super::ids;

/// The type of a field's JSON value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "of", rename_all = "snake_case")]
pub enum FieldType {
    /// One line of text.
    Text,
    /// Free text (facts, notes).
    LongText,
    /// A local date, "YYYY-MM-DD".
    Date,
    Bool,
    /// Money in integer 分 (fen), ≥ 0. Field names end in `_fen`.
    Fen,
    /// A non-negative count.
    Count,
    /// A code of the named list (see [`codes`]); its Chinese label is accepted too.
    Code(&'static str),
    /// A list of codes of the named list.
    Codes(&'static str),
    /// 统一社会信用代码 (GB 32100-2015).
    Uscc,
    /// A list of text items (条款, ids).
    TextList,
    /// One structured value; the name says which (`party`, `item`…).
    Object(&'static str),
    /// A list of structured values.
    ObjectList(&'static str),
}

/// One field of a record kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct FieldSpec {
    /// JSON key, snake_case.
    pub name: &'static str,
    /// Chinese label for forms and exports.
    pub label: &'static str,
    #[serde(rename = "type")]
    pub ty: FieldType,
    /// Must be present (and non-empty) in a whole record.
    pub required: bool,
    /// One sentence of help, with the legal basis where there is one.
    pub help: &'static str,
}

pub(crate) const fn f(
    name: &'static str,
    label: &'static str,
    ty: FieldType,
    required: bool,
    help: &'static str,
) -> FieldSpec {
    FieldSpec {
        name,
        label,
        ty,
        required,
        help,
    }
}

/// Is the value "not given" (null, empty string, empty list)?
pub(crate) fn is_blank(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

pub(crate) fn parse_date(field: &str, v: &Value) -> Result<NaiveDate, ValidationError> {
    let s = v.as_str().ok_or_else(|| {
        ValidationError::new(
            field,
            "日期格式 YYYY-MM-DD",
            "应为日期文本 (expected a date string)",
        )
    })?;
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
        ValidationError::new(
            field,
            "日期格式 YYYY-MM-DD",
            format!("“{s}”不是有效日期 (not a valid date)"),
        )
    })
}

pub(crate) fn check_code(field: &str, list_name: &str, v: &Value) -> Result<(), ValidationError> {
    let s = v.as_str().ok_or_else(|| {
        ValidationError::new(
            field,
            format!("代码表 {list_name}"),
            "应为代码文本 (expected a code)",
        )
    })?;
    match codes::code_list(list_name) {
        Some(list) if list.closed && list.resolve(s).is_none() => {
            let allowed: Vec<String> = list
                .entries
                .iter()
                .map(|e| format!("{}({})", e.code, e.label))
                .collect();
            Err(ValidationError::new(
                field,
                format!("代码表 {list_name}"),
                format!(
                    "“{s}”不是{}的有效代码；可选：{}",
                    list.label,
                    allowed.join("、")
                ),
            ))
        }
        _ if s.trim().is_empty() => Err(ValidationError::new(
            field,
            format!("代码表 {list_name}"),
            "代码不能为空",
        )),
        _ => Ok(()),
    }
}

/// Validate one value against its spec. Null (a cleared field) is accepted
/// here; whether the field may be empty is the record's business.
pub(crate) fn check_value(spec: &FieldSpec, v: &Value) -> Result<(), ValidationError> {
    let field = spec.name;
    if v.is_null() {
        return Ok(());
    }
    let type_err =
        |what: &str| ValidationError::new(field, "字段类型", format!("应为{what} (wrong type)"));
    match spec.ty {
        FieldType::Text | FieldType::LongText => {
            v.as_str().map(|_| ()).ok_or_else(|| type_err("文本"))
        }
        FieldType::Date => parse_date(field, v).map(|_| ()),
        FieldType::Bool => v.as_bool().map(|_| ()).ok_or_else(|| type_err("是/否")),
        FieldType::Fen => match v.as_i64() {
            Some(n) if n >= 0 => Ok(()),
            Some(_) => Err(ValidationError::new(
                field,
                "金额不得为负",
                "金额不得为负数 (must not be negative)",
            )),
            None => Err(ValidationError::new(
                field,
                "金额以分为单位的整数",
                "金额应为以分计的整数，不得带小数 (integer fen expected)",
            )),
        },
        FieldType::Count => v.as_u64().map(|_| ()).ok_or_else(|| type_err("非负整数")),
        FieldType::Code(list) => check_code(field, list, v),
        FieldType::Codes(list) => {
            let items = v.as_array().ok_or_else(|| type_err("代码列表"))?;
            for (i, item) in items.iter().enumerate() {
                check_code(&format!("{field}[{i}]"), list, item)?;
            }
            Ok(())
        }
        FieldType::Uscc => {
            let s = v.as_str().ok_or_else(|| type_err("文本"))?;
            if s.is_empty() {
                Ok(())
            } else {
                ids::validate_uscc(field, s)
            }
        }
        FieldType::TextList => {
            let items = v.as_array().ok_or_else(|| type_err("文本列表"))?;
            match items.iter().position(|i| !i.is_string()) {
                Some(i) => Err(ValidationError::new(
                    format!("{field}[{i}]"),
                    "字段类型",
                    "应为文本",
                )),
                None => Ok(()),
            }
        }
        FieldType::Object(name) => {
            super::objects::check_object(name, v).map_err(|e| e.under(field))
        }
        FieldType::ObjectList(name) => {
            let items = v.as_array().ok_or_else(|| type_err("列表"))?;
            for (i, item) in items.iter().enumerate() {
                super::objects::check_object(name, item)
                    .map_err(|e| e.under(&format!("{field}[{i}]")))?;
            }
            Ok(())
        }
    }
}

/// Validate a whole record's fields against its specs: unknown fields,
/// required fields, each value. All errors, not just the first.
pub(crate) fn check_fields(
    specs: &[FieldSpec],
    fields: &Map<String, Value>,
) -> Vec<ValidationError> {
    let mut errors = Vec::new();
    for (name, value) in fields {
        match specs.iter().find(|s| s.name == name) {
            Some(spec) => {
                if let Err(e) = check_value(spec, value) {
                    errors.push(e);
                }
            }
            None => errors.push(unknown_field(name)),
        }
    }
    for spec in specs.iter().filter(|s| s.required) {
        if fields.get(spec.name).is_none_or(is_blank) {
            errors.push(required(spec));
        }
    }
    errors
}

pub(crate) fn required(spec: &FieldSpec) -> ValidationError {
    ValidationError::new(
        spec.name,
        "必填",
        format!("{}为必填项 (required)", spec.label),
    )
}

pub(crate) fn unknown_field(name: &str) -> ValidationError {
    ValidationError::new(name, "字段表", format!("未知字段“{name}” (unknown field)"))
}

// Typed accessors for plain fields. A wrong type reads as absent: the fold
// must stay total whatever a concurrent edit left in a field.

pub(crate) fn get_str<'a>(fields: &'a Map<String, Value>, name: &str) -> Option<&'a str> {
    fields
        .get(name)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

pub(crate) fn get_date(fields: &Map<String, Value>, name: &str) -> Option<NaiveDate> {
    get_str(fields, name).and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

pub(crate) fn get_bool(fields: &Map<String, Value>, name: &str) -> Option<bool> {
    fields.get(name).and_then(Value::as_bool)
}

pub(crate) fn get_i64(fields: &Map<String, Value>, name: &str) -> Option<i64> {
    fields.get(name).and_then(Value::as_i64)
}
