//! Bulk work on thousands of users: reading CSV, planning an import so that OpenIM's
//! all-or-nothing batches cannot sink it (§3.2, §4.3), accounting for every input line, and
//! writing CSV back out. All pure, tested natively; the pages drive it.

pub mod csv;
pub mod import;
