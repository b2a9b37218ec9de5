//! Whole-system scenarios for Hongdun live in `tests/tests/`; this crate's
//! binaries are the processes those scenarios start and kill.
pub mod proxy;
