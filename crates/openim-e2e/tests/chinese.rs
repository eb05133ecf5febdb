//! The Chinese interface: after the header's language control is switched to 简体中文, every
//! main page, in its ordinary and its error states, reads without English words apart from a
//! short list of technical tokens and the data the server holds.

use std::collections::BTreeSet;

use openim_e2e::{start, wait_limit, ApiVersion, Browser, OpenIm};
use serde_json::json;

/// Tokens a Chinese operator reads in Latin letters too: names, protocol terms and OpenIM's
/// own field names (the labels give them in brackets after the Chinese, as in 密钥（secret）).
const TECHNICAL: &[&str] = &[
    "OpenIM",
    "Chat",
    "API",
    "URL",
    "HTTP",
    "POST",
    "ID",
    "CSV",
    "Token",
    "errCode",
    "operationID",
    "userID",
    "nickname",
    "faceURL",
    "ex",
    "secret",
    // The product's name in the header.
    "openim-admin",
    // The language control names each language in itself.
    "English",
];

/// OpenIM's platform names (platformID 1 to 10), which the token page lists as OpenIM spells
/// them.
const PLATFORMS: &[&str] = &[
    "IOS", "Android", "Windows", "OSX", "Web", "MiniWeb", "Linux", "APad", "IPad", "Admin",
];

/// The words of `text` written in Latin letters that are neither technical tokens, nor paths
/// or URLs, nor in `data` (what the server holds: user IDs, nicknames); each with the line it
/// stands on.
fn english_words(text: &str, data: &BTreeSet<String>) -> Vec<(String, String)> {
    let mut found = Vec::new();
    for line in text.lines() {
        for token in line.split(|c: char| c.is_whitespace() || !c.is_ascii()) {
            let token = token.trim_matches(|c: char| !c.is_ascii_alphanumeric() && c != '/');
            let letters = token.chars().filter(char::is_ascii_alphabetic).count();
            let allowed = letters < 2
                || TECHNICAL.contains(&token)
                || PLATFORMS.contains(&token)
                || token.contains('/')
                || data.contains(token);
            if !allowed {
                found.push((token.to_string(), line.trim().to_string()));
            }
        }
    }
    found
}

/// Han ideographs on the page, to be sure it was read at all.
fn han_count(text: &str) -> usize {
    text.chars()
        .filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c))
        .count()
}

/// The IDs and nicknames the server holds, the admin accounts of both generations (the
/// Connection page names them as examples), and their words.
async fn server_data(openim: &OpenIm) -> BTreeSet<String> {
    let admin = openim.admin_token().await;
    let data = openim
        .call(
            "/user/get_users",
            Some(&admin),
            json!({"pagination": {"pageNumber": 1, "showNumber": 1000}}),
        )
        .await;
    let mut words = BTreeSet::new();
    let users = data["users"].as_array().cloned().unwrap_or_default();
    for u in &users {
        for key in ["userID", "nickname"] {
            let value = u[key].as_str().unwrap_or_default();
            words.insert(value.to_string());
            words.extend(value.split_whitespace().map(str::to_string));
        }
    }
    for api in [ApiVersion::V3_4, ApiVersion::V3_8] {
        words.extend(api.default_admin_ids().iter().map(|id| id.to_string()));
    }
    words
}

/// Fails if the page, once it shows `marker`, holds English words.
async fn check_page(b: &Browser, place: &str, marker: &str, data: &BTreeSet<String>) {
    b.wait_for_text(marker, wait_limit()).await;
    let text = b.readable_text().await;
    assert!(
        text.contains(marker) && han_count(&text) >= 20,
        "{place}: the page text was not read: {text:?}"
    );
    let english = english_words(&text, data);
    assert!(
        english.is_empty(),
        "{place} shows English words:\n  {}\nthe page reads:\n{text}",
        english
            .iter()
            .map(|(word, line)| format!("{word:?} in {line:?}"))
            .collect::<Vec<_>>()
            .join("\n  ")
    );
}

async fn shows_no_english(api: ApiVersion) {
    let (mut stack, b) = start(api).await;
    let openim = stack.openim();
    openim
        .register(&[("alice", "爱丽丝"), ("bob", "鲍勃")])
        .await;
    b.sign_in(&stack).await;
    b.select("Language", "简体中文").await;
    b.wait_for_role_text("status", "身份登录").await;

    let mut data = server_data(&openim).await;
    b.click_link("概览").await;
    check_page(&b, "the overview", "登录身份", &data).await;

    b.click_link("连接").await;
    check_page(&b, "the Connection page", "API 基础地址", &data).await;

    b.click_link("注册用户").await;
    b.fill("用户ID（第 1 行）", "alice").await;
    b.fill("昵称（第 1 行）", "重复").await;
    b.click_button("注册").await;
    b.wait_for_role_text("alert", "errCode 1102").await;
    check_page(&b, "the register page after 1102", "已注册：alice", &data).await;

    b.click_link("用户令牌").await;
    b.fill("用户ID", "alice").await;
    b.click_button("获取令牌").await;
    check_page(&b, "the token page with a token", "剩余时间", &data).await;

    b.click_link("账号检查").await;
    b.fill("用户ID（每行一个，或以逗号分隔）", "alice\nghost")
        .await;
    b.click_button("检查").await;
    b.wait_for_table(Some("账号检查结果"), "to list two IDs", |t| {
        t.rows.len() == 2
    })
    .await;
    data.insert("ghost".into());
    check_page(&b, "the account check results", "未注册", &data).await;
    stack.stop_nginx();
    b.click_button("检查").await;
    b.wait_for_role_text("alert", "服务器没有响应").await;
    check_page(&b, "a failed account check", "服务器没有响应。", &data).await;
    stack.start_nginx().await;

    b.click_link("用户列表").await;
    check_page(&b, "the user list", "个用户", &data).await;
    b.click_link("alice").await;
    b.wait_for_h1("用户 alice").await;
    check_page(&b, "alice's page", "强制下线", &data).await;

    b.click_link("批量导入").await;
    let rows = "userID,nickname\nnew1,新用户\n,无名\nalice,重复\nnew1,再次\n";
    b.type_into("数据行（CSV：userID, nickname, faceURL, ex）", rows)
        .await;
    b.click_button("导入").await;
    data.extend(["new1".to_string()]);
    check_page(
        &b,
        "a finished import",
        "完成。各项计数合计正好是输入的 4 行。",
        &data,
    )
    .await;
    stack.stop_nginx();
    b.type_into(
        "数据行（CSV：userID, nickname, faceURL, ex）",
        "new2,新用户二\n",
    )
    .await;
    b.click_button("导入").await;
    data.insert("new2".into());
    check_page(&b, "a paused import", "已暂停：无法连接服务器", &data).await;
    stack.start_nginx().await;

    b.open(&stack.url("/no-such-page")).await;
    check_page(&b, "the not-found page", "页面不存在", &data).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn main_pages_show_no_english_v34() {
    shows_no_english(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn main_pages_show_no_english_v38() {
    shows_no_english(ApiVersion::V3_8).await;
}

#[test]
fn finds_english_left_in_chinese_text() {
    let data: BTreeSet<String> = ["alice".to_string()].into();
    let words = |text: &str| -> Vec<String> {
        english_words(text, &data)
            .into_iter()
            .map(|(w, _)| w)
            .collect()
    };
    assert_eq!(words("用户列表\n退出登录"), Vec::<String>::new());
    assert_eq!(words("用户列表\nSign out"), ["Sign", "out"]);
    assert_eq!(words("导入 Import"), ["Import"]);
    assert_eq!(words("共 3 个 users"), ["users"]);
    assert_eq!(
        words("已以 alice 身份登录 /api（OpenIM v3.8），密钥（secret）"),
        Vec::<String>::new()
    );
    assert_eq!(
        words("POST /api/user/get_users 200 errCode 0 http://host:10002 用户ID"),
        Vec::<String>::new()
    );
    assert_eq!(words("bob"), ["bob"], "only the server's data is allowed");
}
