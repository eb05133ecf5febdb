//! The frame around the pages: header, navigation, session status, the request log, the
//! not-found page and the "sign in first" notice.

use openim_protocol::ApiVersion;

use super::{Lang, Text};
use crate::format::grouped;

catalogue! {
    pub const LANGUAGE: Text = Text { en: "Language", zh: "语言" };
    pub const MAIN_NAV: Text = Text { en: "Main", zh: "主导航" };

    pub const NAV_OVERVIEW: Text = Text { en: "Overview", zh: "概览" };
    pub const NAV_CONNECT: Text = Text { en: "Connection", zh: "连接" };
    pub const NAV_REGISTER: Text = Text { en: "Register users", zh: "注册用户" };
    pub const NAV_TOKEN: Text = Text { en: "User token", zh: "用户令牌" };
    pub const NAV_ACCOUNT_CHECK: Text = Text { en: "Account check", zh: "账号检查" };
    pub const NAV_USERS: Text = Text { en: "Users", zh: "用户列表" };
    pub const NAV_IMPORT: Text = Text { en: "Bulk import", zh: "批量导入" };
    pub const NAV_USER: Text = Text { en: "User", zh: "用户" };
    pub const NAV_NOT_FOUND: Text = Text { en: "Not found", zh: "未找到" };

    pub const PAGE_NOT_FOUND: Text = Text { en: "Page not found", zh: "页面不存在" };
    pub const GO_TO_OVERVIEW: Text = Text { en: "Go to the overview", zh: "返回概览" };

    /// Before the link in "Not signed in. Connect to an OpenIM server first."
    pub const SIGN_IN_FIRST_BEFORE: Text = Text { en: "Not signed in. ", zh: "尚未登录。请先" };
    pub const CONNECT_LINK: Text = Text { en: "Connect to an OpenIM server", zh: "连接 OpenIM 服务器" };
    pub const SIGN_IN_FIRST_AFTER: Text = Text { en: " first.", zh: "。" };

    pub const NOT_SIGNED_IN: Text = Text { en: "Not signed in", zh: "未登录" };
    pub const REAUTH_TITLE: Text = Text { en: "Sign in again", zh: "请重新登录" };
    pub const REAUTH_TEXT: Text = Text {
        en: "The admin token stopped working and cannot be renewed here. Sign in again to go on; the page behind this dialog keeps what you were doing.",
        zh: "管理员令牌已失效，且无法在此自动续期。请重新登录后继续；此对话框后面的页面会保留你正在进行的操作。",
    };
    pub const REAUTH_SECRET_TEXT: Text = Text {
        en: "OpenIM v3.4 registers users and issues user tokens only with the secret itself, and this tab does not hold it (it is not kept across reloads, and a chat sign-in never has it). Sign in with the secret to go on; the page behind this dialog keeps what you were doing.",
        zh: "OpenIM v3.4 只接受携带密钥本身的用户注册和用户令牌请求，而此标签页中没有密钥（刷新后不会保留，通过 chat 登录时也不会有）。请用密钥登录后继续；此对话框后面的页面会保留你正在进行的操作。",
    };
    pub const SIGN_OUT: Text = Text { en: "Sign out", zh: "退出登录" };
    pub const EXPIRED: Text = Text { en: "expired", zh: "已过期" };

    pub const CLEAR_LOG: Text = Text { en: "Clear log", zh: "清空日志" };
    pub const NO_CALLS: Text = Text {
        en: "No calls yet. Every call the console makes to OpenIM appears here.",
        zh: "暂无请求。控制台向 OpenIM 发出的每个请求都会显示在这里。",
    };
    pub const COL_METHOD: Text = Text { en: "Method", zh: "方法" };
    pub const COL_URL: Text = Text { en: "URL", zh: "地址" };
    pub const COL_HTTP: Text = Text { en: "HTTP", zh: "HTTP 状态" };
    pub const COL_ERRCODE: Text = Text { en: "errCode", zh: "errCode" };
    pub const COL_TIME: Text = Text { en: "Time", zh: "耗时" };
    pub const COL_OPERATION_ID: Text = Text { en: "operationID", zh: "operationID" };
    pub const COL_DETAILS: Text = Text { en: "Details", zh: "详情" };
    pub const NO_ANSWER: Text = Text { en: "no answer", zh: "无响应" };
    pub const SHOW: Text = Text { en: "Show", zh: "展开" };
    pub const REQUEST_HEADERS: Text = Text { en: "Request headers", zh: "请求头" };
    pub const HIDE_TOKEN: Text = Text { en: "Hide token", zh: "隐藏令牌" };
    pub const REVEAL_TOKEN: Text = Text { en: "Reveal token", zh: "显示完整令牌" };
    pub const REQUEST_BODY: Text = Text { en: "Request body", zh: "请求体" };
    pub const RESPONSE_BODY: Text = Text { en: "Response body", zh: "响应体" };
    pub const COPY_AS_CURL: Text = Text { en: "Copy as curl", zh: "复制为 curl 命令" };
    pub const CURL_LABEL: Text = Text {
        en: "curl command (copied to the clipboard where the browser allows; it contains the token and any secret)",
        zh: "curl 命令（浏览器允许时已复制到剪贴板；命令中含有令牌和密钥 secret）",
    };
    pub const NO_CURL_FOR_LONG_BODY: Text = Text {
        en: "The log keeps only the beginning of this request body, so the call cannot be copied as curl.",
        zh: "日志只保留了此请求体的开头部分，因此无法复制为 curl 命令。",
    };
}

/// The session line in the header; `left` is [`expires_in_days`] or a sibling, or [`EXPIRED`].
pub fn signed_in_as(
    lang: Lang,
    admin_id: &str,
    base: &str,
    version: ApiVersion,
    left: &str,
) -> String {
    match lang {
        Lang::En => {
            format!("Signed in as {admin_id} on {base} (OpenIM {version}), token expires {left}")
        }
        Lang::Zh => {
            format!("已以 {admin_id} 身份登录 {base}（OpenIM {version}），令牌{left}")
        }
    }
}

/// Appended to the sign-in status when the token came from the chat server.
pub fn via_chat(lang: Lang, account: &str) -> String {
    match lang {
        Lang::En => format!(" (via chat account {account})"),
        Lang::Zh => format!("（通过 chat 账号 {account}）"),
    }
}

pub fn expires_in_days(lang: Lang, n: i64) -> String {
    match lang {
        Lang::En => format!("in {n} days"),
        Lang::Zh => format!("将在 {n} 天后过期"),
    }
}

pub fn expires_in_hours(lang: Lang, n: i64) -> String {
    match lang {
        Lang::En => format!("in {n} hours"),
        Lang::Zh => format!("将在 {n} 小时后过期"),
    }
}

pub fn expires_in_minutes(lang: Lang, n: i64) -> String {
    match lang {
        Lang::En => format!("in {n} minutes"),
        Lang::Zh => format!("将在 {n} 分钟后过期"),
    }
}

pub fn expires_in_seconds(lang: Lang, n: i64) -> String {
    match lang {
        Lang::En => format!("in {n} seconds"),
        Lang::Zh => format!("将在 {n} 秒后过期"),
    }
}

pub fn request_log_title(lang: Lang, n: usize) -> String {
    let n = grouped(n as i64);
    match lang {
        Lang::En => format!("Request log ({n})"),
        Lang::Zh => format!("请求日志（{n}）"),
    }
}

/// Under a body the log kept only the beginning of.
pub fn body_cut(lang: Lang, shown: usize, bytes: usize) -> String {
    let (shown, bytes) = (grouped(shown as i64), grouped(bytes as i64));
    match lang {
        Lang::En => format!("… The log keeps the first {shown} of this body's {bytes} bytes."),
        Lang::Zh => format!("…… 日志只保留此内容 {bytes} 字节中的前 {shown} 字节。"),
    }
}

pub fn duration_ms(lang: Lang, ms: f64) -> String {
    match lang {
        Lang::En => format!("{ms:.0} ms"),
        Lang::Zh => format!("{ms:.0} 毫秒"),
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    let left = expires_in_days(lang, 90);
    vec![
        signed_in_as(lang, "imAdmin", "/api", ApiVersion::V3_8, &left),
        signed_in_as(lang, "imAdmin", "/api", ApiVersion::V3_8, EXPIRED.get(lang)),
        via_chat(lang, "chatAdmin"),
        left,
        expires_in_hours(lang, 3),
        expires_in_minutes(lang, 10),
        expires_in_seconds(lang, 30),
        request_log_title(lang, 1),
        body_cut(lang, 4096, 87_902),
        duration_ms(lang, 12.0),
    ]
}
