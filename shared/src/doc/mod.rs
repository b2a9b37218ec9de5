//! Automerge record documents.
