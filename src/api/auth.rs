//! `/auth/*` calls (§3.1, §4.1, §4.2).

use openim_protocol::auth::{GetAdminTokenReq, TokenResp, UserTokenReq};
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
        ApiVersion::V3_4 => user_token(client, secret, Platform::Admin, admin_id).await,
        ApiVersion::V3_8 => get_admin_token(client, secret, admin_id).await,
    }
}

/// v3.4 `POST /auth/user_token`.
pub async fn user_token(
    client: &Client,
    secret: &str,
    platform: Platform,
    user_id: &str,
) -> Result<TokenResp, ApiError> {
    let req = UserTokenReq {
        secret: secret.into(),
        platform_id: platform.id(),
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
