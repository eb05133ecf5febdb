//! `/user/*` calls (§3.2-§3.4, §4.3-§4.5).

use openim_protocol::user::{GetUsersReq, GetUsersResp, RequestPagination};

use super::{ApiError, Client};

/// `POST /user/get_users`: one page, 1-based.
pub async fn get_users(
    client: &Client,
    token: &str,
    page: i32,
    size: i32,
) -> Result<GetUsersResp, ApiError> {
    let req = GetUsersReq {
        pagination: RequestPagination {
            page_number: page,
            show_number: size,
        },
        user_id: None,
        nick_name: None,
    };
    let data: Option<GetUsersResp> = client.call("/user/get_users", Some(token), &req).await?;
    Ok(data.unwrap_or(GetUsersResp {
        total: 0,
        users: None,
    }))
}
