//! Register users (/register): rows of ID, nickname and face URL, problems shown per row while
//! typing, and OpenIM's all-or-nothing batch.

use openim_e2e::{start, ApiVersion, Browser, Stack};

async fn open_register(stack: &Stack, b: &Browser) {
    b.sign_in(stack).await;
    b.click_link("Register users").await;
    b.wait_for_h1("Register users").await;
}

async fn fill_row(b: &Browser, row: usize, id: &str, nickname: &str) {
    b.fill(&format!("User ID (row {row})"), id).await;
    b.fill(&format!("Nickname (row {row})"), nickname).await;
}

async fn registers_two_users(api: ApiVersion) {
    let (stack, b) = start(api).await;
    open_register(&stack, &b).await;
    fill_row(&b, 1, "alice", "Alice").await;
    b.fill("Face URL (row 1)", "https://example.com/alice.png")
        .await;
    b.click_button("Add row").await;
    fill_row(&b, 2, "bob", "Bob").await;
    b.click_button("Register").await;
    b.wait_for_role_text("status", "Registered 2 users: alice, bob.")
        .await;

    let openim = stack.openim();
    assert_eq!(openim.registered(&["alice", "bob"]).await, [true, true]);
    let alice = openim.user_info("alice").await;
    assert_eq!(alice["nickname"], "Alice");
    assert_eq!(alice["faceURL"], "https://example.com/alice.png");
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn registers_two_users_v34() {
    registers_two_users(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn registers_two_users_v38() {
    registers_two_users(ApiVersion::V3_8).await;
}

async fn refuses_a_batch_with_an_existing_id(api: ApiVersion) {
    let (stack, b) = start(api).await;
    stack.openim().register(&[("alice", "Alice")]).await;
    open_register(&stack, &b).await;
    fill_row(&b, 1, "alice", "Alice").await;
    b.click_button("Add row").await;
    fill_row(&b, 2, "bob", "Bob").await;
    b.click_button("Register").await;
    let alert = b
        .wait_for_role_text("alert", "Already registered: alice")
        .await;
    assert!(
        alert.contains("OpenIM created none of the 2 users in this batch"),
        "the alert reads {alert:?}"
    );
    assert_eq!(stack.openim().registered(&["bob"]).await, [false]);
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn refuses_a_batch_with_an_existing_id_v34() {
    refuses_a_batch_with_an_existing_id(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn refuses_a_batch_with_an_existing_id_v38() {
    refuses_a_batch_with_an_existing_id(ApiVersion::V3_8).await;
}

async fn flags_a_repeated_id(api: ApiVersion) {
    let (stack, b) = start(api).await;
    open_register(&stack, &b).await;
    fill_row(&b, 1, "alice", "Alice").await;
    b.click_button("Add row").await;
    b.fill("Nickname (row 2)", "Alice again").await;
    b.type_into("User ID (row 2)", "alice").await;
    b.wait_for_text("Same user ID as row 1", openim_e2e::wait_limit())
        .await;
    b.wait_for_button_enabled("Register", false).await;
    b.fill("User ID (row 2)", "alice2").await;
    b.wait_for_button_enabled("Register", true).await;
    assert!(
        !b.page_text().await.contains("Same user ID as row 1"),
        "the problem is still shown after the fix"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn flags_a_repeated_id_v34() {
    flags_a_repeated_id(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn flags_a_repeated_id_v38() {
    flags_a_repeated_id(ApiVersion::V3_8).await;
}

#[tokio::test]
async fn v38_flags_its_id_charset_and_required_nickname_while_typing() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    open_register(&stack, &b).await;
    b.type_into("User ID (row 1)", "carol-1").await;
    b.wait_for_text(
        "User ID may contain only letters, digits and _",
        openim_e2e::wait_limit(),
    )
    .await;
    b.wait_for_button_enabled("Register", false).await;

    b.fill("User ID (row 1)", "carol_1").await;
    b.wait_for_text(
        "Nickname is required on OpenIM v3.8",
        openim_e2e::wait_limit(),
    )
    .await;
    b.wait_for_button_enabled("Register", false).await;

    b.fill("Nickname (row 1)", "Carol").await;
    b.wait_for_button_enabled("Register", true).await;
    let text = b.page_text().await;
    assert!(
        !text.contains("User ID may contain only") && !text.contains("Nickname is required"),
        "problems still shown after the fixes: {text}"
    );
    b.click_button("Register").await;
    b.wait_for_role_text("status", "Registered 1 user").await;
    assert_eq!(stack.openim().registered(&["carol_1"]).await, [true]);
    b.assert_no_console_errors().await;
}
