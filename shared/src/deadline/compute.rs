//! Computing due dates (filled in by the calendar work).
