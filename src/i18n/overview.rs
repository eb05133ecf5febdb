//! The landing page.

use super::{Lang, Text};
use crate::format::grouped;

catalogue! {
    pub const INTRO: Text = Text {
        en: "An admin console for OpenIM servers: register users, get tokens, check accounts and list users, in the browser.",
        zh: "OpenIM 服务器的管理控制台：在浏览器中注册用户、获取令牌、检查账号和查看用户列表。",
    };
    /// Before the link in "Not signed in. Connect to an OpenIM server to begin."
    pub const NOT_SIGNED_IN_BEFORE: Text = Text { en: "Not signed in. ", zh: "尚未登录。" };
    pub const TO_BEGIN: Text = Text { en: " to begin.", zh: "后即可开始使用。" };
    pub const SCOPE_V34: Text = Text {
        en: "all users, admin accounts included",
        zh: "全部用户，含管理员账号",
    };
    pub const SCOPE_V38: Text = Text {
        en: "ordinary users; admin, notification and robot accounts are not counted by OpenIM v3.8",
        zh: "普通用户；OpenIM v3.8 不统计管理员、通知和机器人账号",
    };
    pub const SERVER: Text = Text { en: "Server", zh: "服务器" };
    pub const API_GENERATION: Text = Text { en: "API generation", zh: "API 版本" };
    pub const SIGNED_IN_AS: Text = Text { en: "Signed in as", zh: "登录身份" };
    pub const COUNTING: Text = Text { en: "Counting users…", zh: "正在统计用户…" };
}

pub fn registered_users(lang: Lang, n: i64, scope: &str) -> String {
    let n = grouped(n);
    match lang {
        Lang::En => format!("Registered users: {n} ({scope})"),
        Lang::Zh => format!("已注册用户：{n}（{scope}）"),
    }
}

pub fn could_not_count(lang: Lang, error: &str) -> String {
    match lang {
        Lang::En => format!("Could not count users: {error}"),
        Lang::Zh => format!("无法统计用户：{error}"),
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    vec![
        registered_users(lang, 100_000, SCOPE_V38.get(lang)),
        could_not_count(lang, "x"),
    ]
}
