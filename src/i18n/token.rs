//! The user token page, its form (also on a user's page) and the token view.

use openim_protocol::claims::ClaimsError;

use super::{Lang, Text};
use crate::format::grouped;

catalogue! {
    pub const HINT_V34: Text = Text {
        en: "OpenIM v3.4: POST /auth/user_token with the secret. Any registered user on platforms 1 to 10.",
        zh: "OpenIM v3.4：携带密钥（secret）调用 POST /auth/user_token。任何已注册用户都可在平台 1 到 10 上获取。",
    };
    pub const HINT_V38: Text = Text {
        en: "OpenIM v3.8: POST /auth/get_user_token with the admin token. Not for admin IDs or the Admin platform.",
        zh: "OpenIM v3.8：携带管理员令牌调用 POST /auth/get_user_token。不适用于管理员 ID 或 Admin 平台。",
    };
    pub const USER_ID: Text = Text { en: "User ID", zh: "用户ID" };
    pub const PLATFORM: Text = Text { en: "Platform", zh: "平台" };
    pub const GET_TOKEN: Text = Text { en: "Get token", zh: "获取令牌" };
    pub const GETTING: Text = Text { en: "Getting a token…", zh: "正在获取令牌…" };

    pub const TOKEN: Text = Text { en: "Token", zh: "令牌（Token）" };
    pub const COPY_TOKEN: Text = Text { en: "Copy token", zh: "复制令牌" };
    pub const COPIED: Text = Text { en: "Copied.", zh: "已复制。" };
    pub const CLIPBOARD_REFUSED: Text = Text {
        en: "The browser refused the clipboard: select the token and copy it by hand.",
        zh: "浏览器拒绝访问剪贴板：请选中令牌后手动复制。",
    };
    pub const V38_RETIRES: Text = Text {
        en: "On OpenIM v3.8 a new token for the same user and platform retires the older one: clients still using it get errCode 1506.",
        zh: "在 OpenIM v3.8 上，同一用户和平台的新令牌会使旧令牌作废：仍在使用旧令牌的客户端会收到 errCode 1506。",
    };
    pub const CLAIMS: Text = Text { en: "Token claims", zh: "令牌声明" };
    pub const CLAIM_USER: Text = Text { en: "User", zh: "用户" };
    pub const CLAIM_ISSUED: Text = Text { en: "Issued", zh: "签发时间" };
    pub const CLAIM_NOT_BEFORE: Text = Text { en: "Not before", zh: "生效时间" };
    pub const CLAIM_EXPIRES: Text = Text { en: "Expires", zh: "过期时间" };
    pub const CLAIM_TIME_LEFT: Text = Text { en: "Time left", zh: "剩余时间" };
}

/// `Valid for 90 days (7776000 seconds)`. The seconds are OpenIM's `expireTimeSeconds` as the
/// server sent it, so they stay ungrouped in English, where tests and operators compare them
/// with the raw answer.
pub fn valid_for(lang: Lang, words: &str, secs: i64) -> String {
    match lang {
        Lang::En => format!("Valid for {words} ({secs} seconds)"),
        Lang::Zh => format!("有效期 {words}（{} 秒）", grouped(secs)),
    }
}

pub fn claims_unreadable(lang: Lang, e: &ClaimsError) -> String {
    match lang {
        Lang::En => format!("The token's claims cannot be read: {e}"),
        Lang::Zh => {
            let why = match e {
                ClaimsError::NotThreeSegments => "JWT 应由三段以点分隔的部分组成".to_string(),
                ClaimsError::BadBase64 => "载荷不是 base64url 编码".to_string(),
                ClaimsError::BadJson(detail) => format!("载荷不是 JSON 格式的声明：{detail}"),
            };
            format!("无法读取令牌的声明：{why}")
        }
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    vec![
        valid_for(lang, "90 days", 7_776_000),
        claims_unreadable(lang, &ClaimsError::NotThreeSegments),
        claims_unreadable(lang, &ClaimsError::BadBase64),
        claims_unreadable(lang, &ClaimsError::BadJson("EOF".into())),
    ]
}
