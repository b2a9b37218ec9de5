//! Errors of the domain model. None of them is ever a panic: a bad field or an
//! illegal workflow step comes back as a value that names the field (or the
//! action), the rule that was broken and a message a clerk can act on.

use serde::{Deserialize, Serialize};

/// A field value broke a rule.
///
/// `field` is a path into the record (`parties[0].uscc`, `params.fine_fen`), so
/// the UI can put the message next to the input that caused it; `rule` names
/// the standard or article (`GB 32100-2015 校验码`, `行政处罚法第五十一条`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{field}: {message} [{rule}]")]
pub struct ValidationError {
    pub field: String,
    pub rule: String,
    pub message: String,
}

impl ValidationError {
    pub fn new(
        field: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        ValidationError {
            field: field.into(),
            rule: rule.into(),
            message: message.into(),
        }
    }

    /// The same error, with its field path placed under `prefix`
    /// (`uscc` → `parties[0].uscc`).
    pub fn under(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.field = if self.field.is_empty() {
                prefix.to_string()
            } else if self.field.starts_with('[') {
                format!("{prefix}{}", self.field)
            } else {
                format!("{prefix}.{}", self.field)
            };
        }
        self
    }
}

/// A workflow event is not legal where it stands: wrong status for the action,
/// a guard of the law (Art 51 limits, two handlers, a single extension…) or a
/// bad parameter. `status` is the status code the record had when the event was
/// tried.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("{action} @ {status}: {message} [{rule}]")]
pub struct TransitionError {
    pub action: String,
    pub status: String,
    pub rule: String,
    pub message: String,
}

impl TransitionError {
    pub fn new(
        action: impl Into<String>,
        status: impl Into<String>,
        rule: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        TransitionError {
            action: action.into(),
            status: status.into(),
            rule: rule.into(),
            message: message.into(),
        }
    }

    /// A parameter of the event failed validation: the rule names the parameter
    /// (`params.fine_fen …`) so the form can point at it.
    pub fn from_param(action: &str, status: &str, err: ValidationError) -> Self {
        let field = if err.field.starts_with("params") {
            err.field.clone()
        } else {
            format!("params.{}", err.field)
        };
        TransitionError {
            action: action.to_string(),
            status: status.to_string(),
            rule: format!("{field} {}", err.rule),
            message: format!("{field}: {}", err.message),
        }
    }
}
