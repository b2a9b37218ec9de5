//! Structured values inside fields (`parties`, `handlers`, `seizures`…):
//! each is a typed struct; a value is checked by deserialising it and running
//! the struct's own rules, so the JSON and the Rust type cannot drift apart.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::case::{Appraisal, EvidenceItem, Handler, SeizureItem};
use super::complaint::PurchasedItem;
use super::error::ValidationError;
use super::office::{Officer, OrgUnit, ReceptionDay};
use super::party::{Party, Person};

fn parse<T: DeserializeOwned>(v: &Value) -> Result<T, ValidationError> {
    serde_json::from_value(v.clone())
        .map_err(|e| ValidationError::new("", "结构", format!("格式错误 (malformed): {e}")))
}

/// Check one structured value of the named object type.
pub(crate) fn check_object(name: &str, v: &Value) -> Result<(), ValidationError> {
    match name {
        "party" => parse::<Party>(v)?.validate(),
        "person" => parse::<Person>(v)?.validate(),
        "handler" => parse::<Handler>(v)?.validate(),
        "seizure_item" => parse::<SeizureItem>(v)?.validate(),
        "evidence_item" => parse::<EvidenceItem>(v)?.validate(),
        "appraisal" => parse::<Appraisal>(v)?.validate(),
        "purchased_item" => parse::<PurchasedItem>(v)?.validate(),
        "org_unit" => parse::<OrgUnit>(v)?.validate(),
        "officer" => parse::<Officer>(v)?.validate(),
        "reception_day" => parse::<ReceptionDay>(v)?.validate(),
        other => Err(ValidationError::new(
            "",
            "结构",
            format!("unknown object type {other}"),
        )),
    }
}
