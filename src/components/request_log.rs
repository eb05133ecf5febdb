//! The console's latest calls, newest first: method, URL, status, errCode, time, operationID,
//! with headers and bodies folded away. Tokens are shown shortened and secrets masked; a long
//! body shows only the beginning the log keeps (crate::api::log), and says so.

use std::rc::Rc;

use yew::prelude::*;

use crate::api::log::Body;
use crate::api::LogEntry;
use crate::i18n::{errors::api_error, shell as t, use_lang, Lang};

#[derive(Properties)]
pub struct Props {
    pub entries: Rc<[Rc<LogEntry>]>,
    pub on_clear: Callback<()>,
}

/// The same list, not an equal one: comparing the entries themselves at every render would
/// read every kept body.
impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.entries, &other.entries) && self.on_clear == other.on_clear
    }
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
/// `None` when the log kept only the beginning of the request body.
pub fn curl_command(e: &LogEntry, origin: &str) -> Option<String> {
    let body = e.request_body.whole.as_deref()?;
    let url = if e.url.starts_with('/') {
        format!("{origin}{}", e.url)
    } else {
        e.url.clone()
    };
    let mut cmd = format!("curl -X {} {}", e.method, shell_quote(&url));
    for (k, v) in &e.request_headers {
        cmd.push_str(&format!(" \\\n  -H {}", shell_quote(&format!("{k}: {v}"))));
    }
    cmd.push_str(&format!(" \\\n  --data-raw {}", shell_quote(body)));
    Some(cmd)
}

/// A kept body as shown: masked already, with a note when it is only the beginning.
fn body_text(lang: Lang, body: &Body) -> String {
    if body.is_cut() {
        format!(
            "{}\n{}",
            body.shown,
            t::body_cut(lang, body.shown.len(), body.bytes)
        )
    } else {
        body.shown.clone()
    }
}

#[derive(Properties)]
struct EntryProps {
    entry: Rc<LogEntry>,
}

/// An entry never changes once logged: the same entry is the same details.
impl PartialEq for EntryProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.entry, &other.entry)
    }
}

/// One row's folded part. What it folds is made the first time it is opened: a bulk import logs
/// a call every few milliseconds, and each folded copy of its bodies would be made for nothing.
/// The summary stays the same element throughout, so that the click that asks for the content
/// also opens it.
#[function_component(EntryDetails)]
fn entry_details(props: &EntryProps) -> Html {
    let lang = use_lang();
    let opened = use_state(|| false);
    let on_open = {
        let opened = opened.clone();
        Callback::from(move |_: MouseEvent| {
            if !*opened {
                opened.set(true)
            }
        })
    };
    html! {
        <details>
            <summary onclick={on_open}>{ t::SHOW.get(lang) }</summary>
            if *opened {
                <EntryContent entry={props.entry.clone()} />
            }
        </details>
    }
}

/// Headers (token shortened unless revealed), bodies, and the call as a curl command.
#[function_component(EntryContent)]
fn entry_content(props: &EntryProps) -> Html {
    let lang = use_lang();
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
            let Some(cmd) = curl_command(&e, &origin) else {
                return;
            };
            let _ = window.navigator().clipboard().write_text(&cmd);
            curl.set(Some(cmd));
        })
    };
    let has_token = e.request_headers.iter().any(|(k, _)| k == "token");
    let curl_id = format!("curl-{}", e.operation_id);
    let response = match &e.failure {
        Some(f) => api_error(lang, f),
        None => body_text(lang, &e.response_body),
    };
    html! {
        <>
            <h3>{ t::REQUEST_HEADERS.get(lang) }</h3>
            <pre>{ for e.request_headers.iter().map(|(k, v)| {
                let v = if k == "token" && !*reveal { shorten_token(v) } else { v.clone() };
                format!("{k}: {v}\n")
            }) }</pre>
            if has_token {
                <button type="button" class="secondary" onclick={toggle}>{ if *reveal { t::HIDE_TOKEN.get(lang) } else { t::REVEAL_TOKEN.get(lang) } }</button>
            }
            <h3>{ t::REQUEST_BODY.get(lang) }</h3>
            <pre>{ body_text(lang, &e.request_body) }</pre>
            <h3>{ t::RESPONSE_BODY.get(lang) }</h3>
            <pre>{ response }</pre>
            if e.request_body.whole.is_some() {
                <button type="button" class="secondary" onclick={copy}>{ t::COPY_AS_CURL.get(lang) }</button>
            } else {
                <p class="hint">{ t::NO_CURL_FOR_LONG_BODY.get(lang) }</p>
            }
            if let Some(cmd) = &*curl {
                <label for={curl_id.clone()}>{ t::CURL_LABEL.get(lang) }</label>
                <textarea id={curl_id} readonly=true rows="6" value={cmd.clone()} />
            }
        </>
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
                        <tr key={e.operation_id.clone()}>
                            <td>{ e.method }</td>
                            <td><code>{ &e.url }</code></td>
                            <td>{ e.status.map(|s| s.to_string()).unwrap_or_else(|| t::NO_ANSWER.get(lang).into()) }</td>
                            <td>{ e.err_code.map(|c| c.to_string()).unwrap_or_default() }</td>
                            <td>{ t::duration_ms(lang, e.duration_ms) }</td>
                            <td><code>{ &e.operation_id }</code></td>
                            <td><EntryDetails entry={e.clone()} /></td>
                        </tr>
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
    use crate::api::log::Sent;

    #[test]
    fn shortens_tokens() {
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.payload.signature123";
        assert_eq!(shorten_token(t), "eyJhbGciOi…ure123");
        assert_eq!(shorten_token("short"), "…");
        assert_eq!(shorten_token(""), "");
    }

    fn entry(url: &str, body: &str) -> LogEntry {
        LogEntry::new(
            Sent {
                operation_id: "1".into(),
                method: "POST",
                url: url.into(),
                headers: vec![
                    ("operationID".into(), "1".into()),
                    ("token".into(), "abc".into()),
                ],
                body,
            },
            Some((200, r#"{"errCode":0,"errMsg":"","errDlt":""}"#)),
            None,
            1.0,
        )
    }

    #[test]
    fn curl_repeats_the_call() {
        let e = entry("/api/user/get_users", r#"{"nickname":"it's"}"#);
        let cmd = curl_command(&e, "http://127.0.0.1:8080");
        assert_eq!(
            cmd.as_deref(),
            Some("curl -X POST 'http://127.0.0.1:8080/api/user/get_users' \\\n  -H 'operationID: 1' \\\n  -H 'token: abc' \\\n  --data-raw '{\"nickname\":\"it'\\''s\"}'")
        );
        let absolute = entry("http://h:10002/x", "{}");
        assert!(curl_command(&absolute, "http://ignored")
            .is_some_and(|c| c.starts_with("curl -X POST 'http://h:10002/x'")));
        // The secret is in the command: it repeats the call.
        let secret = entry(
            "/api/user/user_register",
            r#"{"secret":"openIM123","users":[]}"#,
        );
        assert!(curl_command(&secret, "")
            .is_some_and(|c| c.contains(r#"{"secret":"openIM123","users":[]}"#)));
    }

    #[test]
    fn a_body_the_log_cut_is_shown_with_a_note_and_not_offered_as_curl() {
        let long = format!(
            r#"{{"secret":"openIM123","users":["{}"]}}"#,
            "x".repeat(10_000)
        );
        let e = entry("/api/user/user_register", &long);
        assert_eq!(curl_command(&e, ""), None);
        let shown = body_text(Lang::En, &e.request_body);
        assert!(shown.starts_with(r#"{"secret":"••••••","users":["xxx"#));
        assert!(shown.ends_with("The log keeps the first 4,096 of this body's 10,035 bytes."));
        assert!(!shown.contains("openIM123"));
    }
}
