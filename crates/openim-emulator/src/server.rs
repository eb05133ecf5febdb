//! The request pipeline, in OpenIM's middleware order (§1.1, §8.3): OPTIONS answer, operationID,
//! the v3.8 global token check, routing (gin's 404), the v3.4 per-route token check, JSON
//! binding, then the endpoint. One log line per request.

use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, Method, Response, StatusCode, Uri};
use openim_protocol::{ApiVersion, ErrCode, HEADER_OPERATION_ID, HEADER_TOKEN};

use crate::endpoints::{self, Route};
use crate::envelope::{self, ApiError, Raised};
use crate::jwt::{self, JwtError};
use crate::store::{ChatAdmins, ChatTokens, TokenStatus, Tokens, Users};
use crate::Config;

pub struct App {
    pub config: Config,
    pub state: Mutex<Data>,
}

/// Everything the emulator stores, shared by the OpenIM port and the chat admin port.
pub struct Data {
    pub users: Users,
    pub tokens: Tokens,
    /// The chat server's admin accounts (chat-admin-api.md §3.3, §4.3).
    pub chat_admins: ChatAdmins,
    /// The chat server's admin token hashes (chat-admin-api.md §3.5, §4.5).
    pub chat_tokens: ChatTokens,
}

/// What an endpoint knows about the request beyond its body.
pub struct Ctx<'a> {
    pub app: &'a App,
    pub version: ApiVersion,
    /// The token's `UserID` once a token check has passed.
    pub op_user: Option<String>,
    pub now_ms: i64,
}

impl Ctx<'_> {
    pub fn err(&self, code: ErrCode, raised: Raised, msg: &str) -> ApiError {
        ApiError::new(self.version, code, raised, msg)
    }

    pub fn is_admin(&self, user_id: &str) -> bool {
        self.version.default_admin_ids().contains(&user_id)
    }

    pub fn now_secs(&self) -> i64 {
        self.now_ms / 1000
    }
}

pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The single handler behind every method and path.
pub async fn handle(
    State(app): State<Arc<App>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response<Body> {
    let started = Instant::now();
    let (resp, code) = pipeline(&app, &method, uri.path(), &headers, &body);
    if !app.config.quiet {
        log_request("", &resp, &method, &uri, &headers, code, started);
    }
    resp
}

/// The per-request log line on stderr; `prefix` tells the chat port's lines apart.
pub fn log_request(
    prefix: &str,
    resp: &Response<Body>,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    code: Option<i32>,
    started: Instant,
) {
    let operation_id = header_str(headers, HEADER_OPERATION_ID).unwrap_or("");
    let code = code.map(|c| c.to_string()).unwrap_or_else(|| "-".into());
    eprintln!(
        "{prefix}{} {} {} operationID={} errCode={} {:.1}ms",
        resp.status().as_u16(),
        method,
        uri.path(),
        if operation_id.is_empty() {
            "-"
        } else {
            operation_id
        },
        code,
        started.elapsed().as_secs_f64() * 1000.0
    );
}

pub fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub fn fail(err: ApiError) -> (Response<Body>, Option<i32>) {
    let code = err.code;
    (envelope::failure(&err), Some(code))
}

fn pipeline(
    app: &App,
    method: &Method,
    path: &str,
    headers: &HeaderMap,
    body: &[u8],
) -> (Response<Body>, Option<i32>) {
    let version = app.config.api;
    let mut ctx = Ctx {
        app,
        version,
        op_user: None,
        now_ms: now_ms(),
    };

    if method == Method::OPTIONS {
        return (envelope::options(), None);
    }
    let is_post = method == Method::POST;
    if is_post
        && header_str(headers, HEADER_OPERATION_ID)
            .unwrap_or("")
            .is_empty()
    {
        return fail(ctx.err(ErrCode::ARGS, Raised::Api, "header must have operationID"));
    }
    // v3.8: the token middleware is global, before routing, for every POST not whitelisted.
    if is_post
        && version == ApiVersion::V3_8
        && !["/auth/get_admin_token", "/auth/parse_token"]
            .iter()
            .any(|p| path.starts_with(p))
    {
        match check_token(&ctx, headers) {
            Ok(user) => ctx.op_user = Some(user),
            Err(e) => return fail(e),
        }
    }
    let Some(route) = Route::find(version, path).filter(|_| is_post) else {
        return (envelope::not_found(), None);
    };
    if version == ApiVersion::V3_4 && route.v34_needs_token() {
        match check_token(&ctx, headers) {
            Ok(user) => ctx.op_user = Some(user),
            Err(e) => return fail(e),
        }
    }
    match endpoints::call(route, &ctx, body) {
        Ok(resp) => (resp, Some(0)),
        Err(e) => fail(e),
    }
}

/// The gateway's token check (§2.2): v3.4 answers 1505 for any JWT failure; v3.8 asks the auth
/// service, which classifies JWT failures and lets admin tokens through without a store lookup.
fn check_token(ctx: &Ctx, headers: &HeaderMap) -> Result<String, ApiError> {
    let token = header_str(headers, HEADER_TOKEN).unwrap_or("");
    if token.is_empty() {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "header must have token"));
    }
    match ctx.version {
        ApiVersion::V3_4 => {
            let claims = jwt::parse(token, &ctx.app.config.secret, ctx.now_secs())
                .map_err(|_| ctx.err(ErrCode::TOKEN_UNKNOWN, Raised::Api, ""))?;
            let data = ctx.app.state.lock().expect("state lock");
            stored_token_state(ctx, &data.tokens, &claims, token, Raised::Api)?;
            Ok(claims.user_id)
        }
        ApiVersion::V3_8 => parse_token_v38(ctx, token).map(|c| c.user_id),
    }
}

/// The store lookup shared by the gateway and `/auth/parse_token` (§2.2).
pub fn stored_token_state(
    ctx: &Ctx,
    tokens: &Tokens,
    claims: &jwt::Claims,
    token: &str,
    raised: Raised,
) -> Result<(), ApiError> {
    match tokens.status(&claims.user_id, claims.platform_id, token) {
        Some(TokenStatus::Normal) => Ok(()),
        Some(TokenStatus::Kicked) => Err(ctx.err(ErrCode::TOKEN_KICKED, raised, "")),
        None => Err(ctx.err(ErrCode::TOKEN_NOT_EXIST, raised, "")),
    }
}

/// v3.8 auth RPC `parseToken` (§2.2): JWT classes, then admin bypass, then the store.
pub fn parse_token_v38(ctx: &Ctx, token: &str) -> Result<jwt::Claims, ApiError> {
    let claims = jwt::parse(token, &ctx.app.config.secret, ctx.now_secs()).map_err(|e| {
        let dlt = format!("jwt parse error, token={token}");
        match e {
            JwtError::Malformed(_) => {
                ApiError::raw(ErrCode::TOKEN_MALFORMED, "TokenMalformedError", dlt)
            }
            JwtError::Expired(_) => ApiError::raw(ErrCode::TOKEN_EXPIRED, "TokenExpiredError", dlt),
            JwtError::NotValidYet(_) => {
                ApiError::raw(ErrCode::TOKEN_NOT_VALID_YET, "TokenNotValidYetError", dlt)
            }
            JwtError::Other(text) => ApiError::raw(ErrCode::TOKEN_UNKNOWN, text, dlt),
        }
    })?;
    if ctx.is_admin(&claims.user_id) {
        return Ok(claims);
    }
    let data = ctx.app.state.lock().expect("state lock");
    stored_token_state(ctx, &data.tokens, &claims, token, Raised::Rpc)?;
    Ok(claims)
}

/// v3.4 `tokenverify.GetClaimFromToken` as `/auth/parse_token` reports it: the JWT class, raised
/// in the RPC service.
pub fn parse_token_v34(ctx: &Ctx, token: &str) -> Result<jwt::Claims, ApiError> {
    jwt::parse(token, &ctx.app.config.secret, ctx.now_secs()).map_err(|e| {
        let code = match e {
            JwtError::Malformed(_) => ErrCode::TOKEN_MALFORMED,
            JwtError::Expired(_) => ErrCode::TOKEN_EXPIRED,
            JwtError::NotValidYet(_) => ErrCode::TOKEN_NOT_VALID_YET,
            JwtError::Other(_) => ErrCode::TOKEN_UNKNOWN,
        };
        ctx.err(code, Raised::Rpc, "")
    })
}

/// The HTTP status of a failed JSON bind: 400 in v3.4 (gin `BindJSON`), 200 in v3.8 (§1.3).
pub fn bind_error(ctx: &Ctx, go_error: String) -> ApiError {
    match ctx.version {
        ApiVersion::V3_4 => {
            ApiError::raw(ErrCode::ARGS, "ArgsError", go_error).with_status(StatusCode::BAD_REQUEST)
        }
        ApiVersion::V3_8 => ApiError::raw(
            ErrCode::ARGS,
            format!("Error: Error: {go_error} | -> a2r.Call | -> a2r.Call"),
            "",
        ),
    }
}
