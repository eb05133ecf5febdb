//! Every call the console made, newest first: method, URL, status, errCode, time, operationID,
//! with headers and bodies folded away. Tokens and secrets are shown shortened.

use std::rc::Rc;

use yew::prelude::*;

use crate::api::LogEntry;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub entries: Rc<Vec<LogEntry>>,
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

/// A request body with a `secret` field masked.
pub fn mask_secret(body: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(body) {
        Ok(serde_json::Value::Object(mut map)) if map.contains_key("secret") => {
            map.insert("secret".into(), serde_json::Value::from("••••••"));
            serde_json::Value::Object(map).to_string()
        }
        _ => body.to_string(),
    }
}

#[function_component(RequestLog)]
pub fn request_log(props: &Props) -> Html {
    let on_clear = props.on_clear.reform(|_: MouseEvent| ());
    html! {
        <section class="request-log" aria-labelledby="request-log-title">
            <h2 id="request-log-title">{ format!("Request log ({})", props.entries.len()) }</h2>
            <button type="button" onclick={on_clear} disabled={props.entries.is_empty()}>{ "Clear log" }</button>
            if props.entries.is_empty() {
                <p>{ "No calls yet. Every call the console makes to OpenIM appears here." }</p>
            } else {
                <table>
                    <thead><tr>
                        <th scope="col">{ "Method" }</th><th scope="col">{ "URL" }</th><th scope="col">{ "HTTP" }</th>
                        <th scope="col">{ "errCode" }</th><th scope="col">{ "Time" }</th><th scope="col">{ "operationID" }</th>
                        <th scope="col">{ "Details" }</th>
                    </tr></thead>
                    <tbody>
                    { for props.entries.iter().rev().map(|e| html! {
                        <tr key={e.operation_id.clone()}>
                            <td>{ e.method }</td>
                            <td><code>{ &e.url }</code></td>
                            <td>{ e.status.map(|s| s.to_string()).unwrap_or_else(|| "no answer".into()) }</td>
                            <td>{ e.err_code().map(|c| c.to_string()).unwrap_or_default() }</td>
                            <td>{ format!("{:.0} ms", e.duration_ms) }</td>
                            <td><code>{ &e.operation_id }</code></td>
                            <td><details>
                                <summary>{ "Show" }</summary>
                                <h3>{ "Request headers" }</h3>
                                <pre>{ for e.request_headers.iter().map(|(k, v)| {
                                    let v = if k == "token" { shorten_token(v) } else { v.clone() };
                                    format!("{k}: {v}\n")
                                }) }</pre>
                                <h3>{ "Request body" }</h3>
                                <pre>{ mask_secret(&e.request_body) }</pre>
                                <h3>{ "Response body" }</h3>
                                <pre>{ &e.response_body }</pre>
                            </details></td>
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

    #[test]
    fn shortens_tokens() {
        let t = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.payload.signature123";
        assert_eq!(shorten_token(t), "eyJhbGciOi…ure123");
        assert_eq!(shorten_token("short"), "…");
        assert_eq!(shorten_token(""), "");
    }

    #[test]
    fn masks_the_secret_only() {
        let masked =
            mask_secret(r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#);
        assert!(!masked.contains("openIM123\""));
        assert!(masked.contains("openIM123456"));
        assert_eq!(mask_secret("not json"), "not json");
    }
}
