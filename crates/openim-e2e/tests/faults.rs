//! Faults end to end, each with a clear message and nothing the operator typed lost: the
//! server unreachable, nginx answering 502 or 504 with its HTML page, a body that is not JSON,
//! an answer that never comes, a token that dies midway, and the server switching API
//! generation under a signed-in console.

use std::time::Duration;

use openim_e2e::{
    generation, wait_limit, ApiVersion, Browser, Config, Fault, FaultServer, Stack, SECRET,
};

/// What goes wrong between the console and OpenIM.
#[derive(Clone, Copy, Debug)]
enum Outage {
    /// nginx stopped: the browser reaches nothing.
    NginxGone,
    /// The emulator stopped: nginx answers 502 with its HTML page.
    ApiStopped,
    /// The emulator's address accepts no connection: nginx gives up after its
    /// proxy_connect_timeout (5 s) and answers 504 with its HTML page.
    ApiHanging,
    /// A web server where OpenIM should be: 200 with an HTML page.
    HtmlInstead,
}

impl Outage {
    async fn begin(self, stack: &mut Stack) {
        match self {
            Outage::NginxGone => stack.stop_nginx(),
            Outage::ApiStopped => stack.stop_emulator().await,
            Outage::ApiHanging => stack.replace_emulator(Fault::NoAccept).await,
            Outage::HtmlInstead => stack.replace_emulator(Fault::HtmlPage).await,
        }
    }

    async fn end(self, stack: &mut Stack) {
        match self {
            Outage::NginxGone => stack.start_nginx().await,
            _ => stack.start_emulator().await,
        }
    }

    /// The HTTP status the request log shows for the failed call.
    fn status(self) -> &'static str {
        match self {
            Outage::NginxGone => "no answer",
            Outage::ApiStopped => "502",
            Outage::ApiHanging => "504",
            Outage::HtmlInstead => "200",
        }
    }

    /// What the page says: the summary and the hint.
    fn message(self) -> [&'static str; 2] {
        match self {
            Outage::NginxGone => [
                "No answer from the server.",
                "Check that OpenIM's API is running and that the API base on the Connection page is right.",
            ],
            Outage::ApiStopped | Outage::ApiHanging => [
                "The proxy in front of OpenIM could not get an answer from it.",
                "OpenIM's API is down or too slow; check it, then try again.",
            ],
            Outage::HtmlInstead => [
                "The answer is not what OpenIM sends.",
                "Check that the API base points at OpenIM's API (port 10002).",
            ],
        }
    }
}

const ROWS: [(&str, &str); 4] = [
    ("User ID (row 1)", "alice"),
    ("Nickname (row 1)", "Alice"),
    ("Face URL (row 1)", "https://example.com/alice.png"),
    ("User ID (row 2)", "bob"),
];

async fn assert_rows_kept(b: &Browser, after: &str) {
    for (label, value) in ROWS.into_iter().chain([("Nickname (row 2)", "Bob")]) {
        assert_eq!(
            b.field(label).await.value,
            value,
            "{label} lost its value after {after}"
        );
    }
}

/// The newest request log row as (URL, HTTP) cells.
async fn newest_call(b: &Browser) -> (String, String) {
    let log = b.table(Some("Request log")).await;
    let url = log.column("URL").first().cloned().unwrap_or_default();
    let http = log.column("HTTP").first().cloned().unwrap_or_default();
    (url, http)
}

/// Registers two typed users while `outage` lasts, then again once it is over.
async fn register_through(api: ApiVersion, outage: Outage) {
    let mut stack = Stack::start(api).await;
    let b = Browser::start().await;
    b.sign_in(&stack).await;
    b.click_link("Register users").await;
    b.wait_for_h1("Register users").await;
    for (label, value) in ROWS {
        b.fill(label, value).await;
        if label == "Face URL (row 1)" {
            b.click_button("Add row").await;
        }
    }
    b.fill("Nickname (row 2)", "Bob").await;

    outage.begin(&mut stack).await;
    if matches!(outage, Outage::ApiStopped | Outage::ApiHanging) {
        // What the browser gets: nginx's own HTML error page.
        let answer = reqwest::Client::new()
            .post(stack.url("/api/user/user_register"))
            .header("operationID", "faults")
            .body("{}")
            .send()
            .await
            .expect("nginx answers");
        assert_eq!(answer.status().as_str(), outage.status());
        let html = answer.headers()["content-type"]
            .to_str()
            .unwrap_or_default();
        assert!(
            html.starts_with("text/html"),
            "nginx's {} is {html}",
            outage.status()
        );
        let body = answer.text().await.unwrap_or_default();
        assert!(body.contains("<html>"), "{body}");
    }
    b.click_button("Register").await;
    let [summary, hint] = outage.message();
    let alert = b.wait_for_role_text("alert", summary).await;
    assert!(alert.contains(hint), "the alert reads {alert:?}");
    let (url, http) = newest_call(&b).await;
    assert!(
        url.ends_with("/user/user_register") && http == outage.status(),
        "the newest call is {url} {http}, expected user_register {}",
        outage.status()
    );
    assert_rows_kept(&b, &format!("{outage:?}")).await;
    b.wait_for_button_enabled("Register", true).await;
    b.wait_for_signed_in(api).await;

    outage.end(&mut stack).await;
    b.click_button("Register").await;
    b.wait_for_role_text("status", "Registered 2 users: alice, bob.")
        .await;
    assert_eq!(
        stack.openim().registered(&["alice", "bob"]).await,
        [true, true]
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn register_survives_nginx_gone_v34() {
    register_through(ApiVersion::V3_4, Outage::NginxGone).await;
}

#[tokio::test]
async fn register_survives_nginx_gone_v38() {
    register_through(ApiVersion::V3_8, Outage::NginxGone).await;
}

#[tokio::test]
async fn register_survives_a_502_v34() {
    register_through(ApiVersion::V3_4, Outage::ApiStopped).await;
}

#[tokio::test]
async fn register_survives_a_502_v38() {
    register_through(ApiVersion::V3_8, Outage::ApiStopped).await;
}

#[tokio::test]
async fn register_survives_a_504_v34() {
    register_through(ApiVersion::V3_4, Outage::ApiHanging).await;
}

#[tokio::test]
async fn register_survives_a_504_v38() {
    register_through(ApiVersion::V3_8, Outage::ApiHanging).await;
}

#[tokio::test]
async fn register_survives_html_instead_of_json_v34() {
    register_through(ApiVersion::V3_4, Outage::HtmlInstead).await;
}

#[tokio::test]
async fn register_survives_html_instead_of_json_v38() {
    register_through(ApiVersion::V3_8, Outage::HtmlInstead).await;
}

/// Fills the Connection form, clicks Connect, waits up to `within` for `expected` in an alert
/// and returns the alert, once the form shows what was typed and can be sent again.
async fn connect_alert(
    stack: &Stack,
    b: &Browser,
    base: &str,
    version: Option<&str>,
    expected: &str,
    within: Duration,
) -> String {
    b.open(&stack.url("/connect")).await;
    b.fill("API base URL", base).await;
    if let Some(option) = version {
        b.select("API generation", option).await;
    }
    b.fill("Admin user ID", "openIM123456").await;
    b.fill("Secret", SECRET).await;
    b.click_button("Connect").await;
    b.wait_for_text(expected, within).await;
    let alert = b.text_of_role("alert").await;
    assert_eq!(b.field("API base URL").await.value, base);
    assert_eq!(b.field("Admin user ID").await.value, "openIM123456");
    assert_eq!(
        b.field("Secret").await.value,
        SECRET,
        "the typed secret is gone"
    );
    if let Some(option) = version {
        assert_eq!(
            b.field("API generation").await.selected.as_deref(),
            Some(option)
        );
    }
    b.wait_for_button_enabled("Connect", true).await;
    assert!(
        b.texts_of_role("status")
            .await
            .iter()
            .any(|t| t == "Not signed in"),
        "the header reads {:?}",
        b.texts_of_role("status").await
    );
    alert
}

/// A server that takes the connection and never answers: the console gives up after its 30 s
/// and says so. The only test that waits that long.
#[tokio::test]
async fn connect_gives_up_on_a_server_that_never_answers() {
    let stack = Stack::start(ApiVersion::V3_4).await;
    let silent = FaultServer::start(Fault::NoAnswer, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("start a server that never answers");
    let b = Browser::start().await;
    let base = format!("http://{}", silent.addr());
    let started = std::time::Instant::now();
    let alert = connect_alert(
        &stack,
        &b,
        &base,
        None,
        "did not answer within 30 seconds",
        Duration::from_secs(45),
    )
    .await;
    assert_eq!(
        alert,
        format!(
            "The server at {base} did not answer within 30 seconds. Check that OpenIM's API is running and not overloaded."
        )
    );
    assert!(
        started.elapsed() >= Duration::from_secs(29),
        "gave up after {:?}",
        started.elapsed()
    );
    let (url, http) = newest_call(&b).await;
    assert_eq!(
        (url.as_str(), http.as_str()),
        (format!("{base}/auth/get_admin_token").as_str(), "no answer")
    );
    b.assert_no_console_errors().await;
}

/// The API base pointed at this console's own pages: nginx answers HTML (405 to a POST on a
/// static page), detected or with the generation chosen.
#[tokio::test]
async fn connect_explains_html_instead_of_openim() {
    let (stack, b) = openim_e2e::start(ApiVersion::V3_4).await;
    let detected = connect_alert(&stack, &b, "/", None, "not as OpenIM", wait_limit()).await;
    assert!(
        detected.starts_with(
            "The server at / answered, but not as OpenIM v3.4 or v3.8 does (HTTP 405: <html>"
        ) && detected.ends_with(
            "Check that the address points at OpenIM's API, or choose the generation by hand."
        ),
        "the alert reads {detected:?}"
    );
    let chosen = connect_alert(
        &stack,
        &b,
        "/",
        Some("v3.4 (secret in the body, /auth/user_token)"),
        "instead of OpenIM's JSON",
        wait_limit(),
    )
    .await;
    assert_eq!(
        chosen,
        "The server at / answered HTTP 405 instead of OpenIM's JSON. Check that the address points at OpenIM's API (port 10002), and the API generation."
    );
    // Chromium logs the two 405 answers; nothing else may be there.
    let errors = b.console_errors().await;
    assert!(
        errors
            .iter()
            .all(|e| e.contains("/auth/") && e.contains("status of 405")),
        "{errors:#?}"
    );
}

const IDS: &str = "User IDs (one per line or comma separated)";
const TYPED_IDS: &str = "user000001\nghost";

async fn check_typed_ids(b: &Browser) {
    b.click_button("Check").await;
    let results = b
        .wait_for_table(Some("Account check results"), "to list two results", |t| {
            t.rows.len() == 2 && t.rows[0].first().map(String::as_str) == Some("user000001")
        })
        .await;
    assert_eq!(
        results.rows,
        [["user000001", "registered"], ["ghost", "unregistered"]]
    );
}

/// Waits for the "Sign in again" dialog over the page; the typed IDs are still behind it.
async fn wait_for_sign_in_again(b: &Browser) {
    let dialog = b.wait_for_role_text("dialog", "Sign in again").await;
    assert!(
        dialog.contains("The admin token stopped working"),
        "the dialog reads {dialog:?}"
    );
    assert_eq!(b.field(IDS).await.value, TYPED_IDS);
}

/// Connects in the dialog with `secret` and waits until it is gone and the header names `api`.
async fn sign_in_again(b: &Browser, secret: &str, api: ApiVersion) {
    b.fill("Secret", secret).await;
    b.click_button("Connect").await;
    b.wait_for_signed_in(api).await;
    let deadline = std::time::Instant::now() + wait_limit();
    loop {
        let dialogs = b.texts_of_role("dialog").await;
        if dialogs.is_empty() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the dialog is still open after signing in again: {dialogs:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        b.field(IDS).await.value,
        TYPED_IDS,
        "the typed IDs are gone"
    );
}

/// Account check with IDs typed: the token dies once (v3.4 forgets it on restart, v3.8 issued
/// it expired) and is renewed silently; then the server changes its secret, renewal fails, and
/// the console asks for a sign-in over the page, which keeps the IDs.
async fn token_dies_midway(api: ApiVersion) {
    let mut stack = Stack::start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        api,
        quiet: true,
        seed_users: 2,
        token_expire_days: if api == ApiVersion::V3_8 { 0 } else { 90 },
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    b.sign_in(&stack).await;
    b.click_link("Account check").await;
    b.fill(IDS, TYPED_IDS).await;

    stack
        .restart_emulator_with(|c| c.token_expire_days = 90)
        .await;
    let before = b.request_log().await.len();
    check_typed_ids(&b).await;
    let calls = b.request_log().await.len() - before;
    assert_eq!(calls, 3, "expected refused call, renewal, repeat");
    assert!(b.texts_of_role("dialog").await.is_empty());
    assert!(b.texts_of_role("alert").await.iter().all(|a| a.is_empty()));

    stack
        .restart_emulator_with(|c| c.secret = "another-secret".into())
        .await;
    b.click_button("Check").await;
    wait_for_sign_in_again(&b).await;
    let log = b.table(Some("Request log")).await;
    let urls = log.column("URL");
    assert!(
        urls[0].ends_with(api.admin_token_path()) && urls[1].ends_with("/user/account_check"),
        "expected the refused check and one failed renewal: {urls:?}"
    );
    sign_in_again(&b, "another-secret", api).await;
    check_typed_ids(&b).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn token_dies_midway_v34() {
    token_dies_midway(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn token_dies_midway_v38() {
    token_dies_midway(ApiVersion::V3_8).await;
}

/// The server restarts as the other API generation on the same address while the console is
/// signed in: the old token and its renewal fail, the console asks for a sign-in over the page,
/// and connecting again detects the new generation. The typed IDs stay.
async fn generation_switch(from: ApiVersion, to: ApiVersion) {
    let mut stack = Stack::start_seeded(from, 2).await;
    let b = Browser::start().await;
    b.sign_in(&stack).await;
    b.click_link("Account check").await;
    b.fill(IDS, TYPED_IDS).await;
    check_typed_ids(&b).await;

    stack.restart_emulator_with(|c| c.api = to).await;
    b.click_button("Check").await;
    wait_for_sign_in_again(&b).await;
    sign_in_again(&b, SECRET, to).await;
    let header = b.wait_for_signed_in(to).await;
    assert!(header.contains(&generation(to)), "{header}");
    check_typed_ids(&b).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn survives_a_switch_from_v34_to_v38() {
    generation_switch(ApiVersion::V3_4, ApiVersion::V3_8).await;
}

#[tokio::test]
async fn survives_a_switch_from_v38_to_v34() {
    generation_switch(ApiVersion::V3_8, ApiVersion::V3_4).await;
}
