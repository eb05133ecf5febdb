//! The emulator's HTTP API as the tests use it: seeding users before the browser arrives, and
//! checking afterwards what the console really did. Written against the wire format in
//! ../shared/openim-api.md with plain JSON, independent of the console's own code.

use std::sync::atomic::{AtomicU64, Ordering};

use openim_protocol::ApiVersion;
use serde_json::{json, Value};

pub struct OpenIm {
    base: String,
    api: ApiVersion,
    secret: String,
    http: reqwest::Client,
}

static OPERATION: AtomicU64 = AtomicU64::new(1);

impl OpenIm {
    pub fn new(base: String, api: ApiVersion, secret: &str) -> OpenIm {
        OpenIm {
            base,
            api,
            secret: secret.to_string(),
            http: reqwest::Client::new(),
        }
    }

    /// POSTs `body` and returns the whole envelope, whatever its errCode.
    pub async fn post(&self, path: &str, token: Option<&str>, body: Value) -> Value {
        let operation = format!("e2e-{}", OPERATION.fetch_add(1, Ordering::Relaxed));
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header("operationID", operation)
            .json(&body);
        if let Some(token) = token {
            req = req.header("token", token);
        }
        let resp = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path} to the emulator: {e}"));
        let status = resp.status();
        let text = resp.text().await.unwrap_or_default();
        serde_json::from_str(&text)
            .unwrap_or_else(|_| panic!("POST {path}: HTTP {status}, not JSON: {text}"))
    }

    /// POSTs `body` and returns `data`, failing the test unless errCode is 0.
    pub async fn call(&self, path: &str, token: Option<&str>, body: Value) -> Value {
        let envelope = self.post(path, token, body.clone()).await;
        assert_eq!(
            envelope["errCode"], 0,
            "POST {path} {body} failed: {envelope}"
        );
        envelope["data"].clone()
    }

    /// A token of the generation's first admin (openIM123456 or imAdmin).
    pub async fn admin_token(&self) -> String {
        let admin = self.api.default_admin_id();
        let data = match self.api {
            ApiVersion::V3_4 => {
                self.call(
                    "/auth/user_token",
                    None,
                    json!({"secret": self.secret, "platformID": 10, "userID": admin}),
                )
                .await
            }
            ApiVersion::V3_8 => {
                self.call(
                    "/auth/get_admin_token",
                    None,
                    json!({"secret": self.secret, "userID": admin}),
                )
                .await
            }
        };
        data["token"].as_str().expect("token in data").to_string()
    }

    /// A token for an ordinary user on `platform` (§3.1, §4.2).
    pub async fn user_token(&self, user_id: &str, platform: i32) -> String {
        let data = match self.api {
            ApiVersion::V3_4 => {
                self.call(
                    "/auth/user_token",
                    None,
                    json!({"secret": self.secret, "platformID": platform, "userID": user_id}),
                )
                .await
            }
            ApiVersion::V3_8 => {
                let admin = self.admin_token().await;
                self.call(
                    "/auth/get_user_token",
                    Some(&admin),
                    json!({"platformID": platform, "userID": user_id}),
                )
                .await
            }
        };
        data["token"].as_str().expect("token in data").to_string()
    }

    /// Registers `(userID, nickname)` pairs in one batch.
    pub async fn register(&self, users: &[(&str, &str)]) {
        let users: Vec<Value> = users
            .iter()
            .map(|(id, nick)| json!({"userID": id, "nickname": nick, "faceURL": ""}))
            .collect();
        self.register_users(users).await;
    }

    /// Registers users given as whole `UserInfo` objects (nickname, faceURL, ex, ...) in one
    /// batch.
    pub async fn register_users(&self, users: Vec<Value>) {
        match self.api {
            ApiVersion::V3_4 => {
                self.call(
                    "/user/user_register",
                    None,
                    json!({"secret": self.secret, "users": users}),
                )
                .await;
            }
            ApiVersion::V3_8 => {
                let admin = self.admin_token().await;
                self.call("/user/user_register", Some(&admin), json!({"users": users}))
                    .await;
            }
        }
    }

    /// Whether each ID is registered, in request order.
    pub async fn registered(&self, ids: &[&str]) -> Vec<bool> {
        let admin = self.admin_token().await;
        let data = self
            .call(
                "/user/account_check",
                Some(&admin),
                json!({"checkUserIDs": ids}),
            )
            .await;
        data["results"]
            .as_array()
            .expect("results")
            .iter()
            .map(|r| r["accountStatus"] == "registered" || r["accountStatus"] == 1)
            .collect()
    }

    /// The user IDs of one page of /user/get_users, as the server lists them; `user_id` and
    /// `nickname` are v3.8's search fields, left out when empty.
    pub async fn user_ids_page(
        &self,
        page: u32,
        size: u32,
        user_id: &str,
        nickname: &str,
    ) -> Vec<String> {
        let admin = self.admin_token().await;
        let mut body = json!({"pagination": {"pageNumber": page, "showNumber": size}});
        if !user_id.is_empty() {
            body["userID"] = json!(user_id);
        }
        if !nickname.is_empty() {
            body["nickName"] = json!(nickname);
        }
        let data = self.call("/user/get_users", Some(&admin), body).await;
        data["users"]
            .as_array()
            .map(|users| {
                users
                    .iter()
                    .map(|u| u["userID"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// `total` of /user/get_users.
    pub async fn user_total(&self) -> u64 {
        let admin = self.admin_token().await;
        let data = self
            .call(
                "/user/get_users",
                Some(&admin),
                json!({"pagination": {"pageNumber": 1, "showNumber": 1}}),
            )
            .await;
        data["total"].as_u64().expect("total")
    }

    /// The envelope `/auth/parse_token` answers for `token`: errCode 0 and the claims when it is
    /// valid and not kicked (§3.5, §4.6).
    pub async fn parse_token(&self, token: &str) -> Value {
        self.post("/auth/parse_token", None, json!({"token": token}))
            .await
    }

    /// The stored user, as `/user/get_users_info` returns it.
    pub async fn user_info(&self, user_id: &str) -> Value {
        let admin = self.admin_token().await;
        let data = self
            .call(
                "/user/get_users_info",
                Some(&admin),
                json!({"userIDs": [user_id]}),
            )
            .await;
        data["usersInfo"][0].clone()
    }
}
