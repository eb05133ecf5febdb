//! The chat server's admin API (chat-admin-api.md): signing in without the secret.

use openim_protocol::chat::{LoginReq, LoginResp, LOGIN_PATH};

use super::{ApiError, Client};

/// `POST /account/login` with the md5 of the password; the answer carries an OpenIM admin token.
pub async fn login(client: &Client, account: &str, password: &str) -> Result<LoginResp, ApiError> {
    let data: Option<LoginResp> = client
        .call(LOGIN_PATH, None, &LoginReq::new(account, password))
        .await?;
    data.ok_or_else(|| ApiError::Decode("the answer has no data".into()))
}
