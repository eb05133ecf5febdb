//! Signing in with a chat admin account (Connection page, "Sign in with: Chat admin account"):
//! nginx's /complete_admin/ reaches the emulator's chat admin port, which answers with an OpenIM
//! admin token, so the secret never reaches the browser. When that token stops working the
//! console asks for the password again over the current page, which keeps what was typed.

use openim_e2e::{generation, start, ApiVersion, Browser, Config, Stack, SECRET};
use openim_emulator::md5_hex;
use serde_json::Value;

const CHAT_MODE: &str = "Chat admin account (no secret in the browser)";

/// The seeded chat admin account of each generation, whose password is its name.
fn chat_account(api: ApiVersion) -> &'static str {
    match api {
        ApiVersion::V3_4 => "admin1",
        ApiVersion::V3_8 => "chatAdmin",
    }
}

/// Opens the Connection page, switches to the chat sign-in and checks its defaults.
async fn open_chat_form(stack: &Stack, b: &Browser) {
    b.open(&stack.url("/connect")).await;
    b.set_checked(CHAT_MODE, true).await;
    assert_eq!(
        b.field("Chat admin API base URL").await.value,
        "/complete_admin"
    );
    assert!(
        !b.has_field("Secret").await,
        "the chat sign-in still shows a Secret field"
    );
}

async fn submit_chat(b: &Browser, account: &str, password: &str) {
    b.fill("Chat admin account", account).await;
    b.fill("Password", password).await;
    b.click_button("Connect").await;
}

/// Waits for the header to say who is signed in through which chat account; returns it.
async fn wait_for_chat_sign_in(b: &Browser, api: ApiVersion) -> String {
    let account = chat_account(api);
    let header = b
        .wait_for_role_text("status", &format!("(via chat account {account})"))
        .await;
    let expected = format!(
        "Signed in as {} on /api ({}), token expires",
        api.default_admin_id(),
        generation(api)
    );
    assert!(header.starts_with(&expected), "the header reads {header:?}");
    header
}

/// Replaces `fetch` in the page with one that records every request (URL, method, headers and
/// body) before sending it. Lasts until the page is loaded again.
async fn record_requests(b: &Browser) {
    b.client()
        .execute(
            "window.__e2eRequests = [];
             const send = window.fetch.bind(window);
             window.fetch = async (input, init) => {
                 const request = new Request(input, init);
                 const body = await request.clone().text();
                 window.__e2eRequests.push({
                     url: request.url,
                     method: request.method,
                     headers: [...request.headers].map(([k, v]) => `${k}: ${v}`),
                     body,
                 });
                 return send(request);
             };",
            vec![],
        )
        .await
        .expect("install the request recorder");
}

/// The requests recorded since [`record_requests`].
async fn recorded_requests(b: &Browser) -> Vec<Value> {
    let v = b
        .client()
        .execute("return window.__e2eRequests || null;", vec![])
        .await
        .expect("read the recorded requests");
    v.as_array()
        .cloned()
        .expect("the request recorder is still installed (no page load since)")
}

/// Whether `text` holds the secret (and not only the admin ID openIM123456, which starts with
/// it).
fn mentions_secret(text: &str) -> bool {
    text.match_indices(SECRET)
        .any(|(at, _)| !text[at + SECRET.len()..].starts_with(|c: char| c.is_ascii_digit()))
}

/// Whether a JSON body has a `secret` field at any depth.
fn has_secret_field(v: &Value) -> bool {
    match v {
        Value::Object(map) => map
            .iter()
            .any(|(k, v)| k.eq_ignore_ascii_case("secret") || has_secret_field(v)),
        Value::Array(items) => items.iter().any(has_secret_field),
        _ => false,
    }
}

/// The API calls that reached nginx (`POST /api/...` and `POST /complete_admin/...`), in order,
/// from its access log.
fn api_calls_nginx_saw(stack: &Stack) -> Vec<String> {
    let log = std::fs::read_to_string(stack.dir().join("logs/access.log")).unwrap_or_default();
    log.lines()
        .filter_map(|line| line.split('"').nth(1))
        .filter_map(|request| request.strip_prefix("POST "))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter(|path| path.starts_with("/api/") || path.starts_with("/complete_admin/"))
        .map(str::to_string)
        .collect()
}

/// Checks that no request the page sent, nothing in its request log and nothing in its storage
/// holds the secret, and that the chat password went out only as its md5. The recorded requests
/// are all the API calls nginx saw, so none went past the recorder.
async fn assert_no_secret_sent(stack: &Stack, b: &Browser, account: &str) {
    let requests = recorded_requests(b).await;
    let recorded_paths: Vec<String> = requests
        .iter()
        .map(|r| {
            let url = r["url"].as_str().unwrap_or_default();
            url.splitn(4, '/')
                .nth(3)
                .map(|p| format!("/{p}"))
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        api_calls_nginx_saw(stack),
        recorded_paths,
        "nginx saw other API calls than the page recorded"
    );
    let logins: Vec<&Value> = requests
        .iter()
        .filter(|r| {
            r["url"]
                .as_str()
                .unwrap_or_default()
                .ends_with("/complete_admin/account/login")
        })
        .collect();
    assert!(!logins.is_empty(), "no chat sign-in in {requests:#?}");
    for login in logins {
        let body: Value = serde_json::from_str(login["body"].as_str().unwrap_or_default())
            .unwrap_or_else(|e| panic!("the sign-in body is not JSON ({e}): {login}"));
        assert_eq!(body["account"], account, "{login}");
        assert_eq!(
            body["password"],
            md5_hex(account),
            "the password was not sent as its md5: {login}"
        );
    }
    for r in &requests {
        let text = r.to_string();
        assert!(
            !mentions_secret(&text),
            "a request holds the secret: {text}"
        );
        let body =
            serde_json::from_str(r["body"].as_str().unwrap_or_default()).unwrap_or(Value::Null);
        assert!(
            !has_secret_field(&body),
            "a request has a secret field: {text}"
        );
    }

    let rows = b.request_log().await.len();
    assert!(rows >= requests.len(), "the request log misses calls");
    for row in 0..rows {
        b.click_nth_button("Show", row).await;
    }
    let log = b.page_text().await;
    assert!(
        !mentions_secret(&log),
        "the request log shows the secret: {log}"
    );

    let storage = b
        .client()
        .execute(
            "const all = (s) => Object.keys(s).map((k) => k + '=' + s.getItem(k)).join('\\n');
             return all(localStorage) + '\\n' + all(sessionStorage);",
            vec![],
        )
        .await
        .expect("read web storage");
    let storage = storage.as_str().unwrap_or_default();
    assert!(
        !mentions_secret(storage),
        "web storage holds the secret: {storage}"
    );
    assert!(
        !storage.contains(&md5_hex(account)),
        "web storage keeps the chat password's md5: {storage}"
    );
}

async fn signs_in_without_the_secret(api: ApiVersion) {
    let stack = Stack::start_seeded(api, 3).await;
    let b = Browser::start().await;
    let account = chat_account(api);
    open_chat_form(&stack, &b).await;
    record_requests(&b).await;
    submit_chat(&b, account, account).await;
    let header = wait_for_chat_sign_in(&b, api).await;
    assert!(
        header.contains("token expires in 90 days") || header.contains("token expires in 89 days"),
        "the header reads {header:?}"
    );
    b.wait_for_role_text(
        "status",
        &format!(
            "Connected to /api as {} ({}).",
            api.default_admin_id(),
            generation(api)
        ),
    )
    .await;
    assert_eq!(b.field("Password").await.value, "", "the password is kept");

    // The chat server's token is an OpenIM admin token: the user list loads with it.
    b.click_link("Users").await;
    let ids = stack.openim().user_ids_page(1, 20, "", "").await;
    assert!(ids.len() >= 3, "{ids:?}");
    b.wait_for_table(Some("Users"), &format!("to list {ids:?}"), |t| {
        t.headers.first().map(String::as_str) == Some("User ID") && t.column("User ID") == ids
    })
    .await;
    assert_no_secret_sent(&stack, &b, account).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn signs_in_without_the_secret_v34() {
    signs_in_without_the_secret(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn signs_in_without_the_secret_v38() {
    signs_in_without_the_secret(ApiVersion::V3_8).await;
}

/// Submits `account` and `password`, expects an alert starting with `expected` and no sign-in,
/// with the account still typed.
async fn refused(api: ApiVersion, account: &str, password: &str, expected: &str) {
    let (stack, b) = start(api).await;
    open_chat_form(&stack, &b).await;
    submit_chat(&b, account, password).await;
    let alert = b.text_of_role("alert").await;
    assert!(alert.starts_with(expected), "the alert reads {alert:?}");
    assert!(
        b.texts_of_role("status")
            .await
            .iter()
            .any(|t| t == "Not signed in"),
        "a refused sign-in left the header at {:?}",
        b.texts_of_role("status").await
    );
    assert_eq!(b.field("Chat admin account").await.value, account);
    assert_eq!(
        b.field("Chat admin API base URL").await.value,
        "/complete_admin"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn refuses_a_wrong_password_v34() {
    refused(
        ApiVersion::V3_4,
        "admin1",
        "not-the-password",
        "Wrong password for the chat admin account admin1",
    )
    .await;
}

#[tokio::test]
async fn refuses_a_wrong_password_v38() {
    refused(
        ApiVersion::V3_8,
        "chatAdmin",
        "not-the-password",
        "Wrong password for the chat admin account chatAdmin",
    )
    .await;
}

#[tokio::test]
async fn refuses_an_unknown_account_v34() {
    refused(
        ApiVersion::V3_4,
        "ghost",
        "ghost",
        "The chat server has no admin account ghost",
    )
    .await;
}

#[tokio::test]
async fn refuses_an_unknown_account_v38() {
    refused(
        ApiVersion::V3_8,
        "ghost",
        "ghost",
        "The chat server has no admin account ghost",
    )
    .await;
}

/// Waits for the "Sign in again" dialog; returns its text.
async fn wait_for_sign_in_again(b: &Browser) -> String {
    let dialog = b.wait_for_role_text("dialog", "Sign in again").await;
    assert!(
        dialog.contains("keeps what you were doing"),
        "the dialog reads {dialog:?}"
    );
    dialog
}

/// Signs in again in the dialog with the chat password and waits for it to close.
async fn sign_in_again_in_the_dialog(b: &Browser, api: ApiVersion) {
    let account = chat_account(api);
    assert_eq!(
        b.field("Chat admin account").await.value,
        account,
        "the dialog forgot the account"
    );
    b.fill("Password", account).await;
    b.click_button("Connect").await;
    wait_for_chat_sign_in(b, api).await;
    wait_for_no_dialog(b, "signing in again").await;
}

/// Waits until no dialog is open.
async fn wait_for_no_dialog(b: &Browser, after: &str) {
    let deadline = std::time::Instant::now() + openim_e2e::wait_limit();
    loop {
        let dialogs = b.texts_of_role("dialog").await;
        if dialogs.is_empty() {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "a dialog is still open after {after}: {dialogs:?}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// v3.4 forgets every stored token on restart: the chat sign-in's token is refused (1507) and,
/// with no secret to renew it, the dialog asks for the password over Account check, whose typed
/// IDs survive.
#[tokio::test]
async fn v34_asks_again_over_the_page_and_keeps_what_was_typed() {
    let api = ApiVersion::V3_4;
    let mut stack = Stack::start_seeded(api, 2).await;
    let b = Browser::start().await;
    open_chat_form(&stack, &b).await;
    record_requests(&b).await;
    submit_chat(&b, chat_account(api), chat_account(api)).await;
    wait_for_chat_sign_in(&b, api).await;
    b.click_link("Account check").await;
    let ids = "User IDs (one per line or comma separated)";
    b.fill(ids, "user000001\nghost").await;

    stack.restart_emulator_with(|_| {}).await;
    b.click_button("Check").await;
    wait_for_sign_in_again(&b).await;
    assert_eq!(b.field(ids).await.value, "user000001\nghost");
    let calls = b.request_log().await;
    assert!(
        calls[0].contains("/user/account_check") && calls[0].contains("1507"),
        "the newest call is not the refused check: {calls:#?}"
    );
    assert!(
        !calls.iter().any(|c| c.contains(api.admin_token_path())),
        "a chat sign-in tried to renew with the secret: {calls:#?}"
    );

    sign_in_again_in_the_dialog(&b, api).await;
    b.wait_for_h1("Account check").await;
    assert_eq!(b.field(ids).await.value, "user000001\nghost");
    b.click_button("Check").await;
    let results = b
        .wait_for_table(Some("Account check results"), "to list two results", |t| {
            t.rows.len() == 2
        })
        .await;
    assert_eq!(
        results.rows,
        [["user000001", "registered"], ["ghost", "unregistered"]]
    );
    assert_no_secret_sent(&stack, &b, chat_account(api)).await;
}

/// v3.8's chat hands out the admin token with the server's lifetime: issued already expired, it
/// is refused (1501), and the dialog asks for the password over Register users, whose typed rows
/// survive and are then registered.
#[tokio::test]
async fn v38_asks_again_over_the_page_and_keeps_what_was_typed() {
    let api = ApiVersion::V3_8;
    let mut stack = Stack::start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        api,
        quiet: true,
        token_expire_days: 0,
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    open_chat_form(&stack, &b).await;
    record_requests(&b).await;
    submit_chat(&b, chat_account(api), chat_account(api)).await;
    wait_for_chat_sign_in(&b, api).await;
    b.click_link("Register users").await;
    b.wait_for_h1("Register users").await;
    b.fill("User ID (row 1)", "alice").await;
    b.fill("Nickname (row 1)", "Alice").await;
    b.click_button("Add row").await;
    b.fill("User ID (row 2)", "bob").await;
    b.fill("Nickname (row 2)", "Bob").await;

    // Tokens issued from now on live 90 days; the one in the browser has expired.
    stack
        .restart_emulator_with(|c| c.token_expire_days = 90)
        .await;
    b.click_button("Register").await;
    wait_for_sign_in_again(&b).await;
    let calls = b.request_log().await;
    assert!(
        calls[0].contains("/user/user_register") && calls[0].contains("1501"),
        "the newest call is not the refused registration: {calls:#?}"
    );

    sign_in_again_in_the_dialog(&b, api).await;
    for (label, value) in [
        ("User ID (row 1)", "alice"),
        ("Nickname (row 1)", "Alice"),
        ("User ID (row 2)", "bob"),
        ("Nickname (row 2)", "Bob"),
    ] {
        assert_eq!(
            b.field(label).await.value,
            value,
            "{label} after signing in again"
        );
    }
    b.click_button("Register").await;
    b.wait_for_role_text("status", "Registered 2 users: alice, bob.")
        .await;
    assert_eq!(
        stack.openim().registered(&["alice", "bob"]).await,
        [true, true]
    );
    assert_no_secret_sent(&stack, &b, chat_account(api)).await;
}

/// The sign-in dialog's own words, without the connection form inside it.
async fn dialog_explanation(b: &Browser) -> String {
    let text = b
        .client()
        .execute(
            "const d = document.querySelector('[role=\"dialog\"]');
             return d ? [...d.querySelectorAll('h2, p')].filter((p) => !p.closest('form'))
                 .map((p) => p.innerText).join(' ') : '';",
            vec![],
        )
        .await
        .expect("read the dialog");
    text.as_str().unwrap_or_default().to_string()
}

/// OpenIM v3.4 registers users only with the secret in the body (§3.2), which a chat sign-in
/// never holds. Register after one opens the sign-in dialog over the page; the operator gives
/// the secret there and the typed rows are registered. The dialog has to say that the secret is
/// what is missing: the chat sign-in it offers again cannot help, and the token still works.
#[tokio::test]
async fn v34_register_after_a_chat_sign_in_asks_for_the_secret() {
    let api = ApiVersion::V3_4;
    let (stack, b) = start(api).await;
    open_chat_form(&stack, &b).await;
    submit_chat(&b, chat_account(api), chat_account(api)).await;
    wait_for_chat_sign_in(&b, api).await;
    b.click_link("Register users").await;
    b.fill("User ID (row 1)", "alice").await;
    b.fill("Nickname (row 1)", "Alice").await;
    b.click_button("Register").await;
    wait_for_sign_in_again(&b).await;
    assert_eq!(b.field("User ID (row 1)").await.value, "alice");
    assert_eq!(b.field("Nickname (row 1)").await.value, "Alice");
    let explanation = dialog_explanation(&b).await;
    let misleading = !explanation.to_lowercase().contains("secret")
        || explanation.contains("token stopped working");

    b.set_checked("Secret and admin user ID", true).await;
    b.fill("Secret", SECRET).await;
    b.click_button("Connect").await;
    b.wait_for_signed_in(api).await;
    wait_for_no_dialog(&b, "signing in with the secret").await;
    assert_eq!(b.field("User ID (row 1)").await.value, "alice");
    b.click_button("Register").await;
    b.wait_for_role_text("status", "Registered 1 user").await;
    assert_eq!(stack.openim().registered(&["alice"]).await, [true]);
    assert!(
        !misleading,
        "signed in through chat with a working token, Register's dialog says: {explanation:?}"
    );
    b.assert_no_console_errors().await;
}
