//! The connection page and what it says when connecting fails.

use openim_protocol::{ApiVersion, ErrCode};

use super::{Lang, Text};
use crate::pages::connect::FieldProblem;

catalogue! {
    pub const API_BASE: Text = Text { en: "API base URL", zh: "API 基础地址" };
    pub const API_BASE_PLACEHOLDER: Text = Text {
        en: "/api or http://host:10002",
        zh: "/api 或 http://host:10002",
    };
    pub const API_GENERATION: Text = Text { en: "API generation", zh: "API 版本" };
    pub const DETECT: Text = Text { en: "Detect automatically", zh: "自动检测" };
    pub const OPTION_V34: Text = Text {
        en: "v3.4 (secret in the body, /auth/user_token)",
        zh: "v3.4（secret 放在请求体中，/auth/user_token）",
    };
    pub const OPTION_V38: Text = Text {
        en: "v3.8 (/auth/get_admin_token)",
        zh: "v3.8（/auth/get_admin_token）",
    };
    pub const ADMIN_ID: Text = Text { en: "Admin user ID", zh: "管理员用户ID" };
    pub const ADMIN_ID_PLACEHOLDER: Text = Text {
        en: "openIM123456 (v3.4) or imAdmin (v3.8)",
        zh: "openIM123456（v3.4）或 imAdmin（v3.8）",
    };
    pub const SECRET: Text = Text { en: "Secret", zh: "密钥（secret）" };
    /// After the checkbox, hence the leading space.
    pub const REMEMBER: Text = Text {
        en: " Remember the secret on this device",
        zh: " 在此设备上记住密钥",
    };
    pub const REMEMBERED_HINT: Text = Text {
        en: "The secret will be kept in this browser's localStorage for this site until you untick this box.",
        zh: "密钥将保存在本浏览器中此站点的 localStorage 里，直到你取消勾选此项。",
    };
    pub const FORGOTTEN_HINT: Text = Text {
        en: "The secret is kept in this tab's memory only and is forgotten on reload or sign-out.",
        zh: "密钥只保存在此标签页的内存中，刷新页面或退出登录后即被清除。",
    };
    pub const CONNECTING: Text = Text { en: "Connecting…", zh: "正在连接…" };
    pub const CONNECT: Text = Text { en: "Connect", zh: "连接" };
    pub const ENTER_BASE: Text = Text {
        en: "Enter the API base: /api behind this console's nginx, or http://host:10002.",
        zh: "请填写 API 基础地址：通过本控制台的 nginx 访问时为 /api，否则为 http://host:10002。",
    };
    pub const ENTER_SECRET: Text = Text {
        en: "Enter the secret: `secret` in the server's config (openIM123 by default).",
        zh: "请填写密钥：即服务器配置中的 `secret`（默认为 openIM123）。",
    };
    pub const SIGN_IN_WITH: Text = Text { en: "Sign in with", zh: "登录方式" };
    /// After the radio button, hence the leading space.
    pub const MODE_SECRET: Text = Text { en: " Secret and admin user ID", zh: " 密钥和管理员用户ID" };
    pub const MODE_CHAT: Text = Text {
        en: " Chat admin account (no secret in the browser)",
        zh: " Chat 管理员账号（浏览器中不出现密钥）",
    };
    pub const CHAT_BASE: Text = Text { en: "Chat admin API base URL", zh: "Chat 管理后台 API 基础地址" };
    pub const CHAT_BASE_PLACEHOLDER: Text = Text {
        en: "/complete_admin or http://host:10009",
        zh: "/complete_admin 或 http://host:10009",
    };
    pub const CHAT_ACCOUNT_PLACEHOLDER: Text = Text {
        en: "admin1 (chat v1.4) or chatAdmin (chat v1.8)",
        zh: "admin1（chat v1.4）或 chatAdmin（chat v1.8）",
    };
    pub const CHAT_ACCOUNT: Text = Text { en: "Chat admin account", zh: "Chat 管理员账号" };
    pub const CHAT_PASSWORD: Text = Text { en: "Password", zh: "密码" };
    pub const CHAT_HINT: Text = Text {
        en: "The chat server (port 10009) checks the password and answers with an OpenIM admin token; the password is sent once as its md5 and not kept. When the token stops working you are asked to sign in again.",
        zh: "由 chat 服务器（端口 10009）校验密码，并返回 OpenIM 管理员令牌；密码只以 md5 形式发送一次，不会保存。令牌失效时会请你重新登录。",
    };
    pub const CHAT_ENTER_BOTH: Text = Text {
        en: "Enter the chat admin account and its password.",
        zh: "请填写 chat 管理员账号和密码。",
    };
    pub const ENTER_SECRET_AND_CONNECT: Text = Text {
        en: "Enter the secret and connect.",
        zh: "请填写密钥后再连接。",
    };
}

pub fn connected(lang: Lang, base: &str, admin_id: &str, version: ApiVersion) -> String {
    match lang {
        Lang::En => format!("Connected to {base} as {admin_id} (OpenIM {version})."),
        Lang::Zh => format!("已以 {admin_id} 身份连接到 {base}（OpenIM {version}）。"),
    }
}

pub fn unrecognised(lang: Lang, base: &str, answer: &str) -> String {
    match lang {
        Lang::En => format!(
            "The server at {base} answered, but not as OpenIM v3.4 or v3.8 does ({answer}). Check that the address points at OpenIM's API, or choose the generation by hand."
        ),
        Lang::Zh => format!(
            "{base} 上的服务器有响应，但与 OpenIM v3.4 或 v3.8 的响应都不同（{answer}）。请确认地址指向 OpenIM 的 API，或手动选择 API 版本。"
        ),
    }
}

pub fn not_admin(lang: Lang, admin_id: &str, config: &str) -> String {
    match lang {
        Lang::En => format!(
            "{admin_id} got a token but is not an admin: use one of manager.userID in {config} (default openIM123456)."
        ),
        Lang::Zh => format!(
            "{admin_id} 获取到了令牌，但不是管理员：请使用 {config} 中 manager.userID 所列的 ID 之一（默认为 openIM123456）。"
        ),
    }
}

pub fn timeout(lang: Lang, base: &str, secs: u32) -> String {
    match lang {
        Lang::En => format!(
            "The server at {base} did not answer within {secs} seconds. Check that OpenIM's API is running and not overloaded."
        ),
        Lang::Zh => format!(
            "{base} 上的服务器在 {secs} 秒内没有响应。请确认 OpenIM 的 API 服务正在运行且没有过载。"
        ),
    }
}

pub fn unreachable(lang: Lang, base: &str) -> String {
    match lang {
        Lang::En => format!(
            "Cannot reach the server at {base}. Check the address, and that OpenIM's API (port 10002 by default) is running and reachable from this browser."
        ),
        Lang::Zh => format!(
            "无法连接到 {base} 上的服务器。请检查地址，并确认 OpenIM 的 API 服务（默认端口 10002）正在运行且本浏览器可以访问。"
        ),
    }
}

pub fn http_status(lang: Lang, base: &str, status: u16) -> String {
    match lang {
        Lang::En => format!(
            "The server at {base} answered HTTP {status} instead of OpenIM's JSON. Check that the address points at OpenIM's API (port 10002), and the API generation."
        ),
        Lang::Zh => format!(
            "{base} 上的服务器返回了 HTTP {status}，而不是 OpenIM 的 JSON。请确认地址指向 OpenIM 的 API（端口 10002），并检查 API 版本。"
        ),
    }
}

pub fn proxy_down(lang: Lang, base: &str, status: u16) -> String {
    match lang {
        Lang::En => format!(
            "The proxy at {base} could not get an answer from OpenIM (HTTP {status}): OpenIM's API is down or too slow. Start it, or check the proxy's upstream, then connect again."
        ),
        Lang::Zh => format!(
            "{base} 处的代理没能从 OpenIM 得到响应（HTTP {status}）：OpenIM 的 API 服务未运行或响应过慢。请启动它或检查代理的上游地址，然后重新连接。"
        ),
    }
}

pub fn not_openim(lang: Lang, base: &str) -> String {
    match lang {
        Lang::En => {
            format!("The server at {base} answered, but not as OpenIM does. Check the address.")
        }
        Lang::Zh => format!("{base} 上的服务器有响应，但不是 OpenIM 的响应。请检查地址。"),
    }
}

pub fn wrong_secret(lang: Lang, config: &str) -> String {
    match lang {
        Lang::En => format!("Wrong secret: it does not match `secret` in the server's {config}."),
        Lang::Zh => format!("密钥错误：与服务器 {config} 中的 `secret` 不一致。"),
    }
}

pub fn not_admin_id(lang: Lang, admin_id: &str, config: &str) -> String {
    match lang {
        Lang::En => format!(
            "{admin_id} is not an admin user ID on this server: use one of imAdminUserID in {config} (default imAdmin)."
        ),
        Lang::Zh => format!(
            "{admin_id} 不是此服务器上的管理员用户ID：请使用 {config} 中 imAdminUserID 所列的 ID 之一（默认为 imAdmin）。"
        ),
    }
}

pub fn admin_missing(lang: Lang, admin_id: &str) -> String {
    match lang {
        Lang::En => format!(
            "The admin account {admin_id} is missing from the server's user store; OpenIM creates it when its user service starts."
        ),
        Lang::Zh => format!(
            "服务器的用户存储中没有管理员账号 {admin_id}；OpenIM 会在其用户服务启动时创建该账号。"
        ),
    }
}

pub fn not_registered(lang: Lang, admin_id: &str, config: &str) -> String {
    match lang {
        Lang::En => format!(
            "{admin_id} is not a registered user on this server: use one of manager.userID in {config} (default openIM123456)."
        ),
        Lang::Zh => format!(
            "{admin_id} 不是此服务器上的已注册用户：请使用 {config} 中 manager.userID 所列的 ID 之一（默认为 openIM123456）。"
        ),
    }
}

pub fn refused(lang: Lang, code: ErrCode) -> String {
    let name = code.name().map(|n| format!(" ({n})")).unwrap_or_default();
    match lang {
        Lang::En => format!("OpenIM refused the sign-in with errCode {}{name}.", code.0),
        Lang::Zh => format!("OpenIM 拒绝了登录，errCode {}{name}。", code.0),
    }
}

pub fn chat_wrong_password(lang: Lang, account: &str) -> String {
    match lang {
        Lang::En => format!("Wrong password for the chat admin account {account}."),
        Lang::Zh => format!("chat 管理员账号 {account} 的密码错误。"),
    }
}

pub fn chat_no_account(lang: Lang, account: &str) -> String {
    match lang {
        Lang::En => format!("The chat server has no admin account {account}."),
        Lang::Zh => format!("chat 服务器上没有管理员账号 {account}。"),
    }
}

pub fn chat_unreachable(lang: Lang, base: &str) -> String {
    match lang {
        Lang::En => format!(
            "Cannot reach the chat admin API at {base}. Check the address: /complete_admin behind this console's nginx, or the chat server's port 10009."
        ),
        Lang::Zh => format!(
            "无法连接到 {base} 上的 chat 管理后台 API。请检查地址：通过本控制台的 nginx 访问时为 /complete_admin，否则为 chat 服务器的 10009 端口。"
        ),
    }
}

pub fn chat_http_status(lang: Lang, base: &str, status: u16) -> String {
    match lang {
        Lang::En => format!(
            "The chat admin API at {base} answered HTTP {status}. Check that the address points at the chat server's admin API (port 10009)."
        ),
        Lang::Zh => format!(
            "{base} 上的 chat 管理后台 API 返回了 HTTP {status}。请确认地址指向 chat 服务器的管理后台 API（端口 10009）。"
        ),
    }
}

pub fn chat_not_chat(lang: Lang, base: &str) -> String {
    match lang {
        Lang::En => format!(
            "The server at {base} answered, but not as the chat admin API does. Check the address."
        ),
        Lang::Zh => {
            format!("{base} 上的服务器有响应，但不是 chat 管理后台 API 的响应。请检查地址。")
        }
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    let config = "config/config.yaml";
    vec![
        connected(lang, "/api", "imAdmin", ApiVersion::V3_8),
        unrecognised(lang, "/api", "HTTP 200: <html>"),
        not_admin(lang, "bob", config),
        timeout(lang, "/api", 30),
        unreachable(lang, "/api"),
        http_status(lang, "/api", 502),
        not_openim(lang, "/api"),
        proxy_down(lang, "/api", 502),
        wrong_secret(lang, config),
        not_admin_id(lang, "bob", config),
        admin_missing(lang, "imAdmin"),
        not_registered(lang, "bob", config),
        refused(lang, ErrCode(4242)),
        chat_wrong_password(lang, "chatAdmin"),
        chat_no_account(lang, "nobody"),
        chat_unreachable(lang, "/complete_admin"),
        chat_http_status(lang, "/complete_admin", 404),
        chat_not_chat(lang, "/complete_admin"),
        field_problem(lang, FieldProblem::TooLong { max: 64, got: 70 }),
        field_problem(lang, FieldProblem::ControlCharacter),
        field_problem(lang, FieldProblem::Space),
        field_problem(lang, FieldProblem::NotAnAddress),
        field_problem(lang, FieldProblem::QueryOrFragment),
        field_problem(lang, FieldProblem::Credentials),
    ]
}

/// What is wrong with what was typed into a field of the form, and how to fix it.
pub fn field_problem(lang: Lang, p: FieldProblem) -> String {
    use FieldProblem as P;
    match lang {
        Lang::En => match p {
            P::TooLong { max, got } => {
                format!("At most {max} characters; this has {got}. Nothing is cut off: shorten it here.")
            }
            P::ControlCharacter => "Contains a line break or another control character: the paste took more than the value. Remove it.".into(),
            P::Space => "Contains a space: remove it.".into(),
            P::NotAnAddress => "Start with http:// or https:// and a host (another server), or with / (a path on this site, such as /api).".into(),
            P::QueryOrFragment => "Leave out ? and #: each call's path is added to the end of this address.".into(),
            P::Credentials => "Leave the user name and password out of the address: credentials never go in URLs.".into(),
        },
        Lang::Zh => match p {
            P::TooLong { max, got } => {
                format!("最多 {max} 个字符，当前 {got} 个。不会自动截断：请在此处改短。")
            }
            P::ControlCharacter => "包含换行符或其他控制字符：粘贴时多带了内容，请删除。".into(),
            P::Space => "包含空格：请删除。".into(),
            P::NotAnAddress => "请以 http:// 或 https:// 加主机名开头（其他服务器），或以 / 开头（本站路径，如 /api）。".into(),
            P::QueryOrFragment => "请去掉 ? 和 #：每个调用的路径会追加在此地址之后。".into(),
            P::Credentials => "请不要在地址中包含用户名和密码：凭据绝不放进 URL。".into(),
        },
    }
}
