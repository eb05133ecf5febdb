//! Every call the console made, newest first: method, URL, status, errCode, time, operationID,
//! with headers and bodies folded away. Tokens and secrets are shown shortened.

use std::rc::Rc;

use yew::prelude::*;

use crate::api::LogEntry;
use crate::i18n::{errors::api_error, shell as t, use_lang, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Oldest first. Each entry is shared, never copied: a response body can be a whole page of
    /// users.
    pub entries: Rc<Vec<Rc<LogEntry>>>,
    pub on_clear: Callback<()>,
}

/// `eyJhbGciOi…Xw4xw`: enough to tell tokens apart, not enough to use one.
pub fn shorten_token(token: &str) -> String {
    let chars: Vec<char> = token.chars().collect();
    if chars.len() <= 20 {
        return "…".repeat(chars.len().min(1));
    }
    let head: String = chars[..10].iter().collect();
    let tail: String = chars[chars.len() - 6..].iter().collect();
    format!("{head}…{tail}")
}

/// A POSIX shell single-quoted word.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A curl command that repeats the call exactly, secret and token included: what an
/// integrator pastes into a terminal. `origin` makes a same-origin URL (`/api/...`) absolute.
pub fn curl_command(e: &LogEntry, origin: &str) -> String {
    let url = if e.url.starts_with('/') {
        format!("{origin}{}", e.url)
    } else {
        e.url.clone()
    };
    let mut cmd = format!("curl -X {} {}", e.method, shell_quote(&url));
    for (k, v) in &e.request_headers {
        cmd.push_str(&format!(" \\\n  -H {}", shell_quote(&format!("{k}: {v}"))));
    }
    cmd.push_str(&format!(
        " \\\n  --data-raw {}",
        shell_quote(&e.request_body)
    ));
    cmd
}

/// A request body with its `secret` (OpenIM) and `password` (chat sign-in, an md5 that works
/// as the password itself) masked.
pub fn mask_secret(body: &str) -> String {
    const MASKED: [&str; 2] = ["secret", "password"];
    crate::json::mask_fields(body, &MASKED, "••••••").unwrap_or_else(|| body.to_string())
}

#[derive(Properties)]
struct EntryProps {
    entry: Rc<LogEntry>,
    lang: Lang,
}

impl PartialEq for EntryProps {
    /// A logged call never changes: the same entry is the same row, whatever its body's size.
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.entry, &other.entry) && self.lang == other.lang
    }
}

/// One call. Rendered when it arrives (or the language changes), not again with every newer one.
#[function_component(EntryRow)]
fn entry_row(props: &EntryProps) -> Html {
    let (e, lang) = (&props.entry, props.lang);
    html! {
        <tr>
            <td>{ e.method }</td>
            <td><code>{ &e.url }</code></td>
            <td>{ e.status.map(|s| s.to_string()).unwrap_or_else(|| t::NO_ANSWER.get(lang).into()) }</td>
            <td>{ e.err_code.map(|c| c.to_string()).unwrap_or_default() }</td>
            <td>{ t::duration_ms(lang, e.duration_ms) }</td>
            <td><code>{ &e.operation_id }</code></td>
            <td><EntryDetails entry={e.clone()} {lang} /></td>
        </tr>
    }
}

/// The folded part of one row: headers (token shortened unless revealed), bodies, and the
/// call as a curl command.
#[function_component(EntryDetails)]
fn entry_details(props: &EntryProps) -> Html {
    let lang = props.lang;
    let e = &props.entry;
    let reveal = use_state(|| false);
    let curl = use_state(|| None::<String>);
    let toggle = {
        let reveal = reveal.clone();
        Callback::from(move |_: MouseEvent| reveal.set(!*reveal))
    };
    let copy = {
        let (curl, e) = (curl.clone(), e.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let origin = window.location().origin().unwrap_or_default();
            let cmd = curl_command(&e, &origin);
            let _ = window.navigator().clipboard().write_text(&cmd);
            curl.set(Some(cmd));
        })
    };
    let has_token = e.request_headers.iter().any(|(k, _)| k == "token");
    let curl_id = format!("curl-{}", e.operation_id);
    let response = match &e.failure {
        Some(f) => api_error(lang, f),
        None => e.response_body.clone(),
    };
    html! {
        <details>
            <summary>{ t::SHOW.get(lang) }</summary>
            <h3>{ t::REQUEST_HEADERS.get(lang) }</h3>
            <pre>{ for e.request_headers.iter().map(|(k, v)| {
                let v = if k == "token" && !*reveal { shorten_token(v) } else { v.clone() };
                format!("{k}: {v}\n")
            }) }</pre>
            if has_token {
                <button type="button" class="secondary" onclick={toggle}>{ if *reveal { t::HIDE_TOKEN.get(lang) } else { t::REVEAL_TOKEN.get(lang) } }</button>
            }
            <h3>{ t::REQUEST_BODY.get(lang) }</h3>
            <pre>{ mask_secret(&e.request_body) }</pre>
            <h3>{ t::RESPONSE_BODY.get(lang) }</h3>
            <pre>{ response }</pre>
            if e.failure.is_none() && e.response_cut() {
                <p>{ t::body_cut(lang, e.response_body.len(), e.response_bytes) }</p>
            }
            <button type="button" class="secondary" onclick={copy}>{ t::COPY_AS_CURL.get(lang) }</button>
            if let Some(cmd) = &*curl {
                <label for={curl_id.clone()}>{ t::CURL_LABEL.get(lang) }</label>
                <textarea id={curl_id} readonly=true rows="6" value={cmd.clone()} />
            }
        </details>
    }
}

#[function_component(RequestLog)]
pub fn request_log(props: &Props) -> Html {
    let lang = use_lang();
    let on_clear = props.on_clear.reform(|_: MouseEvent| ());
    html! {
        <section class="request-log" aria-labelledby="request-log-title">
            <h2 id="request-log-title">{ t::request_log_title(lang, props.entries.len()) }</h2>
            <button type="button" onclick={on_clear} disabled={props.entries.is_empty()}>{ t::CLEAR_LOG.get(lang) }</button>
            if props.entries.is_empty() {
                <p>{ t::NO_CALLS.get(lang) }</p>
            } else {
                <table>
                    <thead><tr>
                        <th scope="col">{ t::COL_METHOD.get(lang) }</th><th scope="col">{ t::COL_URL.get(lang) }</th>
                        <th scope="col">{ t::COL_HTTP.get(lang) }</th><th scope="col">{ t::COL_ERRCODE.get(lang) }</th>
                        <th scope="col">{ t::COL_TIME.get(lang) }</th><th scope="col">{ t::COL_OPERATION_ID.get(lang) }</th>
                        <th scope="col">{ t::COL_DETAILS.get(lang) }</th>
                    </tr></thead>
                    <tbody>
                    { for props.entries.iter().rev().map(|e| html! {
                        <EntryRow key={e.operation_id.clone()} entry={e.clone()} {lang} />
                    }) }
                    </tbody>
                </table>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortens_tokens() {
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.payload.signature123";
        assert_eq!(shorten_token(t), "eyJhbGciOi…ure123");
        assert_eq!(shorten_token("short"), "…");
        assert_eq!(shorten_token(""), "");
    }

    #[test]
    fn curl_repeats_the_call() {
        let e = LogEntry {
            operation_id: "1".into(),
            method: "POST",
            url: "/api/user/get_users".into(),
            request_headers: vec![
                ("operationID".into(), "1".into()),
                ("token".into(), "abc".into()),
            ],
            request_body: r#"{"nickname":"it's"}"#.into(),
            status: Some(200),
            response_body: String::new(),
            response_bytes: 0,
            err_code: None,
            failure: None,
            duration_ms: 1.0,
        };
        let cmd = curl_command(&e, "http://127.0.0.1:8080");
        assert_eq!(
            cmd,
            "curl -X POST 'http://127.0.0.1:8080/api/user/get_users' \\\n  -H 'operationID: 1' \\\n  -H 'token: abc' \\\n  --data-raw '{\"nickname\":\"it'\\''s\"}'"
        );
        let absolute = LogEntry {
            url: "http://h:10002/x".into(),
            ..e
        };
        assert!(curl_command(&absolute, "http://ignored")
            .starts_with("curl -X POST 'http://h:10002/x'"));
    }

    #[test]
    fn masks_the_secret_only() {
        let masked =
            mask_secret(r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#);
        assert!(!masked.contains("openIM123\""));
        assert!(masked.contains("openIM123456"));
        assert_eq!(mask_secret("not json"), "not json");
        let chat =
            mask_secret(r#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#);
        assert!(
            chat.contains("chatAdmin") && !chat.contains("625031fc"),
            "{chat}"
        );
    }
}
