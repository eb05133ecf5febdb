//! The user list, its export, and one user's page.

use super::{Lang, Text};
use crate::format::grouped;

catalogue! {
    pub const SEARCH_USER: Text = Text { en: "Search user ID", zh: "按用户ID 搜索" };
    pub const SEARCH_NICK: Text = Text { en: "Search nickname", zh: "按昵称搜索" };
    pub const SEARCH: Text = Text { en: "Search", zh: "搜索" };
    pub const SEARCH_HINT: Text = Text {
        en: "Case-insensitive; OpenIM matches either field (regular expressions).",
        zh: "不区分大小写；OpenIM 匹配任一字段（支持正则表达式）。",
    };
    pub const V34_NO_SEARCH: Text = Text {
        en: "OpenIM v3.4 has no server-side search: use Account check to look up exact IDs.",
        zh: "OpenIM v3.4 没有服务端搜索：请用“账号检查”查询确切的 ID。",
    };
    pub const PAGE_SIZE: Text = Text { en: "Page size", zh: "每页条数" };
    pub const FIRST_PAGE: Text = Text { en: "First page", zh: "首页" };
    pub const PREVIOUS_PAGE: Text = Text { en: "Previous page", zh: "上一页" };
    pub const NEXT_PAGE: Text = Text { en: "Next page", zh: "下一页" };
    pub const LAST_PAGE: Text = Text { en: "Last page", zh: "末页" };
    pub const GO_TO_PAGE: Text = Text { en: "Go to page", zh: "跳转到页" };
    pub const GO: Text = Text { en: "Go", zh: "跳转" };
    pub const LOADING: Text = Text { en: "Loading users…", zh: "正在加载用户…" };
    pub const V38_NOT_LISTED: Text = Text {
        en: " (admin, notification and robot accounts are not listed by OpenIM v3.8)",
        zh: "（OpenIM v3.8 不列出管理员、通知和机器人账号）",
    };
    pub const NONE_ON_PAGE: Text = Text { en: "No users on this page.", zh: "本页没有用户。" };
    pub const NONE_MATCH: Text = Text { en: "No users match.", zh: "没有匹配的用户。" };
    pub const TABLE: Text = Text { en: "Users", zh: "用户列表" };
    pub const USER_ID: Text = Text { en: "User ID", zh: "用户ID" };
    pub const NICKNAME: Text = Text { en: "Nickname", zh: "昵称" };
    pub const AVATAR: Text = Text { en: "Avatar", zh: "头像" };
    pub const FACE_URL: Text = Text { en: "Face URL", zh: "头像 URL" };
    pub const EX: Text = Text { en: "ex", zh: "ex" };
    pub const CREATED: Text = Text { en: "Created", zh: "创建时间" };
    pub const MANAGER_LEVEL: Text = Text { en: "Manager level", zh: "管理级别" };
    pub const MESSAGE_OPTION: Text = Text { en: "Message option", zh: "消息接收选项" };
    pub const UNKNOWN: Text = Text { en: "unknown", zh: "未知" };

    pub const LEVEL_ORDINARY: Text = Text { en: "ordinary user", zh: "普通用户" };
    pub const LEVEL_APP_ADMIN: Text = Text { en: "app admin", zh: "应用管理员" };
    pub const LEVEL_NOTIFICATION: Text = Text { en: "notification account", zh: "通知账号" };
    pub const LEVEL_ROBOT: Text = Text { en: "robot", zh: "机器人" };
    pub const OPT_RECEIVE: Text = Text { en: "receive", zh: "接收" };
    pub const OPT_DO_NOT_RECEIVE: Text = Text { en: "do not receive", zh: "不接收" };
    pub const OPT_NO_NOTIFICATION: Text = Text { en: "receive without notification", zh: "接收但不提醒" };

    pub const EXPORT_ALL: Text = Text { en: "Export all users", zh: "导出全部用户" };
    pub const CANCEL_EXPORT: Text = Text { en: "Cancel export", zh: "取消导出" };
    pub const EXPORT_PROGRESS: Text = Text { en: "Export progress", zh: "导出进度" };

    pub const BACK_TO_USERS: Text = Text { en: "Back to users", zh: "返回用户列表" };
    pub const LOADING_USER: Text = Text { en: "Loading the user…", zh: "正在加载用户信息…" };
    pub const FORCE_LOGOUT: Text = Text { en: "Force logout", zh: "强制下线" };
    pub const LOGOUT_V34: Text = Text {
        en: "OpenIM v3.4 closes the user's connections on that platform; tokens already issued stay valid.",
        zh: "OpenIM v3.4 会断开该用户在该平台上的连接；已签发的令牌仍然有效。",
    };
    pub const LOGOUT_V38: Text = Text {
        en: "OpenIM v3.8 closes the user's connections on that platform and retires their tokens there (errCode 1506 on use).",
        zh: "OpenIM v3.8 会断开该用户在该平台上的连接，并作废其在该平台的令牌（再次使用时返回 errCode 1506）。",
    };
    pub const PLATFORM_TO_LOG_OUT: Text = Text { en: "Platform to log out", zh: "要下线的平台" };
}

fn with_number(lang: Lang, name: Text, n: i32) -> String {
    match lang {
        Lang::En => format!("{} ({n})", name.en),
        Lang::Zh => format!("{}（{n}）", name.zh),
    }
}

/// `appMangerLevel` in words, `ordinary user (1)`; the English is OpenIM's own naming from
/// openim_protocol::user.
pub fn manager_level(lang: Lang, level: i32) -> String {
    let name = match level {
        0 | 1 => LEVEL_ORDINARY,
        2 => LEVEL_APP_ADMIN,
        3 => LEVEL_NOTIFICATION,
        4 => LEVEL_ROBOT,
        _ => UNKNOWN,
    };
    with_number(lang, name, level)
}

/// `globalRecvMsgOpt` in words, `receive (0)`.
pub fn message_option(lang: Lang, opt: i32) -> String {
    let name = match opt {
        0 => OPT_RECEIVE,
        1 => OPT_DO_NOT_RECEIVE,
        2 => OPT_NO_NOTIFICATION,
        _ => UNKNOWN,
    };
    with_number(lang, name, opt)
}

/// Under "Go to page" when what was typed is not a page there is.
pub fn goto_problem(lang: Lang, pages: Option<u64>) -> String {
    match (lang, pages) {
        (Lang::En, Some(p)) => format!(
            "Enter a whole number from 1 to {}.",
            grouped(p.max(1) as i64)
        ),
        (Lang::En, None) => "Enter a whole number from 1.".into(),
        (Lang::Zh, Some(p)) => format!("请输入 1 到 {} 之间的整数。", grouped(p.max(1) as i64)),
        (Lang::Zh, None) => "请输入不小于 1 的整数。".into(),
    }
}

pub fn page_of(lang: Lang, page: u64, pages: Option<u64>) -> String {
    match (lang, pages) {
        (Lang::En, Some(p)) => format!("Page {page} of {p}"),
        (Lang::En, None) => format!("Page {page}"),
        (Lang::Zh, Some(p)) => format!("第 {page} 页，共 {p} 页"),
        (Lang::Zh, None) => format!("第 {page} 页"),
    }
}

/// `Total: 25 users`, `Total: 1 user matching the search`.
pub fn total(lang: Lang, total: i64, searching: bool) -> String {
    let n = grouped(total);
    match lang {
        Lang::En => format!(
            "Total: {n} user{}{}",
            if total == 1 { "" } else { "s" },
            if searching {
                " matching the search"
            } else {
                ""
            }
        ),
        Lang::Zh if searching => format!("共 {n} 个符合搜索条件的用户"),
        Lang::Zh => format!("共 {n} 个用户"),
    }
}

pub fn exporting(lang: Lang, got: usize, total: i64) -> String {
    let (got, total) = (grouped(got as i64), grouped(total));
    match lang {
        Lang::En => format!("Exporting: {got} of {total} users"),
        Lang::Zh => format!("正在导出：{got} / {total} 个用户"),
    }
}

pub fn export_cancelled(lang: Lang, got: usize) -> String {
    let got = grouped(got as i64);
    match lang {
        Lang::En => format!("Export cancelled after {got} users; nothing was downloaded."),
        Lang::Zh => format!("已在导出 {got} 个用户后取消；没有下载任何文件。"),
    }
}

/// Above the error of the page that failed.
pub fn export_failed(lang: Lang, got: usize) -> String {
    let got = grouped(got as i64);
    match lang {
        Lang::En => format!(
            "Export stopped after {got} users; nothing was downloaded. Export again to retry."
        ),
        Lang::Zh => format!("导出在 {got} 个用户后中止；没有下载任何文件。请重新导出。"),
    }
}

pub fn export_exact(lang: Lang, got: usize) -> String {
    let got = grouped(got as i64);
    match lang {
        Lang::En => format!("Exported {got} users, as many as the server reports."),
        Lang::Zh => format!("已导出 {got} 个用户，与服务器报告的数量一致。"),
    }
}

/// The export's rows and the server's totals disagree: the list changed while it ran.
pub fn export_changed(lang: Lang, got: usize, unique: usize, first: i64, last: i64) -> String {
    let (got, unique) = (grouped(got as i64), grouped(unique as i64));
    let (first, last) = (grouped(first), grouped(last));
    match lang {
        Lang::En => format!(
            "Exported {got} rows ({unique} distinct users); the server reported {first} users when the export started and {last} when it ended. The user list changed during the export: export again for an exact copy."
        ),
        Lang::Zh => format!(
            "已导出 {got} 行（{unique} 个不同用户）；导出开始时服务器报告 {first} 个用户，结束时报告 {last} 个。导出期间用户列表发生了变化：如需完全一致的副本，请重新导出。"
        ),
    }
}

pub fn download_refused(lang: Lang, summary: &str, error: &str) -> String {
    match lang {
        Lang::En => format!("{summary} The browser refused the download: {error}"),
        Lang::Zh => format!("{summary}浏览器拒绝了下载：{error}"),
    }
}

pub fn user_title(lang: Lang, id: &str) -> String {
    match lang {
        Lang::En => format!("User {id}"),
        Lang::Zh => format!("用户 {id}"),
    }
}

pub fn not_registered(lang: Lang, id: &str) -> String {
    match lang {
        Lang::En => format!("{id} is not registered on this server."),
        Lang::Zh => format!("{id} 未在此服务器上注册。"),
    }
}

pub fn logged_out(lang: Lang, id: &str, platform: &str) -> String {
    match lang {
        Lang::En => format!("Logged out {id} on {platform}."),
        Lang::Zh => format!("已将 {id} 在 {platform} 上强制下线。"),
    }
}

pub fn not_a_regex(lang: Lang, field: &str, why: &str) -> String {
    match lang {
        Lang::En => format!(
            "{field}: OpenIM searches with a regular expression, and this one is not valid ({why}). Escape special characters such as ( [ * + ? with a backslash."
        ),
        Lang::Zh => format!(
            "{field}：OpenIM 按正则表达式搜索，而这一项不是有效的正则表达式（{why}）。请用反斜杠转义 ( [ * + ? 等特殊字符。"
        ),
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = (0..6).map(|l| manager_level(lang, l)).collect();
    out.extend((0..4).map(|o| message_option(lang, o)));
    out.extend([
        page_of(lang, 2, Some(5)),
        page_of(lang, 2, None),
        goto_problem(lang, Some(5)),
        goto_problem(lang, None),
        total(lang, 1, false),
        total(lang, 25, true),
        exporting(lang, 1000, 2500),
        export_cancelled(lang, 1000),
        export_failed(lang, 4000),
        export_exact(lang, 2500),
        export_changed(lang, 10, 9, 10, 11),
        download_refused(lang, &export_exact(lang, 1), "x"),
        user_title(lang, "alice"),
        not_a_regex(lang, SEARCH_USER.get(lang), "Unterminated group"),
        not_registered(lang, "alice"),
        logged_out(lang, "alice", "Web (5)"),
    ]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use openim_protocol::user::{manager_level_name, recv_msg_opt_name};

    #[test]
    fn english_names_are_the_protocol_crates() {
        for l in 0..6 {
            let name = manager_level_name(l).unwrap_or("unknown");
            assert_eq!(manager_level(Lang::En, l), format!("{name} ({l})"));
        }
        for o in 0..4 {
            let name = recv_msg_opt_name(o).unwrap_or("unknown");
            assert_eq!(message_option(Lang::En, o), format!("{name} ({o})"));
        }
        assert_eq!(manager_level(Lang::En, 1), "ordinary user (1)");
        assert_eq!(manager_level(Lang::En, 9), "unknown (9)");
        assert_eq!(message_option(Lang::Zh, 2), "接收但不提醒（2）");
    }
}
