//! The domain model: what each record kind holds, which values are valid, and
//! how its workflow events become a status, deadlines and statistics dates.
//!
//! Start with the entry points below; they are what the store, the CLI, the
//! relay and the Yew UI call:
//!
//! - [`field_specs`] — the fields of a kind (name, Chinese label, type, help).
//! - [`validate_field`] / [`validate_record`] — a single edit or a whole record
//!   (create/import); errors name the field path and the rule.
//! - [`check_event`] — before appending a workflow event: is it legal after the
//!   events already there?
//! - [`derive`] — fold the events (sorted by `order_key`) into a [`Derived`]:
//!   status, the legal clocks for the deadline module, allowed actions,
//!   rejected events, payments and dates.
//! - [`title`], [`number`], [`search_text`], [`event_label`] — for lists,
//!   search and history.
//!
//! Money is integer fen in fields named `*_fen`; dates are `YYYY-MM-DD`.
//! Nothing here does I/O or panics on input, so it builds for wasm32.
//! The per-kind status machines are documented in their modules: [`lead`],
//! [`case_workflow`], [`complaint`], [`report`], [`petition`], [`campaign`],
//! [`inspection`]. Offices ([`office`]) and annexes ([`annex`]) have no workflow.

pub mod annex;
pub mod campaign;
pub mod case;
pub mod case_workflow;
pub mod codes;
pub mod complaint;
pub mod error;
pub mod ids;
pub mod inspection;
pub mod lead;
pub mod money;
mod objects;
pub mod office;
pub mod party;
pub mod petition;
pub mod report;
pub mod spec;
pub mod workflow;

use serde_json::{Map, Value};

use crate::record::{EventEnvelope, RecordKind};

pub use annex::Annex;
pub use campaign::Campaign;
pub use case::{Appraisal, EvidenceItem, Handler, PenaltyCase, SeizureItem};
pub use complaint::{Complaint, PurchasedItem};
pub use error::{TransitionError, ValidationError};
pub use inspection::Inspection;
pub use lead::Lead;
pub use office::{reception_days, OfficeDirectory, Officer, OrgUnit, ReceptionDay};
pub use party::{Party, Person};
pub use petition::Petition;
pub use report::Report;
pub use spec::{FieldSpec, FieldType};
pub use workflow::{ActionDef, ActionInfo, Derived, Payment, RejectedEvent, StatusDef};

use workflow::{st, Base, Ctx, Machine, Refusal};

/// Records without a workflow (office directory, annex): always ACTIVE.
struct NoWorkflow;

impl Machine for NoWorkflow {
    type State = Base;
    const STATUSES: &'static [StatusDef] = &[st("ACTIVE", "有效")];
    const ACTIONS: &'static [ActionDef] = &[];
    fn initial(_fields: &Map<String, Value>) -> Base {
        Base::new("ACTIVE")
    }
    fn base(s: &Base) -> &Base {
        s
    }
    fn apply(_s: &mut Base, _ctx: &Ctx, _ev: &EventEnvelope) -> Result<(), Refusal> {
        Ok(())
    }
}

/// Run `$body` with `M` bound to the machine of `$kind`.
macro_rules! with_machine {
    ($kind:expr, $f:ident ( $($arg:expr),* )) => {
        match $kind {
            RecordKind::Lead => workflow::$f::<lead::LeadMachine>($($arg),*),
            RecordKind::Case => workflow::$f::<case_workflow::CaseMachine>($($arg),*),
            RecordKind::Complaint => workflow::$f::<complaint::ComplaintMachine>($($arg),*),
            RecordKind::Report => workflow::$f::<report::ReportMachine>($($arg),*),
            RecordKind::Petition => workflow::$f::<petition::PetitionMachine>($($arg),*),
            RecordKind::Campaign => workflow::$f::<campaign::CampaignMachine>($($arg),*),
            RecordKind::Inspection => workflow::$f::<inspection::InspectionMachine>($($arg),*),
            RecordKind::Office | RecordKind::Annex => workflow::$f::<NoWorkflow>($($arg),*),
        }
    };
}

/// The fields of a record kind, in form order.
pub fn field_specs(kind: RecordKind) -> &'static [FieldSpec] {
    match kind {
        RecordKind::Lead => lead::FIELDS,
        RecordKind::Case => case::FIELDS,
        RecordKind::Complaint => complaint::FIELDS,
        RecordKind::Report => report::FIELDS,
        RecordKind::Petition => petition::FIELDS,
        RecordKind::Campaign => campaign::FIELDS,
        RecordKind::Inspection => inspection::FIELDS,
        RecordKind::Office => office::FIELDS,
        RecordKind::Annex => annex::FIELDS,
    }
}

/// The statuses of a kind's machine, in workflow order.
pub fn statuses(kind: RecordKind) -> &'static [StatusDef] {
    with_machine_fn(kind, StatusesOrActions::Statuses)
        .0
        .unwrap_or(NoWorkflow::STATUSES)
}

/// The actions of a kind's machine, with labels, legal basis and the statuses
/// they start from.
pub fn actions(kind: RecordKind) -> &'static [ActionDef] {
    with_machine_fn(kind, StatusesOrActions::Actions)
        .1
        .unwrap_or(&[])
}

enum StatusesOrActions {
    Statuses,
    Actions,
}

type Tables = (Option<&'static [StatusDef]>, Option<&'static [ActionDef]>);

fn with_machine_fn(kind: RecordKind, which: StatusesOrActions) -> Tables {
    fn t<M: Machine>(which: StatusesOrActions) -> Tables {
        match which {
            StatusesOrActions::Statuses => (Some(M::STATUSES), None),
            StatusesOrActions::Actions => (None, Some(M::ACTIONS)),
        }
    }
    match kind {
        RecordKind::Lead => t::<lead::LeadMachine>(which),
        RecordKind::Case => t::<case_workflow::CaseMachine>(which),
        RecordKind::Complaint => t::<complaint::ComplaintMachine>(which),
        RecordKind::Report => t::<report::ReportMachine>(which),
        RecordKind::Petition => t::<petition::PetitionMachine>(which),
        RecordKind::Campaign => t::<campaign::CampaignMachine>(which),
        RecordKind::Inspection => t::<inspection::InspectionMachine>(which),
        RecordKind::Office | RecordKind::Annex => t::<NoWorkflow>(which),
    }
}

/// Validate one field's new value (a per-field Automerge edit). A required
/// field may not be cleared.
pub fn validate_field(kind: RecordKind, field: &str, value: &Value) -> Result<(), ValidationError> {
    let spec = field_specs(kind).iter().find(|s| s.name == field);
    let Some(spec) = spec else {
        let mut errors = vec![spec::unknown_field(field)];
        if kind == RecordKind::Report {
            let mut one = Map::new();
            one.insert(field.to_string(), Value::Null);
            report::check_record(&one, &mut errors);
        }
        return Err(errors.pop().unwrap_or_else(|| spec::unknown_field(field)));
    };
    if spec.required && spec::is_blank(value) {
        return Err(spec::required(spec));
    }
    spec::check_value(spec, value)
}

/// Validate a whole record (create, import): every field, required fields and
/// the cross-field rules (two certified handlers for a normal case, the Art 51
/// ceiling for a simple one, no reporter identity in a report…). All errors
/// are returned, not just the first.
pub fn validate_record(
    kind: RecordKind,
    fields: &Map<String, Value>,
) -> Result<(), Vec<ValidationError>> {
    let mut errors = spec::check_fields(field_specs(kind), fields);
    match kind {
        RecordKind::Case => case::check_record(fields, &mut errors),
        RecordKind::Report => report::check_record(fields, &mut errors),
        RecordKind::Petition => petition::check_record(fields, &mut errors),
        RecordKind::Campaign => campaign::check_record(fields, &mut errors),
        RecordKind::Inspection => inspection::check_record(fields, &mut errors),
        RecordKind::Office => office::check_record(fields, &mut errors),
        RecordKind::Lead | RecordKind::Complaint | RecordKind::Annex => {}
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Before appending `new`: is it legal where it lands among `events` (it may
/// be back-dated)? Checks status, history and parameter rules, plus the
/// admission rules that read the record's fields (Art 51 against the parties'
/// type, a report's `real_name`…). A back-dated event that would invalidate an
/// event already accepted is refused too.
pub fn check_event(
    kind: RecordKind,
    fields: &Map<String, Value>,
    events: &[EventEnvelope],
    new: &EventEnvelope,
) -> Result<(), TransitionError> {
    with_machine!(kind, check(fields, events, new))
}

/// Fold a record's events (sorted here by `order_key`) into its status,
/// clocks, allowed actions, payments and dates. Deterministic and total:
/// illegal events are skipped and listed in `rejected`.
pub fn derive(kind: RecordKind, fields: &Map<String, Value>, events: &[EventEnvelope]) -> Derived {
    with_machine!(kind, derive(fields, events))
}

/// The list title, e.g. "某某商贸有限公司销售假冒茅台酒案". Never contains an
/// informant's or complainant's identity.
pub fn title(kind: RecordKind, fields: &Map<String, Value>) -> String {
    match kind {
        RecordKind::Lead => lead::title(fields),
        RecordKind::Case => case::title(fields),
        RecordKind::Complaint => complaint::title(fields),
        RecordKind::Report => report::title(fields),
        RecordKind::Petition => petition::title(fields),
        RecordKind::Campaign => campaign::title(fields),
        RecordKind::Inspection => inspection::title(fields),
        RecordKind::Office => office::title(fields),
        RecordKind::Annex => "保密附件".to_string(),
    }
}

/// The register number: 立案号 (or a simple-procedure decision number), 案源编号,
/// 投诉编号, 举报编号, 信访件编号.
pub fn number(kind: RecordKind, fields: &Map<String, Value>) -> Option<String> {
    let field = match kind {
        RecordKind::Case => return case::number(fields),
        RecordKind::Lead => "lead_no",
        RecordKind::Complaint => "complaint_no",
        RecordKind::Report => "report_no",
        RecordKind::Petition => "petition_no",
        RecordKind::Office => "office_code",
        RecordKind::Campaign | RecordKind::Inspection | RecordKind::Annex => return None,
    };
    spec::get_str(fields, field).map(str::to_string)
}

/// Text indexed for search: numbers, names, causes, addresses. Never annex
/// data (the annex's own text is empty), never ID or phone numbers.
pub fn search_text(kind: RecordKind, fields: &Map<String, Value>) -> String {
    let mut words = Vec::new();
    match kind {
        RecordKind::Lead => lead::search_words(fields, &mut words),
        RecordKind::Case => case::search_words(fields, &mut words),
        RecordKind::Complaint => complaint::search_words(fields, &mut words),
        RecordKind::Report => report::search_words(fields, &mut words),
        RecordKind::Petition => petition::search_words(fields, &mut words),
        RecordKind::Campaign => campaign::search_words(fields, &mut words),
        RecordKind::Inspection => inspection::search_words(fields, &mut words),
        RecordKind::Office => office::search_words(fields, &mut words),
        RecordKind::Annex => return String::new(),
    }
    words.retain(|w| !w.trim().is_empty());
    words.join(" ")
}

/// The Chinese label of an action, e.g. `("case", "decide")` → "作出处理决定".
pub fn event_label(kind: RecordKind, action: &str) -> Option<&'static str> {
    actions(kind)
        .iter()
        .find(|a| a.action == action)
        .map(|a| a.label)
}
