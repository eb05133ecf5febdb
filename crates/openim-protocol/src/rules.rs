//! The registration rules of `/user/user_register`, in OpenIM's own order (§3.2, §4.3). The
//! emulator enforces them and the dashboard checks them as the operator types, from this one place.

use std::borrow::Borrow;

use foldhash::{HashMap, HashMapExt};

use crate::user::UserInfo;
use crate::ApiVersion;

/// The first rule a batch breaks, as OpenIM reports it. Indexes are 0-based positions in `users`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RegisterRule {
    /// `users` missing, null or `[]`.
    UsersEmpty,
    /// v3.8: a userID with a rune that is not a Unicode letter, digit or `_`.
    UserIdIllegal {
        index: usize,
    },
    /// v3.8: an empty nickname.
    NicknameEmpty {
        index: usize,
    },
    /// The same userID twice (two empty IDs count too). `first` is the earlier row.
    Duplicate {
        index: usize,
        first: usize,
    },
    UserIdEmpty {
        index: usize,
    },
    /// A `:` in the userID (only reachable in v3.4; v3.8's charset rule fires first).
    UserIdColon {
        index: usize,
    },
}

impl RegisterRule {
    /// OpenIM's message text for the rule, without any version-specific decoration.
    pub fn openim_message(&self, version: ApiVersion) -> &'static str {
        match (self, version) {
            (RegisterRule::UsersEmpty, ApiVersion::V3_4) => "Users is empty",
            (RegisterRule::UsersEmpty, ApiVersion::V3_8) => "users are empty",
            (RegisterRule::UserIdIllegal { .. }, _) => "userID is legal",
            (RegisterRule::NicknameEmpty { .. }, _) => "user name is empty",
            (RegisterRule::Duplicate { .. }, _) => "userID repeated",
            (RegisterRule::UserIdEmpty { .. }, _) => "userID is empty",
            (RegisterRule::UserIdColon { .. }, _) => "userID contains ':' is invalid userID",
        }
    }

    /// The row the rule is about, if any.
    pub fn index(&self) -> Option<usize> {
        match *self {
            RegisterRule::UsersEmpty => None,
            RegisterRule::UserIdIllegal { index }
            | RegisterRule::NicknameEmpty { index }
            | RegisterRule::Duplicate { index, .. }
            | RegisterRule::UserIdEmpty { index }
            | RegisterRule::UserIdColon { index } => Some(index),
        }
    }
}

/// v3.8's `datautil.IsLegalUserID`: only Unicode letters (category L), decimal digits (Nd) and
/// `_`; the empty string passes (§4.3 rule 2).
pub fn is_legal_user_id_v38(id: &str) -> bool {
    if id.is_ascii() {
        return id.bytes().all(|b| b == b'_' || b.is_ascii_alphanumeric());
    }
    letters_digits_and_underscores(id)
}

#[cfg(not(target_arch = "wasm32"))]
fn letters_digits_and_underscores(id: &str) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory};
    id.chars().all(|c| {
        c == '_'
            || matches!(
                get_general_category(c),
                GeneralCategory::UppercaseLetter
                    | GeneralCategory::LowercaseLetter
                    | GeneralCategory::TitlecaseLetter
                    | GeneralCategory::ModifierLetter
                    | GeneralCategory::OtherLetter
                    | GeneralCategory::DecimalNumber
            )
    })
}

/// The same categories as the native table, from the browser's Unicode data.
#[cfg(target_arch = "wasm32")]
fn letters_digits_and_underscores(id: &str) -> bool {
    thread_local! {
        static RULE: js_sys::RegExp = js_sys::RegExp::new(r"^[\p{L}\p{Nd}_]*$", "u");
    }
    RULE.with(|rule| rule.test(id))
}

/// The checks OpenIM's API process runs before the request reaches the user service: in v3.8
/// the charset rule over all rows, then the nickname rule over all rows (§4.3 rules 2-3). v3.4
/// has none beyond "users not empty".
pub fn check_register_api(version: ApiVersion, users: &[UserInfo]) -> Result<(), RegisterRule> {
    if version == ApiVersion::V3_8 {
        if let Some(index) = users.iter().position(|u| !is_legal_user_id_v38(&u.user_id)) {
            return Err(RegisterRule::UserIdIllegal { index });
        }
        if let Some(index) = users.iter().position(|u| u.nickname.is_empty()) {
            return Err(RegisterRule::NicknameEmpty { index });
        }
    }
    Ok(())
}

/// The checks the user service runs after the secret or admin check: duplicates, then empty
/// IDs, then `:` (§3.2 rules 4-6, §4.3 rules 6-8).
pub fn check_register_rpc(users: &[UserInfo]) -> Result<(), RegisterRule> {
    if users.is_empty() {
        return Err(RegisterRule::UsersEmpty);
    }
    let mut seen = HashMap::with_capacity(users.len());
    for (index, u) in users.iter().enumerate() {
        if let Some(&first) = seen.get(u.user_id.as_str()) {
            return Err(RegisterRule::Duplicate { index, first });
        }
        seen.insert(u.user_id.as_str(), index);
    }
    if let Some(index) = users.iter().position(|u| u.user_id.is_empty()) {
        return Err(RegisterRule::UserIdEmpty { index });
    }
    if let Some(index) = users.iter().position(|u| u.user_id.contains(':')) {
        return Err(RegisterRule::UserIdColon { index });
    }
    Ok(())
}

/// Every rule a whole batch breaks, in OpenIM's order, as a client should check it before
/// sending anything: the API checks, then the service checks.
pub fn check_register_batch(version: ApiVersion, users: &[UserInfo]) -> Result<(), RegisterRule> {
    if users.is_empty() {
        return Err(RegisterRule::UsersEmpty);
    }
    check_register_api(version, users)?;
    check_register_rpc(users)
}

/// v3.4.0's MySQL column sizes in characters (§3.2 rule 8): longer values fail the insert with
/// errCode 500. v3.4.2+ and v3.8 store users in Mongo without limits.
pub const V34_MAX_USER_ID: usize = 64;
pub const V34_MAX_NICKNAME: usize = 255;
pub const V34_MAX_FACE_URL: usize = 255;
pub const V34_MAX_EX: usize = 1024;

/// The console's own bounds for v3.8, in characters. OpenIM v3.8 stores users in Mongo with no
/// limit of its own, but v3.8.3-patch.16 caps a request body at 8 MiB (`rpcMaxBodySize`), and
/// the console registers up to 1,000 users per request. With control characters refused (see
/// [`control_character_in`]) a character takes at most 4 bytes of JSON, so a row within these
/// bounds is at most (255 + 255 + 512 + 1,024) × 4 + 56 = 8,240 bytes, and a full batch stays
/// under 8,388,608 bytes.
pub const V38_MAX_USER_ID: usize = 255;
pub const V38_MAX_NICKNAME: usize = 255;
pub const V38_MAX_FACE_URL: usize = 512;
pub const V38_MAX_EX: usize = 1024;

/// The problem of one row on its own, for showing beside the row as the operator types.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    UserIdEmpty,
    UserIdColon,
    UserIdIllegal,
    NicknameEmpty,
    /// The same userID as the row at this 0-based index.
    DuplicateOf(usize),
    /// v3.4: a value longer than its column.
    TooLong {
        field: &'static str,
        max: usize,
    },
    /// v3.8: a value longer than the console's bound (OpenIM v3.8 has none of its own).
    OverConsoleLimit {
        field: &'static str,
        max: usize,
    },
    /// A control character (U+0000 to U+001F, U+007F to U+009F) in a field that is shown as
    /// text; `ex` may hold tabs and line breaks.
    ControlCharacter {
        field: &'static str,
    },
}

/// The first v3.4 column a row overflows, as `(field, max)`.
pub fn v34_too_long(u: &UserInfo) -> Option<(&'static str, usize)> {
    first_too_long(
        u,
        [
            V34_MAX_USER_ID,
            V34_MAX_NICKNAME,
            V34_MAX_FACE_URL,
            V34_MAX_EX,
        ],
    )
}

/// The first v3.8 field over the console's bound, as `(field, max)`.
pub fn v38_too_long(u: &UserInfo) -> Option<(&'static str, usize)> {
    first_too_long(
        u,
        [
            V38_MAX_USER_ID,
            V38_MAX_NICKNAME,
            V38_MAX_FACE_URL,
            V38_MAX_EX,
        ],
    )
}

/// The first of userID, nickname, faceURL and ex longer than its bound in `max` (characters).
fn first_too_long(u: &UserInfo, max: [usize; 4]) -> Option<(&'static str, usize)> {
    [
        ("userID", &u.user_id),
        ("nickname", &u.nickname),
        ("faceURL", &u.face_url),
        ("ex", &u.ex),
    ]
    .into_iter()
    .zip(max)
    .find(|((_, value), max)| value.chars().count() > *max)
    .map(|((field, _), max)| (field, max))
}

/// The first field of `u` holding a control character: none is allowed in the user ID, the
/// nickname or the face URL, and only tab, line feed and carriage return in `ex` (JSON text).
pub fn control_character_in(u: &UserInfo) -> Option<&'static str> {
    let bad = |c: char| c.is_control();
    let bad_in_ex = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if u.user_id.chars().any(bad) {
        Some("userID")
    } else if u.nickname.chars().any(bad) {
        Some("nickname")
    } else if u.face_url.chars().any(bad) {
        Some("faceURL")
    } else if u.ex.chars().any(bad_in_ex) {
        Some("ex")
    } else {
        None
    }
}

/// Why `id` cannot be a registered user ID on `version` (empty, `:` or longer than the column
/// in v3.4, outside v3.8's charset), for fields that name an existing user: such an ID is never
/// sent, since OpenIM could only answer that it does not exist.
pub fn user_id_problem(version: ApiVersion, id: &str) -> Option<RowProblem> {
    let probe = UserInfo {
        user_id: id.to_string(),
        nickname: "-".into(),
        ..Default::default()
    };
    row_problems(version, std::slice::from_ref(&probe))
        .pop()
        .flatten()
}

/// The first problem of every row, by the rules of `version`. Rows without problems are `None`.
/// Takes users or references to them, so that a caller holding them elsewhere need not copy.
pub fn row_problems<U: Borrow<UserInfo>>(
    version: ApiVersion,
    users: &[U],
) -> Vec<Option<RowProblem>> {
    let mut first_seen = HashMap::with_capacity(users.len());
    users
        .iter()
        .map(Borrow::borrow)
        .enumerate()
        .map(|(i, u): (usize, &UserInfo)| {
            let id = u.user_id.as_str();
            let dup = match first_seen.get(id) {
                Some(&first) => Some(first),
                None => {
                    first_seen.insert(id, i);
                    None
                }
            };
            if id.is_empty() {
                Some(RowProblem::UserIdEmpty)
            } else if version == ApiVersion::V3_8 && !is_legal_user_id_v38(id) {
                Some(RowProblem::UserIdIllegal)
            } else if version == ApiVersion::V3_4 && id.contains(':') {
                Some(RowProblem::UserIdColon)
            } else if let Some(first) = dup {
                Some(RowProblem::DuplicateOf(first))
            } else if version == ApiVersion::V3_8 && u.nickname.is_empty() {
                Some(RowProblem::NicknameEmpty)
            } else if version == ApiVersion::V3_4 {
                v34_too_long(u)
                    .map(|(field, max)| RowProblem::TooLong { field, max })
                    .or_else(|| {
                        control_character_in(u).map(|field| RowProblem::ControlCharacter { field })
                    })
            } else {
                v38_too_long(u)
                    .map(|(field, max)| RowProblem::OverConsoleLimit { field, max })
                    .or_else(|| {
                        control_character_in(u).map(|field| RowProblem::ControlCharacter { field })
                    })
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn u(id: &str, nick: &str) -> UserInfo {
        UserInfo {
            user_id: id.into(),
            nickname: nick.into(),
            ..Default::default()
        }
    }

    #[test]
    fn v38_charset() {
        assert!(is_legal_user_id_v38("alice_01"));
        assert!(is_legal_user_id_v38("张三"));
        assert!(is_legal_user_id_v38("٣٤")); // Arabic-Indic digits are Nd
        assert!(is_legal_user_id_v38(""));
        assert!(!is_legal_user_id_v38("a-b"));
        assert!(!is_legal_user_id_v38("a b"));
        assert!(!is_legal_user_id_v38("a:b"));
        assert!(!is_legal_user_id_v38("Ⅷ")); // Nl is not a letter for Go
        assert!(!is_legal_user_id_v38("x²")); // No is not a digit for Go
    }

    #[test]
    fn v34_order_duplicates_before_empty_before_colon() {
        let users = [u("a:b", ""), u("", ""), u("x", ""), u("x", "")];
        assert_eq!(
            check_register_batch(ApiVersion::V3_4, &users),
            Err(RegisterRule::Duplicate { index: 3, first: 2 })
        );
        let users = [u("a:b", ""), u("", "")];
        assert_eq!(
            check_register_batch(ApiVersion::V3_4, &users),
            Err(RegisterRule::UserIdEmpty { index: 1 })
        );
        let users = [u("ok", ""), u("a:b", "")];
        assert_eq!(
            check_register_batch(ApiVersion::V3_4, &users),
            Err(RegisterRule::UserIdColon { index: 1 })
        );
        assert_eq!(
            check_register_batch(ApiVersion::V3_4, &[u("ok", "")]),
            Ok(())
        );
        assert_eq!(
            check_register_batch(ApiVersion::V3_4, &[]),
            Err(RegisterRule::UsersEmpty)
        );
    }

    #[test]
    fn v38_charset_before_nickname_before_duplicates() {
        let users = [u("x", ""), u("x", "n"), u("a-b", "n")];
        assert_eq!(
            check_register_batch(ApiVersion::V3_8, &users),
            Err(RegisterRule::UserIdIllegal { index: 2 })
        );
        let users = [u("x", "n"), u("x", "")];
        assert_eq!(
            check_register_batch(ApiVersion::V3_8, &users),
            Err(RegisterRule::NicknameEmpty { index: 1 })
        );
        let users = [u("x", "n"), u("x", "n")];
        assert_eq!(
            check_register_batch(ApiVersion::V3_8, &users),
            Err(RegisterRule::Duplicate { index: 1, first: 0 })
        );
        // "" passes the charset rule and is caught by the service as empty.
        assert_eq!(
            check_register_batch(ApiVersion::V3_8, &[u("", "n")]),
            Err(RegisterRule::UserIdEmpty { index: 0 })
        );
    }

    #[test]
    fn row_problems_per_generation() {
        let users = [u("a", ""), u("a", "n"), u("b:c", "n"), u("", "n")];
        assert_eq!(
            row_problems(ApiVersion::V3_4, &users),
            vec![
                None,
                Some(RowProblem::DuplicateOf(0)),
                Some(RowProblem::UserIdColon),
                Some(RowProblem::UserIdEmpty)
            ]
        );
        assert_eq!(
            row_problems(ApiVersion::V3_8, &users),
            vec![
                Some(RowProblem::NicknameEmpty),
                Some(RowProblem::DuplicateOf(0)),
                Some(RowProblem::UserIdIllegal),
                Some(RowProblem::UserIdEmpty)
            ]
        );
    }

    #[test]
    fn v38_console_bounds_and_control_characters() {
        let mut row = u("alice", &"n".repeat(V38_MAX_NICKNAME));
        row.face_url = "f".repeat(V38_MAX_FACE_URL);
        row.ex = format!("{{\n\t\"k\": \"{}\"\r\n}}", "e".repeat(V38_MAX_EX - 16));
        assert_eq!(
            row_problems(ApiVersion::V3_8, std::slice::from_ref(&row)),
            vec![None]
        );
        // A full batch of the longest rows, in the widest UTF-8, fits the 8 MiB request cap.
        let wide = |n: usize| "𝄞".repeat(n);
        let widest = UserInfo {
            user_id: "字".repeat(V38_MAX_USER_ID),
            nickname: wide(V38_MAX_NICKNAME),
            face_url: wide(V38_MAX_FACE_URL),
            ex: "\"".repeat(V38_MAX_EX),
            ..Default::default()
        };
        assert_eq!(
            row_problems(ApiVersion::V3_8, std::slice::from_ref(&widest)),
            vec![None]
        );
        let batch =
            serde_json::to_vec(&serde_json::json!({ "users": vec![widest; 1000] })).unwrap();
        assert!(batch.len() < 8 * 1024 * 1024, "{} bytes", batch.len());

        let mut long = row.clone();
        long.nickname.push('n');
        assert_eq!(
            row_problems(ApiVersion::V3_8, &[long]),
            vec![Some(RowProblem::OverConsoleLimit {
                field: "nickname",
                max: 255
            })]
        );
        let mut long_id = row.clone();
        long_id.user_id = "a".repeat(V38_MAX_USER_ID + 1);
        assert_eq!(
            user_id_problem(ApiVersion::V3_8, &long_id.user_id),
            Some(RowProblem::OverConsoleLimit {
                field: "userID",
                max: 255
            })
        );
        // v3.4 keeps its own column limits, not the console's.
        assert_eq!(user_id_problem(ApiVersion::V3_4, &"a".repeat(64)), None);

        for version in [ApiVersion::V3_4, ApiVersion::V3_8] {
            let mut nul = u("bob", "b\u{0}b");
            assert_eq!(
                row_problems(version, &[nul.clone()]),
                vec![Some(RowProblem::ControlCharacter { field: "nickname" })]
            );
            nul.nickname = "bob".into();
            nul.face_url = "http://x/\u{1b}[31m".into();
            assert_eq!(
                row_problems(version, &[nul.clone()]),
                vec![Some(RowProblem::ControlCharacter { field: "faceURL" })]
            );
            nul.face_url.clear();
            nul.ex = "{\"a\":\n1}\u{7f}".into();
            assert_eq!(
                row_problems(version, &[nul]),
                vec![Some(RowProblem::ControlCharacter { field: "ex" })]
            );
        }
    }

    #[test]
    fn a_single_id_by_each_generation() {
        assert_eq!(user_id_problem(ApiVersion::V3_4, "alice-1"), None);
        assert_eq!(
            user_id_problem(ApiVersion::V3_8, "alice-1"),
            Some(RowProblem::UserIdIllegal)
        );
        assert_eq!(
            user_id_problem(ApiVersion::V3_4, ""),
            Some(RowProblem::UserIdEmpty)
        );
        assert_eq!(
            user_id_problem(ApiVersion::V3_4, &"a".repeat(65)),
            Some(RowProblem::TooLong {
                field: "userID",
                max: 64
            })
        );
        assert_eq!(user_id_problem(ApiVersion::V3_8, &"a".repeat(65)), None);
    }

    #[test]
    fn v34_column_limits() {
        let long = UserInfo {
            user_id: "a".repeat(65),
            ..Default::default()
        };
        assert_eq!(
            row_problems(ApiVersion::V3_4, std::slice::from_ref(&long)),
            vec![Some(RowProblem::TooLong {
                field: "userID",
                max: 64
            })]
        );
        assert_eq!(
            row_problems(
                ApiVersion::V3_8,
                &[UserInfo {
                    nickname: "n".into(),
                    ..long
                }]
            ),
            vec![None]
        );
        let ex = UserInfo {
            user_id: "a".into(),
            ex: "é".repeat(1024),
            ..Default::default()
        };
        assert_eq!(
            v34_too_long(&ex),
            None,
            "limits count characters, not bytes"
        );
    }

    #[test]
    fn messages_are_openims() {
        assert_eq!(
            RegisterRule::UsersEmpty.openim_message(ApiVersion::V3_4),
            "Users is empty"
        );
        assert_eq!(
            RegisterRule::UsersEmpty.openim_message(ApiVersion::V3_8),
            "users are empty"
        );
        assert_eq!(
            RegisterRule::UserIdIllegal { index: 0 }.openim_message(ApiVersion::V3_8),
            "userID is legal"
        );
    }
}
