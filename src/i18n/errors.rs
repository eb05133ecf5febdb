//! Failures in words: the summaries and hints of crate::explain, and [`api_error`], an
//! [`ApiError`] in one line.

use openim_protocol::ErrCode;

use super::{Lang, Text};
use crate::api::ApiError;

catalogue! {
    pub const DETAILS_SUMMARY: Text = Text { en: "errMsg and errDlt", zh: "errMsg 与 errDlt" };

    pub const NO_ANSWER: Text = Text { en: "No answer from the server.", zh: "服务器没有响应。" };
    pub const NO_ANSWER_HINT: Text = Text {
        en: "Check that OpenIM's API is running and that the API base on the Connection page is right.",
        zh: "请确认 OpenIM 的 API 服务正在运行，并检查“连接”页上的 API 基础地址是否正确。",
    };
    pub const TIMEOUT_HINT: Text = Text {
        en: "It may be overloaded or stopped; try again.",
        zh: "服务器可能负载过高或已停止，请重试。",
    };
    pub const PROXY: Text = Text {
        en: "The proxy in front of OpenIM could not get an answer from it.",
        zh: "OpenIM 前端的代理没有收到 OpenIM 的响应。",
    };
    pub const PROXY_HINT: Text = Text {
        en: "OpenIM's API is down or too slow; check it, then try again.",
        zh: "OpenIM 的 API 服务已停止或响应过慢，请检查后重试。",
    };
    pub const NO_ROUTE_HINT: Text = Text {
        en: "It may speak the other API generation: check the generation on the Connection page.",
        zh: "服务器可能使用另一代 API：请在“连接”页检查 API 版本。",
    };
    pub const CHECK_BASE_HINT: Text = Text {
        en: "Check that the API base points at OpenIM's API (port 10002).",
        zh: "请确认 API 基础地址指向 OpenIM 的 API（端口 10002）。",
    };
    pub const NOT_OPENIM: Text = Text {
        en: "The answer is not what OpenIM sends.",
        zh: "该响应不是 OpenIM 会返回的内容。",
    };
    pub const SIGN_IN_ENDED: Text = Text { en: "The admin sign-in has ended.", zh: "管理员登录已失效。" };
    pub const CONNECT_AGAIN_HINT: Text = Text {
        en: "Connect again on the Connection page.",
        zh: "请在“连接”页重新连接。",
    };

    pub const USERS_REJECTED: Text = Text { en: "OpenIM rejected the users.", zh: "OpenIM 拒绝了这些用户。" };
    pub const V34_ID_RULES: Text = Text {
        en: "User IDs must not be empty, repeated or contain ':'.",
        zh: "用户ID 不能为空、不能重复，也不能包含 ':'。",
    };
    pub const V38_ID_RULES: Text = Text {
        en: "User IDs may contain only letters, digits and _, must not repeat, and every user needs a nickname.",
        zh: "用户ID 只能包含字母、数字和 _，不能重复，且每个用户都必须有昵称。",
    };
    pub const IDS_REJECTED: Text = Text {
        en: "OpenIM rejected the list of user IDs.",
        zh: "OpenIM 拒绝了这组用户ID。",
    };
    pub const IDS_HINT: Text = Text {
        en: "Send at least one ID, each once.",
        zh: "请至少提供一个 ID，且每个 ID 只出现一次。",
    };
    pub const PAGE_REJECTED: Text = Text { en: "OpenIM rejected the page request.", zh: "OpenIM 拒绝了分页请求。" };
    pub const PAGE_HINT: Text = Text { en: "Page numbers start at 1.", zh: "页码从 1 开始。" };
    pub const NOT_ADMIN_ID: Text = Text {
        en: "That user ID is not an admin on this server.",
        zh: "该用户ID 不是此服务器上的管理员。",
    };
    pub const NO_TOKEN_FOR_SYSTEM: Text = Text {
        en: "Notification and robot accounts cannot get a user token.",
        zh: "通知账号和机器人账号无法获取用户令牌。",
    };
    pub const ORDINARY_ONLY_HINT: Text = Text {
        en: "Only ordinary users (manager level below 3) can.",
        zh: "只有普通用户（管理级别低于 3）可以获取。",
    };
    pub const ID_OR_PLATFORM: Text = Text {
        en: "OpenIM rejected the user ID or platform.",
        zh: "OpenIM 拒绝了该用户ID 或平台。",
    };
    pub const ID_OR_PLATFORM_HINT: Text = Text {
        en: "Give a user ID and a platform from 1 to 10.",
        zh: "请提供用户ID，以及 1 到 10 之间的平台。",
    };
    pub const ARGS: Text = Text { en: "OpenIM rejected the request's arguments.", zh: "OpenIM 拒绝了请求参数。" };
    pub const ARGS_HINT: Text = Text { en: "errDlt below names the field.", zh: "下方的 errDlt 指明了出错的字段。" };
    pub const WRONG_SECRET: Text = Text {
        en: "The secret does not match `secret` in the server's config.",
        zh: "密钥（secret）与服务器配置中的 `secret` 不一致。",
    };
    pub const NO_USER_TOKEN_FOR_ADMIN: Text = Text {
        en: "OpenIM does not issue user tokens for admin IDs or for the Admin platform (10).",
        zh: "OpenIM 不为管理员 ID 或 Admin 平台（10）签发用户令牌。",
    };
    pub const OTHER_PLATFORM_HINT: Text = Text {
        en: "Choose another platform; admins sign in on the Connection page.",
        zh: "请选择其他平台；管理员请在“连接”页登录。",
    };
    pub const NEEDS_ADMIN: Text = Text { en: "This call needs an admin token.", zh: "此调用需要管理员令牌。" };
    pub const SOME_NOT_REGISTERED: Text = Text {
        en: "At least one of these users is not registered.",
        zh: "这些用户中至少有一个未注册。",
    };
    pub const SOME_NOT_REGISTERED_HINT: Text = Text {
        en: "Check the IDs; OpenIM v3.4 fails the whole lookup.",
        zh: "请检查这些 ID；OpenIM v3.4 会让整次查询失败。",
    };
    pub const NOT_REGISTERED: Text = Text { en: "That user is not registered.", zh: "该用户未注册。" };
    pub const NOT_REGISTERED_HINT_V34: Text = Text {
        en: "Register the user first, or check the ID.",
        zh: "请先注册该用户，或检查 ID 是否正确。",
    };
    pub const NOT_REGISTERED_HINT_V38: Text = Text {
        en: "Register the user first, or check the ID (IDs are case-sensitive in v3.8).",
        zh: "请先注册该用户，或检查 ID 是否正确（v3.8 中 ID 区分大小写）。",
    };
    pub const TRANSPORT_DETAILS_SUMMARY: Text = Text { en: "Details", zh: "详情" };
    pub const ALREADY_REGISTERED: Text = Text {
        en: "A user ID in the batch is already registered, so OpenIM created none of the batch.",
        zh: "本批次中有用户ID 已被注册，因此 OpenIM 没有创建本批次中的任何用户。",
    };
    pub const ALREADY_REGISTERED_HINT: Text = Text {
        en: "Remove the registered IDs and send the rest again.",
        zh: "请移除已注册的 ID，再重新提交其余用户。",
    };
    pub const TOKEN_EXPIRED: Text = Text { en: "The token has expired.", zh: "令牌已过期。" };
    pub const TOKEN_EXPIRED_HINT: Text = Text {
        en: "Connect again for a fresh admin token.",
        zh: "请重新连接以获取新的管理员令牌。",
    };
    pub const TOKEN_INVALID: Text = Text { en: "The token is not valid.", zh: "令牌无效。" };
    pub const GET_NEW_TOKEN_HINT: Text = Text { en: "Get a new token.", zh: "请获取新的令牌。" };
    pub const TOKEN_MALFORMED: Text = Text { en: "The token is not a well-formed JWT.", zh: "令牌不是格式正确的 JWT。" };
    pub const COPY_WHOLE_TOKEN_HINT: Text = Text { en: "Copy the whole token.", zh: "请完整复制令牌。" };
    pub const TOKEN_NOT_VALID_YET: Text = Text { en: "The token is not valid yet.", zh: "令牌尚未生效。" };
    pub const CLOCKS_HINT: Text = Text {
        en: "The clocks of the server that issued it and this server differ.",
        zh: "签发令牌的服务器与本服务器的时钟不一致。",
    };
    pub const TOKEN_UNKNOWN: Text = Text { en: "The server does not accept this token.", zh: "服务器不接受此令牌。" };
    pub const OTHER_SECRET_HINT: Text = Text {
        en: "It was signed with another secret, or by another server.",
        zh: "该令牌是用其他密钥（secret）签名的，或由其他服务器签发。",
    };
    pub const TOKEN_KICKED: Text = Text {
        en: "The token was retired: a newer token for the same user and platform, or a force logout, replaced it.",
        zh: "令牌已被作废：同一用户和平台的新令牌或一次强制下线取代了它。",
    };
    pub const TOKEN_NOT_EXIST: Text = Text {
        en: "The server has no record of this token.",
        zh: "服务器上没有此令牌的记录。",
    };
    pub const TOKEN_NOT_EXIST_HINT: Text = Text {
        en: "It was issued by another server, or the server's token store was reset. Get a new token.",
        zh: "该令牌由其他服务器签发，或服务器的令牌存储已被重置。请获取新的令牌。",
    };
    pub const INTERNAL: Text = Text { en: "OpenIM failed internally.", zh: "OpenIM 内部出错。" };
    pub const V34_INTERNAL_HINT: Text = Text {
        en: "On v3.4 this is often a value longer than its database column: user ID 64, nickname 255, face URL 255, ex 1024 characters.",
        zh: "在 v3.4 上，这通常是某个值超出了数据库列的长度上限：用户ID 64、昵称 255、头像 URL 255、ex 1024 个字符。",
    };
    pub const V38_INTERNAL_HINT: Text = Text {
        en: "Check the server's logs; errDlt below may say more.",
        zh: "请查看服务器日志；下方的 errDlt 可能有更多信息。",
    };
    pub const OTHER_CODE_HINT: Text = Text {
        en: "errMsg and errDlt below say more.",
        zh: "下方的 errMsg 和 errDlt 有更多信息。",
    };
}

pub fn timeout(lang: Lang, secs: u32) -> String {
    match lang {
        Lang::En => format!("The server did not answer within {secs} seconds."),
        Lang::Zh => format!("服务器在 {secs} 秒内没有响应。"),
    }
}

pub fn no_route(lang: Lang, path: &str) -> String {
    match lang {
        Lang::En => format!("The server has no {path} route."),
        Lang::Zh => format!("服务器没有 {path} 路由。"),
    }
}

pub fn http_status(lang: Lang, status: u16) -> String {
    match lang {
        Lang::En => format!("The server answered HTTP {status} instead of OpenIM's JSON."),
        Lang::Zh => format!("服务器返回了 HTTP {status}，而不是 OpenIM 的 JSON。"),
    }
}

pub fn use_admin_id_hint(lang: Lang, config: &str) -> String {
    match lang {
        Lang::En => format!("Use one of imAdminUserID in {config} (default imAdmin)."),
        Lang::Zh => format!("请使用 {config} 中 imAdminUserID 所列的 ID 之一（默认为 imAdmin）。"),
    }
}

pub fn use_secret_hint(lang: Lang, config: &str) -> String {
    match lang {
        Lang::En => format!("Use the secret from {config} (openIM123 unless changed)."),
        Lang::Zh => format!("请使用 {config} 中的 secret（未修改时为 openIM123）。"),
    }
}

pub fn sign_in_as_admin_hint(lang: Lang, config: &str) -> String {
    match lang {
        Lang::En => format!("Sign in with an admin user ID from {config}."),
        Lang::Zh => format!("请使用 {config} 中的管理员用户ID 登录。"),
    }
}

/// ` (ArgsError)` after a code OpenIM names.
fn code_name(code: ErrCode) -> String {
    code.name().map(|n| format!(" ({n})")).unwrap_or_default()
}

pub fn other_code(lang: Lang, code: ErrCode) -> String {
    let name = code_name(code);
    match lang {
        Lang::En => format!("OpenIM answered errCode {}{name}.", code.0),
        Lang::Zh => format!("OpenIM 返回了 errCode {}{name}。", code.0),
    }
}

/// An [`ApiError`] in one line, as a status line or a log shows it. The English is the error's
/// `Display`.
pub fn api_error(lang: Lang, e: &ApiError) -> String {
    match lang {
        Lang::En => e.to_string(),
        Lang::Zh => match e {
            ApiError::Network(detail) => format!("服务器无响应：{detail}"),
            ApiError::Timeout(secs) => format!("{secs} 秒内没有响应"),
            ApiError::Http { status, body } => format!("HTTP 状态 {status}：{body}"),
            ApiError::Decode(detail) => format!("响应不是 OpenIM 的格式：{detail}"),
            ApiError::OpenIm { code, msg, .. } => format!("OpenIM 错误 errCode {} {msg}", code.0),
            ApiError::NeedsSignIn => "管理员登录已失效：请重新连接".to_string(),
        },
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    let errors = [
        ApiError::Network("TypeError".into()),
        ApiError::Timeout(30),
        ApiError::Http {
            status: 502,
            body: "Bad Gateway".into(),
        },
        ApiError::Decode("EOF".into()),
        ApiError::OpenIm {
            code: ErrCode::ARGS,
            msg: "ArgsError".into(),
            dlt: String::new(),
        },
        ApiError::NeedsSignIn,
    ];
    let mut out = vec![
        timeout(lang, 30),
        no_route(lang, "/auth/get_admin_token"),
        http_status(lang, 502),
        use_admin_id_hint(lang, "config/share.yml"),
        use_secret_hint(lang, "config/config.yaml"),
        sign_in_as_admin_hint(lang, "config/share.yml"),
        other_code(lang, ErrCode(9999)),
        other_code(lang, ErrCode::ARGS),
    ];
    out.extend(errors.iter().map(|e| api_error(lang, e)));
    out
}
