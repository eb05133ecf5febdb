//! Wire types of the `/user/*` endpoints (§3, §4). Field names are OpenIM's, renamed one by one
//! (`userID`, `faceURL`, `appMangerLevel` sic).

use serde::{Deserialize, Deserializer, Serialize};

/// `sdkws.UserInfo`. Every field is always present on the wire (§1.3).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserInfo {
    #[serde(rename = "userID", default)]
    pub user_id: String,
    #[serde(default)]
    pub nickname: String,
    #[serde(rename = "faceURL", default)]
    pub face_url: String,
    #[serde(default)]
    pub ex: String,
    /// Unix milliseconds (§3.4).
    #[serde(rename = "createTime", default)]
    pub create_time: i64,
    #[serde(rename = "appMangerLevel", default)]
    pub app_manger_level: i32,
    #[serde(rename = "globalRecvMsgOpt", default)]
    pub global_recv_msg_opt: i32,
}

/// `POST /user/user_register`. v3.4 carries the secret; v3.8 has no such field (§3.2, §4.3).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct UserRegisterReq<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<&'a str>,
    pub users: Vec<NewUser<'a>>,
}

/// A user as `user_register` is sent one: `sdkws.UserInfo` without its empty and zero fields,
/// which OpenIM's JSON binding reads as the very same zero values (§1.3), and without
/// `createTime`, which the server sets (§3.2). A batch of a thousand users is half the bytes
/// it would be with every field written out.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewUser<'a> {
    #[serde(rename = "userID")]
    pub user_id: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub nickname: &'a str,
    #[serde(rename = "faceURL", skip_serializing_if = "str::is_empty")]
    pub face_url: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    pub ex: &'a str,
    #[serde(rename = "appMangerLevel", skip_serializing_if = "is_zero")]
    pub app_manger_level: i32,
    #[serde(rename = "globalRecvMsgOpt", skip_serializing_if = "is_zero")]
    pub global_recv_msg_opt: i32,
}

fn is_zero(n: &i32) -> bool {
    *n == 0
}

impl<'a> From<&'a UserInfo> for NewUser<'a> {
    fn from(u: &'a UserInfo) -> NewUser<'a> {
        NewUser {
            user_id: &u.user_id,
            nickname: &u.nickname,
            face_url: &u.face_url,
            ex: &u.ex,
            app_manger_level: u.app_manger_level,
            global_recv_msg_opt: u.global_recv_msg_opt,
        }
    }
}

/// `POST /user/account_check` request.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AccountCheckReq {
    #[serde(rename = "checkUserIDs")]
    pub check_user_ids: Vec<String>,
}

/// Registered or not, whichever form the generation answers in: `"registered"`/`"unregistered"`
/// in v3.4 (§3.3), `1`/`0` in v3.8 (§4.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountStatus {
    Registered,
    Unregistered,
}

impl AccountStatus {
    pub fn v34_wire(self) -> &'static str {
        match self {
            AccountStatus::Registered => "registered",
            AccountStatus::Unregistered => "unregistered",
        }
    }

    pub fn v38_wire(self) -> i32 {
        match self {
            AccountStatus::Registered => 1,
            AccountStatus::Unregistered => 0,
        }
    }
}

impl<'de> Deserialize<'de> for AccountStatus {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Wire {
            Text(String),
            Number(i64),
        }
        match Wire::deserialize(d)? {
            Wire::Text(s) if s == "registered" => Ok(AccountStatus::Registered),
            Wire::Text(s) if s == "unregistered" => Ok(AccountStatus::Unregistered),
            Wire::Number(1) => Ok(AccountStatus::Registered),
            Wire::Number(0) => Ok(AccountStatus::Unregistered),
            Wire::Text(s) => Err(serde::de::Error::custom(format!(
                "unknown accountStatus {s:?}"
            ))),
            Wire::Number(n) => Err(serde::de::Error::custom(format!(
                "unknown accountStatus {n}"
            ))),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AccountCheckResult {
    #[serde(rename = "userID")]
    pub user_id: String,
    #[serde(rename = "accountStatus")]
    pub account_status: AccountStatus,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct AccountCheckResp {
    /// `null` when empty (§1.3).
    #[serde(default)]
    pub results: Option<Vec<AccountCheckResult>>,
}

/// `sdkws.RequestPagination`; `pageNumber` is 1-based (§3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestPagination {
    #[serde(rename = "pageNumber")]
    pub page_number: i32,
    #[serde(rename = "showNumber")]
    pub show_number: i32,
}

/// `POST /user/get_users`. The filters exist only in v3.8 (§4.5).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GetUsersReq {
    pub pagination: RequestPagination,
    #[serde(rename = "userID", skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
    #[serde(rename = "nickName", skip_serializing_if = "Option::is_none")]
    pub nick_name: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GetUsersResp {
    pub total: i64,
    /// `null` when the page is empty (§3.4, §4.5).
    #[serde(default)]
    pub users: Option<Vec<UserInfo>>,
}

/// `POST /user/get_users_info`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct GetUsersInfoReq {
    #[serde(rename = "userIDs")]
    pub user_ids: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Deserialize)]
pub struct GetUsersInfoResp {
    #[serde(rename = "usersInfo", default)]
    pub users_info: Option<Vec<UserInfo>>,
}

/// The meaning of `globalRecvMsgOpt` (§3.2).
pub fn recv_msg_opt_name(opt: i32) -> Option<&'static str> {
    match opt {
        0 => Some("receive"),
        1 => Some("do not receive"),
        2 => Some("receive without notification"),
        _ => None,
    }
}

/// The meaning of `appMangerLevel` (§2.5).
pub fn manager_level_name(level: i32) -> Option<&'static str> {
    match level {
        0 | 1 => Some("ordinary user"),
        2 => Some("app admin"),
        3 => Some("notification account"),
        4 => Some("robot"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Envelope;

    #[test]
    fn user_info_uses_openim_names() {
        let u = UserInfo {
            user_id: "u1".into(),
            nickname: "Alice".into(),
            ..Default::default()
        };
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"{"userID":"u1","nickname":"Alice","faceURL":"","ex":"","createTime":0,"appMangerLevel":0,"globalRecvMsgOpt":0}"#
        );
    }

    #[test]
    fn register_request_matches_the_guide() {
        let user = UserInfo {
            user_id: "11111112".into(),
            ..Default::default()
        };
        let req = UserRegisterReq {
            secret: Some("openIM123"),
            users: vec![NewUser::from(&user)],
        };
        let v = serde_json::to_value(&req).unwrap();
        assert_eq!(v["secret"], "openIM123");
        assert_eq!(v["users"][0]["userID"], "11111112");
        let v38 = serde_json::to_value(UserRegisterReq {
            secret: None,
            users: vec![],
        })
        .unwrap();
        assert!(v38.get("secret").is_none());
    }

    #[test]
    fn a_new_user_leaves_out_what_openim_reads_as_zero() {
        let plain = UserInfo {
            user_id: "u1".into(),
            nickname: "Alice".into(),
            create_time: 1_700_000_000_000,
            ..Default::default()
        };
        let req = UserRegisterReq {
            secret: None,
            users: vec![NewUser::from(&plain)],
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"users":[{"userID":"u1","nickname":"Alice"}]}"#
        );
        // The spec's example request (§3.2), written out in full, reads the same once parsed
        // with every missing field at its zero value, as OpenIM's Go binding reads it.
        let full: UserInfo = serde_json::from_str(
            r#"{"userID":"u1","nickname":"Alice","faceURL":"","ex":"","appMangerLevel":0,"globalRecvMsgOpt":0}"#,
        )
        .unwrap();
        let short: UserInfo =
            serde_json::from_str(&serde_json::to_string(&NewUser::from(&plain)).unwrap()).unwrap();
        assert_eq!(short, full);
        let every = UserInfo {
            user_id: "u2".into(),
            nickname: "Bob".into(),
            face_url: "https://x/b.png".into(),
            ex: "{}".into(),
            create_time: 5,
            app_manger_level: 2,
            global_recv_msg_opt: 1,
        };
        assert_eq!(
            serde_json::to_string(&NewUser::from(&every)).unwrap(),
            r#"{"userID":"u2","nickname":"Bob","faceURL":"https://x/b.png","ex":"{}","appMangerLevel":2,"globalRecvMsgOpt":1}"#
        );
    }

    #[test]
    fn account_check_v34_fixture() {
        let e: Envelope<AccountCheckResp> = serde_json::from_str(
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"results":[{"userID":"u1","accountStatus":"registered"},{"userID":"nope","accountStatus":"unregistered"}]}}"#,
        )
        .unwrap();
        let r = e.data.unwrap().results.unwrap();
        assert_eq!(r[0].account_status, AccountStatus::Registered);
        assert_eq!(r[1].user_id, "nope");
        assert_eq!(r[1].account_status, AccountStatus::Unregistered);
    }

    #[test]
    fn account_check_v38_fixture() {
        let e: Envelope<AccountCheckResp> = serde_json::from_str(
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"results":[{"userID":"u1","accountStatus":1},{"userID":"x","accountStatus":0}]}}"#,
        )
        .unwrap();
        let r = e.data.unwrap().results.unwrap();
        assert_eq!(r[0].account_status, AccountStatus::Registered);
        assert_eq!(r[1].account_status, AccountStatus::Unregistered);
        assert!(
            serde_json::from_str::<AccountCheckResult>(r#"{"userID":"a","accountStatus":2}"#)
                .is_err()
        );
    }

    #[test]
    fn get_users_fixture_with_null_users() {
        let e: Envelope<GetUsersResp> = serde_json::from_str(
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"total":4,"users":null}}"#,
        )
        .unwrap();
        assert_eq!(e.data.as_ref().unwrap().total, 4);
        assert_eq!(e.data.unwrap().users, None);
        let e: Envelope<GetUsersResp> = serde_json::from_str(
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"total":4,"users":[{"userID":"openIM123456","nickname":"system1","faceURL":"","ex":"","createTime":1699600000000,"appMangerLevel":2,"globalRecvMsgOpt":0}]}}"#,
        )
        .unwrap();
        let users = e.data.unwrap().users.unwrap();
        assert_eq!(users[0].create_time, 1_699_600_000_000);
        assert_eq!(users[0].app_manger_level, 2);
    }

    #[test]
    fn get_users_v34_request_has_no_filters() {
        let req = GetUsersReq {
            pagination: RequestPagination {
                page_number: 1,
                show_number: 20,
            },
            user_id: None,
            nick_name: None,
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"pagination":{"pageNumber":1,"showNumber":20}}"#
        );
    }
}
