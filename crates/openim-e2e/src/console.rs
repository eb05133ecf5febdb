//! The console as `make bench` and the release build's split profile drive it: signed in
//! before its own scripts run (the admin token in sessionStorage, where src/app.rs keeps it for
//! the tab), and its performance timeline read back.

use std::time::{Duration, Instant};

use crate::{Browser, Stack};
use openim_protocol::claims::decode_claims;
use serde_json::{json, Value as Json};

use crate::devtools;

/// src/session.rs `TAB_SIGN_IN_KEY`.
const SIGN_IN_KEY: &str = "openim-admin.sign-in";
/// src/pages/users.rs: the rows of a page are in the DOM.
pub const RENDERED_MARK: &str = "users-rendered";
/// src/pages/users.rs: a page's answer has arrived.
pub const DATA_MARK: &str = "users-data";
/// src/pages/users.rs: from [`DATA_MARK`] to [`RENDERED_MARK`].
pub const RENDER_MEASURE: &str = "users-page-render";
/// The pause before asking again after a wait for an entry ended without it (a script timeout,
/// or a page between documents).
const POLL: Duration = Duration::from_millis(10);

/// The sign-in the console would store after "Connect" with the generation's default admin
/// (src/session.rs `SignedIn`, as JSON).
pub async fn sign_in_record(stack: &Stack) -> String {
    let api = stack.api_version();
    let token = stack.openim().admin_token().await;
    let expires_at = decode_claims(&token).ok().and_then(|c| c.exp).unwrap_or(0);
    json!({
        "base": "/api",
        "version": api.as_str(),
        "admin_id": api.default_admin_id(),
        "token": token,
        "expires_at": expires_at,
        "via_chat": null,
    })
    .to_string()
}

/// Makes every document of the stack's origin that the browser loads from now on start signed
/// in with `record`, before the console's scripts read sessionStorage: no earlier page load is
/// needed, so nothing is cached or connected beforehand.
pub async fn sign_in_before_scripts(b: &Browser, stack: &Stack, record: &str) {
    let origin = stack.url("");
    let source = format!(
        "if (location.origin === {}) sessionStorage.setItem({}, {});",
        Json::from(origin),
        Json::from(SIGN_IN_KEY),
        Json::from(record)
    );
    devtools::before_page_scripts(b.client(), &source).await;
}

/// How many timeline entries are named `name` right now.
pub async fn entry_count(b: &Browser, name: &str) -> usize {
    b.client()
        .execute(
            "return performance.getEntriesByName(arguments[0]).length;",
            vec![json!(name)],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as usize
}

/// Waits up to `within` for more than `before` entries named `name`; returns the newest one's
/// `startTime` and `duration` (ms).
///
/// The page is not polled: one asynchronous script waits on a `PerformanceObserver`, so the
/// wait adds no work to the page's main thread while the figure is being made.
pub async fn wait_for_entry(
    b: &Browser,
    name: &str,
    before: usize,
    within: Duration,
) -> (f64, f64) {
    let deadline = Instant::now() + within;
    loop {
        // Ends with the entry, or with WebDriver's script timeout; then it is asked again.
        let found = b
            .client()
            .execute_async(
                "const [name, before, done] = arguments;
                 const newest = () => {
                     const e = performance.getEntriesByName(name);
                     return e.length > before
                         ? [e[e.length - 1].startTime, e[e.length - 1].duration]
                         : null;
                 };
                 if (newest()) { done(newest()); return; }
                 const watch = new PerformanceObserver(() => {
                     if (newest()) { watch.disconnect(); done(newest()); }
                 });
                 watch.observe({ entryTypes: ['mark', 'measure'] });",
                vec![json!(name), json!(before)],
            )
            .await
            .unwrap_or(Json::Null);
        if let (Some(start), Some(duration)) = (found[0].as_f64(), found[1].as_f64()) {
            return (start, duration);
        }
        if Instant::now() > deadline {
            let page = b.readable_text().await;
            panic!(
                "no new performance entry {name:?} within {within:?}: is dist/ built from this \
                 source (make build)? The page reads: {}",
                page.chars().take(600).collect::<String>()
            );
        }
        tokio::time::sleep(POLL).await;
    }
}

/// The users of the page the users table holds: what its `aria-rowcount` announces, less the
/// header row (a page of more than 100 rows keeps only those near its viewport in the DOM,
/// src/pages/users/table.rs), or its body rows when it announces nothing.
pub async fn user_rows(b: &Browser) -> usize {
    b.client()
        .execute(
            "const t = document.querySelector('main table');
             if (!t) return 0;
             const count = t.getAttribute('aria-rowcount');
             return count === null ? t.tBodies[0].rows.length : Number(count) - 1;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as usize
}

/// The body rows of the users table in the DOM right now.
pub async fn rows_in_dom(b: &Browser) -> usize {
    b.client()
        .execute(
            "const t = document.querySelector('main table');
             return t ? t.tBodies[0].rows.length : 0;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_u64())
        .unwrap_or(0) as usize
}
