//! Field and record validation: errors name the field path and the rule;
//! search text and titles never carry informant data.

#[path = "model_common.rs"]
mod common;

use common::*;
use hongdun_core::model::{self, FieldType};
use hongdun_core::record::RecordKind;
use serde_json::{json, Value};

fn valid_case() -> Value {
    json!({
        "case_no": "马市监立〔2026〕12号",
        "procedure": "normal",
        "cause": "销售假冒茅台酒",
        "case_category": "trademark",
        "case_source": "举报",
        "filed_on": "2026-04-01",
        "parties": [company("某某商贸有限公司"), person("赵某")],
        "handlers": handlers(),
        "goods_value_fen": 1_280_000,
        "fine_fen": 1_000_000,
        "seizures": [{"name": "飞天茅台", "quantity": 12, "unit": "瓶", "value_fen": 3_600_000, "measure": "扣押", "taken_on": "2026-04-02"}],
        "evidence": [{"name": "询问笔录", "evidence_type": "当事人陈述"}],
        "appraisals": [{"item": "茅台酒真伪", "agency": "贵州茅台酒股份有限公司", "result": "假冒", "conforming": false}]
    })
}

fn errors(kind: RecordKind, v: Value) -> Vec<model::ValidationError> {
    model::validate_record(kind, &obj(v)).expect_err("should be invalid")
}

#[test]
fn a_complete_normal_case_file_is_valid() {
    model::validate_record(RecordKind::Case, &obj(valid_case())).unwrap();
}

#[test]
fn bad_uscc_of_a_party_names_the_field_path_and_gb32100() {
    let mut v = valid_case();
    v["parties"][0]["uscc"] = json!("91350100M000100Y44");
    let errs = errors(RecordKind::Case, v);
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert_eq!(errs[0].field, "parties[0].uscc");
    assert_eq!(errs[0].rule, "GB 32100-2015 校验码");
}

#[test]
fn bad_id_number_of_a_party_names_the_field_path_and_gb11643() {
    let mut v = valid_case();
    v["parties"][1]["id_doc_no"] = json!("110105194912310021");
    let errs = errors(RecordKind::Case, v);
    assert_eq!(errs[0].field, "parties[1].id_doc_no");
    assert_eq!(errs[0].rule, "GB 11643-1999 校验码");
    let err = model::validate_field(RecordKind::Case, "parties", &json!([person("x"), {"party_type": "自然人", "name": "y", "id_doc_no": "11010519491331002X"}]))
        .unwrap_err();
    assert_eq!(err.field, "parties[1].id_doc_no");
    assert_eq!(err.rule, "GB 11643-1999 出生日期码");
}

#[test]
fn normal_case_with_fewer_than_two_certified_handlers_is_invalid_under_art42() {
    let mut v = valid_case();
    v["handlers"] = json!([{"name": "张三", "enforcement_cert_no": "35010001"}]);
    let errs = errors(RecordKind::Case, v.clone());
    assert!(
        errs.iter()
            .any(|e| e.field == "handlers" && e.rule == "行政处罚法第四十二条"),
        "{errs:?}"
    );
    v["handlers"] = json!([{"name": "张三", "enforcement_cert_no": "35010001"}, {"name": "李四", "enforcement_cert_no": ""}]);
    let errs = errors(RecordKind::Case, v);
    assert!(
        errs.iter()
            .any(|e| e.field == "handlers[1].enforcement_cert_no"
                && e.rule == "行政处罚法第四十二条"),
        "{errs:?}"
    );
}

#[test]
fn simple_case_fine_is_checked_against_art51_at_the_boundary() {
    let simple = |party: Value, fine: i64| json!({"procedure": "simple", "cause": "未明码标价", "parties": [party], "fine_fen": fine});
    model::validate_record(RecordKind::Case, &obj(simple(person("赵某"), 20_000))).unwrap();
    let errs = errors(RecordKind::Case, simple(person("赵某"), 20_001));
    assert_eq!(
        (errs[0].field.as_str(), errs[0].rule.as_str()),
        ("fine_fen", "行政处罚法第五十一条")
    );
    model::validate_record(RecordKind::Case, &obj(simple(company("某公司"), 300_000))).unwrap();
    let errs = errors(RecordKind::Case, simple(company("某公司"), 300_001));
    assert_eq!(
        (errs[0].field.as_str(), errs[0].rule.as_str()),
        ("fine_fen", "行政处罚法第五十一条")
    );
}

#[test]
fn simple_case_with_a_filing_date_is_invalid() {
    let v = json!({"procedure": "simple", "cause": "x", "parties": [person("赵某")], "filed_on": "2026-04-01"});
    let errs = errors(RecordKind::Case, v);
    assert!(
        errs.iter()
            .any(|e| e.field == "procedure" && e.rule.contains("简易程序")),
        "{errs:?}"
    );
}

#[test]
fn case_party_identity_must_be_complete() {
    let mut v = valid_case();
    v["parties"] = json!([{"party_type": "enterprise", "name": "无码公司"}, {"party_type": "自然人", "name": "钱某"},
                          {"party_type": "individual_business", "name": "老王店", "uscc": uscc("92350102MA2Y0000A")}]);
    let errs = errors(RecordKind::Case, v);
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "parties[0].uscc",
            "parties[1].id_doc_no",
            "parties[2].operator_name"
        ]
    );
}

#[test]
fn money_must_be_integer_fen_and_dates_iso() {
    let err = model::validate_field(RecordKind::Case, "fine_fen", &json!(100.5)).unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.rule.as_str()),
        ("fine_fen", "金额以分为单位的整数")
    );
    let err = model::validate_field(RecordKind::Case, "fine_fen", &json!(-1)).unwrap_err();
    assert_eq!(err.rule, "金额不得为负");
    model::validate_field(RecordKind::Case, "fine_fen", &json!(20_000)).unwrap();
    let err =
        model::validate_field(RecordKind::Case, "filed_on", &json!("2026/04/01")).unwrap_err();
    assert_eq!(err.field, "filed_on");
    let err =
        model::validate_field(RecordKind::Case, "filed_on", &json!("2026-02-30")).unwrap_err();
    assert_eq!(err.rule, "日期格式 YYYY-MM-DD");
}

#[test]
fn required_fields_unknown_fields_and_closed_code_lists_are_named() {
    let errs = errors(
        RecordKind::Case,
        json!({"procedure": "express", "colour": "red"}),
    );
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    for f in ["procedure", "colour", "cause", "parties"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let err = model::validate_field(RecordKind::Case, "cause", &json!("  ")).unwrap_err();
    assert_eq!(err.rule, "必填");
    let err = model::validate_field(RecordKind::Lead, "nope", &json!(1)).unwrap_err();
    assert_eq!(err.rule, "字段表");
    // Open lists accept local codes; closed ones do not.
    model::validate_field(RecordKind::Case, "case_category", &json!("liquor")).unwrap();
    model::validate_field(RecordKind::Case, "procedure", &json!("简易程序")).unwrap();
    let err =
        model::validate_field(RecordKind::Petition, "petition_type", &json!("闲聊类")).unwrap_err();
    assert_eq!(err.rule, "代码表 petition_type");
}

#[test]
fn nested_objects_are_checked_with_their_index() {
    let err = model::validate_field(
        RecordKind::Case,
        "seizures",
        &json!([{"name": "酒", "measure": "扣押"}, {"name": "烟", "measure": "没收"}]),
    )
    .unwrap_err();
    assert_eq!(err.field, "seizures[1].measure");
    let err = model::validate_field(
        RecordKind::Case,
        "parties",
        &json!([{"party_type": "enterprise", "name": "x", "colour": 1}]),
    )
    .unwrap_err();
    assert_eq!(
        (err.field.as_str(), err.rule.as_str()),
        ("parties[0]", "结构")
    );
}

#[test]
fn report_may_not_hold_the_reporter_identity() {
    let v = json!({"received_on": "2026-03-02", "real_name": true, "clue": "售假", "reporter_name": "孙某", "reporter_phone": "139"});
    let errs = errors(RecordKind::Report, v);
    assert!(
        errs.iter().all(|e| e.rule.contains("第三十三条")),
        "{errs:?}"
    );
    assert_eq!(errs.len(), 2);
    let err =
        model::validate_field(RecordKind::Report, "reporter_name", &json!("孙某")).unwrap_err();
    assert!(err.rule.contains("第三十三条"));
    model::validate_record(
        RecordKind::Report,
        &obj(json!({"received_on": "2026-03-02", "real_name": true, "clue": "售假", "annex_id": "annex-1"})),
    )
    .unwrap();
}

#[test]
fn other_kinds_check_their_cross_field_rules() {
    let errs = errors(
        RecordKind::Petition,
        json!({"source": "direct", "petition_type": "claim", "received_on": "2026-03-01", "content": "x", "representative_count": 6}),
    );
    assert_eq!(errs[0].rule, "信访工作条例第二十条");
    let errs = errors(
        RecordKind::Inspection,
        json!({"inspected_on": "2026-03-01", "sample_batches": 3, "unqualified_batches": 4}),
    );
    assert_eq!(errs[0].field, "unqualified_batches");
    let errs = errors(
        RecordKind::Campaign,
        json!({"name": "双打", "start_on": "2026-03-01", "end_on": "2026-02-01"}),
    );
    assert_eq!(errs[0].field, "end_on");
    let office = json!({
        "office_code": "350102", "name": "城东市场监管所",
        "org_units": [{"id": "u1", "name": "城东所", "level": "市场监管所", "parent_id": "u0"}],
        "officers": [{"id": "o1", "name": "张三", "org_unit_id": "u1", "enforcement_cert_no": "35010001", "has_legal_qualification": true},
                     {"id": "o1", "name": "李四", "org_unit_id": "u9"}]
    });
    let errs = errors(RecordKind::Office, office);
    let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
    assert_eq!(
        fields,
        [
            "org_units[0].parent_id",
            "officers[1].id",
            "officers[1].org_unit_id"
        ]
    );
    let errs = errors(
        RecordKind::Complaint,
        json!({"received_on": "2026-03-01", "claim": "退款", "respondent": {"party_type": "enterprise", "name": "x", "uscc": "123"}}),
    );
    assert_eq!(
        (errs[0].field.as_str(), errs[0].rule.as_str()),
        ("respondent.uscc", "GB 32100-2015 代码结构")
    );
}

#[test]
fn search_text_never_contains_annex_or_personal_numbers() {
    let fields = obj(valid_case());
    let text = model::search_text(RecordKind::Case, &fields);
    assert!(
        text.contains("某某商贸有限公司")
            && text.contains("91350100M000100Y43")
            && text.contains("飞天茅台")
    );
    assert!(!text.contains("13800000000"), "no phone numbers");
    assert!(!text.contains(&id_no("35010219900307123")), "no ID numbers");
    let annex = obj(
        json!({"subject_kind": "report", "subject_id": "r1", "persons": [{"name": "孙某", "phone": "13900000000"}]}),
    );
    assert_eq!(model::search_text(RecordKind::Annex, &annex), "");
    assert_eq!(model::title(RecordKind::Annex, &annex), "保密附件");
    let report = obj(
        json!({"received_on": "2026-03-02", "real_name": true, "clue": "售假", "annex_id": "annex-secret"}),
    );
    assert!(!model::search_text(RecordKind::Report, &report).contains("annex-secret"));
}

#[test]
fn titles_and_numbers_read_like_the_registers() {
    let fields = obj(valid_case());
    assert_eq!(
        model::title(RecordKind::Case, &fields),
        "某某商贸有限公司销售假冒茅台酒案"
    );
    assert_eq!(
        model::number(RecordKind::Case, &fields).as_deref(),
        Some("马市监立〔2026〕12号")
    );
    let simple = obj(
        json!({"procedure": "simple", "cause": "未明码标价案", "decision_no": "No.0001", "parties": []}),
    );
    assert_eq!(model::title(RecordKind::Case, &simple), "未明码标价案");
    assert_eq!(
        model::number(RecordKind::Case, &simple).as_deref(),
        Some("No.0001")
    );
    let complaint = obj(
        json!({"complaint_no": "T2026-1", "respondent": company("某超市"), "item": {"name": "牛奶"}, "problem_type": "过期"}),
    );
    assert_eq!(
        model::title(RecordKind::Complaint, &complaint),
        "投诉某超市：牛奶过期"
    );
    assert_eq!(
        model::number(RecordKind::Complaint, &complaint).as_deref(),
        Some("T2026-1")
    );
    assert_eq!(
        model::number(RecordKind::Campaign, &obj(json!({"name": "双打"}))),
        None
    );
}

#[test]
fn field_specs_match_the_typed_structs() {
    fn keys<T: serde::Serialize + Default>() -> Vec<String> {
        let mut k: Vec<String> = serde_json::to_value(T::default())
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        k.sort();
        k
    }
    let cases: [(RecordKind, Vec<String>); 9] = [
        (RecordKind::Lead, keys::<model::Lead>()),
        (RecordKind::Case, keys::<model::PenaltyCase>()),
        (RecordKind::Complaint, keys::<model::Complaint>()),
        (RecordKind::Report, keys::<model::Report>()),
        (RecordKind::Petition, keys::<model::Petition>()),
        (RecordKind::Campaign, keys::<model::Campaign>()),
        (RecordKind::Inspection, keys::<model::Inspection>()),
        (RecordKind::Office, keys::<model::OfficeDirectory>()),
        (RecordKind::Annex, keys::<model::Annex>()),
    ];
    for (kind, struct_keys) in cases {
        let mut spec_keys: Vec<String> = model::field_specs(kind)
            .iter()
            .map(|s| s.name.to_string())
            .collect();
        spec_keys.sort();
        assert_eq!(spec_keys, struct_keys, "{kind}");
        for s in model::field_specs(kind) {
            assert!(!s.label.is_empty());
            if s.ty == FieldType::Fen {
                assert!(
                    s.name.ends_with("_fen"),
                    "{kind}.{}: money fields end in _fen",
                    s.name
                );
            }
            if s.name.ends_with("_fen") {
                assert_eq!(s.ty, FieldType::Fen, "{kind}.{}", s.name);
            }
        }
    }
}

#[test]
fn valid_records_deserialize_into_the_typed_structs() {
    let case: model::PenaltyCase = serde_json::from_value(valid_case()).unwrap();
    assert_eq!(case.handlers.len(), 2);
    assert_eq!(case.seizures[0].value_fen, 3_600_000);
    assert_eq!(case.filed_on, Some(d("2026-04-01")));
}
