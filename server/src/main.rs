//! `hongdun-server`: the Hongdun relay's command line.
#![forbid(unsafe_code)]

use std::io::IsTerminal;
use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use hongdun_core::stats::StatsSettings;
use hongdun_server::admin::AdminCmd;
use hongdun_server::Settings;
use tracing_subscriber::EnvFilter;

#[derive(Debug, Parser)]
#[command(
    name = "hongdun-server",
    version,
    about = "红盾 relay: the central bureau copy of every office's records"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Args)]
struct Storage {
    /// Data directory (SQLite database and token key; created if missing).
    #[arg(long, env = "HONGDUN_SERVER_DATA")]
    data: PathBuf,
    /// Keep everything in PostgreSQL instead, e.g. postgres://user:pw@127.0.0.1/hongdun.
    #[arg(long, env = "HONGDUN_DATABASE_URL")]
    database_url: Option<String>,
    /// The token key file (default DATA/token.key); share it between relays on one database.
    #[arg(long, env = "HONGDUN_TOKEN_KEY_FILE")]
    token_key_file: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the relay until SIGTERM or Ctrl-C.
    Serve {
        /// Address to listen on (port 0 picks a free port; the bound address is printed).
        #[arg(long, env = "HONGDUN_LISTEN", default_value = "127.0.0.1:8765")]
        listen: SocketAddr,
        #[command(flatten)]
        storage: Storage,
        /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
        #[arg(long)]
        tls_cert: Option<PathBuf>,
        /// The PEM private key for --tls-cert.
        #[arg(long)]
        tls_key: Option<PathBuf>,
        /// Requests per second allowed per device token.
        #[arg(long, default_value_t = 20.0)]
        rate: f64,
        /// Statistics settings for the bureau bulletin (TOML, docs/STATISTICS.md).
        #[arg(long, value_name = "FILE")]
        stats_settings: Option<PathBuf>,
        /// Largest attachment accepted, in MB.
        #[arg(long, default_value_t = 200)]
        max_attachment_mb: u64,
    },
    /// Manage offices, users, devices, enrollment codes and grants.
    Admin {
        #[command(flatten)]
        storage: Storage,
        #[command(subcommand)]
        cmd: AdminCmd,
    },
}

fn settings(listen: SocketAddr, s: Storage) -> Settings {
    let mut settings = Settings::new(listen, s.data);
    settings.database_url = s.database_url;
    settings.token_key_file = s.token_key_file;
    settings
}

fn read_stats_settings(file: &std::path::Path) -> anyhow::Result<StatsSettings> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    StatsSettings::from_toml(&text).with_context(|| format!("{}", file.display()))
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // Logs go to stderr; stdout carries only the `listening on ADDR` line or admin output.
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let result = match Cli::parse().command {
        Command::Serve {
            listen,
            storage,
            tls_cert,
            tls_key,
            rate,
            stats_settings,
            max_attachment_mb,
        } => {
            let mut s = settings(listen, storage);
            s.tls_cert = tls_cert;
            s.tls_key = tls_key;
            s.rate_per_second = rate;
            s.max_attachment_bytes = max_attachment_mb.saturating_mul(1024 * 1024);
            match stats_settings.map(|f| read_stats_settings(&f)).transpose() {
                Ok(stats) => {
                    s.stats = stats.unwrap_or_default();
                    hongdun_server::serve(s).await
                }
                Err(e) => Err(e),
            }
        }
        Command::Admin { storage, cmd } => {
            let s = settings(SocketAddr::from(([127, 0, 0, 1], 0)), storage);
            async {
                let state = hongdun_server::state(s).await?;
                hongdun_server::admin::run(&cmd, state.db, &state.key).await
            }
            .await
        }
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            let mut msg = e.to_string();
            for cause in e.chain().skip(1) {
                msg.push_str(": ");
                msg.push_str(&cause.to_string());
            }
            eprintln!("hongdun-server: {msg}");
            std::process::ExitCode::FAILURE
        }
    }
}
