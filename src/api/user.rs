//! `/user/*` calls (§3.2-§3.5, §4.3-§4.5, §6).

use openim_protocol::user::{
    AccountCheckReq, AccountCheckResp, AccountCheckResult, GetUsersInfoReq, GetUsersInfoResp,
    GetUsersReq, GetUsersResp, NewUser, UserInfo, UserRegisterReq,
};

use super::{ApiError, Client};

/// `POST /user/get_users`.
pub const GET_USERS: &str = "/user/get_users";

/// `POST /user/get_users`: one page, 1-based. The filters exist only in v3.8 (§4.5). A page
/// can hold thousands of users, so it is decoded as a large answer.
pub async fn get_users(
    client: &Client,
    token: &str,
    req: &GetUsersReq,
) -> Result<GetUsersResp, ApiError> {
    let data: Option<GetUsersResp> = client.call_large(GET_USERS, Some(token), req).await?;
    Ok(data.unwrap_or_else(no_users))
}

/// What an answer without `data` to get_users means.
pub fn no_users() -> GetUsersResp {
    GetUsersResp {
        total: 0,
        users: None,
    }
}

/// `POST /user/user_register`: v3.4 carries the secret and no token (§3.2); v3.8 the admin
/// token and no secret (§4.3). All or nothing.
pub async fn user_register(
    client: &Client,
    secret: Option<&str>,
    token: Option<&str>,
    users: &[UserInfo],
) -> Result<(), ApiError> {
    let req = UserRegisterReq {
        secret,
        users: users.iter().map(NewUser::from).collect(),
    };
    client
        .call::<_, serde::de::IgnoredAny>("/user/user_register", token, &req)
        .await
        .map(|_| ())
}

/// `POST /user/account_check` with the admin token; results in request order.
pub async fn account_check(
    client: &Client,
    token: &str,
    ids: Vec<String>,
) -> Result<Vec<AccountCheckResult>, ApiError> {
    let req = AccountCheckReq {
        check_user_ids: ids,
    };
    let data: Option<AccountCheckResp> = client
        .call("/user/account_check", Some(token), &req)
        .await?;
    Ok(data.and_then(|d| d.results).unwrap_or_default())
}

/// `POST /user/get_users_info`.
pub async fn get_users_info(
    client: &Client,
    token: &str,
    ids: Vec<String>,
) -> Result<Vec<UserInfo>, ApiError> {
    let req = GetUsersInfoReq { user_ids: ids };
    let data: Option<GetUsersInfoResp> = client
        .call("/user/get_users_info", Some(token), &req)
        .await?;
    Ok(data.and_then(|d| d.users_info).unwrap_or_default())
}
