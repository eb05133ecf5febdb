//! The main navigation and the routes: every page is one click away, and every route loads
//! directly (nginx falls back to index.html, the console resolves the path).

use openim_e2e::{start, ApiVersion};

const PAGES: [(&str, &str); 6] = [
    ("Overview", "/"),
    ("Connection", "/connect"),
    ("Register users", "/register"),
    ("User token", "/token"),
    ("Account check", "/account-check"),
    ("Users", "/users"),
];

#[tokio::test]
async fn nav_links_lead_to_each_page() {
    let (stack, b) = start(ApiVersion::V3_4).await;
    b.sign_in(&stack).await;
    for (link, path) in PAGES {
        b.click_link(link).await;
        b.wait_for_path(path, |p| {
            p == path || p.strip_prefix(path).is_some_and(|q| q.starts_with('?'))
        })
        .await;
        b.wait_for_signed_in(ApiVersion::V3_4).await;
        b.wait_for_role_text("heading", "Request log (").await;
    }
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn every_route_loads_directly() {
    let (stack, b) = start(ApiVersion::V3_4).await;
    b.sign_in(&stack).await;
    let routes = PAGES
        .iter()
        .map(|(_, path)| *path)
        .chain(["/users/openIM123456"]);
    for path in routes {
        b.open(&stack.url(path)).await;
        b.wait_for_signed_in(ApiVersion::V3_4).await;
        let headings = b.texts_of_role("heading").await;
        assert!(
            !headings.iter().any(|h| h == "Page not found"),
            "{path} shows \"Page not found\"; headings: {headings:?}"
        );
    }
    b.open(&stack.url("/no-such-page")).await;
    b.wait_for_h1("Page not found").await;
    b.assert_no_console_errors().await;
}
