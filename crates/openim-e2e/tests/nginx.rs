//! deploy/nginx.conf as production runs it: the real nginx, rendered by
//! scripts/render-nginx-conf.sh, in front of the emulator's OpenIM and chat admin ports. A plain
//! HTTP client that neither asks for nor decodes compression unless told, and follows no
//! redirect, so that every header and byte is seen as nginx sent it.

use std::path::PathBuf;
use std::process::{Command, Stdio};

use openim_e2e::{repo_root, ApiVersion, Stack, SECRET};
use openim_emulator::md5_hex;
use reqwest::header::HeaderMap;
use reqwest::Method;
use serde_json::{json, Value};

const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// Headers every answer carries (`add_header ... always`), whatever its status.
const SECURITY_HEADERS: [(&str, &str); 3] = [
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];
/// Accept-Encoding as Chromium sends it.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

struct Answer {
    what: String,
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    /// The one value of `name`; fails if there is none or more than one.
    fn header(&self, name: &str) -> &str {
        let values = self.all(name);
        assert_eq!(
            values.len(),
            1,
            "{}: expected one {name} header, got {values:?}; headers: {:?}",
            self.what,
            self.headers
        );
        values[0]
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .get_all(name)
            .iter()
            .map(|v| v.to_str().expect("an ASCII header value"))
            .collect()
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("{}: not JSON ({e}): {}", self.what, self.text()))
    }

    fn assert_status(&self, status: u16) {
        assert_eq!(
            self.status,
            status,
            "{}: status; body: {}",
            self.what,
            self.text()
        );
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .no_gzip()
        .no_brotli()
        .no_deflate()
        .no_zstd()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

async fn send(
    url: String,
    method: Method,
    headers: &[(&str, &str)],
    body: Option<&Value>,
) -> Answer {
    let what = format!("{method} {url} {headers:?}");
    let mut request = client().request(method, &url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = body {
        request = request
            .header("content-type", "application/json")
            .body(body.to_string());
    }
    let resp = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("{what}: {e}"));
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let body = resp
        .bytes()
        .await
        .unwrap_or_else(|e| panic!("{what}: reading the body: {e}"))
        .to_vec();
    Answer {
        what,
        status,
        headers,
        body,
    }
}

/// GET `path` from nginx with this Accept-Encoding (`None`: no such header).
async fn get(stack: &Stack, path: &str, accept_encoding: Option<&str>) -> Answer {
    let headers: Vec<(&str, &str)> = accept_encoding
        .map(|e| vec![("accept-encoding", e)])
        .unwrap_or_default();
    send(stack.url(path), Method::GET, &headers, None).await
}

/// POSTs JSON to nginx with these headers.
async fn post(stack: &Stack, path: &str, headers: &[(&str, &str)], body: &Value) -> Answer {
    send(stack.url(path), Method::POST, headers, Some(body)).await
}

fn dist() -> PathBuf {
    repo_root().join("dist")
}

fn dist_file(name: &str) -> Vec<u8> {
    let path = dist().join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The built files nginx serves as they are (not their .br and .gz siblings).
fn dist_files() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dist())
        .expect("list dist/")
        .map(|e| e.expect("a dist/ entry").file_name().into_string().unwrap())
        .filter(|n| !n.ends_with(".br") && !n.ends_with(".gz"))
        .collect();
    names.sort();
    names
}

/// The hashed build outputs: every script, WebAssembly module and style sheet in dist/ (since
/// index.html carries both scripts and the stylesheet, the two WebAssembly modules).
fn hashed_assets() -> Vec<String> {
    let hashed: Vec<String> = dist_files()
        .into_iter()
        .filter(|n| n.ends_with(".js") || n.ends_with(".wasm") || n.ends_with(".css"))
        .collect();
    assert!(
        hashed.iter().filter(|n| n.ends_with(".wasm")).count() == 2,
        "dist/ lacks the build outputs: {hashed:?}"
    );
    hashed
}

/// The paths index.html loads (`src="/..."` and `href="/..."`).
fn index_references() -> Vec<String> {
    let html = String::from_utf8(dist_file("index.html")).expect("UTF-8 index.html");
    let mut refs = Vec::new();
    for attr in ["src=\"/", "href=\""] {
        for (at, _) in html.match_indices(attr) {
            let rest = &html[at + attr.len()..];
            let value = &rest[..rest.find('"').expect("a closing quote")];
            let value = value.trim_start_matches('/');
            if !value.contains("://") && !refs.iter().any(|r| r == value) {
                refs.push(value.to_string());
            }
        }
    }
    refs
}

/// The Content-Security-Policy that deploy/nginx.conf configures (the `default` of its `$csp`
/// map).
fn configured_csp() -> String {
    let conf = std::fs::read_to_string(repo_root().join("deploy/nginx.conf"))
        .expect("read deploy/nginx.conf");
    let map = conf
        .split("map $uri $csp {")
        .nth(1)
        .expect("deploy/nginx.conf has a `map $uri $csp` block");
    let line = map
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("default "))
        .expect("the $csp map has a default");
    line.trim_start_matches("default ")
        .trim_end_matches(';')
        .trim_matches('"')
        .to_string()
}

fn content_type_of(name: &str) -> &'static str {
    match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("wasm") => "application/wasm",
        Some("svg") => "image/svg+xml; charset=utf-8",
        other => panic!("no expected type for {other:?}"),
    }
}

fn assert_security_headers(a: &Answer) {
    for (name, value) in SECURITY_HEADERS {
        assert_eq!(a.header(name), value, "{}: {name}", a.what);
    }
    assert_eq!(
        a.header("content-security-policy"),
        configured_csp(),
        "{}: the CSP differs from deploy/nginx.conf",
        a.what
    );
}

fn assert_is_index_html(a: &Answer) {
    a.assert_status(200);
    assert_eq!(
        a.body,
        dist_file("index.html"),
        "{}: not index.html",
        a.what
    );
    assert_eq!(a.header("content-type"), "text/html; charset=utf-8");
    assert_eq!(a.header("cache-control"), "no-cache", "{}", a.what);
    assert_eq!(a.header("vary"), "Accept-Encoding", "{}", a.what);
    assert!(a.all("content-encoding").is_empty(), "{}", a.what);
    assert_security_headers(a);
}

/// Runs `program args` with `input` on stdin; its stdout.
async fn filter(program: &'static str, args: &'static [&'static str], input: Vec<u8>) -> Vec<u8> {
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("run {program}: {e}"));
        let mut stdin = child.stdin.take().expect("stdin");
        let writer = std::thread::spawn(move || stdin.write_all(&input));
        let out = child.wait_with_output().expect("wait for the filter");
        writer
            .join()
            .expect("the writer")
            .expect("write to the filter");
        assert!(out.status.success(), "{program} {args:?} failed");
        out.stdout
    })
    .await
    .expect("the filter task")
}

#[tokio::test]
async fn deep_links_get_index_html_and_missing_assets_a_real_404() {
    let stack = Stack::start(ApiVersion::V3_4).await;
    for path in [
        "/",
        "/index.html",
        "/users/abc",
        "/users?page=2",
        "/users?page=2&size=50",
        "/users/user000001/",
        "/connect",
        "/no/such/route",
    ] {
        assert_is_index_html(&get(&stack, path, None).await);
    }
    // A fallback for a browser that accepts compression is index.html's precompressed copy.
    let deep = get(&stack, "/users/abc", Some("br")).await;
    deep.assert_status(200);
    assert_eq!(deep.header("content-encoding"), "br");
    assert_eq!(deep.body, dist_file("index.html.br"));
    assert_eq!(deep.header("cache-control"), "no-cache");

    for path in [
        "/openim-admin-0123456789abcdef.js",
        "/openim-admin-0123456789abcdef_bg.wasm",
        "/style-0123456789abcdef.css",
        "/boot-0123456789abcdef.js",
        "/users/favicon.svg",
        "/missing.js",
    ] {
        for encoding in [None, Some(BROWSER_ENCODINGS)] {
            let a = get(&stack, path, encoding).await;
            a.assert_status(404);
            assert!(
                !a.text().contains("<noscript>") && a.body != dist_file("index.html"),
                "{}: the 404 is the app's HTML",
                a.what
            );
            assert_security_headers(&a);
        }
    }
}

/// During a deploy an asset can be missing for a moment (a new index.html on one server, the
/// old files on another); its 404 must not be kept for a year by the browser or a CDN.
#[tokio::test]
async fn a_missing_assets_404_is_not_cached_for_a_year() {
    let stack = Stack::start(ApiVersion::V3_4).await;
    let mut cached = Vec::new();
    for path in [
        "/openim-admin-0123456789abcdef.js",
        "/openim-admin-0123456789abcdef_bg.wasm",
        "/style-0123456789abcdef.css",
    ] {
        let a = get(&stack, path, Some(BROWSER_ENCODINGS)).await;
        a.assert_status(404);
        let cache = a.header("cache-control");
        if cache == IMMUTABLE {
            cached.push(format!("{path}: 404 with Cache-Control {cache:?}"));
        }
    }
    assert!(cached.is_empty(), "{}", cached.join("\n"));
}

#[tokio::test]
async fn serves_precompressed_brotli_and_gzip_when_accepted() {
    let stack = Stack::start(ApiVersion::V3_4).await;
    let mut names = dist_files();
    names.retain(|n| n != "index.html");
    names.insert(0, "index.html".into());
    for name in &names {
        let path = format!("/{name}");
        let raw = dist_file(name);
        let identity = get(&stack, &path, None).await;
        identity.assert_status(200);
        assert!(
            identity.all("content-encoding").is_empty(),
            "{}",
            identity.what
        );
        assert_eq!(identity.header("content-length"), raw.len().to_string());
        assert_eq!(identity.body, raw, "{}: not the file", identity.what);
        assert_eq!(identity.header("content-type"), content_type_of(name));
        let plain = get(&stack, &path, Some("identity")).await;
        assert!(plain.all("content-encoding").is_empty(), "{}", plain.what);
        assert_eq!(plain.body, raw);

        for (accept, encoding, suffix) in [
            ("br", "br", ".br"),
            ("gzip", "gzip", ".gz"),
            (BROWSER_ENCODINGS, "br", ".br"),
            ("gzip, deflate", "gzip", ".gz"),
        ] {
            let file = dist_file(&format!("{name}{suffix}"));
            let a = get(&stack, &path, Some(accept)).await;
            a.assert_status(200);
            assert_eq!(a.header("content-encoding"), encoding, "{}", a.what);
            assert_eq!(
                a.header("content-length"),
                file.len().to_string(),
                "{}: Content-Length is not the size of {name}{suffix}",
                a.what
            );
            assert_eq!(a.body, file, "{}: not {name}{suffix}", a.what);
            assert_eq!(
                a.header("content-type"),
                content_type_of(name),
                "{}",
                a.what
            );
            assert_eq!(a.header("vary"), "Accept-Encoding", "{}", a.what);
            assert_security_headers(&a);
        }
        // What the browser decodes is the file itself.
        let br = get(&stack, &path, Some("br")).await.body;
        assert_eq!(filter("brotli", &["-dc"], br).await, raw, "{name}.br");
        let gz = get(&stack, &path, Some("gzip")).await.body;
        assert_eq!(filter("gzip", &["-dc"], gz).await, raw, "{name}.gz");
    }
}

#[tokio::test]
async fn caches_hashed_assets_for_good_and_revalidates_the_rest() {
    let stack = Stack::start(ApiVersion::V3_4).await;
    let hashed = hashed_assets();
    // The first module is preloaded, the second named in the inline loader.
    let html = String::from_utf8(dist_file("index.html")).expect("UTF-8 index.html");
    for name in &hashed {
        assert!(
            html.contains(&format!("/{name}")),
            "index.html does not load {name}: {html}"
        );
    }
    let mut wrong = Vec::new();
    for name in &hashed {
        for encoding in [None, Some(BROWSER_ENCODINGS)] {
            let a = get(&stack, &format!("/{name}"), encoding).await;
            a.assert_status(200);
            let cache = a.header("cache-control");
            if cache != IMMUTABLE {
                wrong.push(format!("{name} ({encoding:?}): {cache:?}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "hashed build outputs not cached for good (expected {IMMUTABLE:?}):\n  {}",
        wrong.join("\n  ")
    );
    for path in ["/", "/index.html", "/favicon.svg", "/users/abc"] {
        let a = get(&stack, path, Some(BROWSER_ENCODINGS)).await;
        assert_eq!(a.header("cache-control"), "no-cache", "{}", a.what);
    }
}

/// trunk names its outputs `name-{hash:x}` with a 64-bit hash printed without leading zeros
/// (trunk 0.21.14 src/pipelines/rust/mod.rs and src/pipelines/mod.rs), so one build in 16 gets
/// 15 hex digits, one in 256 gets 14. Whatever the build, its outputs must be cached for good.
#[tokio::test]
async fn caches_hashed_assets_whatever_the_hash_length() {
    let dir = tempfile::Builder::new()
        .prefix("openim-e2e-dist-")
        .tempdir()
        .expect("a temp dist/");
    std::fs::write(dir.path().join("index.html"), dist_file("index.html")).expect("index.html");
    let names = [
        "openim-admin-fedcba9876543210.js",
        "openim-admin-fedcba9876543210_bg.wasm",
        "openim-admin-edcba9876543210.js",
        "openim-admin-edcba9876543210_bg.wasm",
        "style-dcba9876543210.css",
    ];
    for name in names {
        std::fs::write(dir.path().join(name), name).expect("a build output");
    }
    let config = openim_e2e::Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        quiet: true,
        ..Default::default()
    };
    let stack = Stack::start_serving(config, dir.path()).await;
    let mut wrong = Vec::new();
    for name in names {
        let a = get(&stack, &format!("/{name}"), None).await;
        a.assert_status(200);
        assert_eq!(a.body, name.as_bytes());
        let cache = a.header("cache-control");
        if cache != IMMUTABLE {
            wrong.push(format!("{name}: {cache:?}"));
        }
    }
    assert!(
        wrong.is_empty(),
        "build outputs not cached for good (expected {IMMUTABLE:?}):\n  {}",
        wrong.join("\n  ")
    );
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let stack = Stack::start(ApiVersion::V3_8).await;
    let csp = configured_csp();
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for needed in [
        "default-src 'none'",
        "script-src 'self' 'unsafe-inline' 'wasm-unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(
            directives.contains(&needed),
            "the CSP lacks {needed:?}: {csp}"
        );
    }
    // 'unsafe-inline' is there for index.html's own policy to narrow to its hashes
    // (index_html_allows_only_its_own_inline_script_and_style).
    for banned in ["'unsafe-eval'", "'unsafe-hashes'", "*"] {
        assert!(
            !csp.split_whitespace()
                .any(|w| w.trim_end_matches(';') == banned),
            "the CSP allows {banned}: {csp}"
        );
    }

    let mut answers = vec![
        get(&stack, "/", None).await,
        get(&stack, "/users/abc", Some(BROWSER_ENCODINGS)).await,
        get(&stack, "/missing-0123456789abcdef.js", None).await,
    ];
    for name in dist_files() {
        answers.push(get(&stack, &format!("/{name}"), Some(BROWSER_ENCODINGS)).await);
    }
    let token_body = json!({"secret": SECRET, "userID": "imAdmin"});
    answers.push(
        post(
            &stack,
            "/api/auth/get_admin_token",
            &[("operationID", "nginx-headers")],
            &token_body,
        )
        .await,
    );
    answers.push(
        post(
            &stack,
            "/complete_admin/account/login",
            &[("operationID", "nginx-headers")],
            &json!({"account": "chatAdmin", "password": md5_hex("chatAdmin")}),
        )
        .await,
    );
    for a in &answers {
        assert_security_headers(a);
        if !a.what.contains("/api/") && !a.what.contains("/complete_admin/") {
            assert_eq!(a.header("vary"), "Accept-Encoding", "{}", a.what);
        }
    }
}

/// The one element `<name ...>body</name>` of `html` (lowercase tags): its opening tag and body.
/// Every `<name>` element of `html`: its opening tag and its text, in document order.
fn elements<'a>(html: &'a str, name: &str) -> Vec<(&'a str, &'a str)> {
    let open = format!("<{name}");
    let close = format!("</{name}>");
    html.match_indices(&open)
        .map(|(at, _)| {
            let tag_end = at + html[at..].find('>').expect("a closing >") + 1;
            let body_end = tag_end + html[tag_end..].find(&close).expect("a closing tag");
            (&html[at..tag_end], &html[tag_end..body_end])
        })
        .collect()
}

fn csp_source_of(text: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    let digest = sha2::Sha256::digest(text.as_bytes());
    format!(
        "'sha256-{}'",
        base64::engine::general_purpose::STANDARD.encode(digest)
    )
}

/// index.html carries its early script, loader and stylesheet inline, and a policy of its own
/// that allows exactly those three, by hash, before any of them. The header policy leaves
/// inline to it (every_answer_carries_the_security_headers); the browser test
/// the_console_record_catches_csp_violations shows that an injected script or style is refused.
#[tokio::test]
async fn index_html_allows_only_its_own_inline_script_and_style() {
    let stack = Stack::start(ApiVersion::V3_4).await;
    let html = get(&stack, "/", None).await.text();
    // Lowercasing ASCII keeps every byte where it was, so offsets in `lower` hold in `html`.
    let lower = html.to_ascii_lowercase();
    let tags = |name| -> Vec<&str> { elements(&lower, name).into_iter().map(|e| e.0).collect() };
    // static/early.js, a classic script, then the loader's module.
    assert_eq!(
        tags("script"),
        ["<script>", "<script type=\"module\">"],
        "{html}"
    );
    assert_eq!(tags("style"), ["<style>"], "{html}");
    let scripts: Vec<&str> = elements(&html, "script").into_iter().map(|e| e.1).collect();
    let style = elements(&html, "style")[0].1;

    let meta = "<meta http-equiv=\"content-security-policy\" content=\"";
    let at = lower
        .find(meta)
        .expect("index.html has a policy of its own");
    assert!(
        at < lower.find("<style").unwrap() && at < lower.find("<script").unwrap(),
        "the policy must come before what it allows: {html}"
    );
    let policy = &html[at + meta.len()..];
    let policy = &policy[..policy.find('"').expect("a closing quote")];
    let mut directives: Vec<&str> = policy.split(';').map(str::trim).collect();
    directives.sort();
    assert_eq!(
        directives,
        [
            format!(
                "script-src {} {} 'wasm-unsafe-eval'",
                csp_source_of(scripts[0]),
                csp_source_of(scripts[1])
            ),
            format!("style-src {}", csp_source_of(style)),
        ],
        "index.html's policy"
    );

    assert!(!lower.contains(" style="), "a style attribute: {html}");
    assert!(!lower.contains("javascript:"), "a javascript: URL: {html}");
    let handler = lower.split_whitespace().find(|w| {
        w.starts_with("on")
            && w.contains('=')
            && w[2..w.find('=').unwrap()]
                .chars()
                .all(|c| c.is_ascii_lowercase())
    });
    assert!(
        handler.is_none(),
        "an inline event handler {handler:?}: {html}"
    );
    for reference in index_references() {
        get(&stack, &format!("/{reference}"), None)
            .await
            .assert_status(200);
    }
}

/// `/api/` reaches the OpenIM port without its prefix, with operationID and token as sent, and
/// the emulator's answer comes back as the emulator gave it.
async fn proxies_the_api(api: ApiVersion) {
    let stack = Stack::start_seeded(api, 3).await;
    let admin = api.default_admin_id();
    let op = [("operationID", "nginx-api")];
    let token_path = format!("/api{}", api.admin_token_path());
    let token_body = match api {
        ApiVersion::V3_4 => json!({"secret": SECRET, "platformID": 10, "userID": admin}),
        ApiVersion::V3_8 => json!({"secret": SECRET, "userID": admin}),
    };
    let token = post(&stack, &token_path, &op, &token_body).await;
    token.assert_status(200);
    // nginx appends its charset (charset_types includes application/json).
    assert!(token.header("content-type").starts_with("application/json"));
    let data = &token.json()["data"];
    let token = data["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token through nginx: {data}"))
        .to_string();
    assert_eq!(
        stack.openim().parse_token(&token).await["errCode"],
        0,
        "the token from nginx is not the emulator's"
    );

    // Without operationID OpenIM refuses: nginx passed the header above and did not make one up.
    let refused = post(&stack, &token_path, &[], &token_body).await.json();
    assert_eq!(refused["errCode"], 1001, "{refused}");

    let page = json!({"pagination": {"pageNumber": 1, "showNumber": 10}});
    let with_token = [("operationID", "nginx-api"), ("token", token.as_str())];
    let through = post(&stack, "/api/user/get_users", &with_token, &page).await;
    through.assert_status(200);
    let direct = send(
        format!("http://{}/user/get_users", stack.emulator_addr()),
        Method::POST,
        &with_token,
        Some(&page),
    )
    .await;
    assert_eq!(
        through.json(),
        direct.json(),
        "nginx changed the emulator's answer"
    );
    assert_eq!(
        through.json()["data"]["total"],
        stack.openim().user_total().await
    );
    let no_token = post(&stack, "/api/user/get_users", &op, &page).await.json();
    assert_eq!(no_token["errCode"], 1001, "{no_token}");

    // Any path under /api/ is the emulator's (gin's plain 404), not nginx's page or the app.
    for path in ["/api/", "/api/no/such/route"] {
        let a = get(&stack, path, None).await;
        a.assert_status(404);
        assert_eq!(a.text(), "404 page not found", "{}", a.what);
        assert_security_headers(&a);
    }
}

#[tokio::test]
async fn proxies_the_api_v34() {
    proxies_the_api(ApiVersion::V3_4).await;
}

#[tokio::test]
async fn proxies_the_api_v38() {
    proxies_the_api(ApiVersion::V3_8).await;
}

/// `/complete_admin/` reaches the chat admin port without its prefix; the imToken it hands out
/// works on `/api/`.
async fn proxies_the_chat_admin_api(api: ApiVersion, account: &str) {
    let stack = Stack::start(api).await;
    let body = json!({"account": account, "password": md5_hex(account)});
    let op = [("operationID", "nginx-chat")];
    let login = post(&stack, "/complete_admin/account/login", &op, &body).await;
    login.assert_status(200);
    let data = login.json()["data"].clone();
    assert_eq!(data["adminAccount"], account, "{data}");
    assert_eq!(data["imUserID"], api.default_admin_id(), "{data}");
    let direct = send(
        format!("http://{}/account/login", stack.chat_addr()),
        Method::POST,
        &op,
        Some(&body),
    )
    .await
    .json();
    let keys = |v: &Value| -> Vec<String> {
        v["data"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    assert_eq!(keys(&login.json()), keys(&direct));

    let im_token = data["imToken"].as_str().expect("an imToken");
    let users = post(
        &stack,
        "/api/user/get_users",
        &[("operationID", "nginx-chat"), ("token", im_token)],
        &json!({"pagination": {"pageNumber": 1, "showNumber": 10}}),
    )
    .await
    .json();
    assert_eq!(
        users["errCode"], 0,
        "the imToken does not work on /api/: {users}"
    );

    let no_op = post(&stack, "/complete_admin/account/login", &[], &body)
        .await
        .json();
    assert_eq!(no_op["errCode"], 1001, "{no_op}");
    let unrouted = post(&stack, "/complete_admin/no/such/route", &op, &json!({})).await;
    unrouted.assert_status(404);
    assert_eq!(unrouted.text(), "404 page not found");
}

#[tokio::test]
async fn proxies_the_chat_admin_api_v34() {
    proxies_the_chat_admin_api(ApiVersion::V3_4, "admin1").await;
}

#[tokio::test]
async fn proxies_the_chat_admin_api_v38() {
    proxies_the_chat_admin_api(ApiVersion::V3_8, "chatAdmin").await;
}
