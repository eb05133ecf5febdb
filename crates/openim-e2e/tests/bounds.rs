//! Fields that name or search for users say what is wrong with a value OpenIM could not use,
//! and send nothing until it is fixed.

use openim_e2e::{start, ApiVersion};

/// A user ID that cannot exist on the generation: a message, and "Get token" stays disabled.
async fn token_refuses_an_impossible_id(api: ApiVersion, id: &str, message: &str) {
    let (stack, b) = start(api).await;
    b.sign_in(&stack).await;
    b.click_link("User token").await;
    b.fill("User ID", id).await;
    b.wait_for_text(message, openim_e2e::wait_limit()).await;
    assert!(
        !b.button_enabled("Get token").await,
        "an impossible ID can be sent"
    );
    let calls = b.request_log().await.len();
    b.fill("User ID", "user000001").await;
    b.wait_for_button_enabled("Get token", true).await;
    assert!(
        !b.page_text().await.contains(message),
        "the message outlives the fix"
    );
    assert_eq!(b.request_log().await.len(), calls, "typing sends nothing");
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn v34_token_bounds_the_id_to_its_column() {
    let id = "x".repeat(65);
    token_refuses_an_impossible_id(ApiVersion::V3_4, &id, "longer than 64 characters").await;
}

#[tokio::test]
async fn v38_token_bounds_the_id_to_its_charset() {
    token_refuses_an_impossible_id(
        ApiVersion::V3_8,
        "alice-1",
        "User ID may contain only letters, digits and _",
    )
    .await;
}

#[tokio::test]
async fn account_check_takes_at_most_a_thousand_ids() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    b.sign_in(&stack).await;
    b.click_link("Account check").await;
    let many: Vec<String> = (0..1001).map(|i| format!("u{i}")).collect();
    b.fill(
        "User IDs (one per line or comma separated)",
        &many.join("\n"),
    )
    .await;
    b.wait_for_text(
        "1,001 IDs: at most 1,000 can be checked at once",
        openim_e2e::wait_limit(),
    )
    .await;
    assert!(!b.button_enabled("Check").await);
    b.fill(
        "User IDs (one per line or comma separated)",
        &many[..1000].join("\n"),
    )
    .await;
    b.wait_for_button_enabled("Check", true).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn v38_search_refuses_a_pattern_that_is_not_a_regex() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    b.sign_in(&stack).await;
    b.click_link("Users").await;
    b.fill("Search nickname", "User (1").await;
    b.wait_for_text(
        "Search nickname: OpenIM searches with a regular expression",
        openim_e2e::wait_limit(),
    )
    .await;
    assert!(!b.button_enabled("Search").await);
    b.fill("Search nickname", "User \\(1").await;
    b.wait_for_button_enabled("Search", true).await;
    b.assert_no_console_errors().await;
}
