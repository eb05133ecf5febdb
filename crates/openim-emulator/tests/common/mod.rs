//! Harness shared by the contract tests: starts an emulator on an ephemeral port, sends real HTTP
//! to it and offers the assertions and JWT helpers the specification (shared/openim-api.md) needs.

#![allow(dead_code)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use openim_emulator::{md5_hex, spawn, Config, Running};
use openim_protocol::ApiVersion;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};

pub const SECRET: &str = "openIM123";
pub const V34_ADMIN: &str = "openIM123456";
pub const V34_ADMINS: [(&str, &str); 3] = [
    ("openIM123456", "system1"),
    ("openIM654321", "system2"),
    ("openIMAdmin", "system3"),
];
pub const V38_ADMIN: &str = "imAdmin";
/// `expireTimeSeconds` of every token response with the default 90 days (§2.1).
pub const EXPIRE_SECONDS: i64 = 7_776_000;
/// `Access-Control-Expose-Headers` exactly as `mw.CorsHandler` sets it (§1.4).
pub const CORS_EXPOSE: &str = "Content-Length, Access-Control-Allow-Origin, Access-Control-Allow-Headers,Cache-Control,Content-Language,Content-Type,Expires,Last-Modified,Pragma,FooBar";
/// gin's default 404 body (§1.3).
pub const NOT_FOUND_BODY: &str = "404 page not found";
/// The body of every OPTIONS answer: a JSON string (§1.4).
pub const OPTIONS_BODY: &str = "\"Options Request!\"";
/// The success envelope of a response message without exported fields (§1.3).
pub const OK_EMPTY: &str = r#"{"errCode":0,"errMsg":"","errDlt":""}"#;
/// The keys of `sdkws.UserInfo`, every one always present (§1.3, §3.2).
pub const USER_INFO_KEYS: [&str; 7] = [
    "userID",
    "nickname",
    "faceURL",
    "ex",
    "createTime",
    "appMangerLevel",
    "globalRecvMsgOpt",
];

/// One HTTP answer: status, headers and the raw body text.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "body is not JSON ({e}): {:?} (status {})",
                self.body, self.status
            )
        })
    }

    pub fn code(&self) -> i64 {
        self.json()["errCode"]
            .as_i64()
            .unwrap_or_else(|| panic!("no integer errCode in {:?}", self.body))
    }

    /// The `data` of a success envelope; panics on an error envelope.
    pub fn data(&self) -> Value {
        let v = self.json();
        assert_eq!(self.status, 200, "status of {:?}", self.body);
        assert_eq!(
            v["errCode"],
            json!(0),
            "expected success, got {}",
            self.body
        );
        assert_eq!(v["errMsg"], json!(""), "errMsg of success {}", self.body);
        assert_eq!(v["errDlt"], json!(""), "errDlt of success {}", self.body);
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "content-type of {}",
            self.body
        );
        assert_cors(self);
        v.get("data")
            .cloned()
            .unwrap_or_else(|| panic!("success without data: {}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(name)
            .map(|v| v.to_str().expect("ASCII header value"))
    }
}

/// One HTTP answer with the body as received (possibly compressed).
#[derive(Debug)]
pub struct RawReply {
    pub status: u16,
    pub headers: HeaderMap,
    pub bytes: Vec<u8>,
}

/// An emulator config listening on an ephemeral local port.
pub fn config(api: ApiVersion) -> Config {
    Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        api,
        ..Config::default()
    }
}

/// An emulator config with the chat admin API on an ephemeral local port too.
pub fn config_with_chat(api: ApiVersion) -> Config {
    Config {
        chat_listen: Some("127.0.0.1:0".parse().unwrap()),
        ..config(api)
    }
}

pub fn config_seeded(api: ApiVersion, seed_users: u32) -> Config {
    Config {
        seed_users,
        ..config(api)
    }
}

/// A running emulator plus an HTTP client that neither asks for nor decodes gzip nor follows
/// redirects, so headers and bodies are seen as sent.
pub struct Emu {
    pub running: Running,
    pub api: ApiVersion,
    /// The secret this emulator was started with.
    pub secret: String,
    pub base: String,
    /// `http://<chat admin API address>` when the config asked for one.
    pub chat_base: Option<String>,
    client: reqwest::Client,
}

pub fn raw_client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        // Redirects are answers to see, not to follow.
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

/// A client that sends `Accept-Encoding: gzip` and decompresses transparently.
pub fn gzip_client() -> reqwest::Client {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("client")
}

impl Emu {
    pub async fn start(api: ApiVersion) -> Emu {
        Emu::start_with(config(api)).await
    }

    pub async fn seeded(api: ApiVersion, seed_users: u32) -> Emu {
        Emu::start_with(config_seeded(api, seed_users)).await
    }

    pub async fn start_with(config: Config) -> Emu {
        let api = config.api;
        let secret = config.secret.clone();
        let running = spawn(config).await.expect("the emulator starts");
        let base = format!("http://{}", running.addr);
        let chat_base = running.chat_addr.map(|a| format!("http://{a}"));
        Emu {
            running,
            api,
            secret,
            base,
            chat_base,
            client: raw_client(),
        }
    }

    /// An emulator that also serves the chat admin API on an ephemeral port.
    pub async fn with_chat(api: ApiVersion) -> Emu {
        Emu::start_with(config_with_chat(api)).await
    }

    /// A request to the chat admin API with exactly these headers and this raw body.
    pub async fn chat_request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        let base = self.chat_base.as_ref().expect("started with a chat port");
        let raw = fetch(
            &self.client,
            method,
            &format!("{base}{path}"),
            headers,
            body.as_bytes().to_vec(),
        )
        .await;
        into_reply(raw)
    }

    /// A POST to the chat admin API with exactly these headers and this raw body.
    pub async fn chat_post(&self, path: &str, headers: &[(&str, &str)], raw_body: &str) -> Reply {
        self.chat_request(Method::POST, path, headers, raw_body)
            .await
    }

    /// `POST /account/login` with an operationID and this raw body.
    pub async fn chat_login_raw(&self, raw_body: &str) -> Reply {
        self.chat_post("/account/login", &[("operationID", "op-test")], raw_body)
            .await
    }

    /// Signs in with the plaintext password, hashed as the official front does (md5 hex).
    pub async fn chat_login(&self, account: &str, plain: &str) -> Reply {
        let body = json!({"account": account, "password": md5_hex(plain)});
        self.chat_login_raw(&body.to_string()).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Sends any request with exactly the given headers (plus the client's own `accept` and
    /// `host`) and answers the raw body bytes.
    pub async fn request_bytes(
        &self,
        client: &reqwest::Client,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> RawReply {
        fetch(client, method, &self.url(path), headers, body).await
    }

    pub async fn request_with(
        &self,
        client: &reqwest::Client,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: Vec<u8>,
    ) -> Reply {
        let raw = self
            .request_bytes(client, method, path, headers, body)
            .await;
        into_reply(raw)
    }

    pub async fn request(
        &self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: &str,
    ) -> Reply {
        self.request_with(
            &self.client,
            method,
            path,
            headers,
            body.as_bytes().to_vec(),
        )
        .await
    }

    /// A POST with exactly these headers and this raw body.
    pub async fn post(&self, path: &str, headers: &[(&str, &str)], raw_body: &str) -> Reply {
        self.request(Method::POST, path, headers, raw_body).await
    }

    /// A POST with an operationID and, if given, a token.
    pub async fn call(&self, path: &str, token: Option<&str>, raw_body: &str) -> Reply {
        match token {
            Some(t) => {
                self.post(path, &[("operationID", "op-test"), ("token", t)], raw_body)
                    .await
            }
            None => {
                self.post(path, &[("operationID", "op-test")], raw_body)
                    .await
            }
        }
    }

    pub async fn call_json(&self, path: &str, token: Option<&str>, body: &Value) -> Reply {
        self.call(path, token, &body.to_string()).await
    }

    /// An admin token the way the reference clients get one (§7).
    pub async fn admin_token(&self) -> String {
        match self.api {
            ApiVersion::V3_4 => self.v34_token(V34_ADMIN, 10).await,
            ApiVersion::V3_8 => {
                let r = self
                    .call_json(
                        "/auth/get_admin_token",
                        None,
                        &json!({"secret": self.secret, "userID": V38_ADMIN}),
                    )
                    .await;
                token_of(&r)
            }
        }
    }

    /// v3.4 `/auth/user_token` for any registered user.
    pub async fn v34_token(&self, user_id: &str, platform_id: i64) -> String {
        let r = self
            .call_json(
                "/auth/user_token",
                None,
                &json!({"secret": self.secret, "platformID": platform_id, "userID": user_id}),
            )
            .await;
        token_of(&r)
    }

    /// v3.8 `/auth/get_user_token` with the given admin token.
    pub async fn v38_user_token(&self, admin: &str, user_id: &str, platform_id: i64) -> String {
        let r = self
            .call_json(
                "/auth/get_user_token",
                Some(admin),
                &json!({"platformID": platform_id, "userID": user_id}),
            )
            .await;
        token_of(&r)
    }

    /// A token of an ordinary user in either generation.
    pub async fn user_token(&self, user_id: &str, platform_id: i64) -> String {
        match self.api {
            ApiVersion::V3_4 => self.v34_token(user_id, platform_id).await,
            ApiVersion::V3_8 => {
                let admin = self.admin_token().await;
                self.v38_user_token(&admin, user_id, platform_id).await
            }
        }
    }

    /// Registers the users (a JSON array) and asserts success.
    pub async fn register(&self, users: Value) {
        let r = match self.api {
            ApiVersion::V3_4 => {
                self.call_json(
                    "/user/user_register",
                    None,
                    &json!({"secret": self.secret, "users": users}),
                )
                .await
            }
            ApiVersion::V3_8 => {
                let admin = self.admin_token().await;
                self.call_json(
                    "/user/user_register",
                    Some(&admin),
                    &json!({"users": users}),
                )
                .await
            }
        };
        assert_eq!(r.status, 200, "register: {}", r.body);
        assert_eq!(r.body, OK_EMPTY, "register");
    }

    /// Registers users with these IDs and nicknames equal to the IDs.
    pub async fn register_ids(&self, ids: &[&str]) {
        let users: Vec<Value> = ids
            .iter()
            .map(|id| json!({"userID": id, "nickname": id}))
            .collect();
        self.register(Value::Array(users)).await;
    }

    /// `account_check` with an admin token, answering the `results` array.
    pub async fn account_status(&self, ids: &[&str]) -> Value {
        let admin = self.admin_token().await;
        let r = self
            .call_json(
                "/user/account_check",
                Some(&admin),
                &json!({ "checkUserIDs": ids }),
            )
            .await;
        r.data()["results"].clone()
    }

    /// `get_users` with an admin token.
    pub async fn get_users(&self, body: Value) -> Value {
        let admin = self.admin_token().await;
        self.call_json("/user/get_users", Some(&admin), &body)
            .await
            .data()
    }

    /// `get_users_info` of one user with an admin token.
    pub async fn user_info(&self, user_id: &str) -> Value {
        let admin = self.admin_token().await;
        let r = self
            .call_json(
                "/user/get_users_info",
                Some(&admin),
                &json!({ "userIDs": [user_id] }),
            )
            .await;
        let list = r.data()["usersInfo"].clone();
        let list = list
            .as_array()
            .unwrap_or_else(|| panic!("usersInfo: {}", r.body));
        assert_eq!(list.len(), 1, "usersInfo of {user_id}: {}", r.body);
        list[0].clone()
    }
}

/// Sends any request with exactly the given headers (plus the client's own `accept` and
/// `host`) and answers the raw body bytes.
async fn fetch(
    client: &reqwest::Client,
    method: Method,
    url: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> RawReply {
    let mut req = client.request(method, url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let resp = req.body(body).send().await.expect("the emulator answers");
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = resp.bytes().await.expect("a readable body").to_vec();
    RawReply {
        status,
        headers,
        bytes,
    }
}

fn into_reply(raw: RawReply) -> Reply {
    let body = String::from_utf8(raw.bytes.clone())
        .unwrap_or_else(|_| panic!("body is not UTF-8: {:?}", raw.bytes));
    Reply {
        status: raw.status,
        headers: raw.headers,
        body,
    }
}

pub fn token_of(r: &Reply) -> String {
    let data = r.data();
    data["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token in {}", r.body))
        .to_string()
}

/// `{"errCode":..,"errMsg":..,"errDlt":..}` in Go's field order.
pub fn err_body(code: i64, msg: &str, dlt: &str) -> String {
    format!(
        r#"{{"errCode":{code},"errMsg":{},"errDlt":{}}}"#,
        serde_json::to_string(msg).unwrap(),
        serde_json::to_string(dlt).unwrap()
    )
}

/// The exact error envelope at HTTP 200, with the CORS headers.
pub fn assert_err(r: &Reply, code: i64, msg: &str, dlt: &str) {
    assert_err_status(r, 200, code, msg, dlt);
}

pub fn assert_err_status(r: &Reply, status: u16, code: i64, msg: &str, dlt: &str) {
    assert_eq!(
        r.body,
        err_body(code, msg, dlt),
        "body (status {})",
        r.status
    );
    assert_eq!(r.status, status, "status of {}", r.body);
    assert_cors(r);
    assert_eq!(
        r.header("content-type"),
        Some("application/json"),
        "content-type of {}",
        r.body
    );
}

/// An error envelope whose errDlt is not pinned down: errCode and errMsg exact, errDlt a string,
/// no data key, HTTP 200.
pub fn assert_err_code(r: &Reply, code: i64, msg: &str) {
    assert_err_code_status(r, 200, code, msg);
}

pub fn assert_err_code_status(r: &Reply, status: u16, code: i64, msg: &str) {
    assert_eq!(r.status, status, "status of {}", r.body);
    let v = r.json();
    let obj = v
        .as_object()
        .unwrap_or_else(|| panic!("not an object: {}", r.body));
    assert_eq!(v["errCode"], json!(code), "errCode of {}", r.body);
    assert_eq!(v["errMsg"], json!(msg), "errMsg of {}", r.body);
    assert!(v["errDlt"].is_string(), "errDlt of {}", r.body);
    assert!(!obj.contains_key("data"), "error with data: {}", r.body);
    assert_eq!(obj.len(), 3, "envelope keys of {}", r.body);
    assert_cors(r);
}

/// Only errCode pinned (v3.8 bad JSON, whose errMsg carries Go stack frames), no data key.
pub fn assert_code_only(r: &Reply, status: u16, code: i64) {
    assert_eq!(r.status, status, "status of {}", r.body);
    let v = r.json();
    assert_eq!(v["errCode"], json!(code), "errCode of {}", r.body);
    assert!(v["errMsg"].is_string(), "errMsg of {}", r.body);
    assert!(v["errDlt"].is_string(), "errDlt of {}", r.body);
    assert!(v.get("data").is_none(), "error with data: {}", r.body);
    assert_cors(r);
}

/// The success envelope without data (`UserRegisterResp`, `ForceLogoutResp`, ...).
pub fn assert_ok_empty(r: &Reply) {
    assert_eq!(r.body, OK_EMPTY, "status {}", r.status);
    assert_eq!(r.status, 200);
    assert_cors(r);
    assert_eq!(r.header("content-type"), Some("application/json"));
}

/// The headers `mw.CorsHandler` puts on every response (§1.4).
pub fn assert_cors(r: &Reply) {
    let expect = [
        ("access-control-allow-origin", "*"),
        ("access-control-allow-methods", "*"),
        ("access-control-allow-headers", "*"),
        ("access-control-expose-headers", CORS_EXPOSE),
        ("access-control-max-age", "172800"),
        ("access-control-allow-credentials", "false"),
    ];
    for (name, value) in expect {
        assert_eq!(
            r.header(name),
            Some(value),
            "header {name} on a {} answer {:?}",
            r.status,
            r.body
        );
    }
}

/// gin's 404: text/plain `404 page not found`, CORS headers still set by the global middleware.
pub fn assert_404(r: &Reply) {
    assert_eq!(r.status, 404, "status of {:?}", r.body);
    assert_eq!(r.body, NOT_FOUND_BODY);
    let ct = r.header("content-type").unwrap_or("");
    assert!(
        ct.starts_with("text/plain"),
        "content-type of a 404: {ct:?}"
    );
    assert_cors(r);
}

pub fn assert_options(r: &Reply) {
    assert_eq!(r.status, 200, "status of OPTIONS");
    assert_eq!(r.body, OPTIONS_BODY);
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_cors(r);
}

/// Every UserInfo field present, and nothing else.
pub fn assert_user_info_shape(u: &Value) {
    let obj = u
        .as_object()
        .unwrap_or_else(|| panic!("UserInfo is not an object: {u}"));
    let mut keys: Vec<&str> = obj.keys().map(String::as_str).collect();
    keys.sort_unstable();
    let mut want = USER_INFO_KEYS.to_vec();
    want.sort_unstable();
    assert_eq!(keys, want, "UserInfo keys of {u}");
    for k in ["userID", "nickname", "faceURL", "ex"] {
        assert!(u[k].is_string(), "{k} of {u}");
    }
    for k in ["createTime", "appMangerLevel", "globalRecvMsgOpt"] {
        assert!(u[k].is_i64(), "{k} is a JSON number in {u}");
    }
}

/// A UserInfo compared field by field, createTime only as a millisecond time in `[lo, hi]`.
pub fn assert_user(u: &Value, id: &str, nick: &str, level: i64, ms_range: (i64, i64)) {
    assert_user_info_shape(u);
    assert_eq!(u["userID"], json!(id), "{u}");
    assert_eq!(u["nickname"], json!(nick), "{u}");
    assert_eq!(u["appMangerLevel"], json!(level), "{u}");
    let ct = u["createTime"].as_i64().unwrap();
    assert!(
        ct >= ms_range.0 && ct <= ms_range.1,
        "createTime {ct} of {id} is not a millisecond time in {ms_range:?}"
    );
}

pub fn ids_of(users: &Value) -> Vec<String> {
    users
        .as_array()
        .unwrap_or_else(|| panic!("not a list: {users}"))
        .iter()
        .map(|u| u["userID"].as_str().unwrap().to_string())
        .collect()
}

pub fn now_secs() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64
}

pub fn b64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn b64url_decode(s: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(s)
        .unwrap_or_else(|e| panic!("segment {s:?} is not unpadded base64url: {e}"))
}

/// A decoded JWT: the header and payload as raw JSON text and parsed.
pub struct Jwt {
    pub header_raw: String,
    pub payload_raw: String,
    pub header: Value,
    pub payload: Value,
}

pub fn decode_jwt(token: &str) -> Jwt {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "a JWT has three segments: {token}");
    let header_raw = String::from_utf8(b64url_decode(parts[0])).unwrap();
    let payload_raw = String::from_utf8(b64url_decode(parts[1])).unwrap();
    assert!(!parts[2].is_empty(), "signature segment of {token}");
    Jwt {
        header: serde_json::from_str(&header_raw).unwrap(),
        payload: serde_json::from_str(&payload_raw).unwrap(),
        header_raw,
        payload_raw,
    }
}

fn mac(alg: &str, secret: &str, input: &[u8]) -> Vec<u8> {
    match alg {
        "HS256" => {
            let mut m = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
            m.update(input);
            m.finalize().into_bytes().to_vec()
        }
        "HS384" => {
            let mut m = Hmac::<sha2::Sha384>::new_from_slice(secret.as_bytes()).unwrap();
            m.update(input);
            m.finalize().into_bytes().to_vec()
        }
        "HS512" => {
            let mut m = Hmac::<sha2::Sha512>::new_from_slice(secret.as_bytes()).unwrap();
            m.update(input);
            m.finalize().into_bytes().to_vec()
        }
        other => panic!("no HMAC for {other}"),
    }
}

/// A JWT signed with HMAC (`HS256`/`HS384`/`HS512`) over the given raw payload JSON.
pub fn forge(alg: &str, secret: &str, payload: &str) -> String {
    let header = format!(r#"{{"alg":"{alg}","typ":"JWT"}}"#);
    let input = format!(
        "{}.{}",
        b64url(header.as_bytes()),
        b64url(payload.as_bytes())
    );
    let sig = mac(alg, secret, input.as_bytes());
    format!("{input}.{}", b64url(&sig))
}

/// An unsigned `alg: none` JWT.
pub fn forge_none(payload: &str) -> String {
    let header = r#"{"alg":"none","typ":"JWT"}"#;
    format!(
        "{}.{}.",
        b64url(header.as_bytes()),
        b64url(payload.as_bytes())
    )
}

/// OpenIM's claims in Go's marshalling order; `nbf` only when given (§2.1).
pub fn claims(user_id: &str, platform_id: i64, exp: i64, nbf: Option<i64>, iat: i64) -> String {
    let uid = serde_json::to_string(user_id).unwrap();
    match nbf {
        Some(nbf) => format!(
            r#"{{"UserID":{uid},"PlatformID":{platform_id},"exp":{exp},"nbf":{nbf},"iat":{iat}}}"#
        ),
        None => format!(r#"{{"UserID":{uid},"PlatformID":{platform_id},"exp":{exp},"iat":{iat}}}"#),
    }
}

/// Whether the token's signature is HS256 with this secret.
pub fn signed_hs256_with(token: &str, secret: &str) -> bool {
    let (input, sig) = token.rsplit_once('.').expect("a JWT");
    b64url(&mac("HS256", secret, input.as_bytes())) == sig
}
