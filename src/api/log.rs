//! One entry per call for the request log: what was sent and what came back, bounded. A bulk
//! import sends bodies of a thousand users each, so a body over [`BODY_LIMIT`] bytes is kept only
//! as its beginning, its secrets masked before it is cut, with its full length for the note that
//! says so; everything a view needs (the errCode, the masked body) is worked out once, here, not
//! at every render.

use std::borrow::Cow;
use std::ops::Range;
use std::rc::Rc;

use serde::Deserialize;

use super::ApiError;

/// Bodies up to this many bytes are kept as sent; longer ones only as their first this many.
pub const BODY_LIMIT: usize = 4096;

/// Request fields whose values the log never shows: OpenIM's `secret`, and the chat sign-in's
/// `password` (an md5 that works as the password itself).
const MASKED_KEYS: [&str; 2] = ["secret", "password"];
const MASK: &str = "\"••••••\"";

/// A body as the log keeps it.
#[derive(Clone, Debug, PartialEq)]
pub struct Body {
    /// What views show: the body with its secrets masked, cut to [`BODY_LIMIT`] bytes.
    pub shown: String,
    /// The body as sent, secrets included, when it is short enough to keep: "Copy as curl"
    /// repeats the call with it.
    pub whole: Option<String>,
    /// The body's length in bytes.
    pub bytes: usize,
}

impl Body {
    pub fn keep(text: &str) -> Body {
        let masked = mask_secrets(text);
        Body {
            shown: cut(&masked, BODY_LIMIT).to_string(),
            whole: (text.len() <= BODY_LIMIT).then(|| text.to_string()),
            bytes: text.len(),
        }
    }

    /// Whether `shown` is only the body's beginning.
    pub fn is_cut(&self) -> bool {
        self.shown.len() < self.bytes && self.whole.is_none()
    }
}

/// The longest beginning of `text` of at most `limit` bytes that ends on a character boundary.
fn cut(text: &str, limit: usize) -> &str {
    if text.len() <= limit {
        return text;
    }
    let mut end = limit;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// A finished call. Header values are kept as sent; views shorten the token.
#[derive(Clone, Debug, PartialEq)]
pub struct LogEntry {
    pub operation_id: String,
    pub method: &'static str,
    pub url: String,
    pub request_headers: Vec<(String, String)>,
    pub request_body: Body,
    /// `None` when no HTTP answer came.
    pub status: Option<u16>,
    pub response_body: Body,
    /// The envelope's errCode, when the answer is one.
    pub err_code: Option<i64>,
    /// Why no answer could be read (network, timeout); views put it in words.
    pub failure: Option<Rc<ApiError>>,
    pub duration_ms: f64,
}

/// Where a call went and what it sent.
pub struct Sent<'a> {
    pub operation_id: String,
    pub method: &'static str,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: &'a str,
}

impl LogEntry {
    /// The entry for a call that got `answer` (status and body) or failed with `failure`.
    pub fn new(
        sent: Sent<'_>,
        answer: Option<(u16, &str)>,
        failure: Option<ApiError>,
        duration_ms: f64,
    ) -> LogEntry {
        let response = answer.map_or("", |(_, body)| body);
        LogEntry {
            operation_id: sent.operation_id,
            method: sent.method,
            url: sent.url,
            request_headers: sent.headers,
            request_body: Body::keep(sent.body),
            status: answer.map(|(status, _)| status),
            response_body: Body::keep(response),
            err_code: err_code(response),
            failure: failure.map(Rc::new),
            duration_ms,
        }
    }
}

/// The envelope's errCode, read without building the rest of the answer; `None` for a body
/// that is not an OpenIM envelope (§1.3).
pub fn err_code(body: &str) -> Option<i64> {
    #[derive(Deserialize)]
    struct Code {
        #[serde(rename = "errCode")]
        err_code: Option<i64>,
    }
    crate::json::from_str::<Code>(body).ok()?.err_code
}

/// `body` with the values of its top-level `secret` and `password` masked; any other text comes
/// back as it is. The object is scanned, not parsed: a 1,000-user registration is checked
/// for its `secret` in one pass over its bytes.
pub fn mask_secrets(body: &str) -> Cow<'_, str> {
    let spans = top_level_values(body, &MASKED_KEYS);
    if spans.is_empty() {
        return Cow::Borrowed(body);
    }
    let mut out = String::with_capacity(body.len());
    let mut from = 0;
    for span in spans {
        out.push_str(&body[from..span.start]);
        out.push_str(MASK);
        from = span.end;
    }
    out.push_str(&body[from..]);
    Cow::Owned(out)
}

/// The byte ranges of the values of `keys` in the JSON object `body`, at its top level only.
/// Empty when `body` is not a well-formed object.
fn top_level_values(body: &str, keys: &[&str]) -> Vec<Range<usize>> {
    let b = body.as_bytes();
    let ws = |i: &mut usize| {
        while *i < b.len() && b[*i].is_ascii_whitespace() {
            *i += 1;
        }
    };
    // The end of the string whose opening quote is at `i`, past its closing quote.
    let string_end = |mut i: usize| -> Option<usize> {
        i += 1;
        while i < b.len() {
            match b[i] {
                b'\\' => i += 2,
                b'"' => return Some(i + 1),
                _ => i += 1,
            }
        }
        None
    };
    // The end of the value that starts at `i`: past a string or a closing bracket, or where a
    // number, literal or misplaced bracket meets the `,` or `}` after it.
    let value_end = |mut i: usize| -> Option<usize> {
        let mut depth = 0usize;
        while let Some(&c) = b.get(i) {
            match c {
                b'"' => {
                    i = string_end(i)?;
                    if depth == 0 {
                        return Some(i);
                    }
                    continue;
                }
                b'{' | b'[' => depth += 1,
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    if depth == 0 {
                        return Some(i + 1);
                    }
                }
                b',' | b'}' | b']' if depth == 0 => return Some(i),
                _ => {}
            }
            i += 1;
        }
        None
    };
    let mut found = Vec::new();
    let mut i = 0;
    ws(&mut i);
    if b.get(i) != Some(&b'{') {
        return Vec::new();
    }
    i += 1;
    loop {
        ws(&mut i);
        match b.get(i) {
            Some(b'}') => return found,
            Some(b'"') => {}
            _ => return Vec::new(),
        }
        let Some(key_end) = string_end(i) else {
            return Vec::new();
        };
        let raw_key = &body[i..key_end];
        let key: Cow<str> = if raw_key.contains('\\') {
            match crate::json::from_str::<String>(raw_key) {
                Ok(k) => Cow::Owned(k),
                Err(_) => return Vec::new(),
            }
        } else {
            Cow::Borrowed(&raw_key[1..raw_key.len() - 1])
        };
        i = key_end;
        ws(&mut i);
        if b.get(i) != Some(&b':') {
            return Vec::new();
        }
        i += 1;
        ws(&mut i);
        let start = i;
        let Some(end) = value_end(i) else {
            return Vec::new();
        };
        if start == end {
            return Vec::new();
        }
        let value = body[start..end].trim_end();
        if keys.contains(&key.as_ref()) {
            found.push(start..start + value.len());
        }
        i = end;
        ws(&mut i);
        match b.get(i) {
            Some(b',') => i += 1,
            Some(b'}') => return found,
            _ => return Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_the_secret_only() {
        let masked =
            mask_secrets(r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#);
        assert_eq!(
            masked,
            r#"{"secret":"••••••","platformID":10,"userID":"openIM123456"}"#
        );
        assert_eq!(mask_secrets("not json"), "not json");
        let chat = mask_secrets(
            r#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#,
        );
        assert!(
            chat.contains("chatAdmin") && !chat.contains("625031fc"),
            "{chat}"
        );
        // Whitespace, nesting, escapes, a key spelt with an escape, a non-string value.
        let tricky = r#" { "users" : [ {"secret":"inner", "n":"a\"}"} ] , "\u0073ecret" : "s\"x" , "password": null } "#;
        assert_eq!(
            mask_secrets(tricky),
            r#" { "users" : [ {"secret":"inner", "n":"a\"}"} ] , "\u0073ecret" : "••••••" , "password": "••••••" } "#
        );
        // Not an object, or not well formed: nothing to mask, nothing changed.
        for text in [r#"["secret","x"]"#, r#"{"secret":"x""#, r#"{"secret"}"#, ""] {
            assert_eq!(mask_secrets(text), text);
        }
    }

    #[test]
    fn a_long_body_is_cut_after_its_secret_is_masked() {
        // A v3.4 registration: the secret first, then a thousand users.
        let users: Vec<String> = (0..1000)
            .map(|i| format!(r#"{{"userID":"u{i}","nickname":"用户 {i}"}}"#))
            .collect();
        let body = format!(r#"{{"secret":"openIM123","users":[{}]}}"#, users.join(","));
        let kept = Body::keep(&body);
        assert!(kept.is_cut());
        assert_eq!(kept.bytes, body.len());
        assert!(kept.shown.len() <= BODY_LIMIT && kept.shown.len() > BODY_LIMIT - 4);
        assert!(kept
            .shown
            .starts_with(r#"{"secret":"••••••","users":[{"userID":"u0""#));
        assert!(!kept.shown.contains("openIM123"));
        assert!(kept.whole.is_none(), "a long body is not kept whole");
        // A short one is kept as sent, for curl, and shown masked.
        let short = Body::keep(r#"{"secret":"openIM123","users":[]}"#);
        assert!(!short.is_cut());
        assert_eq!(short.shown, r#"{"secret":"••••••","users":[]}"#);
        assert_eq!(
            short.whole.as_deref(),
            Some(r#"{"secret":"openIM123","users":[]}"#)
        );
    }

    #[test]
    fn reads_the_err_code_once() {
        let e = LogEntry::new(
            Sent {
                operation_id: "1".into(),
                method: "POST",
                url: "/api/user/account_check".into(),
                headers: vec![],
                body: r#"{"checkUserIDs":["a"]}"#,
            },
            Some((
                200,
                r#"{"errCode":1102,"errMsg":"RegisteredAlreadyError","errDlt":"","data":{"x":[1,{"y":"z"}]}}"#,
            )),
            None,
            2.0,
        );
        assert_eq!(e.err_code, Some(1102));
        assert_eq!(e.status, Some(200));
        let none = LogEntry::new(
            Sent {
                operation_id: "2".into(),
                method: "POST",
                url: "/api/x".into(),
                headers: vec![],
                body: "",
            },
            None,
            Some(ApiError::Timeout(30)),
            1.0,
        );
        assert_eq!((none.err_code, none.status), (None, None));
        assert_eq!(none.response_body.shown, "");
    }
}
