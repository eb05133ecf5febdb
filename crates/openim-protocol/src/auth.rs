//! Wire types of the `/auth/*` endpoints (§3.1, §4.1, §4.2, §4.6).

use serde::{Deserialize, Serialize};

/// v3.4 `POST /auth/user_token`: any registered user, with the secret (§3.1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UserTokenReq {
    pub secret: String,
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// v3.8 `POST /auth/get_admin_token`: admin IDs only, always platform 10 (§4.1).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GetAdminTokenReq {
    pub secret: String,
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// v3.8 `POST /auth/get_user_token`, sent with the admin token (§4.2).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GetUserTokenReq {
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    #[serde(rename = "userID")]
    pub user_id: String,
}

/// The answer of every token-issuing endpoint. `expireTimeSeconds` is a duration here
/// (7776000 for 90 days, §2.1).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct TokenResp {
    pub token: String,
    #[serde(rename = "expireTimeSeconds")]
    pub expire_time_seconds: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ParseTokenReq {
    pub token: String,
}

/// `/auth/parse_token`: v3.4 answers the platform by name, v3.8 by ID; `expireTimeSeconds` is an
/// absolute unix time here (§2.1, §3.5, §4.6).
#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct ParseTokenResp {
    #[serde(rename = "userID")]
    pub user_id: String,
    #[serde(default)]
    pub platform: Option<String>,
    #[serde(rename = "platformID", default)]
    pub platform_id: Option<i32>,
    #[serde(rename = "expireTimeSeconds")]
    pub expire_time_seconds: i64,
}

/// `/auth/force_logout` (admin).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForceLogoutReq {
    #[serde(rename = "platformID")]
    pub platform_id: i32,
    #[serde(rename = "userID")]
    pub user_id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Envelope;

    #[test]
    fn user_token_request_matches_the_guide() {
        let req = UserTokenReq {
            secret: "openIM123".into(),
            platform_id: 1,
            user_id: "11111112".into(),
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"secret":"openIM123","platformID":1,"userID":"11111112"}"#
        );
    }

    #[test]
    fn token_response_fixture() {
        let e: Envelope<TokenResp> = serde_json::from_str(
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJVc2VySUQiOiIxMTExMTExMiIsIlBsYXRmb3JtSUQiOjEsImV4cCI6MTcwNjU5NTM0MCwibmJmIjoxNjk4ODE5MDQwLCJpYXQiOjE2OTg4MTkzNDB9.YOeKRSwvTF0_yRNB3XwOCIYaTC-swVzxRjnHidUo4xw","expireTimeSeconds":7776000}}"#,
        )
        .unwrap();
        assert_eq!(e.data.unwrap().expire_time_seconds, 7_776_000);
    }

    #[test]
    fn parse_token_both_generations() {
        let v34: ParseTokenResp = serde_json::from_str(
            r#"{"userID":"u1","platform":"IOS","expireTimeSeconds":1706595340}"#,
        )
        .unwrap();
        assert_eq!(v34.platform.as_deref(), Some("IOS"));
        let v38: ParseTokenResp = serde_json::from_str(
            r#"{"userID":"u1","platformID":5,"expireTimeSeconds":1706595340}"#,
        )
        .unwrap();
        assert_eq!(v38.platform_id, Some(5));
    }
}
