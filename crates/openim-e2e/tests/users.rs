//! Users (/users and /users/<id>): the paged list, its place in the URL, v3.8's search, the
//! details page with its actions, and what the list shows when the server is gone.

use openim_e2e::{wait_limit, ApiVersion, Browser, ScrollKey, Stack, Table};

const HEADERS: [&str; 7] = [
    "User ID",
    "Nickname",
    "Avatar",
    "ex",
    "Created",
    "Manager level",
    "Message option",
];

async fn seeded(api: ApiVersion, users: u32) -> (Stack, Browser) {
    let stack = Stack::start_seeded(api, users).await;
    let b = Browser::start().await;
    b.sign_in(&stack).await;
    b.click_link("Users").await;
    (stack, b)
}

/// Waits until the list shows exactly `ids` (in that order) and "Page <page> of <pages>".
async fn wait_for_page(b: &Browser, ids: &[String], page: u32, pages: u32) -> Table {
    let table = b
        .wait_for_table(Some("Users"), &format!("to list {ids:?}"), |t| {
            t.headers.first().map(String::as_str) == Some("User ID") && t.column("User ID") == ids
        })
        .await;
    b.wait_for_text(&format!("Page {page} of {pages}"), wait_limit())
        .await;
    table
}

/// The query parameter `name` of a path such as `/users?page=2&size=10`.
fn query_param(path: &str, name: &str) -> Option<String> {
    let (_, query) = path.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

async fn pages_through_users(api: ApiVersion) {
    let (stack, b) = seeded(api, 45).await;
    let openim = stack.openim();
    let total = openim.user_total().await;
    let page_ids = async |page: u32, size: u32| openim.user_ids_page(page, size, "", "").await;

    let first = wait_for_page(&b, &page_ids(1, 20).await, 1, total.div_ceil(20) as u32).await;
    assert_eq!(first.headers, HEADERS);
    b.wait_for_text(&format!("Total: {total} users"), wait_limit())
        .await;
    let size = b.field("Page size").await;
    assert_eq!(size.selected.as_deref(), Some("20"));
    assert_eq!(size.options, ["10", "20", "50", "100", "500", "1000"]);

    b.click_button("Next page").await;
    wait_for_page(&b, &page_ids(2, 20).await, 2, 3).await;
    b.wait_for_path("page=2", |p| query_param(p, "page").as_deref() == Some("2"))
        .await;

    b.select("Page size", "10").await;
    let path = b
        .wait_for_path("size=10", |p| {
            query_param(p, "size").as_deref() == Some("10")
        })
        .await;
    let page: u32 = query_param(&path, "page")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    wait_for_page(&b, &page_ids(page, 10).await, page, 5).await;

    b.fill("Go to page", "4").await;
    b.click_button("Go").await;
    let page4 = page_ids(4, 10).await;
    wait_for_page(&b, &page4, 4, 5).await;
    let path = b
        .wait_for_path("page=4 and size=10", |p| {
            query_param(p, "page").as_deref() == Some("4")
                && query_param(p, "size").as_deref() == Some("10")
        })
        .await;

    b.reload().await;
    wait_for_page(&b, &page4, 4, 5).await;
    assert_eq!(b.path().await, path, "the reload changed the URL");

    b.click_button("Last page").await;
    let last = page_ids(5, 10).await;
    assert_eq!(last.len() as u64, total - 40);
    wait_for_page(&b, &last, 5, 5).await;
    b.click_button("Previous page").await;
    wait_for_page(&b, &page4, 4, 5).await;
    b.click_button("First page").await;
    wait_for_page(&b, &page_ids(1, 10).await, 1, 5).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn pages_through_users_v34() {
    pages_through_users(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn pages_through_users_v38() {
    pages_through_users(ApiVersion::V3_8).await;
}

/// A page of 1,000 users keeps only the rows in view in the DOM, tells assistive technology how
/// many there are and where each shown row stands, and shows any of them on scrolling: the End
/// key in the table's scroll container brings the page's last user into view, and that user's
/// link still leads to their page.
#[tokio::test]
async fn a_page_of_1000_renders_the_rows_in_view() {
    let (stack, b) = seeded(ApiVersion::V3_8, 1200).await;
    let openim = stack.openim();
    let total = openim.user_total().await;
    let ids = openim.user_ids_page(1, 1000, "", "").await;
    assert_eq!(ids.len(), 1000);
    b.wait_for_text(&format!("Page 1 of {}", total.div_ceil(20)), wait_limit())
        .await;
    b.select("Page size", "1000").await;
    b.wait_for_text(&format!("Page 1 of {}", total.div_ceil(1000)), wait_limit())
        .await;
    let top = b
        .wait_for_table(Some("Users"), "to start with the page's first user", |t| {
            t.column("User ID").first() == ids.first()
        })
        .await;
    let shown = top.column("User ID");
    assert!(
        shown.len() < 100,
        "{} of 1,000 rows in the DOM",
        shown.len()
    );
    assert_eq!(shown, ids[..shown.len()], "the first rows, in order");
    let size = b.table_size(Some("Users")).await;
    // aria-rowcount counts the header row (aria-rowindex 1) too.
    assert_eq!(size.row_count, Some(1001), "{size:?}");
    assert_eq!(size.indexes, (2..2 + shown.len()).collect::<Vec<_>>());
    assert_eq!(
        size.in_view.first(),
        Some(&2),
        "the first user is in view: {size:?}"
    );

    // By keyboard: Tab from the focused scroll container walks the users' links, on past the
    // rows first rendered (each link scrolls into view as it takes the focus).
    b.scroll_table(Some("Users"), ScrollKey::Home).await;
    let tabs = shown.len() + 20;
    b.press_tab(tabs).await;
    assert_eq!(b.focused_text().await, ids[tabs - 1], "after {tabs} Tabs");

    b.scroll_table(Some("Users"), ScrollKey::End).await;
    let size = b
        .wait_for_table_size(Some("Users"), "to show its last row", |s| {
            s.in_view.last() == Some(&1001)
        })
        .await;
    assert_eq!(size.row_count, Some(1001), "{size:?}");
    assert!(
        size.rendered < 100,
        "{} of 1,000 rows in the DOM",
        size.rendered
    );
    let bottom = b.table(Some("Users")).await;
    let shown = bottom.column("User ID");
    assert_eq!(shown, ids[1000 - shown.len()..], "the last rows, in order");
    assert_eq!(
        size.indexes,
        (1002 - shown.len()..1002).collect::<Vec<_>>(),
        "each row's place in the page"
    );

    let last = ids.last().expect("a last user");
    b.click_link(last).await;
    b.wait_for_h1(&format!("User {last}")).await;
    b.assert_no_console_errors().await;
}

/// Records, at the window (the last stop of a click's way up), whether the console took a
/// click on a user's link for itself, then stops the browser from following the link.
const RECORD_LINK_CLICKS: &str = "window.__e2eLinkClicks = [];
    window.addEventListener('click', (e) => {
        if (!e.target.closest('.users-table a')) return;
        window.__e2eLinkClicks.push(e.defaultPrevented);
        e.preventDefault();
    });";

/// Clicks the first user's link in the table as a script would, with `ctrl` held or not, and
/// says whether the console took the click for itself.
const CLICK_FIRST_LINK: &str = "document.querySelector('.users-table tbody a').dispatchEvent(
        new MouseEvent('click', { bubbles: true, cancelable: true, ctrlKey: arguments[0] }));
    return window.__e2eLinkClicks.pop();";

/// A user's link in the table opens their page within the console, with no page load, as the
/// navigation's links do; with a modifier key held (a new tab or window) the click is left to
/// the browser.
#[tokio::test]
async fn a_users_link_opens_their_page_without_a_page_load() {
    let (stack, b) = seeded(ApiVersion::V3_4, 25).await;
    let ids = stack.openim().user_ids_page(1, 20, "", "").await;
    wait_for_page(&b, &ids, 1, 2).await;

    b.client()
        .execute(RECORD_LINK_CLICKS, vec![])
        .await
        .expect("install the click recorder");
    let taken = |ctrl: bool| {
        let b = &b;
        async move {
            b.client()
                .execute(CLICK_FIRST_LINK, vec![serde_json::json!(ctrl)])
                .await
                .expect("click the first user's link")
        }
    };
    assert_eq!(
        taken(true).await,
        serde_json::json!(false),
        "a ctrl-click was not left to the browser"
    );
    assert_eq!(
        b.path().await,
        "/users",
        "a ctrl-click changed the console's page"
    );
    assert_eq!(
        taken(false).await,
        serde_json::json!(true),
        "a plain click was not taken by the console"
    );
    b.wait_for_h1(&format!("User {}", ids[0])).await;
    assert_eq!(b.path().await, format!("/users/{}", ids[0]));

    // And by WebDriver's own click: the page changes, the document does not.
    b.client()
        .execute("window.__e2eSameDocument = true;", vec![])
        .await
        .expect("mark the document");
    b.click_link("Users").await;
    wait_for_page(&b, &ids, 1, 2).await;
    b.click_link(&ids[1]).await;
    b.wait_for_h1(&format!("User {}", ids[1])).await;
    let same = b
        .client()
        .execute("return window.__e2eSameDocument === true;", vec![])
        .await
        .expect("read the mark");
    assert_eq!(
        same,
        serde_json::json!(true),
        "following a user's link loaded the page again"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn v38_searches_by_id_and_nickname() {
    let (stack, b) = seeded(ApiVersion::V3_8, 45).await;
    let openim = stack.openim();
    b.wait_for_text("Page 1 of 3", wait_limit()).await;

    b.fill("Search user ID", "user00001").await;
    b.click_button("Search").await;
    let by_id = openim.user_ids_page(1, 20, "user00001", "").await;
    assert_eq!(by_id.len(), 10);
    wait_for_page(&b, &by_id, 1, 1).await;
    b.wait_for_text("Total: 10 users", wait_limit()).await;
    let path = b
        .wait_for_path("a query holding the search", |p| p.contains("user00001"))
        .await;
    b.reload().await;
    wait_for_page(&b, &by_id, 1, 1).await;
    assert_eq!(b.field("Search user ID").await.value, "user00001");
    assert_eq!(b.path().await, path);

    b.fill("Search user ID", "").await;
    b.fill("Search nickname", "User 4").await;
    b.click_button("Search").await;
    let by_nickname = openim.user_ids_page(1, 20, "", "User 4").await;
    assert_eq!(by_nickname.len(), 7);
    wait_for_page(&b, &by_nickname, 1, 1).await;

    b.fill("Search nickname", "nobody by this name").await;
    b.click_button("Search").await;
    b.wait_for_text("No users match.", wait_limit()).await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn v34_says_it_has_no_search() {
    let (stack, b) = seeded(ApiVersion::V3_4, 5).await;
    let ids = stack.openim().user_ids_page(1, 20, "", "").await;
    wait_for_page(&b, &ids, 1, 1).await;
    b.wait_for_text("OpenIM v3.4 has no server-side search", wait_limit())
        .await;
    assert!(!b.has_field("Search user ID").await);
    assert!(!b.has_field("Search nickname").await);
    b.assert_no_console_errors().await;
}

async fn shows_a_user_and_acts_on_it(api: ApiVersion) {
    let (stack, b) = seeded(api, 3).await;
    let openim = stack.openim();
    b.click_link("user000002").await;
    b.wait_for_path("/users/user000002", |p| p == "/users/user000002")
        .await;
    b.wait_for_h1("User user000002").await;
    b.wait_for_text("User 2", wait_limit()).await;

    b.select("Platform", "Android (2)").await;
    b.click_button("Get token").await;
    b.wait_for_text("eyJ", wait_limit()).await;
    let token = b
        .page_text()
        .await
        .split_whitespace()
        .find(|w| w.starts_with("eyJ") && w.matches('.').count() == 2)
        .expect("the whole token is shown")
        .to_string();
    let parsed = openim.parse_token(&token).await;
    assert_eq!(parsed["errCode"], 0, "{parsed}");
    assert_eq!(parsed["data"]["userID"], "user000002");

    b.select("Platform to log out", "Android (2)").await;
    b.click_button("Force logout").await;
    b.accept_dialog_if_any().await;
    b.wait_for_request_log("to show /auth/force_logout answered", |rows| {
        rows.iter().any(|r| r.contains("/auth/force_logout"))
    })
    .await;
    assert!(
        b.texts_of_role("alert").await.iter().all(|a| a.is_empty()),
        "Force logout failed: {:?}",
        b.texts_of_role("alert").await
    );
    if api == ApiVersion::V3_8 {
        // v3.8 marks the user's tokens on that platform as kicked (§4.6).
        let kicked = openim.parse_token(&token).await;
        assert_eq!(kicked["errCode"], 1506, "{kicked}");
    }
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn shows_a_user_and_acts_on_it_v34() {
    shows_a_user_and_acts_on_it(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn shows_a_user_and_acts_on_it_v38() {
    shows_a_user_and_acts_on_it(ApiVersion::V3_8).await;
}

#[tokio::test]
async fn reports_a_stopped_server_and_recovers() {
    let (mut stack, b) = seeded(ApiVersion::V3_8, 5).await;
    let ids = stack.openim().user_ids_page(1, 20, "", "").await;
    wait_for_page(&b, &ids, 1, 1).await;

    stack.stop_emulator().await;
    b.reload().await;
    let alert = b.text_of_role("alert").await;
    assert!(!alert.is_empty(), "the alert is empty");

    stack.start_emulator().await;
    b.reload().await;
    wait_for_page(&b, &ids, 1, 1).await;
    assert!(b.texts_of_role("alert").await.iter().all(|a| a.is_empty()));
    b.assert_no_console_errors().await;
}

/// Runs before the console's scripts in every document: keeps the loader's early call
/// (static/early.js) in `e2eEarly` when it is set, and records in `e2eFirstRender`, when the
/// console's header first enters the DOM (the end of its first render), how many of the
/// table's rows were in with it and whether the early call's answer was in by then.
const WATCH_FIRST_RENDER: &str = "
    Object.defineProperty(globalThis, 'openimEarly', {
        configurable: true,
        get() { return globalThis.e2eEarly; },
        set(call) { globalThis.e2eEarly = call; },
    });
    new MutationObserver((_, watch) => {
        if (document.querySelector('header')) {
            watch.disconnect();
            performance.mark('e2e-first-render');
            globalThis.e2eFirstRender = {
                rows: document.querySelectorAll('table.users-table tbody tr').length,
                sent: globalThis.e2eEarly !== undefined,
                answered: Boolean(globalThis.e2eEarly?.settled),
            };
        }
    }).observe(document, { childList: true, subtree: true });";

/// What [`WATCH_FIRST_RENDER`] saw, and when get_users went out (resource timing).
async fn first_render(b: &Browser) -> serde_json::Value {
    b.client()
        .execute(
            "return {
                 first: globalThis.e2eFirstRender ?? null,
                 calls: performance.getEntriesByType('resource')
                     .filter((r) => new URL(r.name).pathname === '/api/user/get_users')
                     .map((r) => r.startTime),
                 render: performance.getEntriesByName('e2e-first-render').map((m) => m.startTime),
             };",
            vec![],
        )
        .await
        .expect("read the performance timeline")
}

/// The request log's get_users rows, each opened, as the page shows them.
async fn logged_get_users(b: &Browser) -> String {
    let log = b.request_log().await;
    let rows: Vec<usize> = (0..log.len())
        .filter(|&i| log[i].contains("/user/get_users"))
        .collect();
    assert_eq!(rows.len(), 1, "the call is logged once: {log:#?}");
    b.click_nth_button("Show", rows[0]).await;
    b.page_text().await
}

/// Opened by its address in a signed-in tab, the users table's page is asked for by the loader
/// before the console starts (static/early.js), and only once: the first render draws its
/// rows, and the call is logged like any other. v3.8 keeps the search in the request; v3.4
/// has none, so the same address asks for the plain page.
async fn page_opened_by_address_is_asked_for_first_and_once(api: ApiVersion) {
    let (stack, b) = seeded(api, 45).await;
    b.wait_for_text("Total: ", wait_limit()).await;
    openim_e2e::devtools::before_page_scripts(b.client(), WATCH_FIRST_RENDER).await;
    let openim = stack.openim();
    // The search matches the 45 seeded users (user000001..) and none of the administrators.
    let (ids, total) = match api {
        ApiVersion::V3_8 => (openim.user_ids_page(2, 10, "user0000", "").await, 45),
        ApiVersion::V3_4 => (
            openim.user_ids_page(2, 10, "", "").await,
            openim.user_total().await,
        ),
    };
    assert_eq!(ids.len(), 10, "the seeded users fill page 2");
    // The loader waits for the answer (static/boot.js EARLY_WAIT_MS), so it is in before the
    // console starts unless this machine stalls; a load where it was not shows nothing about
    // the first render, and is tried again.
    let mut seen = Vec::new();
    let timeline = loop {
        b.open(&stack.url("/users?page=2&size=10&user=user0000"))
            .await;
        wait_for_page(&b, &ids, 2, total.div_ceil(10) as u32).await;
        let timeline = first_render(&b).await;
        assert_eq!(
            timeline["first"]["sent"], true,
            "the loader sent no early call: {timeline}"
        );
        if timeline["first"]["answered"] == true || seen.len() == 2 {
            break timeline;
        }
        seen.push(timeline);
    };
    assert_eq!(
        timeline["first"]["answered"], true,
        "in three loads, the early call's answer never came before the console started: \
         {seen:?} {timeline}"
    );
    assert_eq!(
        timeline["first"]["rows"], 10,
        "the answer was in, but the first render did not draw its rows: {timeline}"
    );
    let calls = timeline["calls"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        calls.len(),
        1,
        "page 2 was asked for more than once: {timeline}"
    );
    let (sent, rendered) = (calls[0].as_f64(), timeline["render"][0].as_f64());
    assert!(
        matches!((sent, rendered), (Some(s), Some(r)) if s < r),
        "get_users went out after the first render: {timeline}"
    );

    let text = logged_get_users(&b).await;
    let searched = text.contains(r#""userID":"user0000""#);
    assert_eq!(
        searched,
        api == ApiVersion::V3_8,
        "the logged request's search is wrong for {api:?}: {text}"
    );
    assert!(
        text.contains(r#""pageNumber":2"#) && text.contains(r#""showNumber":10"#),
        "the logged request is not page 2 of 10 users: {text}"
    );
    b.assert_no_console_errors().await;
}

/// An address the loader does not read exactly as the console does asks for nothing early
/// (static/early.js), so no call goes out that the page would not claim: the page sends its
/// own, once, and shows what the console makes of the address.
#[tokio::test]
async fn an_address_the_loader_cannot_read_is_left_to_the_page() {
    let (stack, b) = seeded(ApiVersion::V3_8, 45).await;
    b.wait_for_text("Total: ", wait_limit()).await;
    openim_e2e::devtools::before_page_scripts(b.client(), WATCH_FIRST_RENDER).await;
    let openim = stack.openim();
    let total = openim.user_total().await;
    // A repeated size, and a page that is not a number: the console reads both addresses as
    // page 1 of 20 users.
    for path in ["/users?size=10&size=50", "/users?page=2x&size=10"] {
        b.open(&stack.url(path)).await;
        let ids = openim.user_ids_page(1, 20, "", "").await;
        wait_for_page(&b, &ids, 1, total.div_ceil(20) as u32).await;
        let timeline = first_render(&b).await;
        assert_eq!(
            timeline["first"]["sent"], false,
            "the loader asked for {path} early: {timeline}"
        );
        let calls = timeline["calls"].as_array().cloned().unwrap_or_default();
        assert_eq!(
            calls.len(),
            1,
            "{path} was asked for {} times: {timeline}",
            calls.len()
        );
    }
    b.assert_no_console_errors().await;
}

/// When the early call's answer comes after the console has started (a slow server: here the
/// browser's fetch holds get_users' response back for a second), the first render shows the
/// loading state, and the page then claims the same call instead of sending its own: one
/// request, the rows, one log entry.
#[tokio::test]
async fn a_late_early_answer_is_claimed_once() {
    let (stack, b) = seeded(ApiVersion::V3_8, 45).await;
    b.wait_for_text("Total: ", wait_limit()).await;
    let hold = "
        const fetchNow = globalThis.fetch;
        globalThis.fetch = (...args) => {
            const response = fetchNow(...args);
            return String(args[0]).endsWith('/user/get_users')
                ? response.then((r) => new Promise((done) => setTimeout(() => done(r), 1000)))
                : response;
        };";
    openim_e2e::devtools::before_page_scripts(b.client(), WATCH_FIRST_RENDER).await;
    openim_e2e::devtools::before_page_scripts(b.client(), hold).await;
    b.open(&stack.url("/users?size=10")).await;
    let ids = stack.openim().user_ids_page(1, 10, "", "").await;
    let total = stack.openim().user_total().await;
    wait_for_page(&b, &ids, 1, total.div_ceil(10) as u32).await;
    let timeline = first_render(&b).await;
    assert_eq!(
        (&timeline["first"]["sent"], &timeline["first"]["rows"]),
        (&serde_json::json!(true), &serde_json::json!(0)),
        "the early call was not sent, or its answer was drawn before it came: {timeline}"
    );
    let calls = timeline["calls"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        calls.len(),
        1,
        "page 1 was asked for more than once: {timeline}"
    );
    let text = logged_get_users(&b).await;
    assert!(
        text.contains(r#""showNumber":10"#),
        "the logged request is not the page of 10 users: {text}"
    );
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn page_opened_by_address_is_asked_for_first_and_once_v34() {
    page_opened_by_address_is_asked_for_first_and_once(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn page_opened_by_address_is_asked_for_first_and_once_v38() {
    page_opened_by_address_is_asked_for_first_and_once(ApiVersion::V3_8).await;
}
