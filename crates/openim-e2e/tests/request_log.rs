//! The request log panel on every page: one row per call, details with the token shortened,
//! and "Copy as curl" giving a command that works in a shell.

use openim_e2e::{start, wait_limit, ApiVersion, Browser, Stack};

/// Signs in and checks one ID, so that the newest call carries the admin token.
async fn signed_in_with_a_check(api: ApiVersion) -> (Stack, Browser) {
    let (stack, b) = start(api).await;
    b.sign_in(&stack).await;
    b.click_link("Account check").await;
    b.fill(
        "User IDs (one per line or comma separated)",
        api.default_admin_id(),
    )
    .await;
    b.click_button("Check").await;
    b.wait_for_request_log("to show the account check", |rows| {
        rows.first()
            .is_some_and(|r| r.contains("/user/account_check"))
    })
    .await;
    (stack, b)
}

async fn lists_every_call(api: ApiVersion) {
    let (_stack, b) = signed_in_with_a_check(api).await;
    let rows = b.request_log().await;
    let heading = format!("Request log ({})", rows.len());
    assert!(
        b.texts_of_role("heading").await.contains(&heading),
        "no heading {heading:?}; headings: {:?}",
        b.texts_of_role("heading").await
    );
    assert!(
        rows.iter().any(|r| r.contains(api.admin_token_path())),
        "no {} call in {rows:#?}",
        api.admin_token_path()
    );
    // Every row's details hold a "Copy as curl" button.
    for row in 0..rows.len() {
        b.click_nth_button("Show", row).await;
    }
    assert_eq!(b.count_buttons("Copy as curl").await, rows.len());

    // The newest call's details: headers with the token shortened, and both bodies.
    b.wait_for_text("checkUserIDs", wait_limit()).await;
    let text = b.page_text().await;
    let token = text
        .split("token: ")
        .skip(1)
        .filter_map(|rest| rest.split_whitespace().next())
        .find(|word| word.starts_with("eyJ"))
        .unwrap_or_else(|| panic!("no token header in the details: {text}"));
    assert!(
        token.contains('…') && token.chars().count() < 40,
        "the token is not shortened: {token:?}"
    );
    assert!(text.contains("errCode"), "no response body shown: {text}");
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn lists_every_call_v34() {
    lists_every_call(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn lists_every_call_v38() {
    lists_every_call(ApiVersion::V3_8).await;
}

async fn copied_curl_runs_in_a_shell(api: ApiVersion) {
    let (_stack, b) = signed_in_with_a_check(api).await;
    b.record_clipboard().await;
    b.click_nth_button("Show", 0).await;
    b.click_nth_button("Copy as curl", 0).await;
    let curl = b.wait_for_clipboard().await;
    assert!(curl.starts_with("curl "), "not a curl command: {curl}");
    assert!(curl.contains("/user/account_check"), "{curl}");
    assert!(curl.contains("operationID"), "{curl}");

    // Off the test's runtime thread, which also serves the emulator.
    let command = format!("{curl} --silent --show-error --max-time 10");
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new("sh")
            .args(["-c", &command])
            .output()
    })
    .await
    .expect("the shell task")
    .expect("run sh");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let answer: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|_| {
        panic!(
            "the copied command did not get OpenIM's JSON.\n  command: {curl}\n  stdout: {stdout}\n  stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    assert_eq!(answer["errCode"], 0, "{answer}");
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn copied_curl_runs_in_a_shell_v34() {
    copied_curl_runs_in_a_shell(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn copied_curl_runs_in_a_shell_v38() {
    copied_curl_runs_in_a_shell(ApiVersion::V3_8).await;
}
