//! Token renewal: a call refused with 1501/1505/1506/1507 gets one fresh admin token and one
//! repeat, silently. The emulator is restarted under the console to make its token stale: v3.4
//! forgets every stored token (1507); v3.8 stores no admin tokens, so the console signs in
//! while the emulator issues already-expired ones (1501) and the restart fixes the lifetime.

use openim_e2e::{ApiVersion, Browser, Config, Stack};

async fn check_admin(b: &Browser, api: ApiVersion) -> Vec<Vec<String>> {
    b.click_link("Account check").await;
    b.fill(
        "User IDs (one per line or comma separated)",
        api.default_admin_id(),
    )
    .await;
    b.click_button("Check").await;
    b.wait_for_table(Some("Account check results"), "to list one result", |t| {
        t.rows.len() == 1
    })
    .await
    .rows
}

/// The request log rows since the sign-in, oldest first.
async fn calls_after(b: &Browser, before: usize) -> Vec<String> {
    let mut rows = b.request_log().await;
    rows.truncate(rows.len() - before);
    rows.reverse();
    rows
}

async fn renews_and_repeats(mut stack: Stack, b: Browser, expected_code: &str) {
    let api = stack.api_version();
    b.sign_in(&stack).await;
    let before = b.request_log().await.len();
    stack
        .restart_emulator_with(|c| c.token_expire_days = 90)
        .await;

    let rows = check_admin(&b, api).await;
    assert_eq!(rows, [[api.default_admin_id(), "registered"]]);
    assert!(
        b.texts_of_role("alert").await.iter().all(|a| a.is_empty()),
        "an alert after renewal: {:?}",
        b.texts_of_role("alert").await
    );
    let calls = calls_after(&b, before).await;
    let path = |i: usize| calls.get(i).map(String::as_str).unwrap_or_default();
    assert_eq!(
        calls.len(),
        3,
        "expected refused call, token, repeat: {calls:#?}"
    );
    assert!(
        path(0).contains("/user/account_check") && path(0).contains(expected_code),
        "{calls:#?}"
    );
    assert!(path(1).contains(api.admin_token_path()), "{calls:#?}");
    assert!(path(2).contains("/user/account_check"), "{calls:#?}");
    b.wait_for_signed_in(api).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn v34_renews_a_token_the_server_forgot() {
    let stack = Stack::start(ApiVersion::V3_4).await;
    let b = Browser::start().await;
    renews_and_repeats(stack, b, "1507").await;
}

#[tokio::test]
async fn v38_renews_an_expired_admin_token() {
    let stack = Stack::start_with(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        api: ApiVersion::V3_8,
        quiet: true,
        token_expire_days: 0,
        ..Default::default()
    })
    .await;
    let b = Browser::start().await;
    renews_and_repeats(stack, b, "1501").await;
}

#[tokio::test]
async fn renews_at_most_once() {
    let mut stack = Stack::start(ApiVersion::V3_4).await;
    let b = Browser::start().await;
    b.sign_in(&stack).await;
    let before = b.request_log().await.len();
    // Another secret: the old token no longer verifies (1505), and renewing with the console's
    // secret fails too (1002); the console must stop there.
    stack
        .restart_emulator_with(|c| c.secret = "another-secret".into())
        .await;
    b.click_link("Account check").await;
    b.fill("User IDs (one per line or comma separated)", "openIM123456")
        .await;
    b.click_button("Check").await;
    b.text_of_role("alert").await;
    let calls = calls_after(&b, before).await;
    assert_eq!(
        calls.len(),
        2,
        "expected refused call and one renewal: {calls:#?}"
    );
    assert!(calls[0].contains("/user/account_check") && calls[0].contains("1505"));
    assert!(calls[1].contains("/auth/user_token") && calls[1].contains("1002"));
    b.assert_no_console_errors().await;
}
