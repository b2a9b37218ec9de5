//! `hongdun report …`: the bulletin (通报) of this store's offices for a
//! period, printed or written as .json, .xlsx, .docx or .csv, and its charts
//! as SVG.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;
use hongdun_core::stats::{self, export, ChartKind, ExportFormat, Period};
use hongdun_core::store::Store;

use crate::output::{pad, Out};

#[derive(Subcommand, Debug)]
pub enum ReportCmd {
    /// The bulletin: `hongdun report bulletin --period 2026-06 --format xlsx --out 通报.xlsx`.
    Bulletin {
        /// 2026-06 (month), 2026-Q2, 2026-H1, 2026 (year) or 2026-06-ytd (year to date).
        #[arg(long)]
        period: String,
        /// Office codes, comma-separated (default: every office in the store).
        #[arg(long, value_delimiter = ',')]
        offices: Vec<String>,
        /// json, xlsx, docx or csv (default: json with --out, else text).
        #[arg(long)]
        format: Option<String>,
        /// The file to write.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// One chart of the bulletin as SVG: trend, by_type or by_office.
    Chart {
        #[arg(long)]
        period: String,
        #[arg(long, value_delimiter = ',')]
        offices: Vec<String>,
        #[arg(long)]
        kind: String,
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
}

fn period(s: &str) -> Result<Period> {
    Ok(Period::parse(s)?)
}

pub fn run(cmd: &ReportCmd, dir: &Path, out: &Out) -> Result<()> {
    if !dir.join("hongdun.db").exists() {
        anyhow::bail!("{} is not a Hongdun store", dir.display());
    }
    let store = Store::open(dir)?;
    match cmd {
        ReportCmd::Bulletin {
            period: p,
            offices,
            format,
            out: file,
        } => {
            let format: Option<ExportFormat> = format.as_deref().map(str::parse).transpose()?;
            let b = store.bulletin(period(p)?, offices)?;
            match (file, format) {
                (Some(file), format) => {
                    let format = format.unwrap_or(ExportFormat::Json);
                    export::write(&b, format, file)?;
                    out.print(
                        &serde_json::json!({ "written": file, "format": format }),
                        || println!("{}", file.display()),
                    )
                }
                (None, Some(ExportFormat::Json)) | (None, None) if out.json || format.is_some() => {
                    println!("{}", serde_json::to_string_pretty(&b)?);
                    Ok(())
                }
                (None, None) => {
                    print_text(&b);
                    Ok(())
                }
                (None, Some(f)) => anyhow::bail!("--format {} needs --out FILE", f.extension()),
            }
        }
        ReportCmd::Chart {
            period: p,
            offices,
            kind,
            out: file,
        } => {
            let kind = ChartKind::ALL
                .into_iter()
                .find(|k| k.file_stem() == kind)
                .with_context(|| {
                    format!("unknown chart `{kind}`; use trend, by_type or by_office")
                })?;
            let b = store.bulletin(period(p)?, offices)?;
            std::fs::write(file, stats::svg(&b, kind))
                .with_context(|| format!("cannot write {}", file.display()))?;
            Ok(())
        }
    }
}

fn print_text(b: &stats::Bulletin) {
    println!("{}通报", b.period_label);
    println!("{}\n", b.summary);
    for s in &b.sections {
        println!("【{}】", s.title);
        for f in &s.figures {
            let mom = f.mom.as_ref().map_or("—", |m| m.text.as_str());
            println!(
                "  {} {} 同比{} 环比{}",
                pad(&f.label, 20),
                pad(&f.display(), 14),
                pad(&f.yoy.text, 18),
                mom
            );
        }
    }
}
