//! Commands over the records of one office store.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{anyhow, bail, Context, Result};
use chrono::NaiveDate;
use hongdun_core::model::{self, FieldType};
use hongdun_core::record::RecordKind;
use hongdun_core::store::{ImportSummary, ListQuery, RecordExport, Store};
use serde_json::{json, Map, Value};

use crate::output::{cut, pad, Out};
use crate::{Cli, Command, FieldArgs, ListArgs};

pub fn run(cli: &Cli, dir: &Path, by: &str, out: &Out) -> Result<()> {
    if !matches!(cli.command, Command::Init { .. }) && !dir.join("hongdun.db").exists() {
        bail!(
            "{} is not a Hongdun store yet; create it with `hongdun --data {} init --office CODE --name NAME`",
            dir.display(),
            dir.display()
        );
    }
    let mut store = Store::open(dir)?;
    if !matches!(cli.command, Command::Init { .. }) && store.office().is_none() {
        bail!("this store has no office yet; run `hongdun --data {} init --office CODE --name NAME` first", dir.display());
    }
    match &cli.command {
        Command::Init { office, name } => {
            let info = store.init(office, name)?;
            out.print(&info, || {
                println!(
                    "store {} now belongs to {} {}",
                    dir.display(),
                    info.code,
                    info.name
                )
            })
        }
        Command::Import { file } => import(&mut store, file, by, out),
        Command::Export {
            out: file,
            include_annex,
        } => export(&mut store, file.as_deref(), *include_annex),
        Command::Create { kind, fields } => {
            let kind: RecordKind = kind.parse()?;
            let fields = parse_fields(kind, fields)?;
            let id = store.create(kind, &fields, by)?;
            out.print(&json!({ "id": id }), || println!("{id}"))
        }
        Command::Show { id } => show(&mut store, id, out),
        Command::Edit { id, fields } => {
            let rid = store.resolve_id(id)?;
            let kind = store.get(&rid)?.kind;
            let patch = parse_fields(kind, fields)?;
            store.edit(&rid, &patch, by)?;
            out.print(
                &json!({ "id": rid, "changed": patch.keys().collect::<Vec<_>>() }),
                || println!("changed {} field(s) of {rid}", patch.len()),
            )
        }
        Command::Event {
            id,
            action,
            on,
            params,
        } => {
            let on = match on {
                Some(s) => parse_date(s, "--on")?,
                None => store.today(),
            };
            let params = parse_pairs(params, "--param")?;
            let event = store.append_event(id, action, on, params, by)?;
            let view = store.get(id)?;
            out.print(&json!({ "event": event, "status": view.status, "status_label": view.status_label }), || {
                println!("{} {} → {} {}", event.on, event.action, view.status, view.status_label)
            })
        }
        Command::Resolve { id, field, value } => {
            let v = serde_json::from_str(value).unwrap_or_else(|_| Value::String(value.clone()));
            store.resolve(id, field, v, by)?;
            out.print(&json!({ "id": id, "resolved": field }), || {
                println!("resolved {field}")
            })
        }
        Command::List(args) => list(&store, args, out),
        Command::Deadlines { within, kind } => {
            let kind = kind.as_deref().map(str::parse::<RecordKind>).transpose()?;
            let rows = store.deadlines(*within, kind)?;
            out.print(&rows, || {
                for r in &rows {
                    let d = &r.deadline;
                    println!(
                        "{} {} {} {}{} {}",
                        pad(d.state.label(), 8),
                        d.due,
                        pad(&format!("{}({}天)", d.name, d.days_left), 24),
                        cut(&r.title, 40),
                        if d.provisional { "（暂定）" } else { "" },
                        r.id
                    );
                }
                println!("共 {} 项", rows.len());
            })
        }
        Command::History { id } => {
            let h = store.history(id)?;
            out.print(&h, || {
                for e in &h {
                    println!(
                        "{} {} {} {} {}",
                        e.at.format("%Y-%m-%d %H:%M:%S"),
                        pad(&e.by, 10),
                        pad(&e.op, 8),
                        e.what.join(","),
                        &e.actor[..8.min(e.actor.len())]
                    );
                }
            })
        }
        Command::Reindex => {
            let report = store.reindex()?;
            out.print(&report, || {
                println!("reindexed {} records", report.records);
                for q in &report.quarantined {
                    println!("quarantined {}: {}", q.id, q.reason);
                }
            })
        }
        Command::Compact => {
            let n = store.compact()?;
            out.print(&json!({ "compacted": n }), || {
                println!("compacted {n} documents")
            })
        }
        Command::Calendar(_)
        | Command::Demo(_)
        | Command::Report(_)
        | Command::Joint(_)
        | Command::Enroll { .. }
        | Command::Sync { .. }
        | Command::Attach { .. }
        | Command::Attachments { .. }
        | Command::FetchAttachment { .. }
        | Command::Detach { .. }
        | Command::AttachmentSettings { .. } => unreachable_command(),
    }
}

fn unreachable_command() -> Result<()> {
    Err(anyhow!("internal: command routed to the wrong handler"))
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| {
        anyhow!("{what}: `{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-06-01")
    })
}

fn split_pair<'a>(s: &'a str, what: &str) -> Result<(&'a str, &'a str)> {
    s.split_once('=')
        .filter(|(k, _)| !k.trim().is_empty())
        .map(|(k, v)| (k.trim(), v))
        .ok_or_else(|| anyhow!("{what} `{s}` must be written as name=value"))
}

fn parse_pairs(pairs: &[String], what: &str) -> Result<Map<String, Value>> {
    let mut m = Map::new();
    for p in pairs {
        let (k, v) = split_pair(p, what)?;
        m.insert(
            k.to_string(),
            serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string())),
        );
    }
    Ok(m)
}

/// Reads `--field name=value` using the field's type: text-like fields take
/// the text as is (a phone number stays text), others are read as JSON.
fn parse_fields(kind: RecordKind, args: &FieldArgs) -> Result<Map<String, Value>> {
    let mut m = match &args.fields_json {
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(m)) => m,
            _ => bail!(
                "--fields-json must be a JSON object, e.g. '{{\"cause\": \"销售假冒茅台酒\"}}'"
            ),
        },
        None => Map::new(),
    };
    let specs = model::field_specs(kind);
    for p in &args.fields {
        let (k, v) = split_pair(p, "--field")?;
        let texty = specs.iter().find(|s| s.name == k).is_some_and(|s| {
            matches!(
                s.ty,
                FieldType::Text
                    | FieldType::LongText
                    | FieldType::Date
                    | FieldType::Code(_)
                    | FieldType::Uscc
            )
        });
        let value = if v == "null" {
            Value::Null
        } else if texty && !v.starts_with('"') {
            Value::String(v.to_string())
        } else {
            serde_json::from_str(v).unwrap_or_else(|_| Value::String(v.to_string()))
        };
        m.insert(k.to_string(), value);
    }
    if m.is_empty() {
        bail!("give at least one field with --field name=value (see `hongdun calendar rules` and docs/RECORDS.md for names)");
    }
    Ok(m)
}

fn show(store: &mut Store, id: &str, out: &Out) -> Result<()> {
    let v = store.get(id)?;
    out.print(&v, || {
        println!("{} [{}] {}", v.title, v.kind.label(), v.id);
        if let Some(n) = &v.number {
            println!("编号: {n}");
        }
        println!(
            "状态: {} ({})   机构: {}",
            v.status_label, v.status, v.office
        );
        println!("字段:");
        for (k, val) in &v.fields {
            println!("  {} = {}", pad(k, 24), val);
        }
        if !v.conflicts.is_empty() {
            println!("冲突（并发修改，需选择）:");
            for c in &v.conflicts {
                for fv in &c.values {
                    println!(
                        "  {} = {}  ({} {})",
                        c.field,
                        fv.value,
                        fv.by,
                        fv.at.format("%Y-%m-%d %H:%M")
                    );
                }
            }
        }
        println!("期限:");
        for d in &v.deadlines {
            println!(
                "  {} {} {} 剩余{} {}{}",
                pad(d.state.label(), 8),
                d.due,
                pad(&d.name, 16),
                d.days_left,
                d.basis,
                if d.provisional {
                    "（暂定：节假日安排未公布）"
                } else {
                    ""
                }
            );
        }
        println!("流程:");
        let mut events = v.events.clone();
        events.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        for e in &events {
            let label = model::event_label(v.kind, &e.action).unwrap_or("");
            let rejected = v.rejected_events.iter().find(|r| r.event_id == e.id);
            println!(
                "  {} {} {} {}{}",
                e.on,
                pad(&e.action, 20),
                pad(label, 12),
                e.by,
                rejected
                    .map(|r| format!("  [未生效: {}]", r.reason))
                    .unwrap_or_default()
            );
        }
        if !v.allowed_actions.is_empty() {
            println!(
                "可办理: {}",
                v.allowed_actions
                    .iter()
                    .map(|(a, l)| format!("{l}({a})"))
                    .collect::<Vec<_>>()
                    .join(" ")
            );
        }
    })
}

fn list(store: &Store, args: &ListArgs, out: &Out) -> Result<()> {
    let q = ListQuery {
        kind: args
            .kind
            .as_deref()
            .map(str::parse::<RecordKind>)
            .transpose()?,
        status: args.status.clone(),
        office: args.office.clone(),
        overdue: args.overdue,
        due_within_days: args.due_within,
        text: args.text.clone(),
        open_only: args.open,
        include_annex: false,
        include_revoked: false,
        limit: Some(args.limit),
        offset: args.offset,
    };
    // A search counts its matches only up to a cap, as the desk does.
    let page = store.page(&q)?;
    let rows = &page.rows;
    let total = if page.capped {
        format!("{}+", page.total)
    } else {
        page.total.to_string()
    };
    let listed = json!({ "total": page.total, "capped": page.capped, "records": rows });
    out.print(&listed, || {
        for r in rows {
            let next = r
                .next_deadline
                .as_ref()
                .map(|d| {
                    format!(
                        "{} {} {}{}",
                        d.state.label(),
                        d.due,
                        d.name,
                        if d.provisional { "（暂定）" } else { "" }
                    )
                })
                .unwrap_or_default();
            println!(
                "{} {} {} {} {} {}",
                &r.id[..8.min(r.id.len())],
                pad(r.kind.label(), 8),
                pad(&cut(r.number.as_deref().unwrap_or("-"), 22), 22),
                pad(&cut(&r.title, 36), 36),
                pad(&r.status_label, 12),
                next
            );
        }
        println!("共 {total} 条（显示 {}）", rows.len());
    })
}

fn import(store: &mut Store, file: &Path, by: &str, out: &Out) -> Result<()> {
    let reader: Box<dyn BufRead> = if file == Path::new("-") {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    // Parse and check every line first, so a bad line imports nothing.
    let mut records = Vec::new();
    for (i, line) in reader.lines().enumerate() {
        let line =
            line.with_context(|| format!("cannot read line {} of {}", i + 1, file.display()))?;
        if line.trim().is_empty() || line.trim_start().starts_with("//") {
            continue;
        }
        let rec: RecordExport = serde_json::from_str(&line).map_err(|e| {
            anyhow!(
                "line {}: not a Hongdun record ({e}); see docs/RECORDS.md for the format",
                i + 1
            )
        })?;
        records.push((i + 1, rec));
    }
    let summary = store.in_batch(|s| {
        let mut summary = ImportSummary::default();
        for (line, rec) in &records {
            let outcome = s.import_record(rec, by).map_err(|e| {
                hongdun_core::store::StoreError::Invalid(format!("line {line}: {e}"))
            })?;
            summary.add(outcome);
        }
        Ok(summary)
    })?;
    out.print(&summary, || {
        println!(
            "imported: {} created, {} updated, {} unchanged, {} events added",
            summary.created, summary.updated, summary.unchanged, summary.events_added
        )
    })
}

fn export(store: &mut Store, file: Option<&Path>, include_annex: bool) -> Result<()> {
    let records = store.export(include_annex)?;
    let mut w: Box<dyn Write> = match file {
        Some(f) => Box::new(std::io::BufWriter::new(
            std::fs::File::create(f).with_context(|| format!("cannot write {}", f.display()))?,
        )),
        None => Box::new(std::io::BufWriter::new(std::io::stdout())),
    };
    for r in &records {
        serde_json::to_writer(&mut w, r)?;
        w.write_all(b"\n")?;
    }
    w.flush()?;
    if file.is_some() {
        eprintln!("exported {} records", records.len());
    }
    Ok(())
}
