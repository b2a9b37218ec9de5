//! `hongdun` — the command line over hongdun-core: the same store, rules and
//! deadlines as the desktop app, for scripts, batch import and tests.
//!
//! Every command takes `--data DIR` (the office store) and `--json`. Errors
//! exit non-zero with one plain sentence on stderr.

mod attach_cmd;
mod calendar_cmd;
mod demo;
mod joint_cmd;
mod output;
mod records_cmd;
mod report_cmd;
mod sync_cmd;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Args, Parser, Subcommand};

#[derive(Parser, Debug)]
#[command(
    name = "hongdun",
    version,
    about = "红盾 Hongdun — offline case and complaint desk (command line)"
)]
struct Cli {
    /// The office store directory.
    #[arg(long, global = true, env = "HONGDUN_DATA", value_name = "DIR")]
    data: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long, global = true)]
    json: bool,
    /// Who is making the change (user or officer name).
    #[arg(long, global = true, env = "HONGDUN_USER", value_name = "NAME")]
    by: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Make the store in --data the store of an office.
    Init {
        #[arg(long, value_name = "CODE")]
        office: String,
        #[arg(long, value_name = "NAME")]
        name: String,
    },
    /// Import records from a JSON Lines file (docs/RECORDS.md); `-` reads stdin.
    Import { file: PathBuf },
    /// Export every record as JSON Lines (docs/RECORDS.md).
    Export {
        /// Write to this file instead of stdout.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Include confidential annexes (informant identities).
        #[arg(long)]
        include_annex: bool,
    },
    /// Create a record: `hongdun create case --field cause=销售假冒茅台酒 …`.
    Create {
        /// lead, case, complaint, report, petition, campaign, inspection, office, annex
        kind: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// Show a record with its status, deadlines, conflicts and legal actions.
    Show { id: String },
    /// Change fields of a record (`--field name=value`; `name=null` removes it).
    Edit {
        id: String,
        #[command(flatten)]
        fields: FieldArgs,
    },
    /// Append a workflow event, e.g. `hongdun event ID file --on 2026-06-01 --param approver=王局长`.
    Event {
        id: String,
        action: String,
        /// The legal date of the act (default: today).
        #[arg(long, value_name = "YYYY-MM-DD")]
        on: Option<String>,
        /// Action parameter, `name=value` (JSON values allowed), repeatable.
        #[arg(long = "param", value_name = "NAME=VALUE")]
        params: Vec<String>,
    },
    /// Choose the value of a field that two people changed concurrently.
    Resolve {
        id: String,
        field: String,
        /// The chosen value (JSON, or plain text).
        value: String,
    },
    /// List records with filters.
    List(ListArgs),
    /// Running deadlines: overdue and due soon first.
    Deadlines {
        /// Show deadlines due within this many days (overdue ones always).
        #[arg(long, default_value_t = 30)]
        within: u32,
        #[arg(long)]
        kind: Option<String>,
    },
    /// The legal calendar and time limits.
    #[command(subcommand)]
    Calendar(calendar_cmd::CalendarCmd),
    /// Who changed what, when (from the document history).
    History { id: String },
    /// Rebuild lists, search and deadlines from the documents.
    Reindex,
    /// Fold incremental changes into document snapshots.
    Compact,
    /// Statistics: the bulletin (通报) and its charts.
    #[command(subcommand)]
    Report(report_cmd::ReportCmd),
    /// Demo data.
    #[command(subcommand)]
    Demo(demo::DemoCmd),
    /// Enroll this store's device with a relay using a one-time code.
    Enroll {
        /// The relay, e.g. http://127.0.0.1:8765
        #[arg(long)]
        server: String,
        #[arg(long)]
        code: String,
        /// A name for this device (default: the host name).
        #[arg(long)]
        name: Option<String>,
    },
    /// Joint operations: share, shares, unshare, shared, audit, verify.
    #[command(flatten)]
    Joint(joint_cmd::JointCmd),
    /// Sync with the enrolled relay; prints a summary (JSON with --json).
    Sync {
        /// Give up on a round after this many seconds.
        #[arg(long, default_value_t = 120)]
        timeout: u64,
        /// Ask for at most this many feed bytes per round.
        #[arg(long, default_value_t = 256 * 1024)]
        max_feed_bytes: u64,
        /// Move at most this many MB of attachments after the documents (0: none).
        #[arg(long, default_value_t = 32)]
        attachment_budget_mb: u64,
    },
    /// Attach a file (photo, scan, report) to a record.
    Attach {
        id: String,
        file: PathBuf,
        /// The name shown (default: the file's name).
        #[arg(long)]
        name: Option<String>,
    },
    /// A record's attachments and where their bytes are.
    Attachments { id: String },
    /// Fetch one attachment from the relay now (resumes a cut fetch).
    FetchAttachment {
        id: String,
        /// The attachment's SHA-256 (or its first 6+ digits).
        sha256: String,
        /// Also copy the file here.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Give up when the line stays silent this many seconds.
        #[arg(long, default_value_t = 60)]
        timeout: u64,
    },
    /// Remove an attachment from a record (the bytes stay while another record references them).
    Detach { id: String, sha256: String },
    /// Show or change the office's attachment settings.
    AttachmentSettings {
        /// on-demand (fetch when opened) or always (fetch at every sync).
        #[arg(long)]
        fetch: Option<String>,
        #[arg(long, value_name = "MB")]
        max_file_mb: Option<u64>,
        #[arg(long, value_name = "MB")]
        max_record_mb: Option<u64>,
    },
}

#[derive(Args, Debug, Default)]
struct FieldArgs {
    /// A field, `name=value`; the value is read as JSON when it parses
    /// (numbers, true, [..], {..}), else as text. Repeatable.
    #[arg(long = "field", short = 'f', value_name = "NAME=VALUE")]
    fields: Vec<String>,
    /// All fields as one JSON object.
    #[arg(long = "fields-json", value_name = "JSON")]
    fields_json: Option<String>,
}

#[derive(Args, Debug, Default)]
pub struct ListArgs {
    #[arg(long)]
    kind: Option<String>,
    #[arg(long)]
    status: Option<String>,
    #[arg(long)]
    office: Option<String>,
    /// Only records with an overdue deadline.
    #[arg(long)]
    overdue: bool,
    /// Only records with a deadline within N days.
    #[arg(long, value_name = "N")]
    due_within: Option<u32>,
    /// Text to search (Chinese substrings of 2+ characters).
    #[arg(long)]
    text: Option<String>,
    /// Only records not closed.
    #[arg(long)]
    open: bool,
    #[arg(long, default_value_t = 50)]
    limit: usize,
    #[arg(long, default_value_t = 0)]
    offset: usize,
}

fn main() -> ExitCode {
    let _ = tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("HONGDUN_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .with_writer(std::io::stderr)
        .try_init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                msg.push_str(": ");
                msg.push_str(&cause.to_string());
            }
            eprintln!("hongdun: {msg}");
            ExitCode::FAILURE
        }
    }
}

fn data_dir(cli: &Cli) -> Result<PathBuf> {
    cli.data.clone().ok_or_else(|| {
        anyhow::anyhow!(
            "no store given; pass --data DIR (or set HONGDUN_DATA) to choose the office store"
        )
    })
}

fn by(cli: &Cli) -> String {
    cli.by
        .clone()
        .or_else(|| std::env::var("USER").ok())
        .unwrap_or_else(|| "本机用户".to_string())
}

fn run(cli: Cli) -> Result<()> {
    let out = output::Out { json: cli.json };
    match &cli.command {
        Command::Calendar(cmd) => calendar_cmd::run(cmd, cli.data.as_deref(), &out),
        Command::Report(cmd) => report_cmd::run(cmd, &data_dir(&cli)?, &out),
        Command::Demo(cmd) => demo::run(cmd, &data_dir(&cli)?, &out),
        Command::Enroll { server, code, name } => {
            sync_cmd::enroll(&data_dir(&cli)?, server, code, name.as_deref(), &out)
        }
        Command::Joint(cmd) => joint_cmd::run(cmd, &data_dir(&cli)?, &out),
        Command::Sync {
            timeout,
            max_feed_bytes,
            attachment_budget_mb,
        } => sync_cmd::sync(
            &data_dir(&cli)?,
            *timeout,
            *max_feed_bytes,
            attachment_budget_mb.saturating_mul(1024 * 1024),
            &out,
        ),
        Command::Attach { id, file, name } => {
            attach_cmd::attach(&data_dir(&cli)?, id, file, name.as_deref(), &by(&cli), &out)
        }
        Command::Attachments { id } => attach_cmd::list(&data_dir(&cli)?, id, &out),
        Command::FetchAttachment {
            id,
            sha256,
            out: copy_to,
            timeout,
        } => attach_cmd::fetch(
            &data_dir(&cli)?,
            id,
            sha256,
            copy_to.as_deref(),
            *timeout,
            &out,
        ),
        Command::Detach { id, sha256 } => {
            attach_cmd::detach(&data_dir(&cli)?, id, sha256, &by(&cli), &out)
        }
        Command::AttachmentSettings {
            fetch,
            max_file_mb,
            max_record_mb,
        } => attach_cmd::settings(
            &data_dir(&cli)?,
            fetch.as_deref(),
            *max_file_mb,
            *max_record_mb,
            &out,
        ),
        _ => records_cmd::run(&cli, &data_dir(&cli)?, &by(&cli), &out),
    }
}
