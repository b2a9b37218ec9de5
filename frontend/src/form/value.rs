//! Text typed into an input ⇄ the JSON value a field holds.
//!
//! Money is typed in 元 and stored in 分 (the core's `parse_yuan`); lists are
//! typed with 、 or commas; a blank input is "not given". Whether a value is
//! valid is the core's business: this module only reads the text.

use hongdun_core::model::money::{format_yuan, parse_yuan};
use hongdun_core::model::{FieldType, ValidationError};
use serde_json::Value;

/// The separators a clerk uses between list items.
const LIST_SEPARATORS: [char; 6] = ['、', ',', '，', ';', '；', '\n'];

/// Read the text of one input of type `ty`; `Ok(None)` when blank.
pub fn parse_input(
    path: &str,
    ty: FieldType,
    text: &str,
) -> Result<Option<Value>, ValidationError> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let value = match ty {
        FieldType::Text
        | FieldType::LongText
        | FieldType::Date
        | FieldType::Uscc
        | FieldType::Code(_) => Value::String(t.to_string()),
        FieldType::Bool => match t {
            "true" | "是" => Value::Bool(true),
            "false" | "否" => Value::Bool(false),
            _ => return Err(ValidationError::new(path, "字段类型", "请选择“是”或“否”")),
        },
        FieldType::Fen => Value::from(parse_yuan(path, t)?),
        FieldType::Count => match t.parse::<u64>() {
            Ok(n) => Value::from(n),
            Err(_) => {
                return Err(ValidationError::new(
                    path,
                    "字段类型",
                    format!("“{t}”不是非负整数"),
                ))
            }
        },
        FieldType::Codes(_) | FieldType::TextList => Value::Array(
            t.split(LIST_SEPARATORS)
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(|s| Value::String(s.to_string()))
                .collect(),
        ),
        FieldType::Object(_) | FieldType::ObjectList(_) => serde_json::from_str(t)
            .map_err(|e| ValidationError::new(path, "结构", format!("格式错误：{e}")))?,
    };
    Ok(Some(value))
}

/// The text an input shows for a stored value (editing, conflict choices).
pub fn input_text(ty: FieldType, value: &Value) -> String {
    match (ty, value) {
        (_, Value::Null) => String::new(),
        (FieldType::Fen, Value::Number(n)) => n.as_i64().map(format_yuan).unwrap_or_default(),
        (FieldType::Bool, Value::Bool(b)) => b.to_string(),
        (FieldType::Codes(_) | FieldType::TextList, Value::Array(items)) => items
            .iter()
            .map(|i| {
                i.as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| i.to_string())
            })
            .collect::<Vec<_>>()
            .join("、"),
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// A field's label for its input: money fields are typed in 元, so a label
/// saying 分 (the stored unit) would mislead.
pub fn input_label(label: &str, ty: FieldType) -> String {
    if ty == FieldType::Fen {
        label.replace("（分）", "（元）")
    } else {
        label.to_string()
    }
}
