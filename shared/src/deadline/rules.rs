//! Legal time-limit rules (filled in by the calendar work).
