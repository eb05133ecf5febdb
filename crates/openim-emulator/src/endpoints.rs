//! The user and auth endpoints of both generations (§3, §4), each with its checks in OpenIM's
//! order. Request bodies are bound by [`crate::godecode`] against the Go request structs below.

use axum::body::Body;
use axum::http::Response;
use openim_protocol::platform::platform_name;
use openim_protocol::rules::{self, RegisterRule};
use openim_protocol::user::{AccountStatus, UserInfo};
use openim_protocol::{pagination, ApiVersion, ErrCode};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::envelope::{success, ApiError, Raised};
use crate::godecode::{self, Struct, Ty};
use crate::jwt::{self, Claims};
use crate::server::{bind_error, parse_token_v34, parse_token_v38, stored_token_state, Ctx};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Route {
    UserToken,
    GetAdminToken,
    GetUserToken,
    UserRegister,
    AccountCheck,
    GetUsers,
    ParseToken,
    ForceLogout,
    GetUsersInfo,
    UpdateUserInfoEx,
}

impl Route {
    /// The routes each generation registers (§3, §4).
    pub fn find(version: ApiVersion, path: &str) -> Option<Route> {
        let route = match path {
            "/auth/user_token" => Route::UserToken,
            "/auth/get_admin_token" => Route::GetAdminToken,
            "/auth/get_user_token" => Route::GetUserToken,
            "/user/user_register" => Route::UserRegister,
            "/user/account_check" => Route::AccountCheck,
            "/user/get_users" => Route::GetUsers,
            "/auth/parse_token" => Route::ParseToken,
            "/auth/force_logout" => Route::ForceLogout,
            "/user/get_users_info" => Route::GetUsersInfo,
            "/user/update_user_info_ex" => Route::UpdateUserInfoEx,
            _ => return None,
        };
        let exists = match version {
            ApiVersion::V3_4 => !matches!(
                route,
                Route::GetAdminToken | Route::GetUserToken | Route::UpdateUserInfoEx
            ),
            ApiVersion::V3_8 => route != Route::UserToken,
        };
        exists.then_some(route)
    }

    /// v3.4 attaches `ParseToken` per route (§3).
    pub fn v34_needs_token(self) -> bool {
        !matches!(
            self,
            Route::UserToken | Route::UserRegister | Route::ParseToken
        )
    }
}

// The Go request structs, with their JSON names in declaration order.
static USER_TOKEN_REQ: Struct = Struct {
    go_name: "auth.UserTokenReq",
    fields: &[
        ("secret", Ty::Str),
        ("platformID", Ty::I32),
        ("userID", Ty::Str),
    ],
};
static GET_ADMIN_TOKEN_REQ: Struct = Struct {
    go_name: "auth.GetAdminTokenReq",
    fields: &[("secret", Ty::Str), ("userID", Ty::Str)],
};
static GET_USER_TOKEN_REQ: Struct = Struct {
    go_name: "auth.GetUserTokenReq",
    fields: &[("platformID", Ty::I32), ("userID", Ty::Str)],
};
static USER_INFO: Struct = Struct {
    go_name: "sdkws.UserInfo",
    fields: &[
        ("userID", Ty::Str),
        ("nickname", Ty::Str),
        ("faceURL", Ty::Str),
        ("ex", Ty::Str),
        ("createTime", Ty::I64),
        ("appMangerLevel", Ty::I32),
        ("globalRecvMsgOpt", Ty::I32),
    ],
};
static USER_REGISTER_REQ_V34: Struct = Struct {
    go_name: "user.UserRegisterReq",
    fields: &[
        ("secret", Ty::Str),
        ("users", Ty::List(&Ty::Msg(&USER_INFO))),
    ],
};
static USER_REGISTER_REQ_V38: Struct = Struct {
    go_name: "user.UserRegisterReq",
    fields: &[("users", Ty::List(&Ty::Msg(&USER_INFO)))],
};
static ACCOUNT_CHECK_REQ: Struct = Struct {
    go_name: "user.AccountCheckReq",
    fields: &[("checkUserIDs", Ty::List(&Ty::Str))],
};
static PAGINATION: Struct = Struct {
    go_name: "sdkws.RequestPagination",
    fields: &[("pageNumber", Ty::I32), ("showNumber", Ty::I32)],
};
static GET_USERS_REQ_V34: Struct = Struct {
    go_name: "user.GetPaginationUsersReq",
    fields: &[("pagination", Ty::Msg(&PAGINATION))],
};
static GET_USERS_REQ_V38: Struct = Struct {
    go_name: "user.GetPaginationUsersReq",
    fields: &[
        ("pagination", Ty::Msg(&PAGINATION)),
        ("userID", Ty::Str),
        ("nickName", Ty::Str),
    ],
};
static PARSE_TOKEN_REQ: Struct = Struct {
    go_name: "auth.ParseTokenReq",
    fields: &[("token", Ty::Str)],
};
static FORCE_LOGOUT_REQ: Struct = Struct {
    go_name: "auth.ForceLogoutReq",
    fields: &[("platformID", Ty::I32), ("userID", Ty::Str)],
};
static GET_USERS_INFO_REQ: Struct = Struct {
    go_name: "user.GetDesignateUsersReq",
    fields: &[("userIDs", Ty::List(&Ty::Str))],
};
static USER_INFO_WITH_EX: Struct = Struct {
    go_name: "sdkws.UserInfoWithEx",
    fields: &[
        ("userID", Ty::Str),
        ("nickname", Ty::Wrapped(&Ty::Str)),
        ("faceURL", Ty::Wrapped(&Ty::Str)),
        ("ex", Ty::Wrapped(&Ty::Str)),
        ("globalRecvMsgOpt", Ty::Wrapped(&Ty::I32)),
    ],
};
static UPDATE_USER_INFO_EX_REQ: Struct = Struct {
    go_name: "user.UpdateUserInfoExReq",
    fields: &[("userInfo", Ty::Msg(&USER_INFO_WITH_EX))],
};

fn bind<T: for<'de> Deserialize<'de>>(
    ctx: &Ctx,
    body: &[u8],
    ty: &'static Struct,
) -> Result<T, ApiError> {
    // v3.4 binds with gin's `BindJSON` (a `json.Decoder`), v3.8 with tools' `a2r` binding
    // (`json.Unmarshal`), which also rejects data after the value (§1.3).
    let value = match ctx.version {
        ApiVersion::V3_4 => godecode::decode(body, ty),
        ApiVersion::V3_8 => godecode::unmarshal(body, ty),
    };
    value
        .and_then(godecode::read)
        .map_err(|e| bind_error(ctx, e))
}

pub fn call(route: Route, ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    match route {
        Route::UserToken => user_token(ctx, body),
        Route::GetAdminToken => get_admin_token(ctx, body),
        Route::GetUserToken => get_user_token(ctx, body),
        Route::UserRegister => user_register(ctx, body),
        Route::AccountCheck => account_check(ctx, body),
        Route::GetUsers => get_users(ctx, body),
        Route::ParseToken => parse_token(ctx, body),
        Route::ForceLogout => force_logout(ctx, body),
        Route::GetUsersInfo => get_users_info(ctx, body),
        Route::UpdateUserInfoEx => update_user_info_ex(ctx, body),
    }
}

#[derive(Serialize)]
struct TokenData {
    token: String,
    #[serde(rename = "expireTimeSeconds")]
    expire_time_seconds: i64,
}

fn expire_seconds(ctx: &Ctx) -> i64 {
    ctx.app.config.token_expire_days as i64 * 24 * 60 * 60
}

/// Claims as each generation signs them (§2.1).
fn new_claims(ctx: &Ctx, user_id: &str, platform_id: i64) -> Claims {
    let now = ctx.now_secs();
    let exp = now + expire_seconds(ctx);
    match ctx.version {
        ApiVersion::V3_4 => Claims {
            user_id: user_id.into(),
            platform_id,
            exp,
            nbf: Some(now - 300),
            iat: now,
        },
        ApiVersion::V3_8 => Claims {
            user_id: user_id.into(),
            platform_id,
            exp,
            nbf: None,
            iat: now - 5,
        },
    }
}

fn token_answer(ctx: &Ctx, token: String) -> Response<Body> {
    success(Some(TokenData {
        token,
        expire_time_seconds: expire_seconds(ctx),
    }))
}

fn require_admin(ctx: &Ctx) -> Result<(), ApiError> {
    let op = ctx.op_user.as_deref().unwrap_or("");
    if ctx.is_admin(op) {
        Ok(())
    } else {
        Err(ctx.err(
            ErrCode::NO_PERMISSION,
            Raised::Rpc,
            &format!("user {op} is not admin userID"),
        ))
    }
}

/// v3.4 `POST /auth/user_token` (§3.1).
fn user_token(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        secret: String,
        #[serde(rename = "platformID")]
        platform_id: i32,
        #[serde(rename = "userID")]
        user_id: String,
    }
    let req: Req = bind(ctx, body, &USER_TOKEN_REQ)?;
    let token = issue_user_token_v34(ctx, &req.secret, req.platform_id, &req.user_id)?;
    Ok(token_answer(ctx, token))
}

/// v3.4 `/auth/user_token` once the body is bound (§3.1): checks in OpenIM's order, then the
/// token is signed and stored. Chat v1.4 asks for its admins' imToken this way at every login
/// (chat-admin-api.md §3.6), so the chat port shares it.
pub fn issue_user_token_v34(
    ctx: &Ctx,
    secret: &str,
    platform_id: i32,
    user_id: &str,
) -> Result<String, ApiError> {
    if user_id.is_empty() {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "userID is empty"));
    }
    if !(1..=10).contains(&platform_id) {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "platform is invalidate"));
    }
    if secret != ctx.app.config.secret {
        return Err(ctx.err(ErrCode::NO_PERMISSION, Raised::Rpc, "secret invalid"));
    }
    let mut data = ctx.app.state.lock().expect("state lock");
    if data.users.find(user_id).is_none() {
        // Two RPC hops (API → auth → user) prefix the detail (§1.5).
        return Err(ApiError::raw(
            ErrCode::RECORD_NOT_FOUND,
            "RecordNotFoundError",
            ": 1004 RecordNotFoundError userID not found: 1004 RecordNotFoundError",
        ));
    }
    let platform = platform_id as i64;
    let token = jwt::sign(&new_claims(ctx, user_id, platform), &ctx.app.config.secret);
    let (secret, now) = (ctx.app.config.secret.clone(), ctx.now_secs());
    data.tokens.add_v34(user_id, platform, token.clone(), |t| {
        jwt::parse(t, &secret, now).is_ok()
    });
    Ok(token)
}

/// v3.8 `POST /auth/get_admin_token` (§4.1): not stored, always platform 10.
fn get_admin_token(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        secret: String,
        #[serde(rename = "userID")]
        user_id: String,
    }
    let req: Req = bind(ctx, body, &GET_ADMIN_TOKEN_REQ)?;
    let token = issue_admin_token_v38(ctx, &req.secret, &req.user_id)?;
    Ok(token_answer(ctx, token))
}

/// v3.8 `/auth/get_admin_token` once the body is bound (§4.1). Chat v1.8 fetches its imToken
/// this way (chat-admin-api.md §4.7), so the chat port shares it.
pub fn issue_admin_token_v38(ctx: &Ctx, secret: &str, user_id: &str) -> Result<String, ApiError> {
    if user_id.is_empty() {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "userID is empty"));
    }
    if secret != ctx.app.config.secret {
        return Err(ctx.err(ErrCode::NO_PERMISSION, Raised::Rpc, "secret invalid"));
    }
    if !ctx.is_admin(user_id) {
        let admins = ctx.version.default_admin_ids().join(" ");
        return Err(ctx.err(
            ErrCode::ARGS,
            Raised::Rpc,
            &format!("userID is error., userID={user_id}, adminUserID=[{admins}]"),
        ));
    }
    if ctx
        .app
        .state
        .lock()
        .expect("state lock")
        .users
        .find(user_id)
        .is_none()
    {
        return Err(ctx.err(ErrCode::RECORD_NOT_FOUND, Raised::Rpc, "user not found"));
    }
    Ok(jwt::sign(
        &new_claims(ctx, user_id, 10),
        &ctx.app.config.secret,
    ))
}

/// v3.8 `POST /auth/get_user_token` (§4.2): platformID is not range-checked; issuing kicks the
/// user's older tokens on that platform.
fn get_user_token(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        #[serde(rename = "platformID")]
        platform_id: i32,
        #[serde(rename = "userID")]
        user_id: String,
    }
    let req: Req = bind(ctx, body, &GET_USER_TOKEN_REQ)?;
    require_admin(ctx)?;
    if req.platform_id == 10 {
        return Err(ctx.err(
            ErrCode::NO_PERMISSION,
            Raised::Rpc,
            "platformID invalid. platformID must not be adminPlatformID",
        ));
    }
    if ctx.is_admin(&req.user_id) {
        return Err(ctx.err(ErrCode::NO_PERMISSION, Raised::Rpc, "don't get Admin token"));
    }
    let mut data = ctx.app.state.lock().expect("state lock");
    let Some(user) = data.users.find(&req.user_id) else {
        return Err(ctx.err(ErrCode::RECORD_NOT_FOUND, Raised::Rpc, "record not found"));
    };
    if user.app_manger_level >= 3 {
        return Err(ctx.err(ErrCode::ARGS, Raised::Rpc, "app account can`t get token"));
    }
    let platform = req.platform_id as i64;
    let token = jwt::sign(
        &new_claims(ctx, &req.user_id, platform),
        &ctx.app.config.secret,
    );
    data.tokens.add_v38(&req.user_id, platform, token.clone());
    Ok(token_answer(ctx, token))
}

/// v3.4.0's MySQL insert (§3.2 rule 8): values longer than their columns, counted in characters
/// (limits in `openim_protocol::rules`), fail with a database error.
fn mysql_insert_error(users: &[UserInfo]) -> Option<String> {
    for (row, u) in users.iter().enumerate() {
        if let Some((field, _)) = rules::v34_too_long(u) {
            let column = match field {
                "userID" => "user_id",
                "nickname" => "name",
                "faceURL" => "face_url",
                _ => "ex",
            };
            return Some(format!(
                "Error 1406 (22001): Data too long for column '{column}' at row {}",
                row + 1
            ));
        }
    }
    // IDs that differ only by case collide on the case-insensitive primary key.
    let mut seen = std::collections::HashSet::new();
    users
        .iter()
        .find(|u| !seen.insert(u.user_id.to_lowercase()))
        .map(|u| {
            format!(
                "Error 1062 (23000): Duplicate entry '{}' for key 'users.PRIMARY'",
                u.user_id
            )
        })
}

fn rule_error(ctx: &Ctx, rule: &RegisterRule, raised: Raised) -> ApiError {
    ctx.err(ErrCode::ARGS, raised, rule.openim_message(ctx.version))
}

/// `POST /user/user_register` (§3.2, §4.3): all-or-nothing.
fn user_register(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        #[serde(default)]
        secret: String,
        users: Option<Vec<Option<UserInfo>>>,
    }
    let schema = match ctx.version {
        ApiVersion::V3_4 => &USER_REGISTER_REQ_V34,
        ApiVersion::V3_8 => &USER_REGISTER_REQ_V38,
    };
    let req: Req = bind(ctx, body, schema)?;
    let users: Vec<UserInfo> = match ctx.version {
        ApiVersion::V3_4 => {
            let users = req.users.unwrap_or_default();
            if users.is_empty() {
                return Err(rule_error(ctx, &RegisterRule::UsersEmpty, Raised::Api));
            }
            if req.secret != ctx.app.config.secret {
                return Err(ctx.err(ErrCode::NO_PERMISSION, Raised::Rpc, "secret invalid"));
            }
            // A null element reaches the service as an empty message.
            users.into_iter().map(Option::unwrap_or_default).collect()
        }
        ApiVersion::V3_8 => {
            let Some(users) = req.users else {
                return Err(rule_error(ctx, &RegisterRule::UsersEmpty, Raised::Api));
            };
            // The API check walks the rows once for null and charset, then once for nicknames.
            let first_null = users.iter().position(Option::is_none);
            let first_illegal = users.iter().position(|u| {
                u.as_ref()
                    .is_some_and(|u| !rules::is_legal_user_id_v38(&u.user_id))
            });
            match (first_null, first_illegal) {
                (Some(n), Some(i)) if i < n => {
                    return Err(rule_error(
                        ctx,
                        &RegisterRule::UserIdIllegal { index: i },
                        Raised::Api,
                    ))
                }
                (Some(_), _) => return Err(ctx.err(ErrCode::ARGS, Raised::Api, "user is empty")),
                _ => {}
            }
            let users: Vec<UserInfo> = users.into_iter().flatten().collect();
            if let Err(rule) = rules::check_register_api(ctx.version, &users) {
                return Err(rule_error(ctx, &rule, Raised::Api));
            }
            if users.is_empty() {
                return Err(rule_error(ctx, &RegisterRule::UsersEmpty, Raised::Rpc));
            }
            require_admin(ctx)?;
            users
        }
    };
    if let Err(rule) = rules::check_register_rpc(&users) {
        return Err(rule_error(ctx, &rule, Raised::Rpc));
    }
    let mut data = ctx.app.state.lock().expect("state lock");
    if users.iter().any(|u| data.users.find(&u.user_id).is_some()) {
        return Err(ctx.err(
            ErrCode::REGISTERED_ALREADY,
            Raised::Rpc,
            "userID registered already",
        ));
    }
    if ctx.version == ApiVersion::V3_4 {
        if let Some(db_error) = mysql_insert_error(&users) {
            return Err(ApiError::raw(
                ErrCode::SERVER_INTERNAL,
                "ServerInternalError",
                db_error,
            ));
        }
    }
    let now = ctx.now_ms;
    let version = ctx.version;
    data.users.insert_all(users.into_iter().map(|mut u| {
        u.create_time = now;
        // v3.4.0's gorm `default:1` turns an omitted or zero level into 1 (§2.5).
        if version == ApiVersion::V3_4 && u.app_manger_level == 0 {
            u.app_manger_level = 1;
        }
        u
    }));
    Ok(success::<()>(None))
}

#[derive(Serialize)]
struct AccountCheckData {
    results: Option<Vec<Value>>,
}

/// `POST /user/account_check` (§3.3, §4.4): results in request order.
fn account_check(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        #[serde(rename = "checkUserIDs")]
        check_user_ids: Option<Vec<Option<String>>>,
    }
    let req: Req = bind(ctx, body, &ACCOUNT_CHECK_REQ)?;
    let ids: Vec<String> = match (ctx.version, req.check_user_ids) {
        (ApiVersion::V3_8, None) => {
            return Err(ctx.err(ErrCode::ARGS, Raised::Api, "CheckUserIDs is empty"))
        }
        (_, ids) => ids
            .unwrap_or_default()
            .into_iter()
            .map(Option::unwrap_or_default)
            .collect(),
    };
    if ids.is_empty() {
        return Err(ctx.err(ErrCode::ARGS, Raised::Rpc, "CheckUserIDs is empty"));
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    if !ids.iter().all(|id| seen.insert(id.as_str())) {
        return Err(ctx.err(ErrCode::ARGS, Raised::Rpc, "userID repeated"));
    }
    require_admin(ctx)?;
    let data = ctx.app.state.lock().expect("state lock");
    let results = ids
        .into_iter()
        .map(|id| {
            // The result map is keyed by the stored ID, so a case-only difference is
            // "unregistered" even where MySQL matched it (§3.3).
            let registered = data.users.find(&id).is_some_and(|u| u.user_id == id);
            let status = if registered {
                AccountStatus::Registered
            } else {
                AccountStatus::Unregistered
            };
            let wire = match ctx.version {
                ApiVersion::V3_4 => Value::from(status.v34_wire()),
                ApiVersion::V3_8 => Value::from(status.v38_wire()),
            };
            serde_json::json!({ "userID": id, "accountStatus": wire })
        })
        .collect();
    Ok(success(Some(AccountCheckData {
        results: Some(results),
    })))
}

#[derive(Serialize)]
struct GetUsersData {
    total: i64,
    users: Option<Vec<UserInfo>>,
}

/// `POST /user/get_users` (§3.4, §4.5).
fn get_users(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Page {
        #[serde(rename = "pageNumber")]
        page_number: i32,
        #[serde(rename = "showNumber")]
        show_number: i32,
    }
    #[derive(Deserialize)]
    struct Req {
        pagination: Option<Page>,
        #[serde(rename = "userID", default)]
        user_id: String,
        #[serde(rename = "nickName", default)]
        nick_name: String,
    }
    let schema = match ctx.version {
        ApiVersion::V3_4 => &GET_USERS_REQ_V34,
        ApiVersion::V3_8 => &GET_USERS_REQ_V38,
    };
    let req: Req = bind(ctx, body, schema)?;
    let Some(page) = req.pagination else {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "pagination is empty"));
    };
    if page.page_number < 1 {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "pageNumber is invalid"));
    }
    let data = ctx.app.state.lock().expect("state lock");
    let (total, users) = match ctx.version {
        ApiVersion::V3_4 => {
            let total = data.users.len();
            let users =
                pagination::mysql_page(total, page.page_number, page.show_number).map(|r| {
                    data.users
                        .iter()
                        .skip(r.start)
                        .take(r.len())
                        .cloned()
                        .collect()
                });
            (total, users)
        }
        ApiVersion::V3_8 => {
            let pattern = |p: &str| {
                regex::RegexBuilder::new(p)
                    .case_insensitive(true)
                    .build()
                    .map_err(|e| {
                        ApiError::raw(
                            ErrCode::SERVER_INTERNAL,
                            "ServerInternalError",
                            format!("(BadValue) Regular expression is invalid: {e}"),
                        )
                    })
            };
            let by_id = (!req.user_id.is_empty())
                .then(|| pattern(&req.user_id))
                .transpose()?;
            let by_nick = (!req.nick_name.is_empty())
                .then(|| pattern(&req.nick_name))
                .transpose()?;
            let matches = |u: &&UserInfo| {
                (0..=1).contains(&u.app_manger_level)
                    && (by_id.is_none() && by_nick.is_none()
                        || by_id.as_ref().is_some_and(|r| r.is_match(&u.user_id))
                        || by_nick.as_ref().is_some_and(|r| r.is_match(&u.nickname)))
            };
            let total = data.users.iter().filter(matches).count();
            let users =
                pagination::mongo_page(total, page.page_number, page.show_number).map(|r| {
                    data.users
                        .iter()
                        .filter(matches)
                        .skip(r.start)
                        .take(r.len())
                        .cloned()
                        .collect()
                });
            (total, users)
        }
    };
    Ok(success(Some(GetUsersData {
        total: total as i64,
        users,
    })))
}

/// `POST /auth/parse_token` (§3.5, §4.6): `expireTimeSeconds` is the absolute expiry.
fn parse_token(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        token: String,
    }
    let req: Req = bind(ctx, body, &PARSE_TOKEN_REQ)?;
    if req.token.is_empty() {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "userID is empty"));
    }
    match ctx.version {
        ApiVersion::V3_4 => {
            let claims = parse_token_v34(ctx, &req.token)?;
            let data = ctx.app.state.lock().expect("state lock");
            stored_token_state(ctx, &data.tokens, &claims, &req.token, Raised::Rpc)?;
            Ok(success(Some(serde_json::json!({
                "userID": claims.user_id,
                "platform": platform_name(claims.platform_id),
                "expireTimeSeconds": claims.exp,
            }))))
        }
        ApiVersion::V3_8 => {
            let claims = parse_token_v38(ctx, &req.token)?;
            Ok(success(Some(serde_json::json!({
                "userID": claims.user_id,
                "platformID": claims.platform_id,
                "expireTimeSeconds": claims.exp,
            }))))
        }
    }
}

/// `POST /auth/force_logout` (§3.5, §4.6): v3.4 only drops the websocket, v3.8 also marks every
/// token of that user and platform as kicked.
fn force_logout(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        #[serde(rename = "platformID")]
        platform_id: i32,
        #[serde(rename = "userID")]
        user_id: String,
    }
    let req: Req = bind(ctx, body, &FORCE_LOGOUT_REQ)?;
    if req.user_id.is_empty() {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "userID is empty"));
    }
    if !(1..=10).contains(&req.platform_id) {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "platformID is invalidate"));
    }
    require_admin(ctx)?;
    if ctx.version == ApiVersion::V3_8 {
        ctx.app
            .state
            .lock()
            .expect("state lock")
            .tokens
            .kick_all(&req.user_id, req.platform_id as i64);
    }
    Ok(success::<()>(None))
}

#[derive(Serialize)]
struct UsersInfoData {
    #[serde(rename = "usersInfo")]
    users_info: Option<Vec<UserInfo>>,
}

/// `POST /user/get_users_info` (§3.5, §6): v3.4 fails on any unknown ID, v3.8 leaves it out.
fn get_users_info(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Req {
        #[serde(rename = "userIDs")]
        user_ids: Option<Vec<Option<String>>>,
    }
    let req: Req = bind(ctx, body, &GET_USERS_INFO_REQ)?;
    let ids: Vec<String> = req
        .user_ids
        .unwrap_or_default()
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    if ids.is_empty() {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "UserIDs is empty"));
    }
    let data = ctx.app.state.lock().expect("state lock");
    let mut found = Vec::with_capacity(ids.len());
    for id in &ids {
        match data.users.find(id) {
            Some(u) => found.push(u.clone()),
            None if ctx.version == ApiVersion::V3_4 => {
                return Err(ctx.err(ErrCode::RECORD_NOT_FOUND, Raised::Rpc, "userID not found"))
            }
            None => {}
        }
    }
    Ok(success(Some(UsersInfoData {
        users_info: (!found.is_empty()).then_some(found),
    })))
}

/// v3.8 `POST /user/update_user_info_ex` (§6): self or admin; a present wrapper is written even
/// when empty.
fn update_user_info_ex(ctx: &Ctx, body: &[u8]) -> Result<Response<Body>, ApiError> {
    #[derive(Deserialize)]
    struct Info {
        #[serde(rename = "userID")]
        user_id: String,
        nickname: Option<String>,
        #[serde(rename = "faceURL")]
        face_url: Option<String>,
        ex: Option<String>,
        #[serde(rename = "globalRecvMsgOpt")]
        global_recv_msg_opt: Option<i32>,
    }
    #[derive(Deserialize)]
    struct Req {
        #[serde(rename = "userInfo")]
        user_info: Option<Info>,
    }
    let req: Req = bind(ctx, body, &UPDATE_USER_INFO_EX_REQ)?;
    let Some(info) = req.user_info else {
        return Err(ctx.err(ErrCode::ARGS, Raised::Api, "userInfo is empty"));
    };
    let op = ctx.op_user.as_deref().unwrap_or("");
    if op != info.user_id && !ctx.is_admin(op) {
        return Err(ctx.err(
            ErrCode::NO_PERMISSION,
            Raised::Rpc,
            &format!("ownerUserID, {}=MISSING", info.user_id),
        ));
    }
    let mut data = ctx.app.state.lock().expect("state lock");
    let Some(user) = data.users.find_mut(&info.user_id) else {
        return Err(ctx.err(ErrCode::RECORD_NOT_FOUND, Raised::Rpc, "record not found"));
    };
    if let Some(v) = info.nickname {
        user.nickname = v;
    }
    if let Some(v) = info.face_url {
        user.face_url = v;
    }
    if let Some(v) = info.ex {
        user.ex = v;
    }
    if let Some(v) = info.global_recv_msg_opt {
        user.global_recv_msg_opt = v;
    }
    Ok(success::<()>(None))
}
