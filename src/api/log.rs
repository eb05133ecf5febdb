//! One entry per call for the request log: what was sent and what came back.
//!
//! An entry keeps the start of a long response body, not all of it: an export pages through
//! the whole user list, and the log would otherwise hold megabytes of it, copy them on every new
//! call and render them into the page. What the view needs of the whole body (its errCode, its
//! size) is read once, when the call ends.

/// How many bytes of a response body an entry keeps: every envelope error and a screenful of
/// a page of users, without holding the page itself.
pub const KEPT_BODY_BYTES: usize = 16 * 1024;

/// A finished call. Header values are kept as sent; views shorten the token.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub operation_id: String,
    pub method: &'static str,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: String,
    /// `None` when no HTTP answer came.
    pub status: Option<u16>,
    /// The start of the response body, at most [`KEPT_BODY_BYTES`] (see [`kept_body`]).
    pub response_body: String,
    /// The whole response body's length in bytes; more than `response_body.len()` when the
    /// entry kept only its start.
    pub response_bytes: usize,
    /// The envelope's errCode, when the answer is one.
    pub err_code: Option<i64>,
    /// Why no answer could be read (network, timeout); views put it in words.
    pub failure: Option<std::rc::Rc<super::ApiError>>,
    pub duration_ms: f64,
}

impl LogEntry {
    /// Whether the entry kept only the start of the response body.
    pub fn response_cut(&self) -> bool {
        self.response_bytes > self.response_body.len()
    }
}

/// The start of `body` an entry keeps: all of it up to [`KEPT_BODY_BYTES`], else the longest
/// prefix within that size that ends on a character boundary.
pub fn kept_body(body: &str) -> String {
    if body.len() <= KEPT_BODY_BYTES {
        return body.to_string();
    }
    let mut end = KEPT_BODY_BYTES;
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    body[..end].to_string()
}

/// The errCode of an OpenIM envelope (§1.3), `None` for any other body. Reads past the other
/// fields without building them.
pub fn envelope_err_code(body: &str) -> Option<i64> {
    #[derive(serde::Deserialize)]
    struct Code {
        #[serde(rename = "errCode")]
        err_code: Option<i64>,
    }
    crate::json::from_str::<Code>(body).ok()?.err_code
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_short_bodies_whole_and_long_ones_cut_on_a_character() {
        let short = r#"{"errCode":0,"errMsg":"","errDlt":""}"#;
        assert_eq!(kept_body(short), short);
        // "张" is three bytes: a cut at the limit would fall inside one.
        let long = format!("a{}", "张".repeat(KEPT_BODY_BYTES));
        let kept = kept_body(&long);
        assert!(kept.len() <= KEPT_BODY_BYTES && kept.len() > KEPT_BODY_BYTES - 3);
        assert!(long.starts_with(&kept));
    }

    #[test]
    fn reads_the_err_code_of_a_whole_page() {
        let users = (0..2000)
            .map(|n| format!(r#"{{"userID":"u{n}","nickname":"N","faceURL":"","ex":"","createTime":1,"appMangerLevel":0,"globalRecvMsgOpt":0}}"#))
            .collect::<Vec<_>>()
            .join(",");
        let page = format!(
            r#"{{"errCode":0,"errMsg":"","errDlt":"","data":{{"total":2000,"users":[{users}]}}}}"#
        );
        assert!(page.len() > KEPT_BODY_BYTES);
        assert_eq!(envelope_err_code(&page), Some(0));
        assert_eq!(
            envelope_err_code(r#"{"errCode":1501,"errMsg":"TokenExpiredError","errDlt":""}"#),
            Some(1501)
        );
        assert_eq!(envelope_err_code("<html>Bad Gateway</html>"), None);
        assert_eq!(envelope_err_code("404 page not found"), None);
    }
}
