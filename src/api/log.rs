//! One entry per call for the request log: what was sent and what came back.

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
    pub response_body: String,
    /// Why no answer could be read (network, timeout); views put it in words.
    pub failure: Option<std::rc::Rc<super::ApiError>>,
    pub duration_ms: f64,
}

impl LogEntry {
    /// The envelope's errCode, when the answer is one.
    pub fn err_code(&self) -> Option<i64> {
        serde_json::from_str::<serde_json::Value>(&self.response_body)
            .ok()?
            .get("errCode")?
            .as_i64()
    }
}
