//! The form engine: a record form generated from the core's field specs,
//! validated as the clerk types by the core's own rules, and saved as a draft.
//!
//! No DOM here: a [`FormState`] maps input paths (`summary`, `party.name`,
//! `parties[1].uscc`) to the text typed in them. Each edit re-validates its
//! field with `hongdun_core::model::validate_field`; submitting runs
//! `validate_record` (required fields and cross-field rules such as two
//! certified handlers). Errors are kept by input path so the view can put each
//! message next to the input that caused it. The Yew view is `crate::form_view`.

pub mod objects;
pub mod params;
pub mod value;

use std::collections::{BTreeMap, BTreeSet};

use hongdun_core::model::{self, FieldSpec, FieldType, ValidationError};
use hongdun_core::record::RecordKind;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub use objects::object_parts;
pub use params::action_params;
pub use value::{input_label, input_text, parse_input};

/// A form being filled in. Serialises to a draft (inputs and row counts only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FormState {
    pub kind: RecordKind,
    /// For a workflow action's form: the action whose parameters it holds
    /// (checked by the caller with `model::check_event` on submit).
    #[serde(default)]
    pub action: Option<String>,
    /// Input path → the text typed there.
    #[serde(default)]
    pub inputs: BTreeMap<String, String>,
    /// Object-list field → how many rows the form shows.
    #[serde(default)]
    pub rows: BTreeMap<String, usize>,
    /// Fields the clerk has edited (errors show only for these, or after a
    /// submit attempt).
    #[serde(skip)]
    touched: BTreeSet<String>,
    /// Field name → its errors (input path, message).
    #[serde(skip)]
    errors: BTreeMap<String, Vec<ValidationError>>,
    /// Errors of the record as a whole (not tied to one field).
    #[serde(skip)]
    record_errors: Vec<ValidationError>,
    #[serde(skip)]
    submitted: bool,
    /// Editing a stored record: its fields this form does not show, so the
    /// whole-record rules see the record as it will be stored.
    #[serde(skip)]
    base: Map<String, Value>,
}

/// The top-level field a path belongs to: `parties[1].uscc` → `parties`.
pub fn field_of(path: &str) -> &str {
    let end = path.find(['.', '[']).unwrap_or(path.len());
    &path[..end]
}

/// The path of part `part` of object field `field`, row `row` for lists.
pub fn part_path(field: &str, row: Option<usize>, part: &str) -> String {
    match row {
        Some(i) => format!("{field}[{i}].{part}"),
        None => format!("{field}.{part}"),
    }
}

impl FormState {
    /// An empty form for `kind`: required object lists start with one row.
    pub fn new(kind: RecordKind) -> Self {
        Self::build(kind, None)
    }

    /// An empty parameter form for `action` on a record of `kind`.
    pub fn for_action(kind: RecordKind, action: &str) -> Self {
        Self::build(kind, Some(action.to_string()))
    }

    fn build(kind: RecordKind, action: Option<String>) -> Self {
        let rows = all_specs(kind, action.as_deref())
            .iter()
            .filter_map(|s| match s.ty {
                FieldType::ObjectList(_) => Some((s.name.to_string(), usize::from(s.required))),
                _ => None,
            })
            .collect();
        FormState {
            kind,
            action,
            inputs: BTreeMap::new(),
            rows,
            touched: BTreeSet::new(),
            errors: BTreeMap::new(),
            record_errors: Vec::new(),
            submitted: false,
            base: Map::new(),
        }
    }

    /// A form showing a stored record's fields, to edit them.
    pub fn from_fields(kind: RecordKind, fields: &Map<String, Value>) -> Self {
        let mut form = Self::new(kind);
        let specs: Vec<&'static FieldSpec> = form.specs().collect();
        form.base = fields
            .iter()
            .filter(|(name, _)| !specs.iter().any(|s| s.name == name.as_str()))
            .map(|(name, v)| (name.clone(), v.clone()))
            .collect();
        for spec in specs {
            let Some(value) = fields.get(spec.name) else {
                continue;
            };
            match (spec.ty, value) {
                (FieldType::Object(o), Value::Object(map)) => {
                    form.fill_parts(spec.name, None, object_parts(o), map);
                }
                (FieldType::ObjectList(o), Value::Array(items)) => {
                    let rows = items.len().max(form.row_count(spec.name));
                    form.rows.insert(spec.name.to_string(), rows);
                    for (i, item) in items.iter().enumerate() {
                        if let Value::Object(map) = item {
                            form.fill_parts(spec.name, Some(i), object_parts(o), map);
                        }
                    }
                }
                (ty, value) => form.put(spec.name.to_string(), input_text(ty, value)),
            }
        }
        form
    }

    fn fill_parts(
        &mut self,
        field: &str,
        row: Option<usize>,
        parts: Option<&'static [FieldSpec]>,
        map: &Map<String, Value>,
    ) {
        for part in parts.unwrap_or_default() {
            if let Some(v) = map.get(part.name) {
                self.put(part_path(field, row, part.name), input_text(part.ty, v));
            }
        }
    }

    fn put(&mut self, path: String, text: String) {
        if !text.is_empty() {
            self.inputs.insert(path, text);
        }
    }

    /// What an edit changes: each field this form shows whose value differs
    /// from `original`, and `null` for one that was cleared. Fields the form
    /// does not show are never touched.
    pub fn patch(
        &self,
        edited: &Map<String, Value>,
        original: &Map<String, Value>,
    ) -> Map<String, Value> {
        let mut patch = Map::new();
        for spec in self.specs() {
            match (edited.get(spec.name), original.get(spec.name)) {
                (Some(new), Some(old)) if new == old => {}
                (Some(new), _) => {
                    patch.insert(spec.name.to_string(), new.clone());
                }
                (None, Some(old)) if !old.is_null() => {
                    patch.insert(spec.name.to_string(), Value::Null);
                }
                (None, _) => {}
            }
        }
        patch
    }

    /// The fields this form shows, in the core's form order. Fields the desk
    /// does not edit in a form (identifiers set by the app, the office
    /// directory's tables) are left out: of the office directory, the desk
    /// edits only the 接访日 schedule.
    pub fn specs(&self) -> impl Iterator<Item = &'static FieldSpec> {
        let kind = self.kind;
        all_specs(self.kind, self.action.as_deref())
            .iter()
            .filter(move |s| kind != RecordKind::Office || s.name == "reception_days")
            .filter(|s| match s.ty {
                FieldType::Object(o) | FieldType::ObjectList(o) => object_parts(o).is_some(),
                _ => true,
            })
            .filter(|s| !s.name.ends_with("_id") || s.required)
    }

    /// The text at `path` ("" when nothing was typed).
    pub fn input(&self, path: &str) -> &str {
        self.inputs.get(path).map(String::as_str).unwrap_or("")
    }

    /// The clerk typed `text` at `path`: store it and re-check its field.
    pub fn set(&mut self, path: &str, text: &str) {
        if text.is_empty() {
            self.inputs.remove(path);
        } else {
            self.inputs.insert(path.to_string(), text.to_string());
        }
        let field = field_of(path).to_string();
        self.touched.insert(field.clone());
        self.check_field(&field);
    }

    /// Rows shown for object-list field `field`.
    pub fn row_count(&self, field: &str) -> usize {
        self.rows.get(field).copied().unwrap_or(0)
    }

    pub fn add_row(&mut self, field: &str) {
        *self.rows.entry(field.to_string()).or_default() += 1;
    }

    /// Remove row `row` of `field`, moving the rows below it up.
    pub fn remove_row(&mut self, field: &str, row: usize) {
        let n = self.row_count(field);
        if row >= n {
            return;
        }
        let prefix = format!("{field}[");
        let moved: Vec<(String, String)> = self
            .inputs
            .iter()
            .filter(|(p, _)| p.starts_with(&prefix))
            .map(|(p, v)| (p.clone(), v.clone()))
            .collect();
        self.inputs.retain(|p, _| !p.starts_with(&prefix));
        for (path, text) in moved {
            let Some((i, rest)) = split_row(&path[prefix.len()..]) else {
                continue;
            };
            if i == row {
                continue;
            }
            let j = if i > row { i - 1 } else { i };
            self.inputs.insert(format!("{field}[{j}]{rest}"), text);
        }
        self.rows.insert(field.to_string(), n - 1);
        self.touched.insert(field.to_string());
        self.check_field(field);
    }

    /// The JSON value of field `spec` from its inputs; `Ok(None)` when blank.
    /// A list's error paths are those of its form rows.
    pub fn value(&self, spec: &FieldSpec) -> Result<Option<Value>, Vec<ValidationError>> {
        match spec.ty {
            FieldType::Object(name) => match object_parts(name) {
                Some(parts) => self.object_value(spec.name, None, parts),
                None => parse_input(spec.name, spec.ty, self.input(spec.name)).map_err(|e| vec![e]),
            },
            FieldType::ObjectList(name) => {
                let Some(parts) = object_parts(name) else {
                    return parse_input(spec.name, spec.ty, self.input(spec.name))
                        .map_err(|e| vec![e]);
                };
                let mut items = Vec::new();
                let mut errors = Vec::new();
                for row in 0..self.row_count(spec.name) {
                    match self.object_value(spec.name, Some(row), parts) {
                        Ok(Some(v)) => items.push(v),
                        Ok(None) => {}
                        Err(mut e) => errors.append(&mut e),
                    }
                }
                match (errors.is_empty(), items.is_empty()) {
                    (false, _) => Err(errors),
                    (true, true) => Ok(None),
                    (true, false) => Ok(Some(Value::Array(items))),
                }
            }
            ty => parse_input(spec.name, ty, self.input(spec.name)).map_err(|e| vec![e]),
        }
    }

    fn object_value(
        &self,
        field: &str,
        row: Option<usize>,
        parts: &[FieldSpec],
    ) -> Result<Option<Value>, Vec<ValidationError>> {
        let mut object = Map::new();
        let mut errors = Vec::new();
        for part in parts {
            let path = part_path(field, row, part.name);
            match parse_input(&path, part.ty, self.input(&path)) {
                Ok(Some(v)) => {
                    object.insert(part.name.to_string(), v);
                }
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        if !errors.is_empty() {
            Err(errors)
        } else if object.is_empty() {
            Ok(None)
        } else {
            Ok(Some(Value::Object(object)))
        }
    }

    /// Row `j` of a list value is form row `rows[j]` (blank rows are skipped):
    /// rewrite a core error path to the form's row.
    fn remap_rows(&self, field: &str, mut err: ValidationError) -> ValidationError {
        let Some(spec) = self.spec(field) else {
            return err;
        };
        if !matches!(spec.ty, FieldType::ObjectList(_)) {
            return err;
        }
        let prefix = format!("{field}[");
        if let Some((j, rest)) = err
            .field
            .strip_prefix(&prefix)
            .and_then(split_row)
            .map(|(j, rest)| (j, rest.to_string()))
        {
            let filled: Vec<usize> = (0..self.row_count(field))
                .filter(|&r| {
                    let row_prefix = format!("{field}[{r}].");
                    self.inputs
                        .iter()
                        .any(|(p, t)| p.starts_with(&row_prefix) && !t.trim().is_empty())
                })
                .collect();
            if let Some(row) = filled.get(j) {
                err.field = format!("{field}[{row}]{rest}");
            }
        }
        err
    }

    fn spec(&self, field: &str) -> Option<&'static FieldSpec> {
        all_specs(self.kind, self.action.as_deref())
            .iter()
            .find(|s| s.name == field)
    }

    /// The core's rule for one field's value: a record field's own rule, or
    /// for an action parameter only "required" (the rest is `check_event`'s).
    fn rule(&self, spec: &FieldSpec, value: &Value) -> Result<(), ValidationError> {
        match &self.action {
            None => model::validate_field(self.kind, spec.name, value),
            Some(_) if spec.required && value.is_null() => Err(ValidationError::new(
                spec.name,
                "必填",
                format!("{}为必填项", spec.label),
            )),
            Some(_) => Ok(()),
        }
    }

    /// Re-check one field with the core's per-field rule.
    fn check_field(&mut self, field: &str) {
        let Some(spec) = self.spec(field) else {
            return;
        };
        let errors = match self.value(spec) {
            Err(errors) => errors,
            Ok(value) => match self.rule(spec, &value.unwrap_or(Value::Null)) {
                Ok(()) => Vec::new(),
                Err(e) => vec![self.remap_rows(field, e)],
            },
        };
        if errors.is_empty() {
            self.errors.remove(field);
        } else {
            self.errors.insert(field.to_string(), errors);
        }
    }

    /// The record's fields as the core stores them, if every input reads.
    pub fn fields(&self) -> Result<Map<String, Value>, Vec<ValidationError>> {
        let mut fields = Map::new();
        let mut errors = Vec::new();
        for spec in self.specs() {
            match self.value(spec) {
                Ok(Some(v)) => {
                    fields.insert(spec.name.to_string(), v);
                }
                Ok(None) => {}
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            Ok(fields)
        } else {
            Err(errors)
        }
    }

    /// Submit: check the whole record (required fields, cross-field rules).
    /// Returns the fields to save when the core accepts them; otherwise every
    /// error is shown, touched or not.
    pub fn submit(&mut self) -> Option<Map<String, Value>> {
        self.submitted = true;
        self.errors.clear();
        self.record_errors.clear();
        let errors = match self.fields() {
            Ok(fields) => match self.whole_rule(&fields) {
                Ok(()) => return Some(fields),
                Err(errors) => errors,
            },
            Err(errors) => errors,
        };
        for err in errors {
            let field = field_of(&err.field).to_string();
            if self.spec(&field).is_some() {
                let err = self.remap_rows(&field, err);
                self.errors.entry(field).or_default().push(err);
            } else {
                self.record_errors.push(err);
            }
        }
        None
    }

    fn whole_rule(&self, fields: &Map<String, Value>) -> Result<(), Vec<ValidationError>> {
        if self.action.is_none() {
            let mut record = self.base.clone();
            record.extend(fields.iter().map(|(k, v)| (k.clone(), v.clone())));
            return model::validate_record(self.kind, &record);
        }
        let missing: Vec<ValidationError> = self
            .specs()
            .filter(|s| s.required && !fields.contains_key(s.name))
            .filter_map(|s| self.rule(s, &Value::Null).err())
            .collect();
        if missing.is_empty() {
            Ok(())
        } else {
            Err(missing)
        }
    }

    /// Show an error the core found elsewhere (a refused event, a command's
    /// answer) next to its input when it names one, else for the whole form.
    pub fn show_error(&mut self, err: ValidationError) {
        self.submitted = true;
        let field = field_of(&err.field).to_string();
        if self.spec(&field).is_some() {
            self.errors.entry(field).or_default().push(err);
        } else {
            self.record_errors.push(err);
        }
    }

    /// The errors to show for `field` now (none for an untouched field before
    /// a submit attempt).
    pub fn errors_of(&self, field: &str) -> &[ValidationError] {
        if !self.submitted && !self.touched.contains(field) {
            return &[];
        }
        self.errors.get(field).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The message for one input path, if it has one showing.
    pub fn error_at(&self, path: &str) -> Option<&str> {
        self.errors_of(field_of(path))
            .iter()
            .find(|e| e.field == path)
            .map(|e| e.message.as_str())
    }

    /// Errors of the record as a whole, after a submit attempt.
    pub fn record_errors(&self) -> &[ValidationError] {
        &self.record_errors
    }

    /// True when nothing has been typed: such a form needs no draft.
    pub fn is_blank(&self) -> bool {
        self.inputs.values().all(|t| t.trim().is_empty())
    }

    /// The draft saved while the clerk types (the shell's `Draft.fields`).
    pub fn to_draft(&self) -> Map<String, Value> {
        match serde_json::to_value(self) {
            Ok(Value::Object(map)) => map,
            _ => Map::new(),
        }
    }

    /// A form restored from its draft, with the fields it holds re-checked.
    /// `None` when the draft is unreadable or of another form.
    pub fn restore_draft(&self, draft: &Map<String, Value>) -> Option<Self> {
        let saved: FormState = serde_json::from_value(Value::Object(draft.clone())).ok()?;
        if saved.kind != self.kind || saved.action != self.action {
            return None;
        }
        let mut form = Self::build(self.kind, self.action.clone());
        form.base = self.base.clone();
        for (field, n) in saved.rows {
            form.rows.insert(field, n);
        }
        form.inputs = saved.inputs;
        let fields: BTreeSet<String> = form
            .inputs
            .keys()
            .map(|p| field_of(p).to_string())
            .collect();
        for field in fields {
            form.touched.insert(field.clone());
            form.check_field(&field);
        }
        Some(form)
    }
}

fn all_specs(kind: RecordKind, action: Option<&str>) -> &'static [FieldSpec] {
    match action {
        None => model::field_specs(kind),
        Some(action) => action_params(kind, action),
    }
}

/// `3].uscc` → (3, ".uscc").
fn split_row(s: &str) -> Option<(usize, &str)> {
    let close = s.find(']')?;
    let i = s[..close].parse().ok()?;
    Some((i, &s[close + 1..]))
}

#[cfg(test)]
mod tests;
