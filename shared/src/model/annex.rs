//! 保密附件 — the confidential annex: a reporter's, complainant's or
//! petitioner's identity, linked from the record by `annex_id`. It never leaves
//! the office and the bureau, so nothing here is ever part of another record's
//! title or search text, and its own search text is empty.

use serde::{Deserialize, Serialize};

use super::party::Person;
use super::spec::{f, FieldSpec, FieldType as T};

/// 保密附件 — plain fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Annex {
    /// complaint / report / petition.
    pub subject_kind: String,
    pub subject_id: String,
    pub persons: Vec<Person>,
    pub real_name: Option<bool>,
    /// 授权委托书 reference for an agent (投诉举报暂行办法 Art 10).
    pub poa_ref: Option<String>,
    pub notes: Option<String>,
}

pub const FIELDS: &[FieldSpec] = &[
    f(
        "subject_kind",
        "所属记录类型",
        T::Text,
        true,
        "complaint/report/petition",
    ),
    f("subject_id", "所属记录编号", T::Text, true, ""),
    f(
        "persons",
        "当事人身份",
        T::ObjectList("person"),
        true,
        "举报人/投诉人/信访人及代理人、代表",
    ),
    f("real_name", "实名", T::Bool, false, ""),
    f("poa_ref", "授权委托书", T::Text, false, ""),
    f("notes", "备注", T::LongText, false, ""),
];
