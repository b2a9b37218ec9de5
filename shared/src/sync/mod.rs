//! Sync with the relay (DESIGN.md decision 5; the protocol is in docs/SYNC.md).
//!
//! - [`protocol`]: the wire format of a round (shared with the relay).
//! - [`engine`]: the client's round logic, sans-IO: it builds a request from
//!   the store and stores a response, and never touches a socket, so tests can
//!   drive it against the relay's engine directly.
//! - [`attachments`]: attachment bytes in verified, resumable chunks, after
//!   the documents.
//! - [`client`]: the HTTP transport, cancellable with progress, for the CLI and
//!   the desktop app's background sync.
//! - [`bureau`]: the central bureau's consolidated bulletin with each
//!   office's figures and sync health, asked of the relay.
//! - [`share`]: sharing a case file with a partner, its shares, revoking, and
//!   the relay's author directory for the audit trail.

pub mod protocol;

#[cfg(feature = "native")]
pub mod attachments;
#[cfg(feature = "native")]
pub mod bureau;
#[cfg(feature = "native")]
pub mod client;
#[cfg(feature = "native")]
pub mod engine;
#[cfg(feature = "native")]
pub mod share;
