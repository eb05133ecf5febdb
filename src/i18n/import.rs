//! The bulk import page, and why a row was not imported (shown on the page and in the detail
//! column of the outcome CSV).

use super::{Lang, Text};
use crate::api::ApiError;
use crate::bulk::csv::RowError;
use crate::bulk::import::{Counts, FailReason, InvalidReason};
use crate::format::grouped;

catalogue! {
    pub const HINT: Text = Text {
        en: "Rows of userID, nickname, faceURL and ex, comma or tab separated; a header row is recognised. Every row is checked against OpenIM's rules first; the valid ones are registered in batches of at most 1,000, and IDs that already exist are found and reported as such.",
        zh: "每行依次为 userID、nickname、faceURL 和 ex，以逗号或制表符分隔；可识别表头行。每一行都会先按 OpenIM 的规则检查；有效的用户按每批最多 1,000 个注册，已存在的 ID 会被找出并如实报告。",
    };
    pub const FILE_NOT_SHOWN: Text = Text {
        en: "It is too long to show in the field below and is imported as read; rows typed or pasted there are imported instead.",
        zh: "文件过长，不在下方输入框中显示，将按读取的内容导入；如在输入框中输入或粘贴数据行，则改为导入这些行。",
    };
    pub const CSV_FILE: Text = Text { en: "CSV file", zh: "CSV 文件" };
    pub const ROWS_LABEL: Text = Text {
        en: "Rows (CSV: userID, nickname, faceURL, ex)",
        zh: "数据行（CSV：userID, nickname, faceURL, ex）",
    };
    pub const IMPORT: Text = Text { en: "Import", zh: "导入" };
    pub const CLEAR: Text = Text { en: "Clear", zh: "清空" };
    pub const PROGRESS: Text = Text { en: "Import progress", zh: "导入进度" };
    pub const RESUME: Text = Text { en: "Resume", zh: "继续" };
    pub const CANCEL: Text = Text { en: "Cancel", zh: "取消" };
    pub const DOWNLOAD_OUTCOME: Text = Text { en: "Download outcome CSV", zh: "下载结果 CSV" };
    pub const RETRY_FAILED: Text = Text { en: "Retry failed", zh: "重试失败的行" };
    pub const OUTCOME_TABLE: Text = Text { en: "Import outcome", zh: "导入结果" };
    pub const OUTCOME: Text = Text { en: "Outcome", zh: "结果" };
    pub const ROWS: Text = Text { en: "Rows", zh: "行数" };
    pub const CREATED: Text = Text { en: "Created", zh: "已创建" };
    pub const ALREADY_EXISTED: Text = Text { en: "Already existed", zh: "已存在" };
    pub const INVALID: Text = Text { en: "Invalid", zh: "无效" };
    pub const FAILED: Text = Text { en: "Failed", zh: "失败" };
    pub const PENDING: Text = Text { en: "Pending", zh: "待处理" };
    pub const TOTAL: Text = Text { en: "Total", zh: "合计" };
    pub const INVALID_ROWS: Text = Text { en: "Invalid rows", zh: "无效行" };
    pub const FAILED_ROWS: Text = Text { en: "Failed rows", zh: "失败行" };
    pub const LINE: Text = Text { en: "Line", zh: "行号" };
    pub const REASON: Text = Text { en: "Reason", zh: "原因" };
    pub const ERROR: Text = Text { en: "Error", zh: "错误" };

    pub const PAUSE_UNREACHABLE: Text = Text {
        en: "the server cannot be reached",
        zh: "无法连接服务器",
    };
    pub const PAUSE_NOT_OPENIM: Text = Text {
        en: "the server's answer was not OpenIM's",
        zh: "服务器的响应不是 OpenIM 的响应",
    };
    pub const PAUSE_SIGN_IN_ENDED: Text = Text {
        en: "the admin sign-in has ended: connect again, then resume",
        zh: "管理员登录已失效：请重新连接后继续",
    };
    pub const PAUSE_TOKEN: Text = Text {
        en: "the admin token stopped working",
        zh: "管理员令牌已失效",
    };
    pub const ENDLESS_CONFLICT: Text = Text {
        en: "OpenIM answered that this ID is registered, but account_check reports it unregistered (on v3.4: a stored ID differs only in letter case)",
        zh: "OpenIM 回复此 ID 已注册，但 account_check 报告该 ID 未注册（在 v3.4 上：已存在仅大小写不同的 ID）",
    };
}

/// Why a row is not sent.
pub fn invalid_reason(lang: Lang, r: &InvalidReason) -> String {
    use InvalidReason as R;
    match lang {
        Lang::En => match r {
            R::Unreadable(RowError::TooManyFields { got, width }) => format!(
                "{got} fields where at most {width} are expected (userID, nickname, faceURL, ex): quote fields that contain commas"
            ),
            R::Unreadable(RowError::UnclosedQuote { line }) => {
                format!("the quote opened on line {line} is never closed")
            }
            R::UserIdEmpty => "user ID is empty".into(),
            R::UserIdColon => "user ID contains ':'".into(),
            R::UserIdIllegal => "user ID may contain only letters, digits and _ on OpenIM v3.8".into(),
            R::NicknameEmpty => "nickname is required on OpenIM v3.8".into(),
            R::DuplicateOf { line } => format!("same user ID as line {line}"),
            R::TooLong { field, max } => {
                format!("{field} is longer than {max} characters (OpenIM v3.4)")
            }
            R::OverConsoleLimit { field, max } => format!(
                "{field} is longer than {max} characters (this console's limit on OpenIM v3.8, which keeps a batch under the server's 8 MiB request size)"
            ),
            R::ControlCharacter { field } => {
                format!("{field} contains a control character (such as a NUL or an escape code)")
            }
            R::CaseDuplicateOf { line } => format!(
                "same user ID as line {line} apart from case, which OpenIM v3.4 ignores"
            ),
        },
        Lang::Zh => match r {
            R::Unreadable(RowError::TooManyFields { got, width }) => format!(
                "有 {got} 个字段，最多应为 {width} 个（userID, nickname, faceURL, ex）：含逗号的字段请加引号"
            ),
            R::Unreadable(RowError::UnclosedQuote { line }) => {
                format!("第 {line} 行开始的引号没有闭合")
            }
            R::UserIdEmpty => "用户ID 为空".into(),
            R::UserIdColon => "用户ID 包含 ':'".into(),
            R::UserIdIllegal => "在 OpenIM v3.8 上，用户ID 只能包含字母、数字和 _".into(),
            R::NicknameEmpty => "OpenIM v3.8 要求填写昵称".into(),
            R::DuplicateOf { line } => format!("与第 {line} 行的用户ID 相同"),
            R::TooLong { field, max } => format!("{field} 超过 {max} 个字符（OpenIM v3.4）"),
            R::OverConsoleLimit { field, max } => format!(
                "{field} 超过 {max} 个字符（本控制台在 OpenIM v3.8 上的上限，使每批请求不超过服务器的 8 MiB 限制）"
            ),
            R::ControlCharacter { field } => {
                format!("{field} 包含控制字符（例如 NUL 或转义码）")
            }
            R::CaseDuplicateOf { line } => {
                format!("与第 {line} 行的用户ID 仅大小写不同，而 OpenIM v3.4 不区分大小写")
            }
        },
    }
}

/// Why a row failed: `errCode 1001: ArgsError: ...`.
pub fn fail_reason(lang: Lang, r: &FailReason) -> String {
    let code = r.code();
    let message = match r {
        FailReason::OpenIm { message, .. } => message.as_str(),
        FailReason::EndlessConflict => ENDLESS_CONFLICT.get(lang),
    };
    match lang {
        Lang::En => format!("errCode {code}: {message}"),
        Lang::Zh => format!("errCode {code}：{message}"),
    }
}

/// Why the import paused instead of failing rows.
pub fn pause_reason(lang: Lang, e: &ApiError) -> String {
    match e {
        ApiError::Network(_) => PAUSE_UNREACHABLE.get(lang).into(),
        ApiError::Timeout(s) => match lang {
            Lang::En => format!("the server did not answer within {s} seconds"),
            Lang::Zh => format!("服务器在 {s} 秒内没有响应"),
        },
        ApiError::Http { status, .. } => match lang {
            Lang::En => format!("the server answered HTTP {status}"),
            Lang::Zh => format!("服务器返回了 HTTP {status}"),
        },
        ApiError::Decode(_) => PAUSE_NOT_OPENIM.get(lang).into(),
        ApiError::NeedsSignIn => PAUSE_SIGN_IN_ENDED.get(lang).into(),
        ApiError::OpenIm { code, .. } if code.is_token_error() => PAUSE_TOKEN.get(lang).into(),
        ApiError::OpenIm { .. } => super::errors::api_error(lang, e),
    }
}

pub fn paused(lang: Lang, why: &str) -> String {
    match lang {
        Lang::En => format!(
            "Paused: {why}. Nothing is lost: rows whose answer did not arrive are checked before anything is sent again."
        ),
        Lang::Zh => format!(
            "已暂停：{why}。没有数据丢失：未收到响应的行会在重新发送前先检查。"
        ),
    }
}

pub fn file_read(lang: Lang, name: &str, bytes: usize) -> String {
    let bytes = grouped(bytes as i64);
    match lang {
        Lang::En => format!("Read {name} ({bytes} bytes)."),
        Lang::Zh => format!("已读取 {name}（{bytes} 字节）。"),
    }
}

/// A chosen file over the most one import reads.
pub fn file_too_big(lang: Lang, name: &str, bytes: usize, max: usize) -> String {
    let (bytes, max) = (grouped(bytes as i64), grouped(max as i64));
    match lang {
        Lang::En => format!(
            "{name} is {bytes} bytes: one import reads at most {max} bytes (64 MiB). Split the file and import the parts one after another; nothing was read."
        ),
        Lang::Zh => format!(
            "{name} 有 {bytes} 字节：一次导入最多读取 {max} 字节（64 MiB）。请把文件拆分后依次导入；本次未读取任何内容。"
        ),
    }
}

/// Under the rows field when it holds more than one import reads.
pub fn rows_too_long(lang: Lang, bytes: usize, max: usize) -> String {
    let (bytes, max) = (grouped(bytes as i64), grouped(max as i64));
    match lang {
        Lang::En => format!(
            "The rows field holds {bytes} bytes: one import reads at most {max} bytes (64 MiB). Import part of the rows, then the rest."
        ),
        Lang::Zh => format!(
            "输入框中有 {bytes} 字节：一次导入最多读取 {max} 字节（64 MiB）。请先导入一部分行，再导入其余的行。"
        ),
    }
}

pub fn file_unreadable(lang: Lang, name: &str) -> String {
    match lang {
        Lang::En => format!("{name} could not be read as text."),
        Lang::Zh => format!("无法将 {name} 作为文本读取。"),
    }
}

/// `1,000 of 2,500 rows done`, then while running `, 40 rows/s, about 1 minute left`.
pub fn rows_done(lang: Lang, done: usize, total: usize) -> String {
    let (done, total) = (grouped(done as i64), grouped(total as i64));
    match lang {
        Lang::En => format!("{done} of {total} rows done"),
        Lang::Zh => format!("已完成 {done} / {total} 行"),
    }
}

pub fn rate(lang: Lang, rows_per_sec: f64, left: Option<&str>) -> String {
    let rate = grouped(rows_per_sec.round() as i64);
    match lang {
        Lang::En => format!(
            ", {rate} rows/s{}",
            left.map(|l| format!(", about {l} left"))
                .unwrap_or_default()
        ),
        Lang::Zh => format!(
            "，每秒 {rate} 行{}",
            left.map(|l| format!("，预计还需 {l}")).unwrap_or_default()
        ),
    }
}

pub fn counts_line(lang: Lang, c: &Counts) -> String {
    let g = |n: usize| grouped(n as i64);
    let sum = g(c.created + c.existed + c.invalid + c.failed + c.pending);
    match lang {
        Lang::En => format!(
            "{} created, {} already existed, {} invalid, {} failed, {} pending: {sum} of {} input rows.",
            g(c.created),
            g(c.existed),
            g(c.invalid),
            g(c.failed),
            g(c.pending),
            g(c.total)
        ),
        Lang::Zh => format!(
            "已创建 {}，已存在 {}，无效 {}，失败 {}，待处理 {}：合计 {sum} 行，输入共 {} 行。",
            g(c.created),
            g(c.existed),
            g(c.invalid),
            g(c.failed),
            g(c.pending),
            g(c.total)
        ),
    }
}

pub fn done(lang: Lang, total: usize) -> String {
    let total = grouped(total as i64);
    match lang {
        Lang::En => format!("Done. The counts add up to the {total} input rows."),
        Lang::Zh => format!("完成。各项计数合计正好是输入的 {total} 行。"),
    }
}

pub fn cancelled(lang: Lang, active: usize) -> String {
    match (lang, active) {
        (Lang::En, 0) => "Cancelled.".into(),
        (Lang::En, n) => format!("Cancelled; waiting for {n} request(s) already sent."),
        (Lang::Zh, 0) => "已取消。".into(),
        (Lang::Zh, n) => format!("已取消；正在等待已发出的 {n} 个请求。"),
    }
}

/// `Invalid rows (200 of 350 shown; all are in the outcome CSV)`.
pub fn invalid_heading(lang: Lang, shown: usize, total: usize) -> String {
    let (s, t) = (grouped(shown as i64), grouped(total as i64));
    match (lang, total > shown) {
        (Lang::En, false) => format!("Invalid rows ({s})"),
        (Lang::En, true) => {
            format!("Invalid rows ({s} of {t} shown; all are in the outcome CSV)")
        }
        (Lang::Zh, false) => format!("无效行（{s}）"),
        (Lang::Zh, true) => format!("无效行（显示 {s} 行，共 {t} 行；全部见结果 CSV）"),
    }
}

pub fn failed_heading(lang: Lang, total: usize) -> String {
    let t = grouped(total as i64);
    match lang {
        Lang::En => format!("Failed rows ({t})"),
        Lang::Zh => format!("失败行（{t}）"),
    }
}

#[cfg(test)]
pub fn samples(lang: Lang) -> Vec<String> {
    use InvalidReason as R;
    let reasons = [
        R::Unreadable(RowError::TooManyFields { got: 5, width: 4 }),
        R::Unreadable(RowError::UnclosedQuote { line: 2 }),
        R::UserIdEmpty,
        R::UserIdColon,
        R::UserIdIllegal,
        R::NicknameEmpty,
        R::DuplicateOf { line: 1 },
        R::TooLong {
            field: "nickname",
            max: 255,
        },
        R::CaseDuplicateOf { line: 5 },
        R::OverConsoleLimit {
            field: "ex",
            max: 1024,
        },
        R::ControlCharacter { field: "nickname" },
    ];
    let pauses = [
        ApiError::Network("x".into()),
        ApiError::Timeout(30),
        ApiError::Http {
            status: 502,
            body: String::new(),
        },
        ApiError::Decode("x".into()),
        ApiError::NeedsSignIn,
        ApiError::OpenIm {
            code: openim_protocol::ErrCode::TOKEN_KICKED,
            msg: String::new(),
            dlt: String::new(),
        },
        ApiError::OpenIm {
            code: openim_protocol::ErrCode::ARGS,
            msg: "ArgsError".into(),
            dlt: String::new(),
        },
    ];
    let counts = Counts {
        total: 10,
        created: 4,
        existed: 3,
        invalid: 2,
        failed: 1,
        pending: 0,
    };
    let mut out: Vec<String> = reasons.iter().map(|r| invalid_reason(lang, r)).collect();
    out.extend(pauses.iter().map(|e| pause_reason(lang, e)));
    out.extend([
        fail_reason(lang, &FailReason::EndlessConflict),
        paused(lang, "x"),
        file_read(lang, "users.csv", 12_345),
        file_unreadable(lang, "users.csv"),
        file_too_big(lang, "users.csv", 70_000_000, 67_108_864),
        rows_too_long(lang, 70_000_000, 67_108_864),
        rows_done(lang, 1_000, 2_500),
        rate(lang, 40.0, None),
        rate(lang, 40.0, Some("1 minute")),
        counts_line(lang, &counts),
        done(lang, 10),
        cancelled(lang, 0),
        cancelled(lang, 2),
        invalid_heading(lang, 3, 3),
        invalid_heading(lang, 200, 350),
        failed_heading(lang, 1),
    ]);
    out
}
