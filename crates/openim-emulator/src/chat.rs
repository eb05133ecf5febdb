//! The OpenIM chat server's admin API on a port of its own (../shared/chat-admin-api.md; section
//! numbers below refer to it): the admin sign-in `POST /account/login`, which hands a dashboard
//! an OpenIM admin token without the OpenIM secret.
//!
//! Each OpenIM generation is paired with the chat generation released beside it (§0): v3.4 with
//! chat v1.4.x (§3), v3.8 with chat v1.8.4 (§4): its error texts (tools alpha.65) and its
//! 5-minute imToken cache, but without the lock that v1.8.4 leaks after a failed IM call, which
//! v1.8.4-patch.2 fixed (§4.6 #9).
//!
//! The chat side shares the emulator's state. Its `imToken` comes from the emulator's own OpenIM
//! side through the same code as `/auth/user_token` (v3.4) or `/auth/get_admin_token` (v3.8), as
//! if chat had called it over HTTP (§3.6, §4.7), so it works as an admin token on the OpenIM
//! port. Only the sign-in is served: every other admin route (§6.1) answers gin's 404.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, Response, StatusCode, Uri};
use axum::Router;
use md5::{Digest, Md5};
use openim_protocol::{ApiVersion, ErrCode, HEADER_OPERATION_ID};
use serde::{Deserialize, Serialize};

use crate::endpoints::{issue_admin_token_v38, issue_user_token_v34};
use crate::envelope::{self, ApiError};
use crate::godecode::{self, Struct, Ty};
use crate::jwt;
use crate::server::{self, fail, header_str, App, Ctx};
use crate::store::ChatAdmin;

/// The chat admin API's port in both generations (§2.1).
pub const DEFAULT_CHAT_PORT: u16 = 10009;

const LOGIN_PATH: &str = "/account/login";

/// `constant.AdminPlatformID`: the platform of the imToken chat v1.4 asks for (§3.3 step 5).
const ADMIN_PLATFORM_ID: i32 = 10;

/// chat v1.4's `adminList`: the seeded accounts, their nicknames and the OpenIM admin each maps
/// to (§1, §3.3 step 4, §3.4).
const V14_ADMIN_LIST: [(&str, &str, &str); 3] = [
    ("admin1", "chat1", "openIM123456"),
    ("admin2", "chat2", "openIM654321"),
    ("admin3", "chat3", "openIMAdmin"),
];

/// chat v1.8's `share.yml`: `chatAdmin: ["chatAdmin"]` and `openIM.adminUserID: imAdmin`
/// (§4.3).
const V18_CHAT_ADMIN: &str = "chatAdmin";
const V18_IM_ADMIN: &str = "imAdmin";

/// chat v1.8's admin JWT key, `chat-rpc-admin.yml secret` (§4.3). v1.4 has none of its own and
/// copies the OpenIM secret (§3.5).
pub const V18_ADMIN_SECRET: &str = "chat123";

/// chat v1.8's `tokenPolicy.expire` in days (§4.3). v1.4 copies the OpenIM server's (§3.5).
const V18_ADMIN_TOKEN_DAYS: i64 = 90;

/// How long chat v1.8.3+ reuses an imToken it fetched (§4.7).
const IM_TOKEN_CACHE_MS: i64 = 5 * 60 * 1000;

/// `admins.level` of a seeded super admin (§3.4, §4.3).
const SUPER_ADMIN_LEVEL: i32 = 100;

/// chat's own error codes (`pkg/eerrs/predefine.go`, §5).
const PASSWORD_ERROR: (i32, &str) = (20001, "PasswordError");
const ACCOUNT_NOT_FOUND: (i32, &str) = (20002, "AccountNotFound");
const ARGS_ERROR: (i32, &str) = (1001, "ArgsError");

/// The lowercase md5 hex chat stores and compares as the password (§3.2).
pub fn md5_hex(plain: &str) -> String {
    Md5::digest(plain.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The admin accounts a fresh chat database holds (§3.4, §4.3).
pub fn seeded_admins(version: ApiVersion) -> Vec<ChatAdmin> {
    match version {
        ApiVersion::V3_4 => V14_ADMIN_LIST
            .iter()
            .map(|(account, nickname, im_admin)| ChatAdmin {
                account: account.to_string(),
                password: md5_hex(account),
                // An empty nickname in adminList would fall back to the account.
                nickname: nickname.to_string(),
                face_url: String::new(),
                level: SUPER_ADMIN_LEVEL,
                user_id: im_admin.to_string(),
            })
            .collect(),
        ApiVersion::V3_8 => vec![ChatAdmin {
            account: V18_CHAT_ADMIN.into(),
            password: md5_hex(V18_CHAT_ADMIN),
            nickname: String::new(),
            face_url: String::new(),
            level: SUPER_ADMIN_LEVEL,
            // Every chatAdmin account gets the IM admin's ID as its own (§4.3 note).
            user_id: V18_IM_ADMIN.into(),
        }],
    }
}

/// v1.4 `config.GetIMAdmin`: the `imAdmin` of the adminList entry whose `imAdmin` or `adminID`
/// is the admin's userID, or "" (§3.3 step 4).
fn v14_im_admin(admin_user_id: &str) -> &'static str {
    V14_ADMIN_LIST
        .iter()
        .find(|(account, _, im_admin)| *im_admin == admin_user_id || *account == admin_user_id)
        .map(|(_, _, im_admin)| *im_admin)
        .unwrap_or("")
}

/// The chat admin API process: the shared state, plus what lives in chat's own memory.
struct ChatApi {
    app: Arc<App>,
    /// v1.8's imToken cache by IM userID: the token and when it was fetched (ms).
    im_tokens: Mutex<HashMap<String, (String, i64)>>,
}

/// The chat admin API as an axum router over the emulator's shared state.
pub fn router(app: Arc<App>) -> Router {
    let chat = Arc::new(ChatApi {
        app,
        im_tokens: Mutex::new(HashMap::new()),
    });
    // No gzip layer: chat's gin engine has none, in either generation (§2.2).
    Router::new()
        .fallback(handle)
        .with_state(chat)
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024))
}

async fn handle(
    State(chat): State<Arc<ChatApi>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let started = Instant::now();
    let (resp, code) = pipeline(&chat, &method, &uri, &headers, &body);
    if !chat.app.config.quiet {
        server::log_request("chat ", &resp, &method, &uri, &headers, code, started);
    }
    resp
}

/// gin's order (§2.2, §2.3): a route's trailing-slash twin is redirected before any middleware;
/// then CORS (which answers OPTIONS), the operationID check on POST, and only then routing,
/// since the middleware also runs on gin's no-route chain.
fn pipeline(
    chat: &ChatApi,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> (Response<Body>, Option<i32>) {
    let version = chat.app.config.api;
    let is_post = method == Method::POST;
    if is_post && uri.path() == format!("{LOGIN_PATH}/") {
        return (trailing_slash_redirect(uri), None);
    }
    if method == Method::OPTIONS {
        return (envelope::options(), None);
    }
    let routed = is_post && uri.path() == LOGIN_PATH;
    if is_post
        && header_str(headers, HEADER_OPERATION_ID)
            .unwrap_or("")
            .is_empty()
    {
        return fail(missing_operation_id(version, routed));
    }
    if !routed {
        return (envelope::not_found(), None);
    }
    match login(chat, server::now_ms(), body) {
        Ok(resp) => (resp, Some(0)),
        Err(e) => fail(e),
    }
}

/// gin's `RedirectTrailingSlash` for a POST: 307 to the path without the slash, query kept, no
/// body and none of the middleware's headers.
fn trailing_slash_redirect(uri: &Uri) -> Response<Body> {
    let location = match uri.query() {
        Some(q) => format!("{LOGIN_PATH}?{q}"),
        None => LOGIN_PATH.to_string(),
    };
    let mut resp = Response::new(Body::empty());
    *resp.status_mut() = StatusCode::TEMPORARY_REDIRECT;
    if let Ok(value) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, value);
    }
    resp
}

// ---------------------------------------------------------------------------------------------
// Errors in each generation's words (§3.7, §4.6)
// ---------------------------------------------------------------------------------------------

/// A coded error raised with `Wrap(msg)`: v1.4 (tools v0.0.17) details it as
/// `"<msg>: <code> <Name>"`; v1.8.4's RPC server keeps only the name (§3.7, §4.6).
fn coded(version: ApiVersion, (code, name): (i32, &str), msg: &str) -> ApiError {
    let dlt = match version {
        ApiVersion::V3_4 => format!("{msg}: {code} {name}"),
        ApiVersion::V3_8 => name.to_string(),
    };
    ApiError::raw(ErrCode(code), name, dlt)
}

/// `GinParseOperationID` (§3.7 #1, §4.6 #1). v1.8.4 details the error with its Go stack.
fn missing_operation_id(version: ApiVersion, routed: bool) -> ApiError {
    const MSG: &str = "header must have operationID";
    match version {
        ApiVersion::V3_4 => coded(version, ARGS_ERROR, MSG),
        ApiVersion::V3_8 => {
            let mut frames = vec![
                tools_frame("errs.(*codeError).WrapMsg", "errs/coderr.go:69"),
                tools_frame("mw.GinParseOperationID.func1", "mw/gin.go:69"),
            ];
            frames.extend(middleware_frames(routed));
            ApiError::raw(
                ErrCode::ARGS,
                ARGS_ERROR.1,
                go_stack(&format!("1001 ArgsError: {MSG}"), &frames),
            )
        }
    }
}

/// An unreadable body (§3.7 #2, §4.6 #2). v1.4's `c.BindJSON` has already written status 400
/// and the handler's envelope carries the bare Go error as a 500. v1.8.4 wraps the error twice
/// with stacks (jsonutil, then the binding) and reports it as a 1001 whose errDlt repeats it.
fn bad_json(version: ApiVersion, go_error: String) -> ApiError {
    match version {
        ApiVersion::V3_4 => ApiError::raw(ErrCode::SERVER_INTERNAL, go_error, "")
            .with_status(StatusCode::BAD_REQUEST),
        ApiVersion::V3_8 => {
            let bind = [
                tools_frame("a2r.jsonBinding.Bind", "a2r/api2rpc.go:112"),
                gin_frame("gin.(*Context).ShouldBindWith", "context.go:711"),
                tools_frame("a2r.ParseRequest[...]", "a2r/api2rpc.go:76"),
                "admin.(*Api).AdminLogin() /openim-chat/internal/api/admin/admin.go:51".to_string(),
                gin_frame("gin.(*Context).Next", "context.go:174"),
                tools_frame("mw.GinParseOperationID.func1", "mw/gin.go:75"),
            ];
            let tail: Vec<String> = bind.into_iter().chain(middleware_frames(true)).collect();
            let mut inner = vec![
                tools_frame("errs.Wrap", "errs/coderr.go:92"),
                tools_frame("jsonutil.JsonUnmarshal", "utils/jsonutil/json.go:56"),
                tools_frame("a2r.jsonBinding.BindBody", "a2r/api2rpc.go:117"),
            ];
            inner.extend(tail.iter().cloned());
            let mut outer = vec![tools_frame("errs.Wrap", "errs/coderr.go:92")];
            outer.extend(tail);
            let msg = go_stack(&go_stack(&go_error, &inner), &outer);
            let dlt = format!("1001 {msg}");
            ApiError::raw(ErrCode::ARGS, msg, dlt)
        }
    }
}

/// tools' `stack.stackError` text: `Error: <inner> | -> f() file:line -> ...` (§4.6).
fn go_stack(inner: &str, frames: &[String]) -> String {
    let mut text = format!("Error: {inner} |");
    for frame in frames {
        text.push_str(" -> ");
        text.push_str(frame);
    }
    text
}

// Stack frames of a chat v1.8.4 binary built in the `golang` image (tools v0.0.50-alpha.65, gin
// v1.9.1). Real texts name the build machine's paths, so only their shape is reproduced and
// clients must not match on them (§10).
fn tools_frame(func: &str, file_line: &str) -> String {
    format!("{func}() /go/pkg/mod/github.com/openimsdk/tools@v0.0.50-alpha.65/{file_line}")
}

fn gin_frame(func: &str, file_line: &str) -> String {
    format!("{func}() /go/pkg/mod/github.com/gin-gonic/gin@v1.9.1/{file_line}")
}

/// From the CORS middleware out to the HTTP server; an unknown path runs through gin's
/// `serveError` (§2.3).
fn middleware_frames(routed: bool) -> Vec<String> {
    let next = || gin_frame("gin.(*Context).Next", "context.go:174");
    let mut frames = vec![
        next(),
        tools_frame("mw.CorsHandler.func1", "mw/gin.go:59"),
        next(),
        gin_frame("gin.CustomRecoveryWithWriter.func1", "recovery.go:102"),
        next(),
    ];
    if routed {
        frames.push(gin_frame("gin.(*Engine).handleHTTPRequest", "gin.go:620"));
    } else {
        frames.push(gin_frame("gin.serveError", "gin.go:663"));
        frames.push(gin_frame("gin.(*Engine).handleHTTPRequest", "gin.go:651"));
    }
    frames.push(gin_frame("gin.(*Engine).ServeHTTP", "gin.go:576"));
    frames.push("http.serverHandler.ServeHTTP() /usr/local/go/src/net/http/server.go:3142".into());
    frames.push("http.(*conn).serve() /usr/local/go/src/net/http/server.go:2044".into());
    frames
}

// ---------------------------------------------------------------------------------------------
// POST /account/login (§3.3, §4.4)
// ---------------------------------------------------------------------------------------------

/// `admin.LoginReq` (§3.2, §4.2). There is no `version` field in any release; Go ignores it.
static LOGIN_REQ: Struct = Struct {
    go_name: "admin.LoginReq",
    fields: &[("account", Ty::Str), ("password", Ty::Str)],
};

#[derive(Deserialize)]
struct LoginReq {
    account: String,
    password: String,
}

/// `apistruct.AdminLoginResp`, in its field order, nothing omitted (§3.4, §4.8).
#[derive(Serialize)]
struct LoginResp {
    #[serde(rename = "adminAccount")]
    admin_account: String,
    #[serde(rename = "adminToken")]
    admin_token: String,
    nickname: String,
    #[serde(rename = "faceURL")]
    face_url: String,
    level: i32,
    #[serde(rename = "adminUserID")]
    admin_user_id: String,
    #[serde(rename = "imUserID")]
    im_user_id: String,
    #[serde(rename = "imToken")]
    im_token: String,
}

/// chat's admin token claims, in Go's field order (§3.5, §4.5).
#[derive(Serialize)]
struct AdminClaims<'a> {
    #[serde(rename = "UserID")]
    user_id: &'a str,
    /// 2 = admin.
    #[serde(rename = "UserType")]
    user_type: i32,
    #[serde(rename = "PlatformID")]
    platform_id: i32,
    exp: i64,
    nbf: i64,
    iat: i64,
}

/// v1.4 binds with gin's `BindJSON` (a `json.Decoder`); v1.8 with tools' `a2r` binding
/// (`json.Unmarshal`) (§3.3 step 1, §4.4 step 2).
fn bind(version: ApiVersion, body: &[u8]) -> Result<LoginReq, ApiError> {
    let value = match version {
        ApiVersion::V3_4 => godecode::decode(body, &LOGIN_REQ),
        ApiVersion::V3_8 => godecode::unmarshal(body, &LOGIN_REQ),
    };
    value
        .and_then(godecode::read)
        .map_err(|e| bad_json(version, e))
}

/// The sign-in at `now_ms`, in chat's order: bind, `Check()`, the admin RPC (find, compare,
/// mint and store the adminToken), then the imToken. A failed imToken leaves the adminToken
/// stored, as in chat (§3.3).
fn login(chat: &ChatApi, now_ms: i64, body: &[u8]) -> Result<Response<Body>, ApiError> {
    let app = &chat.app;
    let version = app.config.api;
    let req = bind(version, body)?;
    // v1.4 runs Check() in the API with these messages; v1.8.4 only in the RPC, where they are
    // lost (§3.2, §4.2).
    if req.account.is_empty() {
        return Err(coded(version, ARGS_ERROR, "account is empty"));
    }
    if req.password.is_empty() {
        return Err(coded(version, ARGS_ERROR, "password is empty"));
    }
    let now = now_ms / 1000;
    let (admin, admin_token) = {
        let mut data = app.state.lock().expect("state lock");
        let Some(admin) = data.chat_admins.find(&req.account).cloned() else {
            return Err(coded(version, ACCOUNT_NOT_FOUND, ""));
        };
        if admin.password != req.password {
            return Err(coded(version, PASSWORD_ERROR, ""));
        }
        let (key, days, nbf) = match version {
            ApiVersion::V3_4 => (
                app.config.secret.as_str(),
                app.config.token_expire_days as i64,
                now - 300,
            ),
            ApiVersion::V3_8 => (V18_ADMIN_SECRET, V18_ADMIN_TOKEN_DAYS, now - 60),
        };
        let ttl = days * 24 * 60 * 60;
        let token = jwt::sign_claims(
            &AdminClaims {
                user_id: &admin.user_id,
                user_type: 2,
                platform_id: 0,
                exp: now + ttl,
                nbf,
                iat: now,
            },
            key,
        );
        match version {
            ApiVersion::V3_4 => data.chat_tokens.add_v14(&admin.user_id, token.clone()),
            ApiVersion::V3_8 => {
                data.chat_tokens
                    .add_v18(&admin.user_id, token.clone(), now, ttl, |t| {
                        jwt::parse(t, V18_ADMIN_SECRET, now).ok().map(|c| c.exp)
                    })
            }
        }
        (admin, token)
    };
    let ctx = Ctx {
        app,
        version,
        op_user: None,
        now_ms,
    };
    // chat sends its copy of the OpenIM secret, which is the emulator's own (§3.6, §4.7).
    let (im_user_id, im_token) = match version {
        ApiVersion::V3_4 => {
            let im_user = v14_im_admin(&admin.user_id);
            let token = issue_user_token_v34(&ctx, &app.config.secret, ADMIN_PLATFORM_ID, im_user)?;
            (im_user, token)
        }
        ApiVersion::V3_8 => (V18_IM_ADMIN, cached_admin_token(chat, &ctx, V18_IM_ADMIN)?),
    };
    Ok(envelope::success(Some(LoginResp {
        admin_account: admin.account,
        admin_token,
        nickname: admin.nickname,
        face_url: admin.face_url,
        level: admin.level,
        admin_user_id: admin.user_id,
        im_user_id: im_user_id.to_string(),
        im_token,
    })))
}

/// v1.8.3+ `GetAdminTokenCache` (§4.7): reuse a token fetched in the last five minutes, else
/// fetch and remember a new one. A failed fetch caches nothing.
fn cached_admin_token(chat: &ChatApi, ctx: &Ctx, im_user: &str) -> Result<String, ApiError> {
    let mut cache = chat.im_tokens.lock().expect("imToken cache lock");
    if let Some((token, fetched)) = cache.get(im_user) {
        if ctx.now_ms - fetched <= IM_TOKEN_CACHE_MS {
            return Ok(token.clone());
        }
    }
    let token = issue_admin_token_v38(ctx, &ctx.app.config.secret, im_user)?;
    cache.insert(im_user.to_string(), (token.clone(), ctx.now_ms));
    Ok(token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Config;

    fn chat(api: ApiVersion) -> ChatApi {
        ChatApi {
            app: crate::shared_state(Config {
                api,
                quiet: true,
                ..Config::default()
            }),
            im_tokens: Mutex::new(HashMap::new()),
        }
    }

    async fn data_of(resp: Response<Body>) -> serde_json::Value {
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        v["data"].clone()
    }

    const T0: i64 = 1_750_000_000_000;

    #[test]
    fn md5_of_the_documented_passwords() {
        assert_eq!(md5_hex("admin1"), "e00cf25ad42683b3df678c61f42c6bda");
        assert_eq!(md5_hex("chatAdmin"), "625031fc4e4f2de6b187e6bfa3697784");
    }

    #[test]
    fn v14_maps_by_im_admin_or_account() {
        assert_eq!(v14_im_admin("openIM654321"), "openIM654321");
        assert_eq!(v14_im_admin("admin3"), "openIMAdmin");
        assert_eq!(v14_im_admin("someone"), "");
    }

    #[tokio::test]
    async fn v18_reuses_the_im_token_for_five_minutes() {
        let chat = chat(ApiVersion::V3_8);
        let body = br#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#;
        let first = data_of(login(&chat, T0, body).unwrap()).await;
        let within = data_of(login(&chat, T0 + IM_TOKEN_CACHE_MS, body).unwrap()).await;
        assert_eq!(first["imToken"], within["imToken"]);
        assert_ne!(first["adminToken"], within["adminToken"]);
        let after = data_of(login(&chat, T0 + IM_TOKEN_CACHE_MS + 1000, body).unwrap()).await;
        assert_ne!(first["imToken"], after["imToken"]);
    }

    #[tokio::test]
    async fn v14_fetches_a_new_im_token_at_every_sign_in() {
        let chat = chat(ApiVersion::V3_4);
        let body = br#"{"account":"admin1","password":"e00cf25ad42683b3df678c61f42c6bda"}"#;
        let first = data_of(login(&chat, T0, body).unwrap()).await;
        let second = data_of(login(&chat, T0 + 1000, body).unwrap()).await;
        assert_ne!(first["imToken"], second["imToken"]);
        // Both stay valid: OpenIM v3.4 keeps earlier tokens (openim-api.md §3.1).
        let data = chat.app.state.lock().unwrap();
        for token in [&first["imToken"], &second["imToken"]] {
            let token = token.as_str().unwrap();
            assert_eq!(
                data.tokens.status("openIM123456", 10, token),
                Some(crate::store::TokenStatus::Normal)
            );
        }
        assert_eq!(
            data.chat_tokens.tokens("openIM123456", T0 / 1000 + 1).len(),
            2
        );
    }

    #[tokio::test]
    async fn v18_keeps_ten_admin_tokens() {
        let chat = chat(ApiVersion::V3_8);
        let body = br#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#;
        let mut issued = Vec::new();
        for n in 0..12 {
            let data = data_of(login(&chat, T0 + n * 1000, body).unwrap()).await;
            issued.push(data["adminToken"].as_str().unwrap().to_string());
        }
        let data = chat.app.state.lock().unwrap();
        let held = data.chat_tokens.tokens("imAdmin", T0 / 1000 + 12);
        assert_eq!(
            held,
            issued[2..].iter().map(String::as_str).collect::<Vec<_>>()
        );
    }
}
