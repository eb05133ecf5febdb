//! Chrome DevTools Protocol commands sent through chromedriver's `goog/cdp/execute` endpoint of
//! a [`crate::Browser`]'s WebDriver session: a script to run before any page script, and where
//! downloads go. Used by the tests and by `make bench` (crates/openim-bench).

use std::path::Path;

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::Client;
use serde_json::{json, Value as Json};

#[derive(Debug)]
struct Execute {
    cmd: &'static str,
    params: Json,
}

impl WebDriverCompatibleCommand for Execute {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _request_url: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.cmd, "params": self.params});
        (http::Method::POST, Some(body.to_string()))
    }
}

/// Runs a DevTools command on the session's page; panics with the command when it fails.
pub async fn execute(client: &Client, cmd: &'static str, params: Json) -> Json {
    client
        .issue_cmd(Execute {
            cmd,
            params: params.clone(),
        })
        .await
        .unwrap_or_else(|e| panic!("DevTools {cmd} {params}: {e}"))
}

/// Runs `source` in every document the page loads from now on, before the document's own
/// scripts.
pub async fn before_page_scripts(client: &Client, source: &str) {
    execute(
        client,
        "Page.addScriptToEvaluateOnNewDocument",
        json!({"source": source}),
    )
    .await;
}

/// Saves the page's downloads in `dir`, without asking.
pub async fn downloads_to(client: &Client, dir: &Path) {
    execute(
        client,
        "Browser.setDownloadBehavior",
        json!({"behavior": "allow", "downloadPath": dir.display().to_string()}),
    )
    .await;
}
