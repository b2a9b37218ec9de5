//! The inputs of structured values (当事人, 办案人员, 查扣物品…) inside a form.
//!
//! The core checks a structured value by deserialising it into its Rust type;
//! it has no per-part field table. This table says which parts a form shows
//! for each object type, in form order, with the core's code lists. Whatever a
//! clerk types is still validated by the core (`validate_field` on the whole
//! object), so this table only decides layout, never validity.

use hongdun_core::model::{FieldSpec, FieldType as T};

const fn p(name: &'static str, label: &'static str, ty: T, required: bool) -> FieldSpec {
    FieldSpec {
        name,
        label,
        ty,
        required,
        help: "",
    }
}

const PARTY: &[FieldSpec] = &[
    p("party_type", "当事人类型", T::Code("party_type"), true),
    p("name", "名称/姓名", T::Text, true),
    p("uscc", "统一社会信用代码", T::Uscc, false),
    p("legal_rep", "法定代表人/负责人", T::Text, false),
    p("operator_name", "经营者", T::Text, false),
    p("id_doc_type", "证件类型", T::Code("id_doc_type"), false),
    p("id_doc_no", "证件号码", T::Text, false),
    p("reg_address", "住所", T::Text, false),
    p("business_address", "实际经营地", T::Text, false),
    p("phone", "联系电话", T::Text, false),
];

const PERSON: &[FieldSpec] = &[
    p("name", "姓名", T::Text, true),
    p("phone", "电话", T::Text, false),
    p("address", "地址", T::Text, false),
    p("id_doc_type", "证件类型", T::Code("id_doc_type"), false),
    p("id_doc_no", "证件号码", T::Text, false),
    p("role", "身份", T::Text, false),
];

const HANDLER: &[FieldSpec] = &[
    p("name", "姓名", T::Text, true),
    p("enforcement_cert_no", "执法证号", T::Text, true),
    p("officer_id", "人员编号", T::Text, false),
];

const SEIZURE_ITEM: &[FieldSpec] = &[
    p("name", "物品名称", T::Text, true),
    p("spec", "规格", T::Text, false),
    p("quantity", "数量", T::Count, true),
    p("unit", "单位", T::Text, false),
    p("value_fen", "价值（分）", T::Fen, true),
    p("measure", "措施", T::Code("seizure_measure"), true),
    p("taken_on", "采取日期", T::Date, false),
    p("released_on", "解除日期", T::Date, false),
    p("document_no", "文书号", T::Text, false),
];

const EVIDENCE_ITEM: &[FieldSpec] = &[
    p("name", "证据名称", T::Text, true),
    p("evidence_type", "证据种类", T::Text, false),
    p("source", "来源", T::Text, false),
    p("collected_on", "收集日期", T::Date, false),
    p("note", "说明", T::Text, false),
];

const APPRAISAL: &[FieldSpec] = &[
    p("item", "检测鉴定物品", T::Text, true),
    p("agency", "检测机构", T::Text, false),
    p("commissioned_on", "委托日期", T::Date, false),
    p("reported_on", "报告日期", T::Date, false),
    p("result", "结论", T::Text, false),
    p("conforming", "合格", T::Bool, false),
];

const PURCHASED_ITEM: &[FieldSpec] = &[
    p("name", "商品或服务名称", T::Text, true),
    p("brand", "品牌", T::Text, false),
    p("model", "型号", T::Text, false),
    p("quantity", "数量", T::Count, false),
    p("price_fen", "价格（分）", T::Fen, false),
    p("purchase_date", "购买日期", T::Date, false),
    p("purchase_mode", "购买方式", T::Code("purchase_mode"), false),
    p("platform", "平台", T::Text, false),
];

/// 领导接访日 (the office directory's schedule).
const RECEPTION_DAY: &[FieldSpec] = &[
    p("date", "接访日期", T::Date, true),
    p("leader", "接访领导", T::Text, true),
    p("place", "接访地点", T::Text, false),
    p("staff", "陪同人员", T::TextList, false),
    p("notes", "备注", T::Text, false),
];

/// The parts a form shows for object type `name`; `None` for object types
/// edited elsewhere (the office directory's units and officers).
pub fn object_parts(name: &str) -> Option<&'static [FieldSpec]> {
    Some(match name {
        "party" => PARTY,
        "person" => PERSON,
        "handler" => HANDLER,
        "seizure_item" => SEIZURE_ITEM,
        "evidence_item" => EVIDENCE_ITEM,
        "appraisal" => APPRAISAL,
        "purchased_item" => PURCHASED_ITEM,
        "reception_day" => RECEPTION_DAY,
        _ => return None,
    })
}
