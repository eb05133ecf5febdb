//! Page arithmetic: OpenIM's 1-based `pageNumber`/`showNumber` (§3.4, §4.5) and what a table
//! shows around it.

use std::ops::Range;

/// How many pages `total` rows make at `size` per page; at least one, so an empty table still
/// has a page 1.
pub fn page_count(total: u64, size: u64) -> u64 {
    if size == 0 {
        return 1;
    }
    total.div_ceil(size).max(1)
}

/// Clamps a requested 1-based page into `1..=page_count`.
pub fn clamp_page(page: u64, total: u64, size: u64) -> u64 {
    page.clamp(1, page_count(total, size))
}

/// The rows of one page as OpenIM's Mongo storage computes it (v3.4.2+, v3.8; `mongoutil.FindPage`):
/// `None` (the wire's `users: null`) when `total == 0`, `show <= 0` or the offset is at or past
/// the end. Callers must have rejected `page < 1` already.
pub fn mongo_page(total: usize, page: i32, show: i32) -> Option<Range<usize>> {
    if total == 0 || show <= 0 || page < 1 {
        return None;
    }
    let offset = (page as i64 - 1) * show as i64;
    if offset >= total as i64 {
        return None;
    }
    let start = offset as usize;
    Some(start..(start + show as usize).min(total))
}

/// The rows of one page as v3.4.0's MySQL storage computes it: `LIMIT show OFFSET (page-1)*show`;
/// `show == 0` gives no rows, a negative `show` drops the LIMIT and so gives every row (§3.4).
pub fn mysql_page(total: usize, page: i32, show: i32) -> Option<Range<usize>> {
    if show < 0 {
        return if total == 0 { None } else { Some(0..total) };
    }
    if show == 0 || page < 1 {
        return None;
    }
    let offset = (page as i64 - 1) * show as i64;
    if offset >= total as i64 {
        return None;
    }
    let start = offset as usize;
    Some(start..(start + show as usize).min(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_pages() {
        assert_eq!(page_count(0, 20), 1);
        assert_eq!(page_count(20, 20), 1);
        assert_eq!(page_count(21, 20), 2);
        assert_eq!(page_count(100_000, 1000), 100);
        assert_eq!(clamp_page(0, 45, 20), 1);
        assert_eq!(clamp_page(9, 45, 20), 3);
    }

    #[test]
    fn mongo_semantics() {
        assert_eq!(mongo_page(45, 1, 20), Some(0..20));
        assert_eq!(mongo_page(45, 3, 20), Some(40..45));
        assert_eq!(mongo_page(45, 4, 20), None);
        assert_eq!(mongo_page(45, 1, 0), None);
        assert_eq!(mongo_page(45, 1, -5), None);
        assert_eq!(mongo_page(0, 1, 20), None);
    }

    #[test]
    fn mysql_semantics() {
        assert_eq!(mysql_page(45, 3, 20), Some(40..45));
        assert_eq!(mysql_page(45, 1, 0), None);
        assert_eq!(mysql_page(45, 7, -1), Some(0..45));
        assert_eq!(mysql_page(45, 4, 20), None);
    }
}
