//! # hongdun-core
//!
//! The heart of Hongdun (红盾), an offline-first case and complaint desk for
//! market-regulation branch offices. Everything the desktop app, the relay and
//! the `hongdun` command line know about the work lives here:
//!
//! - [`model`]: offices, officers, parties, leads and penalty cases, complaints,
//!   reports, petitions, campaigns, inspections and payments; their fields, their
//!   validation rules and their status machines (workflow events in, status out).
//! - [`attachment`]: evidence attachments — references held by records, their
//!   state on a device, and the chunk framing of their transfer.
//! - [`calendar`]: the legal calendar — State Council holiday schedules with 调休
//!   make-up workdays, loaded from data that can be updated without a new build.
//! - [`deadline`]: the legal time limits (one place for each rule, with its
//!   article) and how days are counted.
//! - [`desk`]: the desktop app's commands as data (requests, views, events),
//!   shared by the Tauri shell and the wasm front end.
//! - [`doc`] (feature `crdt`): one Automerge document per record.
//! - [`stats`]: bulletin figures (同比, 环比), charts; exports with `native`.
//! - [`store`] (feature `native`): the durable local SQLite store.
//! - [`joint`]: joint operations with partners (sharing, partner mode, the
//!   audit trail); [`audit`] (feature `native`) reads and exports the trail.
//!
//! Built with `default-features = false` the crate has no native parts, so the
//! wasm front end validates forms and shows deadlines with the same code.
#![forbid(unsafe_code)]

pub mod attachment;
pub mod calendar;
pub mod deadline;
pub mod desk;
pub mod joint;
pub mod model;
pub mod record;
pub mod stats;

#[cfg(feature = "native")]
pub mod audit;
#[cfg(feature = "native")]
pub mod demo;
#[cfg(feature = "crdt")]
pub mod doc;
#[cfg(feature = "native")]
pub mod store;
pub mod sync;
