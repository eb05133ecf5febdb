//! The register page.

use openim_protocol::rules::RowProblem;

use super::{list, Lang, Text};

catalogue! {
    pub const HINT_V34: Text = Text {
        en: "OpenIM v3.4: sent with the secret. User IDs must not be empty, repeated or contain ':'.",
        zh: "OpenIM v3.4：随密钥（secret）发送。用户ID 不能为空、不能重复，也不能包含 ':'。",
    };
    pub const HINT_V38: Text = Text {
        en: "OpenIM v3.8: sent with the admin token. User IDs may contain only letters, digits and _, and every user needs a nickname.",
        zh: "OpenIM v3.8：随管理员令牌发送。用户ID 只能包含字母、数字和 _，且每个用户都必须有昵称。",
    };
    pub const ADD_ROW: Text = Text { en: "Add row", zh: "添加一行" };
    pub const REGISTERING: Text = Text { en: "Registering…", zh: "正在注册…" };
    pub const REGISTER: Text = Text { en: "Register", zh: "注册" };
    pub const LEVEL_0: Text = Text { en: "0: ordinary user (default)", zh: "0：普通用户（默认）" };
    pub const LEVEL_1: Text = Text { en: "1: ordinary user", zh: "1：普通用户" };
    pub const LEVEL_2: Text = Text { en: "2: app admin", zh: "2：应用管理员" };
    pub const LEVEL_3: Text = Text { en: "3: notification account", zh: "3：通知账号" };
    pub const LEVEL_4: Text = Text { en: "4: robot", zh: "4：机器人" };
    pub const OPT_0: Text = Text { en: "0: receive (default)", zh: "0：接收（默认）" };
    pub const OPT_1: Text = Text { en: "1: do not receive", zh: "1：不接收" };
    pub const OPT_2: Text = Text { en: "2: receive without notification", zh: "2：接收但不提醒" };
    pub const NONE_NOW: Text = Text {
        en: "(none now; another client may have removed it)",
        zh: "（目前没有；可能已被其他客户端删除）",
    };
    pub const REMOVE_AND_RETRY: Text = Text {
        en: "Remove or change those rows and register again; the other rows are kept.",
        zh: "请删除或修改这些行后重新注册；其他行会保留。",
    };
}

/// What a row problem means, in words.
pub fn row_problem(lang: Lang, p: &RowProblem) -> String {
    match lang {
        Lang::En => match p {
            RowProblem::UserIdEmpty => "User ID is required".into(),
            RowProblem::UserIdColon => "User ID must not contain ':'".into(),
            RowProblem::UserIdIllegal => "User ID may contain only letters, digits and _".into(),
            RowProblem::NicknameEmpty => "Nickname is required on OpenIM v3.8".into(),
            RowProblem::DuplicateOf(i) => format!("Same user ID as row {}", i + 1),
            RowProblem::TooLong { field, max } => {
                format!("{field} is longer than {max} characters, OpenIM v3.4's limit")
            }
            RowProblem::OverConsoleLimit { field, max } => format!(
                "{field} is longer than {max} characters: this console's limit on OpenIM v3.8, which keeps a batch of 1,000 users under the server's 8 MiB request size"
            ),
            RowProblem::ControlCharacter { field } => format!(
                "{field} contains a control character (such as a NUL or an escape code): remove it"
            ),
        },
        Lang::Zh => match p {
            RowProblem::UserIdEmpty => "必须填写用户ID".into(),
            RowProblem::UserIdColon => "用户ID 不能包含 ':'".into(),
            RowProblem::UserIdIllegal => "用户ID 只能包含字母、数字和 _".into(),
            RowProblem::NicknameEmpty => "OpenIM v3.8 要求填写昵称".into(),
            RowProblem::DuplicateOf(i) => format!("与第 {} 行的用户ID 相同", i + 1),
            RowProblem::TooLong { field, max } => {
                format!("{field} 超过 {max} 个字符，超出 OpenIM v3.4 的上限")
            }
            RowProblem::OverConsoleLimit { field, max } => format!(
                "{field} 超过 {max} 个字符：这是本控制台在 OpenIM v3.8 上的上限，用于让每批 1,000 个用户的请求不超过服务器的 8 MiB 限制"
            ),
            RowProblem::ControlCharacter { field } => {
                format!("{field} 包含控制字符（例如 NUL 或转义码），请删除")
            }
        },
    }
}

pub fn row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Row {n}"),
        Lang::Zh => format!("第 {n} 行"),
    }
}

pub fn user_id_of_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("User ID (row {n})"),
        Lang::Zh => format!("用户ID（第 {n} 行）"),
    }
}

pub fn nickname_of_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Nickname (row {n})"),
        Lang::Zh => format!("昵称（第 {n} 行）"),
    }
}

pub fn face_url_of_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Face URL (row {n})"),
        Lang::Zh => format!("头像 URL（第 {n} 行）"),
    }
}

pub fn more_fields_of_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("More fields (row {n})"),
        Lang::Zh => format!("更多字段（第 {n} 行）"),
    }
}

pub fn ex_of_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("ex (row {n})"),
        Lang::Zh => format!("ex（第 {n} 行）"),
    }
}

pub fn level_of_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Manager level (row {n})"),
        Lang::Zh => format!("管理级别（第 {n} 行）"),
    }
}

pub fn message_option_of_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Message option (row {n})"),
        Lang::Zh => format!("消息接收选项（第 {n} 行）"),
    }
}

pub fn remove_row(lang: Lang, n: usize) -> String {
    match lang {
        Lang::En => format!("Remove row {n}"),
        Lang::Zh => format!("删除第 {n} 行"),
    }
}

pub fn registered(lang: Lang, ids: &[String]) -> String {
    let n = ids.len();
    match lang {
        Lang::En => format!(
            "Registered {n} user{}: {}.",
            if n == 1 { "" } else { "s" },
            ids.join(", ")
        ),
        Lang::Zh => format!("已注册 {n} 个用户：{}。", list(lang, ids)),
    }
}

/// errCode 1102: `existing` are registered, so none of the `batch` users were created.
pub fn already_registered(lang: Lang, existing: &[String], batch: usize) -> String {
    let existing = if existing.is_empty() {
        NONE_NOW.get(lang).to_string()
    } else {
        list(lang, existing)
    };
    match lang {
        Lang::En => format!(
            "Already registered: {existing}. OpenIM created none of the {batch} user{} in this batch (errCode 1102).",
            if batch == 1 { "" } else { "s" }
        ),
        Lang::Zh => format!(
            "已注册：{existing}。本批次共 {batch} 个用户，OpenIM 一个也没有创建（errCode 1102）。"
        ),
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    let problems = [
        RowProblem::UserIdEmpty,
        RowProblem::UserIdColon,
        RowProblem::UserIdIllegal,
        RowProblem::NicknameEmpty,
        RowProblem::DuplicateOf(0),
        RowProblem::TooLong {
            field: "userID",
            max: 64,
        },
        RowProblem::OverConsoleLimit {
            field: "nickname",
            max: 255,
        },
        RowProblem::ControlCharacter { field: "faceURL" },
    ];
    let ids = ["alice".to_string(), "bob".to_string()];
    let mut out: Vec<String> = problems.iter().map(|p| row_problem(lang, p)).collect();
    out.extend([
        row(lang, 1),
        user_id_of_row(lang, 1),
        nickname_of_row(lang, 1),
        face_url_of_row(lang, 1),
        more_fields_of_row(lang, 1),
        ex_of_row(lang, 1),
        level_of_row(lang, 1),
        message_option_of_row(lang, 1),
        remove_row(lang, 2),
        registered(lang, &ids[..1]),
        registered(lang, &ids),
        already_registered(lang, &ids[..1], 2),
        already_registered(lang, &[], 1),
    ]);
    out
}
