//! Every failure in words, with a hint on what to do, by endpoint and generation. Matches on
//! [`ApiError`] and errCodes only, never on errMsg/errDlt text (design habit 3).

use openim_protocol::{ApiVersion, ErrCode};

use crate::api::ApiError;

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

/// Explains `err` returned by the call to `path` (`/user/user_register`, ...).
pub fn explain(path: &str, version: ApiVersion, err: &ApiError) -> Explanation {
    let endpoint = path.rsplit('/').next().unwrap_or(path);
    match err {
        ApiError::Network(_) => ex(
            "No answer from the server.",
            "Check that OpenIM's API is running and that the API base on the Connection page is right.",
        ),
        ApiError::Timeout(secs) => ex(
            format!("The server did not answer within {secs} seconds."),
            "It may be overloaded or stopped; try again.",
        ),
        ApiError::Http { status: 502..=504, .. } => ex(
            "The proxy in front of OpenIM could not get an answer from it.",
            "OpenIM's API is down or too slow; check it, then try again.",
        ),
        ApiError::Http { status: 404, .. } => ex(
            format!("The server has no {path} route."),
            "It may speak the other API generation: check the generation on the Connection page.",
        ),
        ApiError::Http { status, .. } => ex(
            format!("The server answered HTTP {status} instead of OpenIM's JSON."),
            "Check that the API base points at OpenIM's API (port 10002).",
        ),
        ApiError::Decode(_) => ex(
            "The answer is not what OpenIM sends.",
            "Check that the API base points at OpenIM's API (port 10002).",
        ),
        ApiError::NeedsSignIn => ex("The admin sign-in has ended.", "Connect again on the Connection page."),
        ApiError::OpenIm { code, .. } => explain_code(endpoint, version, *code),
    }
}

fn explain_code(endpoint: &str, version: ApiVersion, code: ErrCode) -> Explanation {
    let config = config_file(version);
    match (code, endpoint) {
        (ErrCode::ARGS, "user_register") => ex(
            "OpenIM rejected the users.",
            match version {
                ApiVersion::V3_4 => "User IDs must not be empty, repeated or contain ':'.",
                ApiVersion::V3_8 => "User IDs may contain only letters, digits and _, must not repeat, and every user needs a nickname.",
            },
        ),
        (ErrCode::ARGS, "account_check") => ex("OpenIM rejected the list of user IDs.", "Send at least one ID, each once."),
        (ErrCode::ARGS, "get_users") => ex("OpenIM rejected the page request.", "Page numbers start at 1."),
        (ErrCode::ARGS, "get_admin_token") => ex(
            "That user ID is not an admin on this server.",
            format!("Use one of imAdminUserID in {config} (default imAdmin)."),
        ),
        (ErrCode::ARGS, "get_user_token") => ex(
            "Notification and robot accounts cannot get a user token.",
            "Only ordinary users (manager level below 3) can.",
        ),
        (ErrCode::ARGS, "user_token" | "force_logout") => {
            ex("OpenIM rejected the user ID or platform.", "Give a user ID and a platform from 1 to 10.")
        }
        (ErrCode::ARGS, _) => ex("OpenIM rejected the request's arguments.", "errDlt below names the field."),
        (ErrCode::NO_PERMISSION, "user_token" | "get_admin_token") => ex(
            "The secret does not match `secret` in the server's config.",
            format!("Use the secret from {config} (openIM123 unless changed)."),
        ),
        (ErrCode::NO_PERMISSION, "user_register") if version == ApiVersion::V3_4 => ex(
            "The secret does not match `secret` in the server's config.",
            format!("Use the secret from {config} (openIM123 unless changed)."),
        ),
        (ErrCode::NO_PERMISSION, "get_user_token") => ex(
            "OpenIM does not issue user tokens for admin IDs or for the Admin platform (10).",
            "Choose another platform; admins sign in on the Connection page.",
        ),
        (ErrCode::NO_PERMISSION, _) => ex(
            "This call needs an admin token.",
            format!("Sign in with an admin user ID from {config}."),
        ),
        (ErrCode::RECORD_NOT_FOUND, "get_users_info") => {
            ex("At least one of these users is not registered.", "Check the IDs; OpenIM v3.4 fails the whole lookup.")
        }
        (ErrCode::RECORD_NOT_FOUND, _) => ex(
            "That user is not registered.",
            "Register the user first, or check the ID (IDs are case-sensitive in v3.8).",
        ),
        (ErrCode::REGISTERED_ALREADY, _) => ex(
            "A user ID in the batch is already registered, so OpenIM created none of the batch.",
            "Remove the registered IDs and send the rest again.",
        ),
        (ErrCode::TOKEN_EXPIRED, _) => ex("The token has expired.", "Connect again for a fresh admin token."),
        (ErrCode::TOKEN_INVALID, _) => ex("The token is not valid.", "Get a new token."),
        (ErrCode::TOKEN_MALFORMED, _) => ex("The token is not a well-formed JWT.", "Copy the whole token."),
        (ErrCode::TOKEN_NOT_VALID_YET, _) => ex(
            "The token is not valid yet.",
            "The clocks of the server that issued it and this server differ.",
        ),
        (ErrCode::TOKEN_UNKNOWN, _) => ex(
            "The server does not accept this token.",
            "It was signed with another secret, or by another server.",
        ),
        (ErrCode::TOKEN_KICKED, _) => ex(
            "The token was retired: a newer token for the same user and platform, or a force logout, replaced it.",
            "Get a new token.",
        ),
        (ErrCode::TOKEN_NOT_EXIST, _) => ex(
            "The server has no record of this token.",
            "It was issued by another server, or the server's token store was reset. Get a new token.",
        ),
        (ErrCode::SERVER_INTERNAL, _) => ex(
            "OpenIM failed internally.",
            match version {
                ApiVersion::V3_4 => "On v3.4 this is often a value longer than its database column: user ID 64, nickname 255, face URL 255, ex 1024 characters.",
                ApiVersion::V3_8 => "Check the server's logs; errDlt below may say more.",
            },
        ),
        (code, _) => ex(
            format!(
                "OpenIM answered errCode {}{}.",
                code.0,
                code.name().map(|n| format!(" ({n})")).unwrap_or_default()
            ),
            "errMsg and errDlt below say more.",
        ),
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
        let e = explain("/auth/user_token", ApiVersion::V3_4, &openim(1002));
        assert_eq!(
            e.summary,
            "The secret does not match `secret` in the server's config."
        );
        assert!(e.hint.contains("config/config.yaml"));
        let e = explain("/auth/get_admin_token", ApiVersion::V3_8, &openim(1002));
        assert!(e.hint.contains("config/share.yml"));
    }

    #[test]
    fn the_same_code_means_different_things_per_endpoint() {
        let not_admin = explain("/user/account_check", ApiVersion::V3_4, &openim(1002));
        assert_eq!(not_admin.summary, "This call needs an admin token.");
        let v38_register = explain("/user/user_register", ApiVersion::V3_8, &openim(1002));
        assert_eq!(v38_register.summary, "This call needs an admin token.");
        let v34_register = explain("/user/user_register", ApiVersion::V3_4, &openim(1002));
        assert!(v34_register.summary.starts_with("The secret"));
        let charset = explain("/user/user_register", ApiVersion::V3_8, &openim(1001));
        assert!(charset.hint.contains("letters, digits and _"));
    }

    #[test]
    fn every_token_code_has_words() {
        for code in 1501..=1507 {
            let e = explain("/user/get_users", ApiVersion::V3_8, &openim(code));
            assert!(!e.summary.contains("errCode"), "{code}: {}", e.summary);
        }
        assert!(explain("/x", ApiVersion::V3_8, &openim(9999))
            .summary
            .contains("9999"));
    }

    #[test]
    fn transport_failures() {
        let e = explain(
            "/user/get_users",
            ApiVersion::V3_4,
            &ApiError::Http {
                status: 502,
                body: String::new(),
            },
        );
        assert!(e.summary.contains("proxy"));
        let e = explain(
            "/auth/get_admin_token",
            ApiVersion::V3_4,
            &ApiError::Http {
                status: 404,
                body: String::new(),
            },
        );
        assert!(e.hint.contains("generation"));
        assert!(explain("/x", ApiVersion::V3_4, &ApiError::NeedsSignIn)
            .hint
            .contains("Connect again"));
    }
}
