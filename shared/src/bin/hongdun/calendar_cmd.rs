//! `hongdun calendar …`: the legal calendar and the time-limit rules.
//! With --data, the store's own calendar.toml and limits.toml apply.

use std::path::Path;

use anyhow::{anyhow, Result};
use chrono::NaiveDate;
use clap::Subcommand;
use hongdun_core::calendar::Calendar;
use hongdun_core::deadline::rules::Limits;
use hongdun_core::deadline::{compute, Clock, Extension, RuleId};
use hongdun_core::store::Store;
use serde_json::json;

use crate::output::{pad, Out};

#[derive(Subcommand, Debug)]
pub enum CalendarCmd {
    /// The date N working days after DATE (DATE itself not counted).
    AddWorkdays { date: String, n: u32 },
    /// Is DATE a working day? Says which holiday or 调休 day it is.
    IsWorkday { date: String },
    /// The due date of RULE for an act on DATE, with its basis.
    Deadline {
        rule: String,
        date: String,
        /// Apply the rule's standard extension, approved by this person.
        #[arg(long, value_name = "APPROVER")]
        extended_by: Option<String>,
    },
    /// Every time-limit rule with its length and legal basis.
    Rules,
}

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| anyhow!("`{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-10-01"))
}

fn load(data: Option<&Path>) -> Result<(Calendar, Limits)> {
    match data {
        Some(dir) if dir.join("hongdun.db").exists() => {
            let store = Store::open(dir)?;
            Ok((store.calendar().clone(), store.limits().clone()))
        }
        _ => Ok((Calendar::builtin(), Limits::builtin())),
    }
}

pub fn run(cmd: &CalendarCmd, data: Option<&Path>, out: &Out) -> Result<()> {
    let (cal, limits) = load(data)?;
    match cmd {
        CalendarCmd::AddWorkdays { date, n } => {
            let start = parse_date(date)?;
            let r = cal.add_workdays(start, *n);
            out.print(&json!({ "start": start, "workdays": n, "date": r.date, "provisional": r.provisional }), || {
                println!("{}{}", r.date, if r.provisional { "（暂定：该年节假日安排未公布）" } else { "" })
            })
        }
        CalendarCmd::IsWorkday { date } => {
            let d = parse_date(date)?;
            let kind = cal.day_kind(d);
            let published = cal.is_published(chrono::Datelike::year(&d));
            out.print(
                &json!({ "date": d, "workday": kind.is_workday(), "day": kind, "label": kind.label(), "provisional": !published }),
                || {
                    println!(
                        "{} {} ({}){}",
                        d,
                        if kind.is_workday() { "工作日" } else { "休息" },
                        kind.label(),
                        if published { "" } else { "（暂定：该年节假日安排未公布）" }
                    )
                },
            )
        }
        CalendarCmd::Deadline {
            rule,
            date,
            extended_by,
        } => {
            let rule: RuleId = rule.parse()?;
            let start = parse_date(date)?;
            let spec = limits.get(rule);
            if extended_by.is_some() && spec.extension.is_none() {
                return Err(anyhow!(
                    "{} has no standard extension; drop --extended-by",
                    rule
                ));
            }
            let clock = Clock {
                rule,
                start,
                pauses: vec![],
                extensions: extended_by
                    .iter()
                    .map(|a| Extension {
                        days: None,
                        approver: a.clone(),
                        approved_on: start,
                    })
                    .collect(),
                met_on: None,
            };
            let due = compute::due(&clock, &cal, &limits);
            let basis = compute::basis(&clock, spec, due, None);
            out.print(
                &json!({ "rule": rule, "name": spec.name, "start": start, "due": due.due, "provisional": due.provisional,
                         "length": spec.length_text(), "basis": basis }),
                || {
                    println!("{} {}", due.due, if due.provisional { "（暂定：该年节假日安排未公布，公布后重新计算）" } else { "" });
                    println!("{}：{}{}", spec.name, spec.starts, spec.length_text());
                    println!("依据：{basis}");
                },
            )
        }
        CalendarCmd::Rules => {
            let rules: Vec<_> = limits.iter().collect();
            out.print(&rules, || {
                for r in &rules {
                    println!(
                        "{} {} {} {}",
                        pad(r.id.as_str(), 26),
                        pad(r.name, 18),
                        pad(
                            &format!(
                                "{}{}",
                                r.length_text(),
                                r.extension.map(|e| format!(" +{e}")).unwrap_or_default()
                            ),
                            16
                        ),
                        r.basis_text()
                    );
                }
            })
        }
    }
}
