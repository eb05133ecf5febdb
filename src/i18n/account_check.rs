//! The account check page.

use super::{Lang, Text};
use crate::format::grouped;

catalogue! {
    pub const IDS_LABEL: Text = Text {
        en: "User IDs (one per line or comma separated)",
        zh: "用户ID（每行一个，或以逗号分隔）",
    };
    pub const CHECK: Text = Text { en: "Check", zh: "检查" };
    pub const CHECKING: Text = Text { en: "Checking…", zh: "正在检查…" };
    pub const RESULTS: Text = Text { en: "Account check results", zh: "账号检查结果" };
    pub const USER_ID: Text = Text { en: "User ID", zh: "用户ID" };
    pub const STATUS: Text = Text { en: "Status", zh: "状态" };
    pub const REGISTERED: Text = Text { en: "registered", zh: "已注册" };
    pub const UNREGISTERED: Text = Text { en: "unregistered", zh: "未注册" };
}

/// `3 IDs to check; removed 1 duplicate`.
pub fn to_check(lang: Lang, ids: usize, duplicates: usize) -> String {
    let s = |n: usize| if n == 1 { "" } else { "s" };
    let (n, d) = (grouped(ids as i64), grouped(duplicates as i64));
    match (lang, duplicates) {
        (Lang::En, 0) => format!("{n} ID{} to check", s(ids)),
        (Lang::En, _) => format!(
            "{n} ID{} to check; removed {d} duplicate{}",
            s(ids),
            s(duplicates)
        ),
        (Lang::Zh, 0) => format!("待检查 {n} 个 ID"),
        (Lang::Zh, _) => format!("待检查 {n} 个 ID；已移除 {d} 个重复项"),
    }
}

pub fn summary(lang: Lang, registered: usize, total: usize) -> String {
    let unregistered = grouped((total - registered) as i64);
    let (registered, total) = (grouped(registered as i64), grouped(total as i64));
    match lang {
        Lang::En => format!("{registered} of {total} registered, {unregistered} unregistered."),
        Lang::Zh => format!("共 {total} 个，已注册 {registered} 个，未注册 {unregistered} 个。"),
    }
}

pub fn too_many(lang: Lang, n: usize, max: usize) -> String {
    match lang {
        Lang::En => format!(
            "{} IDs: at most {} can be checked at once. Use Bulk import, which checks any number in chunks, or check fewer.",
            grouped(n as i64),
            grouped(max as i64)
        ),
        Lang::Zh => format!(
            "共 {} 个 ID：一次最多检查 {} 个。请使用批量导入（会分批检查任意数量），或减少数量。",
            grouped(n as i64),
            grouped(max as i64)
        ),
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    vec![
        to_check(lang, 1, 0),
        to_check(lang, 3, 2),
        summary(lang, 2, 3),
        too_many(lang, 1200, 1000),
    ]
}
