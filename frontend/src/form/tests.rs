//! Form engine rules, checked on the host against the core's real validation.

use hongdun_core::model::FieldType;
use hongdun_core::record::RecordKind;
use serde_json::json;

use super::*;

const GOOD_USCC: &str = "91350100M000100Y43";
const BAD_USCC: &str = "91350100M000100Y44";

fn filled_lead() -> FormState {
    let mut form = FormState::new(RecordKind::Lead);
    form.set("source_type", "inspection.routine");
    form.set("received_on", "2026-11-02");
    form.set("summary", "日常巡查发现超市销售过期食品");
    form.set("party.party_type", "enterprise");
    form.set("party.name", "城关某某超市有限公司");
    form.set("party.uscc", GOOD_USCC);
    form
}

#[test]
fn a_complete_lead_submits_the_fields_the_core_stores() {
    let mut form = filled_lead();
    let fields = form.submit().expect("valid lead");
    assert_eq!(fields["summary"], json!("日常巡查发现超市销售过期食品"));
    assert_eq!(fields["party"]["uscc"], json!(GOOD_USCC));
    assert_eq!(fields["party"]["party_type"], json!("enterprise"));
    assert!(form.record_errors().is_empty());
}

#[test]
fn a_wrong_uscc_check_character_shows_under_its_input_as_typed() {
    let mut form = filled_lead();
    form.set("party.uscc", BAD_USCC);
    let msg = form
        .error_at("party.uscc")
        .expect("error next to the USCC input");
    assert!(msg.contains("校验"), "{msg}");
    form.set("party.uscc", GOOD_USCC);
    assert_eq!(form.error_at("party.uscc"), None);
}

#[test]
fn untouched_required_fields_stay_quiet_until_submit() {
    let mut form = FormState::new(RecordKind::Lead);
    form.set("summary", "x");
    assert!(form.errors_of("received_on").is_empty());
    assert!(form.submit().is_none());
    let msg = &form.errors_of("received_on")[0].message;
    assert!(msg.contains("必填"), "{msg}");
}

#[test]
fn clearing_a_required_field_while_typing_says_it_is_required() {
    let mut form = filled_lead();
    form.set("summary", "");
    assert!(form.errors_of("summary")[0].message.contains("必填"));
}

#[test]
fn a_bad_date_is_refused_by_the_core_rule() {
    let mut form = filled_lead();
    form.set("received_on", "2026-02-30");
    assert!(form.errors_of("received_on")[0]
        .message
        .contains("不是有效日期"));
}

#[test]
fn money_is_typed_in_yuan_and_stored_in_fen() {
    assert_eq!(
        parse_input("fine_fen", FieldType::Fen, "3,000.5").unwrap(),
        Some(json!(300_050))
    );
    assert_eq!(input_text(FieldType::Fen, &json!(300_050)), "3,000.50");
    assert_eq!(input_label("罚款（分）", FieldType::Fen), "罚款（元）");
    let mut form = FormState::new(RecordKind::Complaint);
    form.set("amount_in_dispute_fen", "12.345");
    assert!(!form.errors_of("amount_in_dispute_fen").is_empty());
}

#[test]
fn lists_are_typed_with_chinese_or_latin_separators() {
    assert_eq!(
        parse_input("a", FieldType::TextList, "张三、李四,王五").unwrap(),
        Some(json!(["张三", "李四", "王五"]))
    );
}

#[test]
fn a_normal_case_needs_two_certified_handlers() {
    let mut form = FormState::new(RecordKind::Case);
    for spec in form.specs() {
        assert_ne!(spec.name, "", "every shown field has a name");
    }
    form.set("procedure", "normal");
    form.set("filed_on", "2026-11-03");
    form.set("cause", "销售过期食品");
    form.set("parties[0].party_type", "enterprise");
    form.set("parties[0].name", "城关某某超市有限公司");
    form.set("parties[0].uscc", GOOD_USCC);
    while form.row_count("handlers") < 1 {
        form.add_row("handlers");
    }
    form.set("handlers[0].name", "王芳");
    form.set("handlers[0].enforcement_cert_no", "35010001");
    let accepted = form.clone().submit();
    if accepted.is_none() {
        let mut shown = form.clone();
        shown.submit();
        assert!(
            !shown.errors_of("handlers").is_empty(),
            "one handler is refused on the handlers field"
        );
    }
    form.add_row("handlers");
    form.set("handlers[1].name", "李强");
    form.set("handlers[1].enforcement_cert_no", "35010002");
    let mut again = form.clone();
    assert!(
        again.submit().is_some(),
        "{:?}",
        again.errors_of("handlers")
    );
}

#[test]
fn an_error_in_a_later_list_row_lands_on_that_row_even_after_blank_rows() {
    let mut form = FormState::new(RecordKind::Case);
    form.add_row("parties");
    form.add_row("parties");
    form.set("parties[2].party_type", "enterprise");
    form.set("parties[2].name", "某公司");
    form.set("parties[2].uscc", BAD_USCC);
    assert!(form.error_at("parties[2].uscc").is_some());
}

#[test]
fn removing_a_row_moves_the_rows_below_it_up() {
    let mut form = FormState::new(RecordKind::Case);
    while form.row_count("handlers") < 2 {
        form.add_row("handlers");
    }
    form.set("handlers[0].name", "甲");
    form.set("handlers[1].name", "乙");
    form.remove_row("handlers", 0);
    assert_eq!(form.row_count("handlers"), 1);
    assert_eq!(form.input("handlers[0].name"), "乙");
    assert_eq!(form.input("handlers[1].name"), "");
}

#[test]
fn a_draft_restores_the_inputs_and_their_errors() {
    let mut form = filled_lead();
    form.set("party.uscc", BAD_USCC);
    let draft = form.to_draft();
    let empty = FormState::new(RecordKind::Lead);
    let restored = empty.restore_draft(&draft).expect("draft reads");
    assert_eq!(restored.input("summary"), "日常巡查发现超市销售过期食品");
    assert!(restored.error_at("party.uscc").is_some());
    assert!(FormState::new(RecordKind::Case)
        .restore_draft(&draft)
        .is_none());
    assert!(empty.restore_draft(&serde_json::Map::new()).is_none());
}

#[test]
fn a_form_with_nothing_typed_is_blank() {
    let mut form = FormState::new(RecordKind::Petition);
    assert!(form.is_blank());
    form.set("content", "反映");
    assert!(!form.is_blank());
}

#[test]
fn every_object_field_of_every_work_kind_has_a_part_table() {
    for kind in [
        RecordKind::Lead,
        RecordKind::Case,
        RecordKind::Complaint,
        RecordKind::Report,
        RecordKind::Petition,
        RecordKind::Campaign,
        RecordKind::Inspection,
    ] {
        for spec in hongdun_core::model::field_specs(kind) {
            if let FieldType::Object(o) | FieldType::ObjectList(o) = spec.ty {
                assert!(object_parts(o).is_some(), "{kind}.{}", spec.name);
            }
        }
    }
}

#[test]
fn a_decision_form_asks_for_its_number_and_reads_the_fine_in_yuan() {
    let mut form = FormState::for_action(RecordKind::Case, "decide");
    form.set("decision_type", "penalty");
    form.set("fine_fen", "5000");
    assert!(form.submit().is_none());
    assert!(form.errors_of("decision_no")[0].message.contains("必填"));
    form.set("decision_no", "城市监罚〔2026〕12号");
    let params = form.submit().expect("complete parameters");
    assert_eq!(params["fine_fen"], json!(500_000));
}

#[test]
fn every_parameter_code_list_exists_in_the_core() {
    use hongdun_core::model::{actions, codes::code_list};
    for kind in RecordKind::ALL {
        for def in actions(kind) {
            for spec in action_params(kind, def.action) {
                if let FieldType::Code(list) | FieldType::Codes(list) = spec.ty {
                    assert!(
                        code_list(list).is_some(),
                        "{kind}.{}.{}",
                        def.action,
                        spec.name
                    );
                }
            }
        }
    }
}

#[test]
fn a_stored_record_opens_in_the_form_and_saves_unchanged_as_no_patch() {
    let mut form = filled_lead();
    let stored = form.submit().expect("valid lead");
    let mut edit = FormState::from_fields(RecordKind::Lead, &stored);
    assert_eq!(edit.input("party.uscc"), GOOD_USCC);
    let again = edit.submit().expect("still valid");
    assert_eq!(again, stored, "every shown field reads back as stored");
    assert!(edit.patch(&again, &stored).is_empty());
}

#[test]
fn an_edit_patches_only_what_changed_and_clears_with_null() {
    let mut form = filled_lead();
    let stored = form.submit().expect("valid lead");
    let mut edit = FormState::from_fields(RecordKind::Lead, &stored);
    edit.set("summary", "巡查发现超市销售过期食品（已复核）");
    edit.set("party.uscc", "");
    edit.set("party.party_type", "");
    edit.set("party.name", "");
    let edited = edit.submit().expect("valid without a party");
    let patch = edit.patch(&edited, &stored);
    assert_eq!(
        patch["summary"],
        json!("巡查发现超市销售过期食品（已复核）")
    );
    assert_eq!(patch["party"], Value::Null);
    assert!(!patch.contains_key("received_on"));
    assert_eq!(patch.len(), 2, "{patch:?}");
}

#[test]
fn a_case_with_parties_and_two_handlers_round_trips_through_the_form() {
    let stored: Map<String, Value> = serde_json::from_value(json!({
        "procedure": "normal",
        "filed_on": "2026-11-03",
        "cause": "销售过期食品",
        "parties": [{"party_type": "enterprise", "name": "城关某某超市有限公司", "uscc": GOOD_USCC}],
        "handlers": [
            {"name": "王芳", "enforcement_cert_no": "35010001"},
            {"name": "李强", "enforcement_cert_no": "35010002"}
        ]
    }))
    .expect("map");
    let mut edit = FormState::from_fields(RecordKind::Case, &stored);
    assert_eq!(edit.row_count("handlers"), 2);
    assert_eq!(edit.input("handlers[1].name"), "李强");
    let again = edit.submit().expect("valid case");
    assert!(edit.patch(&again, &stored).is_empty(), "{again:?}");
}

#[test]
fn the_office_directory_form_edits_only_the_reception_schedule() {
    let stored: Map<String, Value> = serde_json::from_value(json!({
        "office_code": "GS0101",
        "name": "城关市场监督管理所",
        "reception_days": [{"date": "2026-12-02", "leader": "王所长", "staff": ["李明"]}]
    }))
    .expect("map");
    let mut form = FormState::from_fields(RecordKind::Office, &stored);
    let shown: Vec<&str> = form.specs().map(|s| s.name).collect();
    assert_eq!(shown, ["reception_days"]);
    assert_eq!(form.input("reception_days[0].leader"), "王所长");
    form.add_row("reception_days");
    form.set("reception_days[1].date", "2026-12-09");
    form.set("reception_days[1].leader", "张副所长");
    form.set("reception_days[1].place", "一楼信访接待室");
    let edited = form.submit().expect("valid schedule");
    let patch = form.patch(&edited, &stored);
    assert_eq!(patch.len(), 1, "{patch:?}");
    assert_eq!(patch["reception_days"][1]["place"], json!("一楼信访接待室"));
    assert_eq!(patch["reception_days"][0]["staff"], json!(["李明"]));
}
