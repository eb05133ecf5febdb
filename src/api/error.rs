//! The one error type views match on (design habit 3). Nothing branches on errMsg/errDlt text.

use std::fmt;

use openim_protocol::ErrCode;

#[derive(Clone, Debug, PartialEq)]
pub enum ApiError {
    /// The request did not get an HTTP answer (server down, CORS, DNS, offline).
    Network(String),
    /// No answer within this many seconds; the request was aborted.
    Timeout(u32),
    /// An HTTP error status whose body is not an OpenIM envelope (a proxy's 502 page, gin's 404).
    Http { status: u16, body: String },
    /// A 2xx answer that is not the JSON expected.
    Decode(String),
    /// OpenIM's own failure: errCode ≠ 0.
    OpenIm {
        code: ErrCode,
        msg: String,
        dlt: String,
    },
    /// The admin token is gone or stopped working and cannot be renewed here (no secret in
    /// memory, or the renewal failed): the operator has to connect again.
    NeedsSignIn,
}

/// The first 200 characters of a body, for messages.
pub fn snippet(body: &str) -> String {
    let trimmed = body.trim();
    match trimmed.char_indices().nth(200) {
        Some((i, _)) => format!("{}…", &trimmed[..i]),
        None => trimmed.to_string(),
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ApiError::Network(e) => write!(f, "no answer from the server: {e}"),
            ApiError::Timeout(secs) => write!(f, "no answer within {secs} seconds"),
            ApiError::Http { status, body } => write!(f, "HTTP {status}: {body}"),
            ApiError::Decode(e) => write!(f, "the answer is not what OpenIM sends: {e}"),
            ApiError::OpenIm { code, msg, .. } => write!(f, "errCode {} {msg}", code.0),
            ApiError::NeedsSignIn => f.write_str("the admin sign-in has ended: connect again"),
        }
    }
}
