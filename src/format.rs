//! Display formats shared by the pages: local date-times, durations, platform names.

use openim_protocol::Platform;

/// A local date-time, `2026-11-25 20:05:03`, from unix milliseconds.
pub fn local_datetime(ms: i64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms as f64));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes(),
        d.get_seconds()
    )
}

/// Unix seconds now.
pub fn now_secs() -> i64 {
    (js_sys::Date::now() / 1000.0) as i64
}

/// `90 days`, `1 day 3 hours`, `5 minutes`, `40 seconds`.
pub fn duration_words(secs: i64) -> String {
    fn unit(n: i64, one: &str) -> String {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {one}s")
        }
    }
    let secs = secs.max(0);
    let (d, h, m) = (secs / 86_400, secs % 86_400 / 3_600, secs % 3_600 / 60);
    match (d, h, m) {
        (0, 0, 0) => unit(secs, "second"),
        (0, 0, m) => unit(m, "minute"),
        (0, h, 0) => unit(h, "hour"),
        (0, h, m) => format!("{} {}", unit(h, "hour"), unit(m, "minute")),
        (d, 0, _) => unit(d, "day"),
        (d, h, _) => format!("{} {}", unit(d, "day"), unit(h, "hour")),
    }
}

/// `Web (5)`; an ID outside 1..=10 as `platform 11`.
pub fn platform_label(id: i64) -> String {
    match Platform::from_id(id) {
        Some(p) => format!("{} ({})", p.name(), p.id()),
        None => format!("platform {id}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration_words(7_776_000), "90 days");
        assert_eq!(duration_words(86_400 + 3 * 3_600), "1 day 3 hours");
        assert_eq!(duration_words(2 * 3_600 + 60), "2 hours 1 minute");
        assert_eq!(duration_words(300), "5 minutes");
        assert_eq!(duration_words(40), "40 seconds");
        assert_eq!(duration_words(-5), "0 seconds");
    }

    #[test]
    fn platforms() {
        assert_eq!(platform_label(5), "Web (5)");
        assert_eq!(platform_label(10), "Admin (10)");
        assert_eq!(platform_label(0), "platform 0");
    }
}
