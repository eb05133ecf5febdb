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

/// The connection form says what is wrong with an over-long or malformed value instead of
/// cutting it off, keeps what was typed, and sends nothing until it is fixed.
#[tokio::test]
async fn connect_fields_say_what_is_wrong_and_keep_what_was_typed() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    b.open(&stack.url("/connect")).await;
    b.wait_for_role_text("status", "Not signed in").await;
    let long_secret = "s".repeat(257);
    b.fill("Secret", &long_secret).await;
    b.wait_for_text(
        "At most 256 characters; this has 257. Nothing is cut off: shorten it here.",
        openim_e2e::wait_limit(),
    )
    .await;
    assert_eq!(
        b.field("Secret").await.value,
        long_secret,
        "the value was cut"
    );
    assert!(
        !b.button_enabled("Connect").await,
        "an over-long secret can be sent"
    );

    b.fill("API base URL", "im.example.com:10002").await;
    b.wait_for_text(
        "Start with http:// or https:// and a host",
        openim_e2e::wait_limit(),
    )
    .await;
    b.fill("Admin user ID", &"a".repeat(65)).await;
    b.wait_for_text(
        "At most 64 characters; this has 65.",
        openim_e2e::wait_limit(),
    )
    .await;
    assert!(!b.button_enabled("Connect").await);
    // Submitting with Enter, past the disabled button, sends nothing either.
    b.type_into("Secret", &format!("{long_secret}\u{e007}"))
        .await;
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    let access = std::fs::read_to_string(stack.dir().join("logs/access.log")).unwrap_or_default();
    assert!(
        !access.contains("/api/"),
        "the form sent a request with values over their bounds:\n{access}"
    );

    b.fill("API base URL", "/api").await;
    b.fill("Admin user ID", "").await;
    b.fill("Secret", openim_e2e::SECRET).await;
    b.wait_for_button_enabled("Connect", true).await;
    let text = b.page_text().await;
    assert!(
        !text.contains("At most") && !text.contains("Start with http://"),
        "messages outlive the fixes: {text}"
    );
    b.click_button("Connect").await;
    b.wait_for_signed_in(ApiVersion::V3_8).await;
    b.assert_no_console_errors().await;
}

/// The chat sign-in's account and password are bounded the same way.
#[tokio::test]
async fn chat_sign_in_bounds_the_password() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    b.open(&stack.url("/connect")).await;
    b.set_checked("Chat admin account (no secret in the browser)", true)
        .await;
    b.fill("Password", &"p".repeat(129)).await;
    b.wait_for_text(
        "At most 128 characters; this has 129.",
        openim_e2e::wait_limit(),
    )
    .await;
    assert!(!b.button_enabled("Connect").await);
    b.fill("Password", "p").await;
    b.wait_for_button_enabled("Connect", true).await;
    b.assert_no_console_errors().await;
}

/// v3.8 has no length limit of its own: the console's bounds keep a batch of 1,000 users under
/// the server's 8 MiB request size, and say so.
#[tokio::test]
async fn v38_register_bounds_fields_by_the_consoles_limit() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    b.sign_in(&stack).await;
    b.click_link("Register users").await;
    b.wait_for_h1("Register users").await;
    b.fill("User ID (row 1)", "dave").await;
    let nickname = "n".repeat(256);
    b.fill("Nickname (row 1)", &nickname).await;
    b.wait_for_text(
        "nickname is longer than 255 characters: this console's limit on OpenIM v3.8",
        openim_e2e::wait_limit(),
    )
    .await;
    assert!(!b.button_enabled("Register").await);
    assert_eq!(b.field("Nickname (row 1)").await.value, nickname);
    b.fill("Nickname (row 1)", &nickname[..255]).await;
    b.wait_for_button_enabled("Register", true).await;
    b.click_button("Register").await;
    b.wait_for_role_text("status", "Registered 1 user").await;
    assert_eq!(stack.openim().registered(&["dave"]).await, [true]);
    b.assert_no_console_errors().await;
}

/// An imported CSV with over-long and control-character values: those rows are reported
/// invalid with the reason and never sent; the others are created.
#[tokio::test]
async fn v38_import_reports_rows_over_the_bounds() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    let dir = tempfile::Builder::new()
        .prefix("openim-e2e-bounds-")
        .tempdir()
        .expect("a temp directory");
    let path = dir.path().join("bounds.csv");
    let csv = format!(
        "userID,nickname,faceURL,ex\nok_1,Ok,,\nlong_ex,Long,,{}\nnul_nick,A\u{0}B,,\nesc_face,Esc,http://x/\u{1b}[31m,\n",
        "e".repeat(1025)
    );
    std::fs::write(&path, &csv).expect("write the CSV");
    b.sign_in(&stack).await;
    b.click_link("Bulk import").await;
    b.wait_for_h1("Bulk import").await;
    b.choose_file("CSV file", &path).await;
    b.click_button("Import").await;
    b.wait_for_role_text("status", "Done. The counts add up to the 4 input rows.")
        .await;
    let text = b.page_text().await;
    for reason in [
        "ex is longer than 1024 characters (this console's limit on OpenIM v3.8",
        "nickname contains a control character",
        "faceURL contains a control character",
    ] {
        assert!(text.contains(reason), "no {reason:?} in {text}");
    }
    assert_eq!(
        stack
            .openim()
            .registered(&["ok_1", "long_ex", "nul_nick", "esc_face"])
            .await,
        [true, false, false, false]
    );
    b.assert_no_console_errors().await;
}

/// "Go to page" says which pages there are instead of silently going elsewhere.
#[tokio::test]
async fn go_to_page_names_the_pages_there_are() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    let ids: Vec<String> = (0..45).map(|n| format!("page_user_{n:02}")).collect();
    let users: Vec<(&str, &str)> = ids.iter().map(|id| (id.as_str(), "Paged")).collect();
    stack.openim().register(&users).await;
    b.sign_in(&stack).await;
    b.click_link("Users").await;
    b.wait_for_text("Page 1 of 3", openim_e2e::wait_limit())
        .await;
    for wrong in ["4", "0", "2.5", "two"] {
        b.type_into("Go to page", wrong).await;
        b.wait_for_text(
            "Enter a whole number from 1 to 3.",
            openim_e2e::wait_limit(),
        )
        .await;
        assert!(!b.button_enabled("Go").await, "{wrong:?} can be sent");
    }
    b.fill("Go to page", "3").await;
    b.wait_for_button_enabled("Go", true).await;
    assert!(!b.page_text().await.contains("Enter a whole number"));
    b.click_button("Go").await;
    b.wait_for_text("Page 3 of 3", openim_e2e::wait_limit())
        .await;
    b.assert_no_console_errors().await;
}

/// A file over the most one import reads is refused before it is read, with a message that
/// says how to go on; nothing is sent.
#[tokio::test]
async fn import_refuses_a_file_over_64_mib() {
    let (stack, b) = start(ApiVersion::V3_8).await;
    let dir = tempfile::Builder::new()
        .prefix("openim-e2e-bounds-")
        .tempdir()
        .expect("a temp directory");
    let path = dir.path().join("huge.csv");
    let file = std::fs::File::create(&path).expect("create the file");
    // Sparse: the browser reads the size, never the content.
    file.set_len(64 * 1024 * 1024 + 1).expect("size the file");
    b.sign_in(&stack).await;
    b.click_link("Bulk import").await;
    b.wait_for_h1("Bulk import").await;
    b.choose_file("CSV file", &path).await;
    b.wait_for_text(
        "huge.csv is 67,108,865 bytes: one import reads at most 67,108,864 bytes (64 MiB).",
        openim_e2e::wait_limit(),
    )
    .await;
    assert!(
        !b.button_enabled("Import").await,
        "a refused file can be imported"
    );
    b.assert_no_console_errors().await;
}
