//! Headless Chromium through a chromedriver of our own, and the ways a person finds things on a
//! page. The DOM queries live in browser/page.js; this side waits, acts and reports.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use fantoccini::elements::{Element, ElementRef};
use fantoccini::error::CmdError;
use fantoccini::{Client, ClientBuilder};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value as Json};

use crate::process::{free_port, wait_until_quiet, Owned, Settled};
use crate::{generation, repo_root, wait_limit, ApiVersion, Stack, SECRET};

const PAGE_JS: &str = include_str!("browser/page.js");
/// The key of a web element reference in WebDriver JSON.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const POLL: Duration = Duration::from_millis(100);
/// WebDriver key codes: Control+A, release modifiers, Backspace; and Tab.
const SELECT_ALL_AND_DELETE: &str = "\u{e009}a\u{e000}\u{e003}";
const TAB: &str = "\u{e004}";
/// Chromium flags for root in a container (the profile directory is added per browser), and
/// English: the console picks its language from `navigator.language` and the tests read English.
const CHROME_ARGS: [&str; 11] = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
    "--lang=en-US",
];

/// A form control found by its label.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The value; `"true"`/`"false"` for a checkbox.
    pub value: String,
    pub read_only: bool,
    pub disabled: bool,
    /// `input`, `select` or `textarea`.
    pub tag: String,
    /// A select's chosen option text.
    pub selected: Option<String>,
    /// A select's option texts.
    pub options: Vec<String>,
}

/// A table's column headers and the text of its other rows' cells (row headers included).
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    pub headers: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// The cells of the column headed `header`.
    pub fn column(&self, header: &str) -> Vec<String> {
        let i = self
            .headers
            .iter()
            .position(|h| h == header)
            .unwrap_or_else(|| panic!("no column {header:?}; the headers are {:?}", self.headers));
        self.rows
            .iter()
            .map(|r| r.get(i).cloned().unwrap_or_default())
            .collect()
    }

    /// The cell beside the row header `name` in a two-column table of row headers.
    pub fn row_value(&self, name: &str) -> Option<String> {
        self.rows
            .iter()
            .find(|r| r.first().map(String::as_str) == Some(name))
            .and_then(|r| r.get(1).cloned())
    }

    /// The row headers (first cells).
    pub fn row_names(&self) -> Vec<String> {
        self.rows
            .iter()
            .filter_map(|r| r.first().cloned())
            .collect()
    }
}

/// How many rows a table says it has and which of them are in the DOM: a table that renders
/// only the rows in view announces the rest with `aria-rowcount` and `aria-rowindex`.
#[derive(Clone, Debug, PartialEq)]
pub struct TableSize {
    /// `aria-rowcount`, header row included; `None` when the table does not say.
    pub row_count: Option<usize>,
    /// Body rows in the DOM.
    pub rendered: usize,
    /// Their `aria-rowindex` values (1 is the header row), 0 for a row without one.
    pub indexes: Vec<usize>,
    /// The `aria-rowindex` values of the rows the table shows whole: inside the viewport of its
    /// scroll container, below its header (the browser's viewport for a table without one).
    pub in_view: Vec<usize>,
}

/// A key that scrolls a focused scroll container, as a keyboard user moves through a long table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScrollKey {
    Home,
    End,
    PageUp,
    PageDown,
}

impl ScrollKey {
    /// The WebDriver key code.
    fn code(self) -> &'static str {
        match self {
            ScrollKey::Home => "\u{e011}",
            ScrollKey::End => "\u{e010}",
            ScrollKey::PageUp => "\u{e00e}",
            ScrollKey::PageDown => "\u{e00f}",
        }
    }
}

/// A headless Chromium session of its own (fresh profile, own chromedriver), ended on drop.
pub struct Browser {
    client: Client,
    session: String,
    driver_port: u16,
    /// Severe console entries read so far (the log endpoint hands each out once).
    console: Mutex<Vec<String>>,
    http: reqwest::Client,
    driver: Owned,
    /// Where Chromium saves downloads, inside `_dir`.
    downloads: PathBuf,
    /// Removed after the driver has stopped (fields drop after `Drop::drop`).
    _dir: tempfile::TempDir,
}

/// A file the page had the browser download.
#[derive(Clone, Debug)]
pub struct Download {
    pub name: String,
    /// The file's text, byte order mark included.
    pub text: String,
}

impl Download {
    /// The file read as RFC 4180 CSV (quoted fields may hold commas, quotes and line breaks;
    /// CRLF or LF; a UTF-8 byte order mark ignored): its records, header included.
    pub fn csv_records(&self) -> Vec<Vec<String>> {
        parse_csv(&self.text).unwrap_or_else(|e| panic!("{} is not CSV: {e}", self.name))
    }
}

static SHOTS: AtomicUsize = AtomicUsize::new(0);

impl Browser {
    /// Starts chromedriver (`CHROMEDRIVER`, default /usr/bin/chromedriver) on a free port and
    /// opens a headless Chromium session that records the browser console and saves downloads
    /// without asking, in a directory of its own ([`Browser::wait_for_download`]).
    pub async fn start() -> Browser {
        let path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
        // Chromium's profile and temp files (it keeps shared memory in TMPDIR with
        // --disable-dev-shm-usage) stay in a directory of ours, removed even after a crash.
        let dir = tempfile::Builder::new()
            .prefix("openim-e2e-browser-")
            .tempdir()
            .expect("create a temp directory for Chromium");
        let http = reqwest::Client::new();
        // A port found free can be taken before chromedriver binds it; try a few.
        let mut attempt = 1;
        let (driver, port) = loop {
            match start_driver(&path, dir.path(), &http).await {
                Ok(started) => break started,
                Err(e) if attempt < 3 => {
                    eprintln!("{e}; trying another port");
                    attempt += 1;
                }
                Err(e) => panic!("{e}"),
            }
        };
        let base = format!("http://127.0.0.1:{port}");
        let downloads = dir.path().join("downloads");
        std::fs::create_dir_all(&downloads).expect("create the download directory");

        let mut args: Vec<String> = CHROME_ARGS.iter().map(|a| a.to_string()).collect();
        args.push(format!(
            "--user-data-dir={}",
            dir.path().join("profile").display()
        ));
        let mut options = json!({
            "args": args,
            "prefs": {
                "intl.accept_languages": "en-US",
                "download.default_directory": downloads.display().to_string(),
                "download.prompt_for_download": false,
                "download.directory_upgrade": true,
            },
        });
        if let Ok(binary) = std::env::var("CHROME") {
            options["binary"] = json!(binary);
        }
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let caps = caps.as_object().expect("an object").clone();
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(caps)
            .connect(&base)
            .await
            .unwrap_or_else(|e| panic!("chromedriver on {base} could not start Chromium: {e}"));
        let session = client
            .session_id()
            .await
            .ok()
            .flatten()
            .expect("a WebDriver session ID");
        Browser {
            client,
            session,
            driver_port: port,
            console: Mutex::new(Vec::new()),
            http,
            driver,
            downloads,
            _dir: dir,
        }
    }

    /// Waits until Chromium has finished launching, at most `limit`. For most of a second after
    /// the session starts, a fresh browser is still busy with itself (its profile, its own
    /// components) on every CPU of a small machine, and a page opened then shares the CPUs
    /// with that. Chromium runs in chromedriver's process group, which is watched as a whole
    /// ([`wait_until_quiet`]).
    pub async fn settle(&self, limit: Duration) -> Settled {
        wait_until_quiet(self.driver.id(), limit).await
    }

    /// The underlying WebDriver client, for what the helpers below do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Loads `url` as if typed into the address bar.
    pub async fn open(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("open {url}: {e}"));
    }

    /// Reloads the current page.
    pub async fn reload(&self) {
        self.client.refresh().await.expect("reload the page");
    }

    /// Path and query of the current URL, e.g. `/users?page=2&size=10`.
    pub async fn path(&self) -> String {
        let url = self.client.current_url().await.expect("current URL");
        match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_string(),
        }
    }

    /// Waits until the URL's path (and query) satisfies `ok`; returns it.
    pub async fn wait_for_path(&self, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + wait_limit();
        loop {
            let path = self.path().await;
            if ok(&path) {
                return path;
            }
            if Instant::now() > deadline {
                self.fail(
                    &format!("the URL to be {what}"),
                    &format!("the URL is {path}"),
                )
                .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Types `value` into the control labelled `label`, replacing what it held, then tabs out of
    /// it as a person moving on would (which fires `change`).
    pub async fn fill(&self, label: &str, value: &str) {
        self.type_keys(label, &format!("{SELECT_ALL_AND_DELETE}{value}{TAB}"))
            .await;
    }

    /// Types `text` into the control labelled `label` (after emptying it) and stays in it, as a
    /// person still typing; `input` events fire, `change` does not yet.
    pub async fn type_into(&self, label: &str, text: &str) {
        self.type_keys(label, &format!("{SELECT_ALL_AND_DELETE}{text}"))
            .await;
    }

    /// Chooses the file at `path` in the file input labelled `label`, as a person picking it in
    /// the file dialog would (WebDriver types the path into the input).
    pub async fn choose_file(&self, label: &str, path: &Path) {
        let path = path
            .canonicalize()
            .unwrap_or_else(|e| panic!("the file to choose, {}: {e}", path.display()));
        let path = path.display().to_string();
        self.act(
            &format!("a file input labelled {label:?}"),
            "control(arguments[0])",
            vec![json!(label)],
            async |el: &Element| el.send_keys(&path).await,
        )
        .await;
    }

    /// Sends keystrokes to the control labelled `label`. Emptying a field by keyboard (rather
    /// than WebDriver's Element Clear, which fires no `input` event) is what a person does, and
    /// what a page listening to `input` sees.
    async fn type_keys(&self, label: &str, keys: &str) {
        self.act(
            &format!("a field labelled {label:?} to type into"),
            "control(arguments[0])",
            vec![json!(label)],
            async |el: &Element| el.send_keys(keys).await,
        )
        .await;
    }

    /// Whether a control labelled `label` is on the page right now.
    pub async fn has_field(&self, label: &str) -> bool {
        self.query("control(arguments[0])", vec![json!(label)])
            .await
            .is_ok()
    }

    /// Accepts a confirmation dialog if one is open; returns its text.
    pub async fn accept_dialog_if_any(&self) -> Option<String> {
        let text = self.client.get_alert_text().await.ok()?;
        self.client.accept_alert().await.ok()?;
        Some(text)
    }

    /// Picks the option reading `option` in the select labelled `label`.
    pub async fn select(&self, label: &str, option: &str) {
        self.act(
            &format!("option {option:?} of the select labelled {label:?}"),
            "option(arguments[0], arguments[1])",
            vec![json!(label), json!(option)],
            async |el: &Element| el.click().await,
        )
        .await;
    }

    /// Ticks or unticks the checkbox labelled `label`.
    pub async fn set_checked(&self, label: &str, on: bool) {
        if self.field(label).await.value != on.to_string() {
            self.act(
                &format!("the checkbox labelled {label:?}"),
                "control(arguments[0])",
                vec![json!(label)],
                async |el: &Element| el.click().await,
            )
            .await;
        }
    }

    /// The control labelled `label`, once there is one.
    pub async fn field(&self, label: &str) -> Field {
        self.wait(
            &format!("a field labelled {label:?}"),
            "value(arguments[0])",
            vec![json!(label)],
            |v| Ok(to_field(v)),
        )
        .await
    }

    /// Waits until the control labelled `label` satisfies `ok`.
    pub async fn wait_for_field(
        &self,
        label: &str,
        what: &str,
        ok: impl Fn(&Field) -> bool,
    ) -> Field {
        self.wait(
            &format!("the field labelled {label:?} to {what}"),
            "value(arguments[0])",
            vec![json!(label)],
            |v| {
                let field = to_field(v);
                if ok(&field) {
                    Ok(field)
                } else {
                    Err(format!("it holds {field:?}"))
                }
            },
        )
        .await
    }

    /// Clicks the first visible button reading `text` once it is enabled.
    pub async fn click_button(&self, text: &str) {
        self.click_nth_button(text, 0).await;
    }

    /// Clicks the `index`-th (0-based) visible button reading `text` once it is enabled.
    pub async fn click_nth_button(&self, text: &str, index: usize) {
        self.act(
            &format!("button {text:?} (number {}) to be enabled", index + 1),
            "enabledButton(arguments[0], arguments[1])",
            vec![json!(text), json!(index)],
            async |el: &Element| el.click().await,
        )
        .await;
    }

    /// Whether the first button reading `text` is enabled, once there is one.
    pub async fn button_enabled(&self, text: &str) -> bool {
        self.wait(
            &format!("a button {text:?}"),
            "buttonState(arguments[0])",
            vec![json!(text)],
            |v| Ok(v["disabled"] != true),
        )
        .await
    }

    /// Waits until the first button reading `text` is enabled (`true`) or disabled (`false`).
    pub async fn wait_for_button_enabled(&self, text: &str, enabled: bool) {
        let state = if enabled { "enabled" } else { "disabled" };
        self.wait(
            &format!("button {text:?} to be {state}"),
            "buttonState(arguments[0])",
            vec![json!(text)],
            |v| {
                if (v["disabled"] != true) == enabled {
                    Ok(())
                } else {
                    Err(format!("it is not {state}"))
                }
            },
        )
        .await
    }

    /// How many visible buttons read `text` right now.
    pub async fn count_buttons(&self, text: &str) -> usize {
        self.query("countButtons(arguments[0])", vec![json!(text)])
            .await
            .ok()
            .and_then(|v| v.as_u64())
            .unwrap_or(0) as usize
    }

    /// Follows the visible link reading `text`.
    pub async fn click_link(&self, text: &str) {
        self.act(
            &format!("a link {text:?}"),
            "link(arguments[0])",
            vec![json!(text)],
            async |el: &Element| el.click().await,
        )
        .await;
    }

    /// The texts of the visible elements with `role` (explicit, or implied as `output` is a
    /// status and `h1`..`h6` are headings), right now.
    pub async fn texts_of_role(&self, role: &str) -> Vec<String> {
        self.query("roleTexts(arguments[0])", vec![json!(role)])
            .await
            .ok()
            .map(|v| strings(&v))
            .unwrap_or_default()
    }

    /// The text of the first visible element with `role` that has any, once there is one.
    pub async fn text_of_role(&self, role: &str) -> String {
        self.wait(
            &format!("an element with role={role} and some text"),
            "roleTexts(arguments[0])",
            vec![json!(role)],
            |v| {
                strings(v)
                    .into_iter()
                    .find(|t| !t.is_empty())
                    .ok_or_else(|| format!("there is no role={role} with text"))
            },
        )
        .await
    }

    /// Waits up to `within` until `accept` takes the texts of the visible elements with `role`;
    /// `accept` says what it saw instead when it does not.
    pub async fn wait_for_role_texts<T>(
        &self,
        role: &str,
        what: &str,
        within: Duration,
        mut accept: impl FnMut(&[String]) -> Result<T, String>,
    ) -> T {
        self.wait_within(
            what,
            within,
            "roleTexts(arguments[0])",
            vec![json!(role)],
            |v| accept(&strings(v)),
        )
        .await
    }

    /// Waits until a visible element with `role` contains `contains`; returns its whole text.
    pub async fn wait_for_role_text(&self, role: &str, contains: &str) -> String {
        self.wait_for_role_text_within(role, contains, wait_limit())
            .await
    }

    /// [`Browser::wait_for_role_text`] with a deadline of its own, for long work.
    pub async fn wait_for_role_text_within(
        &self,
        role: &str,
        contains: &str,
        within: Duration,
    ) -> String {
        self.wait_within(
            &format!("role={role} containing {contains:?}"),
            within,
            "roleTexts(arguments[0])",
            vec![json!(role)],
            |v| {
                let texts = strings(v);
                texts
                    .iter()
                    .find(|t| t.contains(contains))
                    .cloned()
                    .ok_or_else(|| format!("the role={role} elements read {texts:?}"))
            },
        )
        .await
    }

    /// Waits until `text` is visible on the page (or is the value of a visible text field).
    pub async fn wait_for_text(&self, text: &str, within: Duration) {
        self.wait_within(
            &format!("the text {text:?}"),
            within,
            "visibleText()",
            vec![],
            |v| {
                if v.as_str().unwrap_or_default().contains(text) {
                    Ok(())
                } else {
                    Err("it is not on the page".into())
                }
            },
        )
        .await
    }

    /// The visible text of the page and the values of its visible text fields, right now.
    pub async fn page_text(&self) -> String {
        self.query("visibleText()", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// Waits until an `h1` reads exactly `text`.
    pub async fn wait_for_h1(&self, text: &str) {
        self.wait(
            &format!("a heading (h1) {text:?}"),
            "heading(1)",
            vec![],
            |v| {
                let h = strings(v);
                if h.iter().any(|t| t == text) {
                    Ok(())
                } else {
                    Err(format!("the h1 headings read {h:?}"))
                }
            },
        )
        .await
    }

    /// The rows of the table with that caption or heading (`None`: the first table in `main`),
    /// once there is such a table.
    pub async fn table_rows(&self, name: Option<&str>) -> Vec<Vec<String>> {
        self.table(name).await.rows
    }

    /// Headers and rows of the table with that caption or heading, once there is one.
    pub async fn table(&self, name: Option<&str>) -> Table {
        self.wait_for_table(name, "to be shown", |_| true).await
    }

    /// Waits until the table with that caption or heading satisfies `ok`.
    pub async fn wait_for_table(
        &self,
        name: Option<&str>,
        what: &str,
        ok: impl Fn(&Table) -> bool,
    ) -> Table {
        let named = name.map_or("the first table".to_string(), |n| {
            format!("the table {n:?}")
        });
        self.wait(
            &format!("{named} {what}"),
            "tableData(arguments[0])",
            vec![json!(name)],
            |v| {
                let table = Table {
                    headers: strings(&v["headers"]),
                    rows: v["rows"]
                        .as_array()
                        .map(|rows| rows.iter().map(strings).collect())
                        .unwrap_or_default(),
                };
                if ok(&table) {
                    Ok(table)
                } else {
                    Err(format!("it holds {table:?}"))
                }
            },
        )
        .await
    }

    /// How many rows the table with that caption or heading says it has, which are in the DOM
    /// and which are in view, once there is such a table.
    pub async fn table_size(&self, name: Option<&str>) -> TableSize {
        self.wait_for_table_size(name, "to be shown", |_| true)
            .await
    }

    /// Waits until [`Browser::table_size`] of the table with that caption or heading satisfies
    /// `ok` (a smooth scroll takes a moment to arrive).
    pub async fn wait_for_table_size(
        &self,
        name: Option<&str>,
        what: &str,
        ok: impl Fn(&TableSize) -> bool,
    ) -> TableSize {
        let named = name.map_or("the first table".to_string(), |n| {
            format!("the table {n:?}")
        });
        self.wait(
            &format!("{named} {what}"),
            "tableSize(arguments[0])",
            vec![json!(name)],
            |v| {
                let number = |v: &Json| v.as_u64().map(|n| n as usize);
                let numbers = |v: &Json| -> Vec<usize> {
                    v.as_array()
                        .map(|a| a.iter().map(|i| number(i).unwrap_or(0)).collect())
                        .unwrap_or_default()
                };
                let size = TableSize {
                    row_count: number(&v["rowCount"]),
                    rendered: number(&v["rendered"]).unwrap_or(0),
                    indexes: numbers(&v["indexes"]),
                    in_view: numbers(&v["inView"]),
                };
                if ok(&size) {
                    Ok(size)
                } else {
                    Err(format!("it is {size:?}"))
                }
            },
        )
        .await
    }

    /// Focuses the scroll container of the table with that caption or heading and presses `key`
    /// in it, as a keyboard user would (End: to the last row).
    pub async fn scroll_table(&self, name: Option<&str>, key: ScrollKey) {
        let named = name.map_or("the first table".to_string(), |n| {
            format!("the table {n:?}")
        });
        self.act(
            &format!("the scroll container of {named}, to press {key:?} in"),
            "tableScroller(arguments[0])",
            vec![json!(name)],
            async |el: &Element| el.send_keys(key.code()).await,
        )
        .await;
    }

    /// Presses Tab `times` times wherever the keyboard focus is, one key at a time, as a person
    /// moving through a page's links and controls.
    pub async fn press_tab(&self, times: usize) {
        for n in 0..times {
            let focused =
                self.client.active_element().await.unwrap_or_else(|e| {
                    panic!("the focused element before Tab number {}: {e}", n + 1)
                });
            focused
                .send_keys(TAB)
                .await
                .unwrap_or_else(|e| panic!("press Tab (number {}): {e}", n + 1));
        }
    }

    /// The text of the element that has the keyboard focus.
    pub async fn focused_text(&self) -> String {
        let focused = self
            .client
            .active_element()
            .await
            .expect("the focused element");
        focused.text().await.unwrap_or_default()
    }

    /// The request log panel's rows as shown, newest first, each row's cells joined by " | ".
    pub async fn request_log(&self) -> Vec<String> {
        self.table(Some("Request log"))
            .await
            .rows
            .iter()
            .map(|r| r.join(" | "))
            .collect()
    }

    /// Waits until the request log satisfies `ok`; returns its rows as [`Browser::request_log`].
    pub async fn wait_for_request_log(
        &self,
        what: &str,
        ok: impl Fn(&[String]) -> bool,
    ) -> Vec<String> {
        let joined = |t: &Table| -> Vec<String> { t.rows.iter().map(|r| r.join(" | ")).collect() };
        let table = self
            .wait_for_table(Some("Request log"), what, |t| ok(&joined(t)))
            .await;
        joined(&table)
    }

    /// Saves a PNG of the viewport.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("take a screenshot");
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        std::fs::write(path, png).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    /// Replaces the page's clipboard with a recorder, so that a test can read what a "Copy"
    /// button wrote (headless Chromium has no clipboard to read back). Lasts until navigation.
    pub async fn record_clipboard(&self) {
        self.client
            .execute(
                "window.__e2eClipboard = null;
                 const record = async (text) => { window.__e2eClipboard = String(text); };
                 Object.defineProperty(navigator, 'clipboard', {
                     configurable: true,
                     value: { writeText: record, write: async () => {} },
                 });",
                vec![],
            )
            .await
            .expect("install the clipboard recorder");
    }

    /// Waits until something was written to the recorded clipboard; returns it.
    pub async fn wait_for_clipboard(&self) -> String {
        let deadline = Instant::now() + wait_limit();
        loop {
            let v = self
                .client
                .execute("return window.__e2eClipboard;", vec![])
                .await
                .unwrap_or(Json::Null);
            if let Some(text) = v.as_str() {
                return text.to_string();
            }
            if Instant::now() > deadline {
                self.fail("text written to the clipboard", "nothing was written")
                    .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits up to `within` for the browser to have saved a download named `file_name`, then
    /// reads it and removes it (so that the next download of that name keeps the name).
    pub async fn wait_for_download(&self, file_name: &str, within: Duration) -> Download {
        let path = self.downloads.join(file_name);
        let deadline = Instant::now() + within;
        loop {
            // Chromium writes to a .crdownload file and renames it when the download is complete.
            if path.is_file() {
                let bytes = std::fs::read(&path)
                    .unwrap_or_else(|e| panic!("read the download {}: {e}", path.display()));
                let _ = std::fs::remove_file(&path);
                let text = String::from_utf8(bytes)
                    .unwrap_or_else(|e| panic!("the download {file_name} is not UTF-8: {e}"));
                return Download {
                    name: file_name.to_string(),
                    text,
                };
            }
            if Instant::now() > deadline {
                let present: Vec<String> = std::fs::read_dir(&self.downloads)
                    .map(|entries| {
                        entries
                            .filter_map(|e| e.ok())
                            .map(|e| e.file_name().to_string_lossy().into_owned())
                            .collect()
                    })
                    .unwrap_or_default();
                self.fail_after(
                    within,
                    &format!("a download named {file_name:?}"),
                    &format!("the download directory holds {present:?}"),
                )
                .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// What a person reads on the page right now: the rendered text of the body (closed
    /// `<details>` and hidden elements left out), and the placeholders and tooltips of visible
    /// elements, which the rendered text does not include.
    pub async fn readable_text(&self) -> String {
        self.query("readableText()", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    }

    /// The Content-Security-Policy violations among [`Browser::console_errors`]: Chromium logs
    /// each blocked script, style, image, connection or frame there, one entry apiece.
    pub async fn csp_violations(&self) -> Vec<String> {
        self.console_errors()
            .await
            .into_iter()
            .filter(|e| e.contains("violates the following Content Security Policy directive"))
            .collect()
    }

    /// Severe browser console entries so far: uncaught errors, `console.error` (a Rust panic in
    /// the console lands there), and failed loads of anything but the OpenIM API. Chromium also
    /// logs every API answer with an HTTP error status; those are the console's business (its
    /// request log shows them, and detection probes expect a 404), so they are left out.
    pub async fn console_errors(&self) -> Vec<String> {
        let url = format!(
            "http://127.0.0.1:{}/session/{}/se/log",
            self.driver_port, self.session
        );
        let fresh = match self
            .http
            .post(&url)
            .json(&json!({"type": "browser"}))
            .send()
            .await
        {
            Ok(resp) => resp.json::<Json>().await.unwrap_or(Json::Null),
            Err(e) => Json::from(format!("cannot read the browser console: {e}")),
        };
        if let Some(problem) = fresh.as_str() {
            return vec![problem.to_string()];
        }
        let mut console = self.console.lock().expect("console lock");
        for entry in fresh["value"].as_array().into_iter().flatten() {
            let message = entry["message"].as_str().unwrap_or_default();
            let api_answer = entry["source"] == "network" && is_api_url(message);
            if entry["level"] == "SEVERE" && !api_answer {
                console.push(message.to_string());
            }
        }
        console.clone()
    }

    /// Waits until the console record holds an error containing `contains`; returns it.
    pub async fn wait_for_console_error(&self, contains: &str) -> String {
        let deadline = Instant::now() + wait_limit();
        loop {
            let errors = self.console_errors().await;
            if let Some(found) = errors.iter().find(|e| e.contains(contains)) {
                return found.clone();
            }
            if Instant::now() > deadline {
                self.fail(
                    &format!("a console error containing {contains:?}"),
                    &format!("the console recorded {errors:?}"),
                )
                .await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Fails the test if the browser console recorded errors, Content-Security-Policy violations
    /// included (the_console_record_catches_csp_violations below shows that it sees them).
    pub async fn assert_no_console_errors(&self) {
        let errors = self.console_errors().await;
        assert!(
            errors.is_empty(),
            "the browser console recorded errors:\n  {}",
            errors.join("\n  ")
        );
    }

    /// Signs in through the Connection page with the generation's default admin and secret, as
    /// an operator would, and waits for the header to say so.
    pub async fn sign_in(&self, stack: &Stack) {
        self.open(&stack.url("/connect")).await;
        self.fill("Secret", SECRET).await;
        self.click_button("Connect").await;
        self.wait_for_signed_in(stack.api_version()).await;
    }

    /// Waits for the header's "Signed in as <admin> on /api (OpenIM vX)" status.
    pub async fn wait_for_signed_in(&self, api: ApiVersion) -> String {
        let expected = format!(
            "Signed in as {} on /api ({})",
            api.default_admin_id(),
            generation(api)
        );
        self.wait_for_role_text("status", &expected).await
    }

    /// Runs `e2e.<call>` from page.js: `Ok(found)` or `Err(what the page has instead)`.
    async fn query(&self, call: &str, args: Vec<Json>) -> Result<Json, String> {
        let script = format!("{PAGE_JS}\nreturn e2e.{call};");
        match self.client.execute(&script, args).await {
            Ok(v) if v.get("found").is_some() => Ok(v["found"].clone()),
            Ok(v) => Err(v["missing"]
                .as_str()
                .unwrap_or("nothing matched")
                .to_string()),
            Err(e) => Err(format!("WebDriver: {e}")),
        }
    }

    async fn wait<T>(
        &self,
        what: &str,
        call: &str,
        args: Vec<Json>,
        accept: impl FnMut(&Json) -> Result<T, String>,
    ) -> T {
        self.wait_within(what, wait_limit(), call, args, accept)
            .await
    }

    /// Polls `call` until `accept` takes its result, or fails after `within`.
    async fn wait_within<T>(
        &self,
        what: &str,
        within: Duration,
        call: &str,
        args: Vec<Json>,
        mut accept: impl FnMut(&Json) -> Result<T, String>,
    ) -> T {
        let deadline = Instant::now() + within;
        loop {
            let last = match self.query(call, args.clone()).await {
                Ok(v) => match accept(&v) {
                    Ok(t) => return t,
                    Err(why) => why,
                },
                Err(missing) => missing,
            };
            if Instant::now() > deadline {
                self.fail_after(within, what, &last).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Finds an element with `call` and does `action` to it, retrying both until the action
    /// succeeds (the element may be re-rendered or still disabled) or the deadline passes.
    async fn act(
        &self,
        what: &str,
        call: &str,
        args: Vec<Json>,
        action: impl AsyncFn(&Element) -> Result<(), CmdError>,
    ) {
        let deadline = Instant::now() + wait_limit();
        loop {
            let last = match self.query(call, args.clone()).await {
                Ok(v) => match v[ELEMENT_KEY].as_str() {
                    Some(id) => {
                        let el = Element::from_element_id(
                            self.client.clone(),
                            ElementRef::from(id.to_string()),
                        );
                        match action(&el).await {
                            Ok(()) => return,
                            Err(e) => format!("found it, but: {e}"),
                        }
                    }
                    None => format!("the query returned no element: {v}"),
                },
                Err(missing) => missing,
            };
            if Instant::now() > deadline {
                self.fail(what, &last).await;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Fails the test with what was awaited, why it did not come, what the page showed, and a
    /// screenshot.
    async fn fail(&self, what: &str, last: &str) -> ! {
        self.fail_after(wait_limit(), what, last).await
    }

    /// [`Browser::fail`] for a wait that lasted `waited`.
    async fn fail_after(&self, waited: Duration, what: &str, last: &str) -> ! {
        let page = self
            .query("describe()", vec![])
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_else(|| "(could not read the page)".into());
        let shot = failure_screenshot_path();
        let saved = match self.client.screenshot().await {
            Ok(png) => {
                let _ = std::fs::create_dir_all(shot.parent().expect("a parent"));
                std::fs::write(&shot, png).is_ok()
            }
            Err(_) => false,
        };
        let shot = if saved {
            shot.display().to_string()
        } else {
            "(none)".into()
        };
        let console = self.console_errors().await;
        let console = if console.is_empty() {
            "no errors".to_string()
        } else {
            console.join("\n    ")
        };
        panic!(
            "waited {waited:?} for {what}, in vain: {last}\n  page: {page}\n  browser console: {console}\n  screenshot: {shot}"
        );
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Ending the session makes chromedriver quit Chromium and delete its temporary profile;
        // stopping the driver's process group afterwards catches anything left.
        delete_session(self.driver_port, &self.session);
        self.driver.stop();
    }
}

/// chromedriver on a free port, once its /status says it is ready.
async fn start_driver(
    path: &str,
    tmp: &Path,
    http: &reqwest::Client,
) -> Result<(Owned, u16), String> {
    let port = free_port();
    let mut command = Command::new(path);
    command.arg(format!("--port={port}")).env("TMPDIR", tmp);
    let mut driver = Owned::spawn("chromedriver", command, None);
    let status = format!("http://127.0.0.1:{port}/status");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(exit) = driver.exited() {
            return Err(format!("{path} exited ({exit}) before answering {status}"));
        }
        let ready = match http.get(&status).send().await {
            Ok(resp) => resp.json::<Json>().await.ok(),
            Err(_) => None,
        };
        if ready.is_some_and(|s| s["value"]["ready"] == true) {
            return Ok((driver, port));
        }
        if Instant::now() > deadline {
            return Err(format!(
                "{path} did not report ready on {status} within 20 s"
            ));
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// `DELETE /session/<id>` with a plain blocking request: drop cannot await.
fn delete_session(port: u16, session: &str) {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let request = format!(
        "DELETE /session/{session} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
    );
    if stream.write_all(request.as_bytes()).is_err() {
        return;
    }
    // chromedriver keeps the connection open: read the head and the announced body, no more.
    let mut answer = Vec::new();
    let mut chunk = [0u8; 4096];
    while let Ok(n) = stream.read(&mut chunk) {
        if n == 0 {
            break;
        }
        answer.extend_from_slice(&chunk[..n]);
        let text = String::from_utf8_lossy(&answer);
        if let Some((head, body)) = text.split_once("\r\n\r\n") {
            let length = head
                .lines()
                .find_map(|l| {
                    let (name, value) = l.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            if body.len() >= length {
                break;
            }
        }
    }
}

/// target/e2e-failures/<test name>-<n>.png
fn failure_screenshot_path() -> PathBuf {
    let test = std::thread::current()
        .name()
        .unwrap_or("test")
        .replace("::", "-");
    let n = SHOTS.fetch_add(1, Ordering::Relaxed);
    repo_root()
        .join("target/e2e-failures")
        .join(format!("{test}-{n}.png"))
}

/// Whether a network log message ("<url> - Failed to load resource: ...") is about a URL whose
/// path starts with /api/.
fn is_api_url(message: &str) -> bool {
    let url = message.split_whitespace().next().unwrap_or_default();
    url.split_once("://")
        .and_then(|(_, rest)| rest.split_once('/'))
        .is_some_and(|(_, path)| path.starts_with("api/"))
}

/// RFC 4180 records: fields separated by commas, records by CRLF or LF, a field in double
/// quotes may hold commas, line breaks and doubled quotes. A leading UTF-8 byte order mark is
/// skipped; a final line break ends the last record rather than starting an empty one.
fn parse_csv(text: &str) -> Result<Vec<Vec<String>>, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut line = 1;
    while let Some(c) = chars.next() {
        match c {
            '"' if field.is_empty() => loop {
                match chars.next() {
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    Some('"') => match chars.peek() {
                        None | Some(',' | '\r' | '\n') => break,
                        Some(other) => {
                            return Err(format!("{other:?} after a closing quote on line {line}"))
                        }
                    },
                    Some(c) => {
                        if c == '\n' {
                            line += 1;
                        }
                        field.push(c);
                    }
                    None => return Err(format!("a quote on line {line} is never closed")),
                }
            },
            '"' => return Err(format!("a quote inside an unquoted field on line {line}")),
            ',' => record.push(std::mem::take(&mut field)),
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
                line += 1;
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

fn strings(v: &Json) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .map(|s| s.as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

fn to_field(v: &Json) -> Field {
    Field {
        value: v["value"].as_str().unwrap_or_default().to_string(),
        read_only: v["readOnly"] == true,
        disabled: v["disabled"] == true,
        tag: v["tag"].as_str().unwrap_or_default().to_string(),
        selected: v["selected"].as_str().map(str::to_string),
        options: strings(&v["options"]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_api_answers_from_other_failed_loads() {
        assert!(is_api_url(
            "http://127.0.0.1:4000/api/auth/get_admin_token - Failed to load resource: the server responded with a status of 404 (Not Found)"
        ));
        assert!(!is_api_url(
            "http://127.0.0.1:4000/app-1234_bg.wasm - Failed to load resource: the server responded with a status of 404 (Not Found)"
        ));
        assert!(!is_api_url("http://127.0.0.1:4000/apiary.js 1:1 Uncaught"));
    }

    /// The suite's closing "no console errors" check also catches Content-Security-Policy
    /// violations: an injected inline script and style, which index.html's own policy refuses
    /// (it allows its own scripts and stylesheet by hash), and a fetch to a scheme that
    /// deploy/nginx.conf's connect-src leaves out all land in the console record.
    #[tokio::test]
    async fn the_console_record_catches_csp_violations() {
        let (stack, b) = crate::start(ApiVersion::V3_8).await;
        b.open(&stack.url("/")).await;
        b.wait_for_h1("openim-admin").await;
        assert_eq!(b.console_errors().await, Vec::<String>::new());

        let ran = b
            .client()
            .execute(
                "const s = document.createElement('script');
                 s.textContent = 'window.inlineRan = true';
                 document.body.append(s);
                 return window.inlineRan === true;",
                vec![],
            )
            .await
            .expect("inject an inline script");
        assert_eq!(ran, json!(false), "the policy let an inline script run");
        let script = b.wait_for_console_error("script-src").await;
        assert!(script.contains("Content Security Policy"), "{script}");

        let styled = b
            .client()
            .execute(
                "const s = document.createElement('style');
                 s.textContent = 'body { --injected: yes }';
                 document.head.append(s);
                 return getComputedStyle(document.body).getPropertyValue('--injected');",
                vec![],
            )
            .await
            .expect("inject an inline style");
        assert_eq!(styled, json!(""), "the policy let an inline style apply");
        let style = b.wait_for_console_error("style-src").await;
        assert!(style.contains("Content Security Policy"), "{style}");

        let fetched = b
            .client()
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 fetch('data:text/plain,x').then(() => done('loaded'), () => done('refused'));",
                vec![],
            )
            .await
            .expect("fetch a data: URL");
        assert_eq!(fetched, json!("refused"));
        b.wait_for_console_error("connect-src").await;
        assert_eq!(
            b.csp_violations().await.len(),
            3,
            "{:?}",
            b.console_errors().await
        );
    }

    #[test]
    fn reads_csv_as_rfc_4180_writes_it() {
        let text = "\u{feff}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\n,,\r\n";
        assert_eq!(
            parse_csv(text).unwrap(),
            [
                vec!["a", "b", "c"],
                vec!["x, y", "say \"hi\"", "two\r\nlines"],
                vec!["", "", ""],
            ]
        );
        assert_eq!(parse_csv("a\nb").unwrap(), [["a"], ["b"]]);
        assert!(parse_csv("\"open\n").is_err());
        assert!(parse_csv("a\"b\n").is_err());
        assert!(parse_csv("\"a\"b\n").is_err());
    }

    #[test]
    fn reads_tables_by_header() {
        let table = Table {
            headers: vec!["User ID".into(), "Status".into()],
            rows: vec![
                vec!["alice".into(), "registered".into()],
                vec!["ghost".into()],
            ],
        };
        assert_eq!(table.column("Status"), ["registered", ""]);
        assert_eq!(table.row_value("alice").as_deref(), Some("registered"));
        assert_eq!(table.row_value("ghost"), None);
        assert_eq!(table.row_names(), ["alice", "ghost"]);
    }
}
