//! Every failure in words, with a hint on what to do, by endpoint and generation. Matches on
//! [`ApiError`] and errCodes only, never on errMsg/errDlt text (design habit 3).

use openim_protocol::{ApiVersion, ErrCode};

use crate::api::ApiError;
use crate::i18n::errors as t;
use crate::i18n::{Lang, Text};

#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub summary: String,
    pub hint: String,
}

fn ex(summary: impl Into<String>, hint: impl Into<String>) -> Explanation {
    Explanation {
        summary: summary.into(),
        hint: hint.into(),
    }
}

fn config_file(version: ApiVersion) -> &'static str {
    match version {
        ApiVersion::V3_4 => "config/config.yaml",
        ApiVersion::V3_8 => "config/share.yml",
    }
}

/// Explains `err` returned by the call to `path` (`/user/user_register`, ...), in `lang`.
pub fn explain(lang: Lang, path: &str, version: ApiVersion, err: &ApiError) -> Explanation {
    let endpoint = path.rsplit('/').next().unwrap_or(path);
    let fixed = |summary: Text, hint: Text| ex(summary.get(lang), hint.get(lang));
    match err {
        ApiError::Network(_) => fixed(t::NO_ANSWER, t::NO_ANSWER_HINT),
        ApiError::Timeout(secs) => ex(t::timeout(lang, *secs), t::TIMEOUT_HINT.get(lang)),
        ApiError::Http {
            status: 502..=504, ..
        } => fixed(t::PROXY, t::PROXY_HINT),
        ApiError::Http { status: 404, .. } => {
            ex(t::no_route(lang, path), t::NO_ROUTE_HINT.get(lang))
        }
        ApiError::Http { status, .. } => {
            ex(t::http_status(lang, *status), t::CHECK_BASE_HINT.get(lang))
        }
        ApiError::Decode(_) => fixed(t::NOT_OPENIM, t::CHECK_BASE_HINT),
        ApiError::NeedsSignIn => fixed(t::SIGN_IN_ENDED, t::CONNECT_AGAIN_HINT),
        ApiError::OpenIm { code, .. } => explain_code(lang, endpoint, version, *code),
    }
}

fn explain_code(lang: Lang, endpoint: &str, version: ApiVersion, code: ErrCode) -> Explanation {
    let config = config_file(version);
    let fixed = |summary: Text, hint: Text| ex(summary.get(lang), hint.get(lang));
    match (code, endpoint) {
        (ErrCode::ARGS, "user_register") => fixed(
            t::USERS_REJECTED,
            match version {
                ApiVersion::V3_4 => t::V34_ID_RULES,
                ApiVersion::V3_8 => t::V38_ID_RULES,
            },
        ),
        (ErrCode::ARGS, "account_check") => fixed(t::IDS_REJECTED, t::IDS_HINT),
        (ErrCode::ARGS, "get_users") => fixed(t::PAGE_REJECTED, t::PAGE_HINT),
        (ErrCode::ARGS, "get_admin_token") => ex(
            t::NOT_ADMIN_ID.get(lang),
            t::use_admin_id_hint(lang, config),
        ),
        (ErrCode::ARGS, "get_user_token") => fixed(t::NO_TOKEN_FOR_SYSTEM, t::ORDINARY_ONLY_HINT),
        (ErrCode::ARGS, "user_token" | "force_logout") => {
            fixed(t::ID_OR_PLATFORM, t::ID_OR_PLATFORM_HINT)
        }
        (ErrCode::ARGS, _) => fixed(t::ARGS, t::ARGS_HINT),
        (ErrCode::NO_PERMISSION, "user_token" | "get_admin_token") => {
            ex(t::WRONG_SECRET.get(lang), t::use_secret_hint(lang, config))
        }
        (ErrCode::NO_PERMISSION, "user_register") if version == ApiVersion::V3_4 => {
            ex(t::WRONG_SECRET.get(lang), t::use_secret_hint(lang, config))
        }
        (ErrCode::NO_PERMISSION, "get_user_token") => {
            fixed(t::NO_USER_TOKEN_FOR_ADMIN, t::OTHER_PLATFORM_HINT)
        }
        (ErrCode::NO_PERMISSION, _) => ex(
            t::NEEDS_ADMIN.get(lang),
            t::sign_in_as_admin_hint(lang, config),
        ),
        (ErrCode::RECORD_NOT_FOUND, "get_users_info") => {
            fixed(t::SOME_NOT_REGISTERED, t::SOME_NOT_REGISTERED_HINT)
        }
        (ErrCode::RECORD_NOT_FOUND, _) => fixed(
            t::NOT_REGISTERED,
            match version {
                ApiVersion::V3_4 => t::NOT_REGISTERED_HINT_V34,
                ApiVersion::V3_8 => t::NOT_REGISTERED_HINT_V38,
            },
        ),
        (ErrCode::REGISTERED_ALREADY, _) => {
            fixed(t::ALREADY_REGISTERED, t::ALREADY_REGISTERED_HINT)
        }
        (ErrCode::TOKEN_EXPIRED, _) => fixed(t::TOKEN_EXPIRED, t::TOKEN_EXPIRED_HINT),
        (ErrCode::TOKEN_INVALID, _) => fixed(t::TOKEN_INVALID, t::GET_NEW_TOKEN_HINT),
        (ErrCode::TOKEN_MALFORMED, _) => fixed(t::TOKEN_MALFORMED, t::COPY_WHOLE_TOKEN_HINT),
        (ErrCode::TOKEN_NOT_VALID_YET, _) => fixed(t::TOKEN_NOT_VALID_YET, t::CLOCKS_HINT),
        (ErrCode::TOKEN_UNKNOWN, _) => fixed(t::TOKEN_UNKNOWN, t::OTHER_SECRET_HINT),
        (ErrCode::TOKEN_KICKED, _) => fixed(t::TOKEN_KICKED, t::GET_NEW_TOKEN_HINT),
        (ErrCode::TOKEN_NOT_EXIST, _) => fixed(t::TOKEN_NOT_EXIST, t::TOKEN_NOT_EXIST_HINT),
        (ErrCode::SERVER_INTERNAL, _) => fixed(
            t::INTERNAL,
            match version {
                ApiVersion::V3_4 => t::V34_INTERNAL_HINT,
                ApiVersion::V3_8 => t::V38_INTERNAL_HINT,
            },
        ),
        (code, _) => ex(t::other_code(lang, code), t::OTHER_CODE_HINT.get(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openim(code: i32) -> ApiError {
        ApiError::OpenIm {
            code: ErrCode(code),
            msg: String::new(),
            dlt: String::new(),
        }
    }

    #[test]
    fn wrong_secret_on_user_token() {
        let e = explain(
            Lang::En,
            "/auth/user_token",
            ApiVersion::V3_4,
            &openim(1002),
        );
        assert_eq!(
            e.summary,
            "The secret does not match `secret` in the server's config."
        );
        assert!(e.hint.contains("config/config.yaml"));
        let e = explain(
            Lang::En,
            "/auth/get_admin_token",
            ApiVersion::V3_8,
            &openim(1002),
        );
        assert!(e.hint.contains("config/share.yml"));
    }

    #[test]
    fn the_same_code_means_different_things_per_endpoint() {
        let not_admin = explain(
            Lang::En,
            "/user/account_check",
            ApiVersion::V3_4,
            &openim(1002),
        );
        assert_eq!(not_admin.summary, "This call needs an admin token.");
        let v38_register = explain(
            Lang::En,
            "/user/user_register",
            ApiVersion::V3_8,
            &openim(1002),
        );
        assert_eq!(v38_register.summary, "This call needs an admin token.");
        let v34_register = explain(
            Lang::En,
            "/user/user_register",
            ApiVersion::V3_4,
            &openim(1002),
        );
        assert!(v34_register.summary.starts_with("The secret"));
        let charset = explain(
            Lang::En,
            "/user/user_register",
            ApiVersion::V3_8,
            &openim(1001),
        );
        assert!(charset.hint.contains("letters, digits and _"));
    }

    #[test]
    fn every_token_code_has_words() {
        for code in 1501..=1507 {
            let e = explain(Lang::En, "/user/get_users", ApiVersion::V3_8, &openim(code));
            assert!(!e.summary.contains("errCode"), "{code}: {}", e.summary);
        }
        assert!(explain(Lang::En, "/x", ApiVersion::V3_8, &openim(9999))
            .summary
            .contains("9999"));
    }

    #[test]
    fn transport_failures() {
        let e = explain(
            Lang::En,
            "/user/get_users",
            ApiVersion::V3_4,
            &ApiError::Http {
                status: 502,
                body: String::new(),
            },
        );
        assert!(e.summary.contains("proxy"));
        let e = explain(
            Lang::En,
            "/auth/get_admin_token",
            ApiVersion::V3_4,
            &ApiError::Http {
                status: 404,
                body: String::new(),
            },
        );
        assert!(e.hint.contains("generation"));
        assert!(
            explain(Lang::En, "/x", ApiVersion::V3_4, &ApiError::NeedsSignIn)
                .hint
                .contains("Connect again")
        );
    }

    #[test]
    fn every_explanation_has_its_chinese() {
        let mut errors: Vec<ApiError> = [500, 1001, 1002, 1004, 1102, 9999]
            .into_iter()
            .chain(1501..=1507)
            .map(openim)
            .collect();
        errors.extend([
            ApiError::Network("x".into()),
            ApiError::Timeout(30),
            ApiError::Decode("x".into()),
            ApiError::NeedsSignIn,
        ]);
        errors.extend([404, 500, 502].map(|status| ApiError::Http {
            status,
            body: String::new(),
        }));
        let paths = [
            "/auth/user_token",
            "/auth/get_admin_token",
            "/auth/get_user_token",
            "/auth/force_logout",
            "/user/user_register",
            "/user/account_check",
            "/user/get_users",
            "/user/get_users_info",
            "/x",
        ];
        for version in [ApiVersion::V3_4, ApiVersion::V3_8] {
            for path in paths {
                for err in &errors {
                    let en = explain(Lang::En, path, version, err);
                    let zh = explain(Lang::Zh, path, version, err);
                    assert_ne!(en.summary, zh.summary, "{path} {err:?}");
                    assert_ne!(en.hint, zh.hint, "{path} {err:?}");
                }
            }
        }
        let e = explain(
            Lang::Zh,
            "/auth/user_token",
            ApiVersion::V3_4,
            &openim(1002),
        );
        assert_eq!(
            e.summary,
            "密钥（secret）与服务器配置中的 `secret` 不一致。"
        );
        assert!(e.hint.contains("config/config.yaml"));
        assert!(explain(Lang::Zh, "/x", ApiVersion::V3_8, &openim(9999))
            .summary
            .contains("errCode 9999"));
    }
}
