//! `/auth/*` calls (§3.1, §3.5, §4.1, §4.2, §4.6).

use openim_protocol::auth::{
    ForceLogoutReq, GetAdminTokenReq, GetUserTokenReq, TokenResp, UserTokenReq,
};
use openim_protocol::{ApiVersion, Platform};

use super::{ApiError, Client};

fn required<T>(data: Option<T>) -> Result<T, ApiError> {
    data.ok_or_else(|| ApiError::Decode("the answer has no data".into()))
}

/// An admin token by the generation's route: v3.4 `/auth/user_token` on the Admin platform
/// (as OpenIM's chat server does, §7), v3.8 `/auth/get_admin_token`.
pub async fn admin_token(
    client: &Client,
    version: ApiVersion,
    secret: &str,
    admin_id: &str,
) -> Result<TokenResp, ApiError> {
    match version {
        ApiVersion::V3_4 => user_token(client, secret, Platform::Admin.id(), admin_id).await,
        ApiVersion::V3_8 => get_admin_token(client, secret, admin_id).await,
    }
}

/// v3.4 `POST /auth/user_token`: any registered user, with the secret.
pub async fn user_token(
    client: &Client,
    secret: &str,
    platform_id: i32,
    user_id: &str,
) -> Result<TokenResp, ApiError> {
    let req = UserTokenReq {
        secret: secret.into(),
        platform_id,
        user_id: user_id.into(),
    };
    required(client.call("/auth/user_token", None, &req).await?)
}

/// v3.8 `POST /auth/get_admin_token`.
pub async fn get_admin_token(
    client: &Client,
    secret: &str,
    admin_id: &str,
) -> Result<TokenResp, ApiError> {
    let req = GetAdminTokenReq {
        secret: secret.into(),
        user_id: admin_id.into(),
    };
    required(client.call("/auth/get_admin_token", None, &req).await?)
}

/// v3.8 `POST /auth/get_user_token` with the admin token.
pub async fn get_user_token(
    client: &Client,
    admin_token: &str,
    platform_id: i32,
    user_id: &str,
) -> Result<TokenResp, ApiError> {
    let req = GetUserTokenReq {
        platform_id,
        user_id: user_id.into(),
    };
    required(
        client
            .call("/auth/get_user_token", Some(admin_token), &req)
            .await?,
    )
}

/// `POST /auth/force_logout` with the admin token.
pub async fn force_logout(
    client: &Client,
    admin_token: &str,
    platform_id: i32,
    user_id: &str,
) -> Result<(), ApiError> {
    let req = ForceLogoutReq {
        platform_id,
        user_id: user_id.into(),
    };
    client
        .call::<_, serde::de::IgnoredAny>("/auth/force_logout", Some(admin_token), &req)
        .await
        .map(|_| ())
}
