//! Units of time and unknown platforms, for crate::format.

use super::Lang;

/// A unit of [`crate::format::duration_words`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Second,
    Minute,
    Hour,
    Day,
}

// Every text here takes a parameter.
catalogue! {}

/// `1 day`, `3 hours`; `1 天`, `3 小时`.
pub fn unit(lang: Lang, n: i64, unit: Unit) -> String {
    match lang {
        Lang::En => {
            let one = match unit {
                Unit::Second => "second",
                Unit::Minute => "minute",
                Unit::Hour => "hour",
                Unit::Day => "day",
            };
            if n == 1 {
                format!("1 {one}")
            } else {
                format!("{n} {one}s")
            }
        }
        Lang::Zh => {
            let name = match unit {
                Unit::Second => "秒",
                Unit::Minute => "分钟",
                Unit::Hour => "小时",
                Unit::Day => "天",
            };
            format!("{n} {name}")
        }
    }
}

/// A platform ID outside 1..=10.
pub fn unknown_platform(lang: Lang, id: i64) -> String {
    match lang {
        Lang::En => format!("platform {id}"),
        Lang::Zh => format!("平台 {id}"),
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = [Unit::Second, Unit::Minute, Unit::Hour, Unit::Day]
        .into_iter()
        .flat_map(|u| [unit(lang, 1, u), unit(lang, 2, u)])
        .collect();
    out.push(unknown_platform(lang, 11));
    out
}
