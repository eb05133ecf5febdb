//! The only code that does HTTP. Every call is a POST with a JSON body, an `operationID` header
//! and, where needed, the `token` header (§1.2); every answer is mapped once into
//! [`ApiError`] at this boundary, and every call is reported to the request log.

pub mod auth;
pub mod chat;
pub mod error;
pub mod log;
pub mod probe;
pub mod user;

use std::cell::Cell;
use std::rc::Rc;

use openim_protocol::{Envelope, HEADER_OPERATION_ID, HEADER_TOKEN};

use crate::json;
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::JsCast;
use yew::Callback;

pub use error::ApiError;
pub use log::LogEntry;
use log::Sent;

/// Joins the API base (`/api`, `http://host:10002`, with or without a trailing slash) and an
/// endpoint path.
pub fn endpoint_url(base: &str, path: &str) -> String {
    format!(
        "{}/{}",
        base.trim().trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

/// How long a call may wait for its answer.
pub const TIMEOUT_SECS: u32 = 30;

/// A unique operationID for each call: the time in ms and a per-tab counter.
fn next_operation_id() -> String {
    thread_local! {
        static COUNTER: Cell<u32> = const { Cell::new(0) };
    }
    let n = COUNTER.with(|c| {
        c.set(c.get().wrapping_add(1));
        c.get()
    });
    format!("{}-{n}", js_sys::Date::now() as u64)
}

/// The text a failed browser call rejects with, as `String(error)` writes it
/// (`TypeError: Failed to fetch`).
fn js_error_text(e: wasm_bindgen::JsValue) -> String {
    e.unchecked_into::<js_sys::Error>().to_string().into()
}

/// One POST through the browser's fetch; the error is the browser's message, for a request
/// it cannot build (a malformed URL or header) as for one that got no answer.
async fn fetch(
    url: &str,
    headers: &[(String, String)],
    body: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<RawAnswer, String> {
    let response = send(url, headers, body, signal).map_err(js_error_text)?;
    receive(response).await.map_err(js_error_text)
}

/// Hands one POST to the browser's fetch now; the promise settles with its response.
fn send(
    url: &str,
    headers: &[(String, String)],
    body: &str,
    signal: Option<&web_sys::AbortSignal>,
) -> Result<js_sys::Promise, wasm_bindgen::JsValue> {
    let init = web_sys::RequestInit::new();
    init.set_method("POST");
    let h = web_sys::Headers::new()?;
    for (k, v) in headers {
        h.set(k, v)?;
    }
    init.set_headers(&h);
    // The body goes out as the UTF-8 bytes it already is: as a JS string it would be decoded
    // from UTF-8 here and encoded again by fetch, 60 KB at a time during a bulk import.
    init.set_body(&js_sys::Uint8Array::from(body.as_bytes()));
    init.set_signal(signal);
    let request = web_sys::Request::new_with_str_and_init(url, &init)?;
    let window = web_sys::window().ok_or("no window")?;
    Ok(window.fetch_with_request(&request))
}

/// Waits for a response [`send`] asked for, and reads its body.
async fn receive(response: js_sys::Promise) -> Result<RawAnswer, wasm_bindgen::JsValue> {
    use wasm_bindgen_futures::JsFuture;
    let resp: web_sys::Response = JsFuture::from(response).await?.unchecked_into();
    let status = resp.status();
    let text = JsFuture::from(resp.text()?).await?;
    Ok(RawAnswer {
        status,
        body: text.as_string().unwrap_or_default(),
    })
}

/// What every call starts with: a fresh operationID, its headers, and the controller that can
/// abort it.
fn outgoing(
    token: Option<&str>,
) -> (
    String,
    Vec<(String, String)>,
    Option<web_sys::AbortController>,
) {
    let operation_id = next_operation_id();
    let headers = headers(&operation_id, token);
    (operation_id, headers, web_sys::AbortController::new().ok())
}

/// A call's headers (§1.2), in the order static/early.js also sends them.
fn headers(operation_id: &str, token: Option<&str>) -> Vec<(String, String)> {
    let mut headers = vec![
        (HEADER_OPERATION_ID.to_string(), operation_id.to_string()),
        ("Content-Type".to_string(), "application/json".to_string()),
    ];
    if let Some(t) = token {
        headers.push((HEADER_TOKEN.to_string(), t.to_string()));
    }
    headers
}

/// The key under which static/early.js `sendEarly` keeps its call.
const EARLY_KEY: &str = "openimEarly";

/// The one call the loader puts on the wire before the wasm has arrived (static/early.js),
/// when the console opens signed in on the users table: the page the address names. It waits
/// in `globalThis.openimEarly` for the first call of the same URL, token and body, which then
/// times, logs and decodes it exactly as if it had sent it itself. Its fields are read through
/// `Reflect`, which the console binds already.
struct EarlyCall(js_sys::Object);

impl EarlyCall {
    fn of(value: wasm_bindgen::JsValue) -> Option<EarlyCall> {
        value.is_object().then(|| EarlyCall(value.unchecked_into()))
    }

    fn field(&self, name: &str) -> wasm_bindgen::JsValue {
        js_sys::Reflect::get(&self.0, &name.into()).unwrap_or_default()
    }

    fn text(&self, name: &str) -> String {
        self.field(name).as_string().unwrap_or_default()
    }

    /// `Date.now()` as it went out.
    fn started(&self) -> f64 {
        self.field("started")
            .as_f64()
            .unwrap_or_else(js_sys::Date::now)
    }

    /// The operationID and headers it went out with.
    fn sent(&self, token: Option<&str>) -> (String, Vec<(String, String)>) {
        let operation_id = self.text("operationID");
        let headers = headers(&operation_id, token);
        (operation_id, headers)
    }

    fn abort(&self) -> Option<web_sys::AbortController> {
        let abort = self.field("abort");
        abort.is_object().then(|| abort.unchecked_into())
    }

    /// The answer, once it is in: `{status, body, at}`, `at` being `Date.now()` as its body was
    /// read.
    fn settled(&self) -> Option<(RawAnswer, f64)> {
        let settled = EarlyCall::of(self.field("settled"))?;
        let at = settled.field("at").as_f64()?;
        Some((settled.answer(), at))
    }

    fn answer(&self) -> RawAnswer {
        RawAnswer {
            status: self.field("status").as_f64().unwrap_or_default() as u16,
            body: self.text("body"),
        }
    }
}

/// The loader's call, if it sent one for this URL, token and body that is not yet claimed and
/// `ready` accepts; claimed by this, so that only one call ever reads it.
fn take_early(
    url: &str,
    token: Option<&str>,
    body: &str,
    ready: impl FnOnce(&EarlyCall) -> bool,
) -> Option<EarlyCall> {
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    let global = js_sys::global();
    let call = EarlyCall::of(js_sys::Reflect::get(&global, &EARLY_KEY.into()).ok()?)?;
    let matches = call.text("url") == url
        && Some(call.text("token").as_str()) == token
        && call.text("body") == body;
    if !matches || !ready(&call) {
        return None;
    }
    let _ = js_sys::Reflect::delete_property(&global, &EARLY_KEY.into());
    Some(call)
}

/// Waits for the loader's call's answer.
async fn receive_early(call: &EarlyCall) -> Result<RawAnswer, wasm_bindgen::JsValue> {
    // static/early.js sets `answer` to a promise, which settles with an object.
    let answer = call.field("answer").unchecked_into::<js_sys::Promise>();
    let answer = wasm_bindgen_futures::JsFuture::from(answer).await?;
    Ok(EarlyCall(answer.unchecked_into()).answer())
}

/// What the transport saw of one call.
pub struct RawAnswer {
    pub status: u16,
    pub body: String,
}

/// A handle for calling one OpenIM server. Cheap to clone; compared by base and generation.
#[derive(Clone)]
pub struct Client {
    pub base: Rc<str>,
    log: Callback<LogEntry>,
}

impl PartialEq for Client {
    fn eq(&self, other: &Self) -> bool {
        self.base == other.base && self.log == other.log
    }
}

impl Client {
    pub fn new(base: impl Into<Rc<str>>, log: Callback<LogEntry>) -> Client {
        Client {
            base: base.into(),
            log,
        }
    }

    /// The callback calls report to, for building a client on other settings.
    pub fn log_callback(&self) -> Callback<LogEntry> {
        self.log.clone()
    }

    /// Sends one POST and returns the HTTP status and body text, logging the exchange.
    pub async fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        body: String,
    ) -> Result<RawAnswer, ApiError> {
        let url = endpoint_url(&self.base, path);
        let early = take_early(&url, token, &body, |_| true);
        let (operation_id, headers, abort, started) = match &early {
            Some(call) => {
                let (operation_id, headers) = call.sent(token);
                (operation_id, headers, call.abort(), call.started())
            }
            None => {
                let (operation_id, headers, abort) = outgoing(token);
                (operation_id, headers, abort, js_sys::Date::now())
            }
        };
        // A request that gets no answer is aborted after TIMEOUT_SECS, so that a server that
        // hangs reads as a fault the operator can retry, not as a page that waits forever.
        let signal = abort.as_ref().map(|a| a.signal());
        let timer = abort.as_ref().and_then(|a| {
            let a = a.clone();
            let on_timeout = wasm_bindgen::closure::Closure::once_into_js(move || a.abort());
            web_sys::window()?
                .set_timeout_with_callback_and_timeout_and_arguments_0(
                    on_timeout.unchecked_ref(),
                    TIMEOUT_SECS as i32 * 1000,
                )
                .ok()
        });
        let timed_out = || abort.as_ref().is_some_and(|a| a.signal().aborted());
        let answer = match &early {
            Some(call) => receive_early(call).await.map_err(js_error_text),
            None => fetch(&url, &headers, &body, signal.as_ref()).await,
        };
        let outcome = match answer {
            Ok(answer) => Ok(answer),
            Err(_) if timed_out() => Err(ApiError::Timeout(TIMEOUT_SECS)),
            Err(e) => Err(ApiError::Network(e)),
        };
        if let (Some(id), Some(w)) = (timer, web_sys::window()) {
            w.clear_timeout_with_handle(id);
        }
        let entry = LogEntry::new(
            Sent {
                operation_id,
                method: "POST",
                url,
                headers,
                body: &body,
            },
            outcome.as_ref().ok().map(|a| (a.status, a.body.as_str())),
            outcome.as_ref().err().cloned(),
            js_sys::Date::now() - started,
        );
        self.log.emit(entry);
        outcome
    }

    /// The loader's call for `path` with this token and body (static/early.js `sendEarly`), if
    /// its answer is already in and `accept` makes something of it: claimed, with the entry
    /// [`Client::post_raw`] would have logged, for the caller to [`Client::log`] once it has
    /// drawn what it made. This lets the users table's first render show the page.
    pub fn claim_settled_early<T>(
        &self,
        path: &str,
        token: &str,
        body: &str,
        accept: impl FnOnce(u16, &str) -> Option<T>,
    ) -> Option<(T, LogEntry)> {
        let url = endpoint_url(&self.base, path);
        let mut made = None;
        let call = take_early(&url, Some(token), body, |call| {
            let Some((raw, at)) = call.settled() else {
                return false;
            };
            made = accept(raw.status, &raw.body).map(|made| (made, raw, at));
            made.is_some()
        })?;
        let (made, raw, at) = made?;
        let (operation_id, headers) = call.sent(Some(token));
        let entry = LogEntry::new(
            Sent {
                operation_id,
                method: "POST",
                url,
                headers,
                body,
            },
            Some((raw.status, raw.body.as_str())),
            None,
            at - call.started(),
        );
        Some((made, entry))
    }

    /// Reports a call to the request log.
    pub fn log(&self, entry: LogEntry) {
        self.log.emit(entry);
    }

    /// Calls an endpoint and decodes its envelope; `Ok(None)` is a success without `data`.
    pub async fn call<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        req: &Req,
    ) -> Result<Option<Resp>, ApiError> {
        self.call_decoding(path, token, req, decode_answer).await
    }

    /// [`Client::call`] for an endpoint whose answers can be large ([`decode_large_answer`]).
    pub async fn call_large<Req: Serialize, Resp: DeserializeOwned>(
        &self,
        path: &str,
        token: Option<&str>,
        req: &Req,
    ) -> Result<Option<Resp>, ApiError> {
        self.call_decoding(path, token, req, decode_large_answer)
            .await
    }

    async fn call_decoding<Req: Serialize, Resp>(
        &self,
        path: &str,
        token: Option<&str>,
        req: &Req,
        decode: fn(u16, &str) -> Result<Option<Resp>, ApiError>,
    ) -> Result<Option<Resp>, ApiError> {
        let body = json::to_string(req).expect("request types serialise");
        let answer = self.post_raw(path, token, body).await?;
        decode(answer.status, &answer.body)
    }
}

/// [`decode_answer`] for answers that can be large (pages of users): the usual answer decodes
/// straight into its type, without the generic JSON tree in between; anything else is read
/// again by [`decode_answer`], to tell an OpenIM error, an HTTP failure and a body of the
/// wrong shape apart. Kept to such answers because each type decoded this way adds its own
/// decoder to the wasm binary.
pub fn decode_large_answer<Resp: DeserializeOwned>(
    status: u16,
    body: &str,
) -> Result<Option<Resp>, ApiError> {
    // In the browser [`decode_answer`] builds no tree either: the envelope's data stays the
    // browser's parsed value ([`json::Raw`]) until it is decoded into its type, so this path
    // would only add a second decoder of the same type.
    #[cfg(not(target_arch = "wasm32"))]
    if (200..300).contains(&status) {
        if let Ok(env) = json::from_str::<Envelope<Resp>>(body) {
            if env.err_code == 0 {
                return Ok(env.data);
            }
        }
    }
    decode_answer(status, body)
}

/// Maps an HTTP answer to data or one [`ApiError`]: an OpenIM envelope with errCode ≠ 0 is a
/// failure even with HTTP 200, and v3.4 answers bad JSON with HTTP 400 *and* an envelope (§1.3).
pub fn decode_answer<Resp: DeserializeOwned>(
    status: u16,
    body: &str,
) -> Result<Option<Resp>, ApiError> {
    match json::from_str::<Envelope<json::Raw>>(body) {
        Ok(env) if env.err_code != 0 => Err(ApiError::OpenIm {
            code: env.code(),
            msg: env.err_msg,
            dlt: env.err_dlt,
        }),
        Ok(env) if (200..300).contains(&status) => match env.data {
            // `"data":null` reads as no data.
            None => Ok(None),
            Some(data) => json::from_raw(data).map(Some).map_err(ApiError::Decode),
        },
        _ if !(200..300).contains(&status) => Err(ApiError::Http {
            status,
            body: error::snippet(body),
        }),
        Ok(_) => Err(ApiError::Decode("success without the expected data".into())),
        Err(e) => Err(ApiError::Decode(e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use openim_protocol::auth::TokenResp;
    use openim_protocol::user::GetUsersResp;
    use openim_protocol::ErrCode;

    #[test]
    fn joins_urls() {
        assert_eq!(
            endpoint_url("/api", "/user/get_users"),
            "/api/user/get_users"
        );
        assert_eq!(
            endpoint_url("http://h:10002/", "/auth/user_token"),
            "http://h:10002/auth/user_token"
        );
    }

    #[test]
    fn decodes_success_and_errors() {
        let ok: Option<TokenResp> = decode_answer(
            200,
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":"t","expireTimeSeconds":7776000}}"#,
        )
        .unwrap();
        assert_eq!(ok.unwrap().token, "t");
        let none: Option<TokenResp> =
            decode_answer(200, r#"{"errCode":0,"errMsg":"","errDlt":""}"#).unwrap();
        assert!(none.is_none());
        let err = decode_answer::<TokenResp>(
            200,
            r#"{"errCode":1002,"errMsg":"NoPermissionError","errDlt":"secret invalid: 1002 NoPermissionError"}"#,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            ApiError::OpenIm {
                code: ErrCode::NO_PERMISSION,
                ..
            }
        ));
        // v3.4: HTTP 400 with an envelope is OpenIM's answer to bad JSON, not a transport failure.
        let err = decode_answer::<TokenResp>(
            400,
            r#"{"errCode":1001,"errMsg":"ArgsError","errDlt":"EOF"}"#,
        )
        .unwrap_err();
        assert!(matches!(
            err,
            ApiError::OpenIm {
                code: ErrCode::ARGS,
                ..
            }
        ));
        let err = decode_answer::<TokenResp>(502, "<html>Bad Gateway</html>").unwrap_err();
        assert!(matches!(err, ApiError::Http { status: 502, .. }));
        let err = decode_answer::<TokenResp>(200, "not json").unwrap_err();
        assert!(matches!(err, ApiError::Decode(_)));
    }

    /// Both decoders give the same answer for every body, success or not.
    #[test]
    fn large_answers_decode_as_any_other() {
        let bodies = [
            (
                200,
                r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":"t","expireTimeSeconds":7776000}}"#,
            ),
            (200, r#"{"errCode":0,"errMsg":"","errDlt":""}"#),
            (200, r#"{"errCode":0,"errMsg":"","errDlt":"","data":null}"#),
            (
                200,
                r#"{"errCode":1002,"errMsg":"NoPermissionError","errDlt":"secret invalid"}"#,
            ),
            (
                400,
                r#"{"errCode":1001,"errMsg":"ArgsError","errDlt":"EOF"}"#,
            ),
            (502, "<html>Bad Gateway</html>"),
            (200, "not json"),
            // Success with data of another shape: a decode failure, not a success without data.
            (
                200,
                r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":7}}"#,
            ),
            // An envelope with errCode 0 behind an HTTP error is the HTTP error.
            (
                500,
                r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":"t","expireTimeSeconds":1}}"#,
            ),
        ];
        for (status, body) in bodies {
            let direct = decode_large_answer::<TokenResp>(status, body);
            let generic = decode_answer::<TokenResp>(status, body);
            assert_eq!(
                format!("{direct:?}"),
                format!("{generic:?}"),
                "{status} {body}"
            );
        }
        assert!(matches!(
            decode_large_answer::<TokenResp>(200, bodies[7].1),
            Err(ApiError::Decode(_))
        ));
        assert!(matches!(
            decode_large_answer::<TokenResp>(500, bodies[8].1),
            Err(ApiError::Http { status: 500, .. })
        ));
        // A page of users as §3.4 shows it, and an empty one.
        let page: GetUsersResp = decode_large_answer(
            200,
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"total":4,"users":[{"userID":"openIM123456","nickname":"system1","faceURL":"","ex":"","createTime":1699600000000,"appMangerLevel":2,"globalRecvMsgOpt":0}]}}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(page.total, 4);
        let users = page.users.unwrap();
        assert_eq!(
            (users[0].user_id.as_str(), users[0].create_time),
            ("openIM123456", 1699600000000)
        );
        let empty: GetUsersResp = decode_large_answer(
            200,
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"total":4,"users":null}}"#,
        )
        .unwrap()
        .unwrap();
        assert_eq!(empty.users, None);
    }
}
