//! The legal calendar.
