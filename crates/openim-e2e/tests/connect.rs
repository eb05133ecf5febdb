//! The Connection page (/connect): signing in and out on each generation, and what the operator
//! is told when a setting is wrong.

use openim_e2e::{generation, start, ApiVersion, Browser, Stack, SECRET};

/// Signs in with the default admin (an empty "Admin user ID"), checks both status lines, signs
/// out. `choose` picks the generation by hand instead of detecting it.
async fn sign_in_and_out(api: ApiVersion, choose: Option<&str>) {
    let (stack, b) = start(api).await;
    b.open(&stack.url("/connect")).await;
    assert_eq!(b.field("API base URL").await.value, "/api");
    let generations = b.field("API generation").await;
    assert_eq!(
        generations.selected.as_deref(),
        Some("Detect automatically")
    );
    assert_eq!(
        generations.options,
        [
            "Detect automatically",
            "v3.4 (secret in the body, /auth/user_token)",
            "v3.8 (/auth/get_admin_token)"
        ]
    );
    assert_eq!(b.field("Admin user ID").await.value, "");
    b.wait_for_role_text("status", "Not signed in").await;
    if let Some(option) = choose {
        b.select("API generation", option).await;
    }
    b.fill("Secret", SECRET).await;
    b.click_button("Connect").await;

    let admin = api.default_admin_id();
    b.wait_for_role_text(
        "status",
        &format!("Connected to /api as {admin} ({}).", generation(api)),
    )
    .await;
    let header = b.wait_for_signed_in(api).await;
    let days_90 = format!(
        "Signed in as {admin} on /api ({}), token expires in 90 days",
        generation(api)
    );
    let days_89 = days_90.replace("90 days", "89 days");
    assert!(
        header.starts_with(&days_90) || header.starts_with(&days_89),
        "the header reads {header:?}"
    );

    b.click_button("Sign out").await;
    b.wait_for_role_text("status", "Not signed in").await;
    assert!(
        !b.texts_of_role("status")
            .await
            .iter()
            .any(|t| t.contains("Signed in as")),
        "the header still says signed in after Sign out"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn signs_in_and_out_detecting_v34() {
    sign_in_and_out(ApiVersion::V3_4, None).await;
}

#[tokio::test]
async fn signs_in_and_out_detecting_v38() {
    sign_in_and_out(ApiVersion::V3_8, None).await;
}

#[tokio::test]
async fn signs_in_with_v34_chosen() {
    sign_in_and_out(
        ApiVersion::V3_4,
        Some("v3.4 (secret in the body, /auth/user_token)"),
    )
    .await;
}

#[tokio::test]
async fn signs_in_with_v38_chosen() {
    sign_in_and_out(ApiVersion::V3_8, Some("v3.8 (/auth/get_admin_token)")).await;
}

/// Fills the form, clicks Connect and returns the alert.
async fn refused(stack: &Stack, b: &Browser, base: &str, admin: &str, secret: &str) -> String {
    b.open(&stack.url("/connect")).await;
    b.fill("API base URL", base).await;
    b.fill("Admin user ID", admin).await;
    b.fill("Secret", secret).await;
    b.click_button("Connect").await;
    let alert = b.text_of_role("alert").await;
    assert!(
        b.texts_of_role("status")
            .await
            .iter()
            .any(|t| t == "Not signed in"),
        "a refused sign-in left the header at {:?}",
        b.texts_of_role("status").await
    );
    alert
}

async fn wrong_secret(api: ApiVersion) {
    let (stack, b) = start(api).await;
    let alert = refused(&stack, &b, "/api", "", "not-the-secret").await;
    assert!(
        alert.starts_with("Wrong secret"),
        "the alert reads {alert:?}"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn wrong_secret_v34() {
    wrong_secret(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn wrong_secret_v38() {
    wrong_secret(ApiVersion::V3_8).await;
}

#[tokio::test]
async fn v38_refuses_a_non_admin_id() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    stack.openim().register(&[("alice", "Alice")]).await;
    let alert = refused(&stack, &b, "/api", "alice", SECRET).await;
    assert!(
        alert.starts_with("alice is not an admin user ID"),
        "the alert reads {alert:?}"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn v34_refuses_an_unregistered_id() {
    let (stack, b) = start(ApiVersion::V3_4).await;
    let alert = refused(&stack, &b, "/api", "ghost", SECRET).await;
    assert!(
        alert.starts_with("ghost is not a registered user"),
        "the alert reads {alert:?}"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn v34_refuses_a_registered_non_admin() {
    let (stack, b) = start(ApiVersion::V3_4).await;
    stack.openim().register(&[("alice", "Alice")]).await;
    let alert = refused(&stack, &b, "/api", "alice", SECRET).await;
    assert!(
        alert.starts_with("alice got a token but is not an admin"),
        "the alert reads {alert:?}"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn explains_an_unreachable_server() {
    let (stack, b) = start(ApiVersion::V3_4).await;
    let alert = refused(&stack, &b, "http://127.0.0.1:1", "", SECRET).await;
    assert!(
        alert.starts_with("Cannot reach the server"),
        "the alert reads {alert:?}"
    );
}

/// OpenIM stopped behind a working nginx (which answers 502): the address and the generation
/// are right, so the operator must be told the API is not answering, not sent to fix those.
#[tokio::test]
async fn explains_a_stopped_api_server_behind_the_proxy() {
    let (mut stack, b) = start(ApiVersion::V3_4).await;
    stack.stop_emulator().await;
    let alert = refused(&stack, &b, "/api", "", SECRET).await;
    assert!(
        (alert.starts_with("Cannot reach the server") || alert.contains("proxy"))
            && !alert.contains("not as OpenIM"),
        "the alert blames the address or the generation: {alert:?}"
    );
    stack.start_emulator().await;
    b.click_button("Connect").await;
    b.wait_for_signed_in(ApiVersion::V3_4).await;
    b.assert_no_console_errors().await;
}

/// The secret survives a reload only with the box ticked; the sign-in survives it either way
/// (it is kept for the tab).
async fn reload_keeps(remember: bool) {
    let (stack, b) = start(ApiVersion::V3_4).await;
    b.open(&stack.url("/connect")).await;
    b.fill("Secret", SECRET).await;
    b.set_checked("Remember the secret on this device", remember)
        .await;
    b.click_button("Connect").await;
    b.wait_for_signed_in(ApiVersion::V3_4).await;
    b.reload().await;
    b.wait_for_signed_in(ApiVersion::V3_4).await;
    let secret = b.field("Secret").await.value;
    let remembered = b.field("Remember the secret on this device").await.value;
    if remember {
        assert_eq!(
            secret, SECRET,
            "the remembered secret is gone after a reload"
        );
        assert_eq!(remembered, "true");
    } else {
        assert_eq!(
            secret, "",
            "the secret was kept although the box was not ticked"
        );
    }
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn remembers_the_secret_when_asked() {
    reload_keeps(true).await;
}

#[tokio::test]
async fn forgets_the_secret_on_reload_by_default() {
    reload_keeps(false).await;
}
