//! Request handlers, one module per resource.

pub mod attachments;
pub mod authors;
pub mod bureau;
pub mod enroll;
pub mod grants;
pub mod health;
pub mod me;
pub mod metrics;
pub mod sync;
