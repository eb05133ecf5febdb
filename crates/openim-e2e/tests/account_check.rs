//! Account check (/account-check): which IDs are registered, in the order asked, duplicates
//! removed before OpenIM sees them (it refuses repeated IDs).

use openim_e2e::{start, ApiVersion};

async fn checks_ids_in_order(api: ApiVersion) {
    let (stack, b) = start(api).await;
    stack
        .openim()
        .register(&[("alice", "Alice"), ("bob", "Bob")])
        .await;
    b.sign_in(&stack).await;
    b.click_link("Account check").await;
    b.fill(
        "User IDs (one per line or comma separated)",
        "alice\nghost, bob\nalice",
    )
    .await;
    b.click_button("Check").await;
    let results = b
        .wait_for_table(
            Some("Account check results"),
            "to list three results",
            |t| t.rows.len() == 3,
        )
        .await;
    // "Removed 1 duplicate", also mid-sentence in lower case.
    let text = b.page_text().await.to_lowercase();
    assert!(
        text.contains("removed 1 duplicate"),
        "no note of the removed duplicate: {text}"
    );
    assert_eq!(results.headers, ["User ID", "Status"]);
    assert_eq!(
        results.rows,
        [
            ["alice", "registered"],
            ["ghost", "unregistered"],
            ["bob", "registered"]
        ]
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn checks_ids_in_order_v34() {
    checks_ids_in_order(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn checks_ids_in_order_v38() {
    checks_ids_in_order(ApiVersion::V3_8).await;
}

/// nginx itself gone while the page is open: the check fails with an alert, and works again
/// once nginx is back.
#[tokio::test]
async fn reports_a_server_gone_and_recovers() {
    let (mut stack, b) = start(ApiVersion::V3_4).await;
    b.sign_in(&stack).await;
    b.click_link("Account check").await;
    b.fill("User IDs (one per line or comma separated)", "openIM123456")
        .await;
    stack.stop_nginx();
    b.click_button("Check").await;
    let alert = b.text_of_role("alert").await;
    assert!(
        !alert.contains("not registered"),
        "a network failure reported as an account status: {alert:?}"
    );

    stack.start_nginx().await;
    b.click_button("Check").await;
    let results = b
        .wait_for_table(Some("Account check results"), "to list the result", |t| {
            t.rows.len() == 1
        })
        .await;
    assert_eq!(results.rows, [["openIM123456", "registered"]]);
    assert!(b.texts_of_role("alert").await.iter().all(|a| a.is_empty()));
    b.assert_no_console_errors().await;
}
