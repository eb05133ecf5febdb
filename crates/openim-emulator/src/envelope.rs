//! Building OpenIM's answers: the envelope (§1.3), errDlt in each generation's style (§1.5),
//! OpenIM's CORS headers on every response (§1.4), and gin's 404.

use axum::body::Body;
use axum::http::{header, HeaderValue, Response, StatusCode};
use openim_protocol::{ApiVersion, ErrCode};
use serde::Serialize;

/// Where OpenIM raised an error; it decides the errDlt text (§1.5).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Raised {
    /// The API process: middleware and the API-side `Check()`.
    Api,
    /// An RPC service; its error text travels back as the detail.
    Rpc,
}

/// An OpenIM error answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: i32,
    pub msg: String,
    pub dlt: String,
}

impl ApiError {
    /// An error of a known code with its usual errMsg, and errDlt as `version` writes it.
    /// An empty `msg` is OpenIM's `Wrap()` without text.
    pub fn new(version: ApiVersion, code: ErrCode, raised: Raised, msg: &str) -> ApiError {
        let name = code.name().unwrap_or("");
        let dlt = match (version, raised) {
            (ApiVersion::V3_4, _) => format!("{msg}: {} {name}", code.0),
            (ApiVersion::V3_8, Raised::Api) => String::new(),
            (ApiVersion::V3_8, Raised::Rpc) if msg.is_empty() => name.to_string(),
            (ApiVersion::V3_8, Raised::Rpc) => msg.to_string(),
        };
        ApiError {
            status: StatusCode::OK,
            code: code.0,
            msg: name.to_string(),
            dlt,
        }
    }

    /// An error whose errMsg and errDlt are given verbatim.
    pub fn raw(code: ErrCode, msg: impl Into<String>, dlt: impl Into<String>) -> ApiError {
        ApiError {
            status: StatusCode::OK,
            code: code.0,
            msg: msg.into(),
            dlt: dlt.into(),
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> ApiError {
        self.status = status;
        self
    }
}

#[derive(Serialize)]
struct Wire<'a, T: Serialize> {
    #[serde(rename = "errCode")]
    code: i32,
    #[serde(rename = "errMsg")]
    msg: &'a str,
    #[serde(rename = "errDlt")]
    dlt: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<T>,
}

/// OpenIM's `CorsHandler` headers, which it sets on every response (§1.4).
fn with_cors(mut resp: Response<Body>, content_type: &'static str) -> Response<Body> {
    let h = resp.headers_mut();
    h.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("*"),
    );
    h.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static(
            "Content-Length, Access-Control-Allow-Origin, Access-Control-Allow-Headers,Cache-Control,Content-Language,Content-Type,Expires,Last-Modified,Pragma,FooBar",
        ),
    );
    h.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("172800"),
    );
    h.insert(
        header::ACCESS_CONTROL_ALLOW_CREDENTIALS,
        HeaderValue::from_static("false"),
    );
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

fn respond(
    status: StatusCode,
    body: impl Into<Body>,
    content_type: &'static str,
) -> Response<Body> {
    let mut resp = Response::new(body.into());
    *resp.status_mut() = status;
    with_cors(resp, content_type)
}

/// A success envelope; `None` omits `data`, as for messages without fields (§1.3).
pub fn success<T: Serialize>(data: Option<T>) -> Response<Body> {
    let body = serde_json::to_vec(&Wire {
        code: 0,
        msg: "",
        dlt: "",
        data,
    })
    .expect("envelope serialises");
    respond(StatusCode::OK, body, "application/json")
}

pub fn failure(err: &ApiError) -> Response<Body> {
    let body = serde_json::to_vec(&Wire::<()> {
        code: err.code,
        msg: &err.msg,
        dlt: &err.dlt,
        data: None,
    })
    .expect("envelope serialises");
    respond(err.status, body, "application/json")
}

/// The answer to any `OPTIONS` request (§1.4).
pub fn options() -> Response<Body> {
    respond(StatusCode::OK, "\"Options Request!\"", "application/json")
}

/// gin's default 404 for an unknown path or a method with no route (§1.1, §1.3).
pub fn not_found() -> Response<Body> {
    respond(StatusCode::NOT_FOUND, "404 page not found", "text/plain")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errdlt_styles() {
        let e = ApiError::new(
            ApiVersion::V3_4,
            ErrCode::NO_PERMISSION,
            Raised::Rpc,
            "secret invalid",
        );
        assert_eq!(e.dlt, "secret invalid: 1002 NoPermissionError");
        assert_eq!(e.msg, "NoPermissionError");
        let e = ApiError::new(ApiVersion::V3_4, ErrCode::TOKEN_NOT_EXIST, Raised::Api, "");
        assert_eq!(e.dlt, ": 1507 TokenNotExistError");
        let e = ApiError::new(
            ApiVersion::V3_8,
            ErrCode::ARGS,
            Raised::Api,
            "header must have token",
        );
        assert_eq!(e.dlt, "");
        let e = ApiError::new(ApiVersion::V3_8, ErrCode::TOKEN_KICKED, Raised::Rpc, "");
        assert_eq!(e.dlt, "TokenKickedError");
    }
}
