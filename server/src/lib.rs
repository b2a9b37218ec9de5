//! # hongdun-server
//!
//! The Hongdun relay: the central bureau's copy of every office's records.
//! Branch offices sync to it whenever a line is up; it merges their changes,
//! enforces who may read and write each document, and keeps projections for
//! the bureau's consolidated views (DESIGN.md, decisions 5–7).
//!
//! - [`storage`]: the one trait for everything stored, with SQLite and
//!   PostgreSQL backends.
//! - [`relay`]: the sync engine (sans-IO over storage): access, merging, the feed.
//! - [`router`], [`handlers`]: HTTP; [`caller`] authenticates every request.
//! - [`admin`]: offices, users, devices, enrollment codes and grants.
//!
//! Start with [`serve`], or [`router::app`] over an [`AppState`] in tests.
#![forbid(unsafe_code)]

pub mod admin;
pub mod auth;
pub mod caller;
pub mod error;
pub mod handlers;
pub mod metrics;
pub mod ratelimit;
pub mod relay;
pub mod router;
pub mod settings;
pub mod storage;

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::Context;

pub use settings::Settings;

use crate::auth::TokenKey;
use crate::metrics::Metrics;
use crate::ratelimit::RateLimiter;
use crate::relay::RelayLimits;
use crate::storage::Database;

/// Shared state handed to every handler.
#[derive(Clone)]
pub struct AppState {
    pub settings: Settings,
    pub db: Arc<dyn Database>,
    pub key: TokenKey,
    pub metrics: Arc<Metrics>,
    pub limiter: Arc<RateLimiter>,
    pub relay_limits: RelayLimits,
}

/// Opens the configured database (PostgreSQL if a URL is given, else SQLite
/// in the data directory) and brings its tables up to date.
pub async fn open_database(settings: &Settings) -> anyhow::Result<Arc<dyn Database>> {
    std::fs::create_dir_all(&settings.data_dir).with_context(|| {
        format!(
            "cannot create the data directory {}",
            settings.data_dir.display()
        )
    })?;
    let db: Arc<dyn Database> = match &settings.database_url {
        Some(url) => Arc::new(
            storage::postgres::PostgresDatabase::connect(url)
                .await
                .with_context(|| format!("cannot connect to {}", settings::redact_url(url)))?,
        ),
        None => {
            let path = settings.data_dir.join("relay.db");
            Arc::new(
                storage::sqlite::SqliteDatabase::open(&path)
                    .with_context(|| format!("cannot open {}", path.display()))?,
            )
        }
    };
    db.migrate()
        .await
        .context("cannot prepare the relay's tables")?;
    relay::backfill::stat_facts(db.as_ref())
        .await
        .context("cannot rebuild the statistics facts")?;
    Ok(db)
}

/// The state for `settings`: database, token key, metrics, rate limiter.
pub async fn state(settings: Settings) -> anyhow::Result<AppState> {
    let db = open_database(&settings).await?;
    let key = TokenKey::load_or_create(&settings.key_path()).with_context(|| {
        format!(
            "cannot read the token key {}",
            settings.key_path().display()
        )
    })?;
    let limiter = Arc::new(RateLimiter::new(
        settings.rate_per_second,
        settings.rate_per_second * 10.0,
    ));
    Ok(AppState {
        settings,
        db,
        key,
        metrics: Arc::new(Metrics::default()),
        limiter,
        relay_limits: RelayLimits::default(),
    })
}

/// Binds the listener, announces the bound address and serves until SIGTERM
/// or Ctrl-C.
///
/// The address is printed on stdout as `listening on ADDR` *after* binding, so
/// a caller that asked for port 0 (tests, scripts) can read the real port from
/// the first line of output.
pub async fn serve(settings: Settings) -> anyhow::Result<()> {
    let state = state(settings.clone()).await?;
    let listener = std::net::TcpListener::bind(settings.listen)
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    listener.set_nonblocking(true)?;
    let addr: SocketAddr = listener.local_addr()?;
    let app = router::app(state);
    match (&settings.tls_cert, &settings.tls_key) {
        (Some(cert), Some(key)) => {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let config = axum_server::tls_rustls::RustlsConfig::from_pem_file(cert, key)
                .await
                .with_context(|| {
                    format!(
                        "cannot read the TLS certificate {} or key {}",
                        cert.display(),
                        key.display()
                    )
                })?;
            let stop = shutdown_signal()?;
            println!("listening on {addr} (https)");
            tracing::info!(%addr, tls = true, "hongdun-server started");
            let handle = axum_server::Handle::new();
            let h = handle.clone();
            tokio::spawn(async move {
                stop.await;
                h.graceful_shutdown(Some(std::time::Duration::from_secs(10)));
            });
            axum_server::from_tcp_rustls(listener, config)
                .handle(handle)
                .serve(app.into_make_service())
                .await
                .context("server error")?;
        }
        (None, None) => {
            let stop = shutdown_signal()?;
            println!("listening on {addr}");
            tracing::info!(%addr, data = %settings.data_dir.display(), "hongdun-server started");
            let listener = tokio::net::TcpListener::from_std(listener)?;
            axum::serve(listener, app)
                .with_graceful_shutdown(stop)
                .await
                .context("server error")?;
        }
        _ => anyhow::bail!("give both --tls-cert and --tls-key, or neither"),
    }
    tracing::info!("hongdun-server stopped");
    Ok(())
}

/// Resolves on the first SIGTERM (service managers, CI) or Ctrl-C (a person).
///
/// The SIGTERM handler is installed when this is called, not when the future
/// is first polled: the caller calls it before announcing the address, so a
/// SIGTERM sent right after `listening on …` still stops the relay cleanly.
fn shutdown_signal() -> anyhow::Result<impl std::future::Future<Output = ()>> {
    #[cfg(unix)]
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        .context("cannot install the SIGTERM handler")?;
    Ok(async move {
        #[cfg(unix)]
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {},
            _ = term.recv() => {},
        }
        #[cfg(not(unix))]
        {
            let _ = tokio::signal::ctrl_c().await;
        }
    })
}
