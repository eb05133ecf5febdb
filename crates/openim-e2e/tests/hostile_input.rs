//! Users whose fields carry markup, script, javascript: and data: URLs, huge strings and tricky
//! Unicode, registered straight through the emulator's HTTP API as any OpenIM client could: the
//! Users table and each user's page must show every value as text, run nothing, load images only
//! from http(s) face URLs, and log no console error or CSP violation.

use openim_e2e::{ApiVersion, Browser, Stack, Table};
use serde_json::{json, Value};

/// One registered user, as sent.
struct Hostile {
    id: String,
    nickname: String,
    face_url: String,
    ex: String,
}

fn user(id: &str, nickname: &str, face_url: &str, ex: &str) -> Hostile {
    Hostile {
        id: id.into(),
        nickname: nickname.into(),
        face_url: face_url.into(),
        ex: ex.into(),
    }
}

impl Hostile {
    fn json(&self) -> Value {
        json!({"userID": self.id, "nickname": self.nickname, "faceURL": self.face_url, "ex": self.ex})
    }

    fn http_face(&self) -> bool {
        let face = self.face_url.trim().to_ascii_lowercase();
        face.starts_with("http://") || face.starts_with("https://")
    }
}

/// The users to register. `favicon` is an http URL that loads (nginx's own favicon), so that a
/// working image shows no load error; v3.4 keeps its column limits (nickname and face URL 255,
/// ex 1024 characters), v3.8 has none and gets values of 100 KB.
fn hostile_users(api: ApiVersion, favicon: &str) -> Vec<Hostile> {
    let breakout = format!("{favicon}?a=\"onerror=\"window.__pwned='face-quote'");
    let mut users = vec![
        user(
            "html_1",
            "<b>bold</b> & <i>italic</i> &amp; &lt;tag&gt;",
            "",
            "<div onclick=\"window.__pwned='ex-div'\">click</div>",
        ),
        user(
            "script_2",
            "<script>window.__pwned='script'</script>",
            "javascript:window.__pwned='face-js'",
            "</td></tr></table><script>document.title='pwned'</script>",
        ),
        user(
            "img_3",
            "<img src=x onerror=\"window.__pwned='img'\">",
            "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' onload='window.__pwned=1'/>",
            "{\"a\":\"<img src=x onerror=window.__pwned='ex-img'>\"}",
        ),
        user(
            "svg_4",
            "<svg onload=\"document.title='pwned'\"></svg>",
            "JaVaScRiPt:document.title='pwned'",
            "\"><svg/onload=window.__pwned='ex-attr'>",
        ),
        user(
            "attr_5",
            "\"><img src=x onerror=window.__pwned='attr'>",
            &breakout,
            "' onmouseover='window.__pwned=1",
        ),
        user(
            "rtl_6",
            "\u{202E}gpj.exe \u{0645}\u{0631}\u{062D}\u{0628}\u{0627} \u{05E9}\u{05DC}\u{05D5}\u{05DD}",
            " javascript:window.__pwned='face-space'",
            "\u{2066}isolate\u{2069} \u{200F}rlm\u{200E}lrm",
        ),
        user(
            "zw_7",
            "a\u{200B}b\u{200C}c\u{200D}d\u{2060}e",
            "//evil.invalid/avatar.png",
            "vbscript:msgbox(1)",
        ),
        user(
            "emoji_8",
            "\u{1F469}\u{200D}\u{1F469}\u{200D}\u{1F467}\u{200D}\u{1F466} \u{1F3F3}\u{FE0F}\u{200D}\u{1F308} Z\u{0351}\u{036B}a\u{0334}l\u{0338}g\u{0335}o\u{0336}",
            "data:text/html,<script>window.__pwned='data-html'</script>",
            &"\u{1F9E8}".repeat(100),
        ),
        user("\u{7528}\u{6237}_\u{7532}", "\u{5F20}\u{4E09}", "", ""),
        user(
            "\u{05E2}\u{05D1}\u{05E8}\u{05D9}\u{05EA}_\u{0663}",
            "rtl id",
            "",
            "",
        ),
    ];
    let tag = "<img src=x onerror=window.__pwned='big'>";
    match api {
        ApiVersion::V3_4 => {
            users.push(user(
                "max_9",
                &tag.repeat(255 / tag.len()),
                "",
                &"<script>window.__pwned='ex-max'</script>".repeat(24),
            ));
            // v3.4 forbids only ':' in user IDs: markup and URL characters are IDs too.
            users.push(user("<i>id_10</i>", "markup in the ID", "", ""));
            users.push(user("id?11#frag&x=%2F", "URL characters in the ID", "", ""));
        }
        ApiVersion::V3_8 => users.push(user(
            "huge_9",
            &tag.repeat(100 * 1024 / tag.len() + 1),
            "",
            &"X".repeat(100 * 1024),
        )),
    }
    users
}

/// Whitespace collapsed as the page's own text reading does.
fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What the page has done that it must not: script results, images, active elements, inline
/// handlers and links to anything but its own routes or http(s).
async fn page_effects(b: &Browser) -> Value {
    b.client()
        .execute(
            "const main = document.querySelector('main');
             const all = [...main.querySelectorAll('*')];
             return {
                 pwned: window.__pwned === undefined ? null : String(window.__pwned),
                 title: document.title,
                 images: [...main.querySelectorAll('img')].map((i) => i.getAttribute('src')),
                 active: [...main.querySelectorAll('script, svg, iframe, object, embed, frame, base, meta, link, style')]
                     .map((e) => e.outerHTML.slice(0, 200)),
                 handlers: all.flatMap((e) => [...e.attributes]
                     .filter((a) => a.name.startsWith('on'))
                     .map((a) => `${e.tagName} ${a.name}=${a.value.slice(0, 80)}`)),
                 links: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href'))
                     .filter((h) => !/^(\\/|https?:)/i.test(h)),
             };",
            vec![],
        )
        .await
        .expect("read the page's effects")
}

/// Fails unless nothing ran, nothing active was added and exactly `images` http(s) images are
/// in `main`.
async fn assert_inert(b: &Browser, where_: &str, images: usize) {
    let effects = page_effects(b).await;
    assert_eq!(
        effects["pwned"],
        Value::Null,
        "{where_}: a payload ran: {effects}"
    );
    assert_eq!(
        effects["title"], "openim-admin",
        "{where_}: the title changed: {effects}"
    );
    assert_eq!(
        effects["active"],
        json!([]),
        "{where_}: active elements: {effects}"
    );
    assert_eq!(
        effects["handlers"],
        json!([]),
        "{where_}: inline handlers: {effects}"
    );
    assert_eq!(
        effects["links"],
        json!([]),
        "{where_}: odd links: {effects}"
    );
    let srcs: Vec<&str> = effects["images"]
        .as_array()
        .expect("images")
        .iter()
        .map(|s| s.as_str().unwrap_or_default())
        .collect();
    assert!(
        srcs.iter()
            .all(|s| s.starts_with("http://") || s.starts_with("https://")),
        "{where_}: an image from a face URL that is not http(s): {srcs:?}"
    );
    assert_eq!(srcs.len(), images, "{where_}: images {srcs:?}");
}

/// Starts counting the page's Content-Security-Policy violations (until the next page load).
async fn watch_csp(b: &Browser) {
    b.client()
        .execute(
            "window.__e2eCsp = [];
             document.addEventListener('securitypolicyviolation', (e) =>
                 window.__e2eCsp.push(`${e.violatedDirective} ${e.blockedURI} ${(e.sample || '').slice(0, 80)}`));",
            vec![],
        )
        .await
        .expect("watch CSP violations");
}

/// The violations since [`watch_csp`]; fails if the watch is gone (the page was loaded again).
async fn csp_violations(b: &Browser) -> Vec<String> {
    let v = b
        .client()
        .execute("return window.__e2eCsp || null;", vec![])
        .await
        .expect("read CSP violations");
    v.as_array()
        .expect("the CSP watch is still installed")
        .iter()
        .map(|s| s.as_str().unwrap_or_default().to_string())
        .collect()
}

/// The user details page's `<dt>`/`<dd>` pairs once the user has loaded.
async fn wait_for_details(b: &Browser) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + openim_e2e::wait_limit();
    loop {
        let shown = details(b).await;
        if !shown.is_empty() {
            return shown;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the user details did not load: {}",
            b.page_text().await
        );
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

/// The user details page's `<dt>`/`<dd>` pairs.
async fn details(b: &Browser) -> Vec<(String, String)> {
    let pairs = b
        .client()
        .execute(
            "const norm = (s) => (s || '').replace(/\\s+/g, ' ').trim();
             return [...document.querySelectorAll('main dl dt')]
                 .map((dt) => [norm(dt.innerText), norm(dt.nextElementSibling && dt.nextElementSibling.innerText)]);",
            vec![],
        )
        .await
        .expect("read the details");
    pairs
        .as_array()
        .expect("pairs")
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap_or_default().to_string(),
                p[1].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

async fn renders_hostile_values_literally(api: ApiVersion) {
    let stack = Stack::start(api).await;
    let users = hostile_users(api, &stack.url("/favicon.svg"));
    let openim = stack.openim();
    openim
        .register_users(users.iter().map(Hostile::json).collect())
        .await;
    for u in &users {
        let stored = openim.user_info(&u.id).await;
        assert_eq!(
            stored["nickname"],
            u.nickname.as_str(),
            "{} was not stored as sent",
            u.id
        );
    }
    let listed = openim.user_ids_page(1, 20, "", "").await;
    assert!(listed.len() >= users.len(), "{listed:?}");

    let b = Browser::start().await;
    b.sign_in(&stack).await;
    watch_csp(&b).await;
    b.click_link("Users").await;
    let expected_ids: Vec<String> = listed.iter().map(|id| norm(id)).collect();
    let table: Table = b
        .wait_for_table(Some("Users"), "to list every user", |t| {
            t.headers.first().map(String::as_str) == Some("User ID")
                && t.column("User ID") == expected_ids
        })
        .await;
    assert_eq!(table.rows.len(), listed.len(), "rows missing");
    // Values shown otherwise than sent, gathered so that one failure does not hide the next.
    let mut misshown = Vec::new();
    let mut expect = |what: String, shown: String, sent: String| {
        if shown != sent {
            misshown.push(format!("{what}: shows {shown:?}, sent {sent:?}"));
        }
    };
    for u in &users {
        let row = table
            .rows
            .iter()
            .find(|r| r[0] == norm(&u.id))
            .unwrap_or_else(|| panic!("no row for {:?}", u.id));
        let cell = |header: &str| {
            let i = table.headers.iter().position(|h| h == header).unwrap();
            row[i].clone()
        };
        let name = |field: &str| format!("Users table, {field} of {:?}", u.id);
        expect(name("nickname"), cell("Nickname"), norm(&u.nickname));
        expect(name("ex"), cell("ex"), norm(&u.ex));
        if !u.http_face() {
            expect(name("avatar"), cell("Avatar"), norm(&u.face_url));
        }
    }
    let http_faces = users.iter().filter(|u| u.http_face()).count();
    assert_eq!(http_faces, 1);
    assert_inert(&b, "the Users table", http_faces).await;

    for u in &users {
        b.click_link(&norm(&u.id)).await;
        b.wait_for_h1(&format!("User {}", norm(&u.id))).await;
        let shown = wait_for_details(&b).await;
        let field = |name: &str| {
            shown
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.clone())
                .unwrap_or_else(|| panic!("no {name} for {:?}; the page shows {shown:?}", u.id))
        };
        let name = |field: &str| format!("page of {:?}, {field}", u.id);
        expect(name("User ID"), field("User ID"), norm(&u.id));
        expect(name("Nickname"), field("Nickname"), norm(&u.nickname));
        expect(name("Face URL"), field("Face URL"), norm(&u.face_url));
        expect(name("ex"), field("ex"), norm(&u.ex));
        assert_inert(
            &b,
            &format!("the page of {:?}", u.id),
            usize::from(u.http_face()),
        )
        .await;
        b.client().back().await.expect("go back to the list");
        b.wait_for_table(Some("Users"), "to list every user again", |t| {
            t.rows.len() == listed.len()
        })
        .await;
    }
    assert_inert(&b, "the Users table at the end", http_faces).await;
    assert_eq!(
        csp_violations(&b).await,
        Vec::<String>::new(),
        "CSP violations"
    );
    b.assert_no_console_errors().await;
    assert!(
        misshown.is_empty(),
        "values shown otherwise than sent:\n  {}",
        misshown.join("\n  ")
    );
}

#[tokio::test]
async fn renders_hostile_values_literally_v34() {
    renders_hostile_values_literally(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn renders_hostile_values_literally_v38() {
    renders_hostile_values_literally(ApiVersion::V3_8).await;
}
