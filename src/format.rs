//! Display formats shared by the pages: local date-times, durations, numbers, platform names.
//!
//! Dates read `2026-11-25 20:05:03` in both languages: the ISO order is what Chinese admin
//! consoles (OpenIM's own included) show, it sorts as text, and it needs no translation.
//! Numbers group thousands with commas in both languages (`100,000`), as Chinese software does.

use openim_protocol::Platform;

use crate::i18n::format::{unit, unknown_platform, Unit};
use crate::i18n::Lang;

/// A local date-time, `2026-11-25 20:05:03`, from unix milliseconds.
pub fn local_datetime(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    datetime_text(
        d.get_full_year(),
        [
            d.get_month() + 1,
            d.get_date(),
            d.get_hours(),
            d.get_minutes(),
            d.get_seconds(),
        ],
    )
}

/// `2026-11-25 20:05:03` from the year and the month, day, hours, minutes and seconds, written
/// digit by digit. Through `format!`, a `{:02}` field under 10 is padded by a call that no
/// other field makes; the users table draws dates in its first render, so whether that call
/// went into the wasm's first module (scripts/finish-dist.py records what the first render
/// runs) depended on the time of day the build ran, and a table drawn at another time fetched
/// the second module first.
fn datetime_text(year: u32, rest: [u32; 5]) -> String {
    let mut out = String::with_capacity(19);
    push_digits(&mut out, year, 4);
    for (separator, value) in ['-', '-', ' ', ':', ':'].into_iter().zip(rest) {
        out.push(separator);
        push_digits(&mut out, value, 2);
    }
    out
}

/// `n` in decimal, with zeros in front up to `width` digits.
fn push_digits(out: &mut String, n: u32, width: u32) {
    let digits = n.checked_ilog10().map_or(1, |l| l + 1).max(width);
    for place in (0..digits).rev() {
        out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
}

/// Unix seconds now.
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// `100,000`: thousands grouped with commas.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `90 days`, `1 day 3 hours`, `5 minutes`, `40 seconds`; `90 天`, `1 天 3 小时`.
pub fn duration_words(lang: Lang, secs: i64) -> String {
    let secs = secs.max(0);
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    let one = |n, u| unit(lang, n, u);
    match (d, h, m) {
        (0, 0, 0) => one(secs, Unit::Second),
        (0, 0, m) => one(m, Unit::Minute),
        (0, h, 0) => one(h, Unit::Hour),
        (0, h, m) => format!("{} {}", one(h, Unit::Hour), one(m, Unit::Minute)),
        (d, 0, _) => one(d, Unit::Day),
        (d, h, _) => format!("{} {}", one(d, Unit::Day), one(h, Unit::Hour)),
    }
}

/// `Web (5)` in both languages; an ID outside 1..=10 as `platform 11` / `平台 11`.
pub fn platform_label(lang: Lang, id: i64) -> String {
    match Platform::from_id(id) {
        Some(p) => format!("{} ({})", p.name(), p.id()),
        None => unknown_platform(lang, id),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_times_pad_every_field_with_zeros() {
        assert_eq!(
            datetime_text(2026, [11, 25, 20, 5, 3]),
            "2026-11-25 20:05:03"
        );
        assert_eq!(datetime_text(2026, [1, 2, 3, 4, 5]), "2026-01-02 03:04:05");
        assert_eq!(
            datetime_text(2026, [12, 31, 23, 59, 59]),
            "2026-12-31 23:59:59"
        );
        assert_eq!(
            datetime_text(2026, [10, 10, 0, 0, 0]),
            "2026-10-10 00:00:00"
        );
        assert_eq!(datetime_text(999, [1, 1, 0, 0, 0]), "0999-01-01 00:00:00");
        assert_eq!(
            datetime_text(12345, [1, 1, 0, 0, 0]),
            "12345-01-01 00:00:00"
        );
    }

    #[test]
    fn durations() {
        let en = |s| duration_words(Lang::En, s);
        assert_eq!(en(7_776_000), "90 days");
        assert_eq!(en(86_400 + 3 * 3_600), "1 day 3 hours");
        assert_eq!(en(2 * 3_600 + 60), "2 hours 1 minute");
        assert_eq!(en(300), "5 minutes");
        assert_eq!(en(40), "40 seconds");
        assert_eq!(en(-5), "0 seconds");
        let zh = |s| duration_words(Lang::Zh, s);
        assert_eq!(zh(7_776_000), "90 天");
        assert_eq!(zh(86_400 + 3 * 3_600), "1 天 3 小时");
        assert_eq!(zh(2 * 3_600 + 60), "2 小时 1 分钟");
        assert_eq!(zh(40), "40 秒");
    }

    #[test]
    fn numbers() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1,000");
        assert_eq!(grouped(100_000), "100,000");
        assert_eq!(grouped(7_776_000), "7,776,000");
        assert_eq!(grouped(-1_234_567), "-1,234,567");
        assert_eq!(grouped(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn platforms() {
        assert_eq!(platform_label(Lang::En, 5), "Web (5)");
        assert_eq!(platform_label(Lang::Zh, 5), "Web (5)");
        assert_eq!(platform_label(Lang::En, 10), "Admin (10)");
        assert_eq!(platform_label(Lang::En, 0), "platform 0");
        assert_eq!(platform_label(Lang::Zh, 0), "平台 0");
    }
}
