//! What the relay is told at start-up.

use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings for one relay process.
#[derive(Clone)]
pub struct Settings {
    /// Address to listen on; port 0 picks a free port (printed on stdout).
    pub listen: SocketAddr,
    /// Where the relay keeps its SQLite database and token key; created if missing.
    pub data_dir: PathBuf,
    /// Keep everything in PostgreSQL instead of SQLite (several relays may share it).
    pub database_url: Option<String>,
    /// Serve HTTPS with this certificate chain and key (PEM).
    pub tls_cert: Option<PathBuf>,
    pub tls_key: Option<PathBuf>,
    /// The key for hashing device tokens; default `<data>/token.key`. Every
    /// relay on one database must share it.
    pub token_key_file: Option<PathBuf>,
    /// Requests per second allowed per device token (with a burst of 10×).
    pub rate_per_second: f64,
    /// Largest request body accepted, in bytes (compressed).
    pub max_body_bytes: usize,
    /// The bureau bulletin's statistics settings (大要案 brackets, 息访
    /// window…); `--stats-settings FILE`, else the defaults.
    pub stats: hongdun_core::stats::StatsSettings,
    /// Largest attachment accepted, in bytes (`--max-attachment-mb`).
    pub max_attachment_bytes: u64,
}

impl std::fmt::Debug for Settings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Settings")
            .field("listen", &self.listen)
            .field("data_dir", &self.data_dir)
            .field(
                "database_url",
                &self.database_url.as_deref().map(redact_url),
            )
            .field("tls_cert", &self.tls_cert)
            .field("token_key_file", &self.token_key_file)
            .finish()
    }
}

/// A database URL with any password replaced, for logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Settings {
    /// Defaults for a relay on `listen` keeping its data in `data_dir`.
    pub fn new(listen: SocketAddr, data_dir: PathBuf) -> Settings {
        Settings {
            listen,
            data_dir,
            database_url: None,
            tls_cert: None,
            tls_key: None,
            token_key_file: None,
            rate_per_second: 20.0,
            max_body_bytes: 32 * 1024 * 1024,
            stats: hongdun_core::stats::StatsSettings::default(),
            max_attachment_bytes: 200 * 1024 * 1024,
        }
    }

    pub fn key_path(&self) -> PathBuf {
        self.token_key_file
            .clone()
            .unwrap_or_else(|| self.data_dir.join("token.key"))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted_in_logs() {
        assert_eq!(
            super::redact_url("postgres://relay:s3cret@127.0.0.1:5432/hongdun"),
            "postgres://relay:***@127.0.0.1:5432/hongdun"
        );
        assert_eq!(
            super::redact_url("postgres://127.0.0.1/x"),
            "postgres://127.0.0.1/x"
        );
    }
}
