//! User token (/token): a token for a user and platform, its lifetime and decoded claims.

use std::time::Instant;

use openim_e2e::{start, wait_limit, ApiVersion, Browser, Stack};

const PLATFORMS: [&str; 9] = [
    "IOS (1)",
    "Android (2)",
    "Windows (3)",
    "OSX (4)",
    "Web (5)",
    "MiniWeb (6)",
    "Linux (7)",
    "APad (8)",
    "IPad (9)",
];

async fn open_token_page(stack: &Stack, b: &Browser) {
    b.sign_in(stack).await;
    b.click_link("User token").await;
}

/// Clicks "Get token" and returns what the read-only "Token" field shows once the call is in
/// the request log.
async fn get_token(b: &Browser) -> String {
    let calls = b.request_log().await.len();
    b.click_button("Get token").await;
    b.wait_for_request_log("to show the token call", |rows| rows.len() > calls)
        .await;
    let field = b
        .wait_for_field("Token", "hold a token", |f| f.value.starts_with("eyJ"))
        .await;
    assert!(field.read_only, "the Token field is editable: {field:?}");
    assert_eq!(field.tag, "textarea");
    field.value
}

/// Asks again until the token differs from `older`: tokens carry times in whole seconds, so one
/// asked for within the same second is the same token.
async fn get_another_token(b: &Browser, older: &str) -> String {
    let deadline = Instant::now() + wait_limit();
    loop {
        let token = get_token(b).await;
        if token != older {
            return token;
        }
        assert!(
            Instant::now() < deadline,
            "every token issued for {:?} was the same",
            wait_limit()
        );
    }
}

async fn issues_a_user_token(api: ApiVersion) {
    let (stack, b) = start(api).await;
    let openim = stack.openim();
    openim.register(&[("alice", "Alice")]).await;
    open_token_page(&stack, &b).await;
    b.fill("User ID", "alice").await;
    b.select("Platform", "Web (5)").await;
    let token = get_token(&b).await;

    b.wait_for_text("Valid for 90 days (7776000 seconds)", wait_limit())
        .await;
    b.record_clipboard().await;
    b.click_button("Copy token").await;
    assert_eq!(b.wait_for_clipboard().await, token);
    let claims = b
        .wait_for_table(Some("Token claims"), "to list the token's claims", |t| {
            t.row_value("User").is_some()
        })
        .await;
    let mut names = vec![
        "User",
        "Platform",
        "Issued",
        "Not before",
        "Expires",
        "Time left",
    ];
    if api == ApiVersion::V3_8 {
        names.retain(|n| *n != "Not before");
    }
    assert_eq!(claims.row_names(), names, "claims table: {claims:?}");
    assert_eq!(claims.row_value("User").as_deref(), Some("alice"));
    assert_eq!(claims.row_value("Platform").as_deref(), Some("Web (5)"));

    // The server agrees: the token is alice's, on Web, and valid.
    let parsed = openim.parse_token(&token).await;
    assert_eq!(parsed["errCode"], 0, "{parsed}");
    assert_eq!(parsed["data"]["userID"], "alice");

    if api == ApiVersion::V3_8 {
        b.wait_for_text(
            "a new token for the same user and platform retires the older one",
            wait_limit(),
        )
        .await;
        let newer = get_another_token(&b, &token).await;
        assert_eq!(openim.parse_token(&newer).await["errCode"], 0);
        assert_eq!(
            openim.parse_token(&token).await["errCode"],
            1506,
            "the older token should be kicked, as the page warns"
        );
    }
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn issues_a_user_token_v34() {
    issues_a_user_token(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn issues_a_user_token_v38() {
    issues_a_user_token(ApiVersion::V3_8).await;
}

async fn offers_the_generations_platforms(api: ApiVersion) {
    let (stack, b) = start(api).await;
    open_token_page(&stack, &b).await;
    let options = b.field("Platform").await.options;
    for platform in PLATFORMS {
        assert!(
            options.iter().any(|o| o == platform),
            "no {platform:?} in {options:?}"
        );
    }
    let admin = options.iter().any(|o| o == "Admin (10)");
    assert_eq!(
        admin,
        api == ApiVersion::V3_4,
        "Admin (10) is for v3.4 only: {options:?}"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn offers_the_generations_platforms_v34() {
    offers_the_generations_platforms(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn offers_the_generations_platforms_v38() {
    offers_the_generations_platforms(ApiVersion::V3_8).await;
}

async fn explains_an_unknown_user(api: ApiVersion) {
    let (stack, b) = start(api).await;
    open_token_page(&stack, &b).await;
    b.fill("User ID", "ghost").await;
    b.select("Platform", "Android (2)").await;
    b.click_button("Get token").await;
    let alert = b.text_of_role("alert").await;
    assert!(
        alert.contains("not registered") || alert.contains("not a registered user"),
        "the alert does not say the user is not registered: {alert:?}"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn explains_an_unknown_user_v34() {
    explains_an_unknown_user(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn explains_an_unknown_user_v38() {
    explains_an_unknown_user(ApiVersion::V3_8).await;
}
