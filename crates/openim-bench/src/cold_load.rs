//! Cold load: a browser with a fresh profile (empty HTTP cache, no compiled-code cache), once it
//! has finished launching, opens /users of a server holding many users; the figure is the
//! console's `users-rendered` mark, which is measured from the navigation's start (the page's
//! time origin). The same load opened as the browser launches is reported beside it.

use std::time::Duration;

use openim_e2e::{Browser, Config, Settled, Stack};
use serde_json::{json, Value as Json};

use crate::console::{self, grouped, DATA_MARK, RENDERED_MARK};
use crate::report::{Figure, Unit};
use crate::stats::{Budget, Summary};

const BUDGET_MS: f64 = 150.0;
const LIMIT: Duration = Duration::from_secs(60);
/// The longest wait for a new browser to finish launching ([`Browser::settle`]).
const SETTLE_LIMIT: Duration = Duration::from_secs(20);

pub const MEASURES: &str = "Fresh Chromium profile per run, opened once the browser has finished \
launching: after the WebDriver session starts, the harness waits until Chromium and chromedriver \
together use at most 30 ms of CPU time in 300 ms (Browser::settle; detail.settle_ms has each \
wait), as an operator's browser is already running when the console is opened. Sign-in put in \
sessionStorage by a script that runs before the page's own (no earlier page load). From \
navigation start (the document's performance time origin, as WebDriver's Navigate To begins \
loading /users) to the console's performance.mark('users-rendered'), set as soon as the render \
that put page 1's rows in the DOM is applied. Includes: TCP connect to nginx on loopback, \
index.html (with its two scripts and the stylesheet inline), /api/user/get_users for page 1 (20 \
rows) through nginx to the emulator (sent by the page's early script as it is parsed), the first \
.wasm module (precompressed, in the encoding Chromium and nginx agree on: \
first_page.served_encoding) with its compile and start, the app's first render, decoding, and \
the rows' render into the DOM. Excludes style, layout and paint after that, and the browser's own \
start.";

pub const FLOOR_MEASURES: &str = "The same harness as cold_load, interleaved with it run by run \
(a fresh Chromium profile each, opened once the browser has finished launching, navigation start \
to performance.mark('users-rendered')), on a page with nothing to load: a static index.html \
(with the console's icon) from nginx with deploy/nginx.conf, whose inline script sets the mark \
as it is parsed. It is what any page costs a fresh browser on this machine at this hour, which no \
page can beat; cold_load's median minus this one is the console's share. Reported, not \
budgeted.";

pub const AT_LAUNCH_MEASURES: &str = "cold_load's load, interleaved with it run by run, opened \
the moment the WebDriver session has started, while the new browser is still busy launching \
(for most of a second on a 2-CPU machine, on both CPUs): the page shares the CPUs with the \
browser's own start. This is how cold_load was measured until the harness waited for the \
browser to settle. Reported, not budgeted.";

pub const AT_LAUNCH_FLOOR_MEASURES: &str = "cold_load_floor's page, opened as cold_load_at_launch \
opens the console: the moment the session has started. Reported, not budgeted.";

/// The floor's page: no request but its own, no work but the mark.
const FLOOR_PAGE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>floor</title><link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\"></head>\
<body><p>Nothing to load.</p><script>performance.mark('users-rendered')</script></body></html>\n";

/// The timeline of one load, read after the mark: the document, every fetch, and the marks.
const TIMELINE: &str = r#"
const nav = performance.getEntriesByType('navigation')[0];
const path = (url) => new URL(url).pathname;
const data = performance.getEntriesByName(arguments[0]);
return {
    document: { path: path(nav.name), responseEnd: nav.responseEnd, encoded: nav.encodedBodySize,
                domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd },
    resources: performance.getEntriesByType('resource').map((r) => ({
        path: path(r.name), type: r.initiatorType, start: r.startTime, end: r.responseEnd,
        encoded: r.encodedBodySize })),
    data: data.length ? data[0].startTime : null,
};
"#;

pub struct ColdLoad {
    pub figure: Figure,
    /// The same harness on a page with nothing to load ([`FLOOR_MEASURES`]).
    pub floor: Figure,
    /// Both loads opened as the browser launches ([`AT_LAUNCH_MEASURES`]).
    pub at_launch: Figure,
    pub at_launch_floor: Figure,
    /// The URL paths the first run fetched, with their encoded (compressed) sizes.
    pub fetched: Vec<(String, u64)>,
}

/// When a run's page is opened: once the new browser is quiet, or as soon as it is up.
#[derive(Clone, Copy)]
enum Open {
    Settled,
    AtLaunch,
}

/// One load of /users: the mark, the timeline read after it, and the wait for the browser.
struct Load {
    rendered: f64,
    timeline: Json,
    settled: Option<Settled>,
}

pub async fn run(stack: &Stack, users: u32, runs: usize) -> ColdLoad {
    let record = console::sign_in_record(stack).await;
    let total = format!("Total: {} users", grouped(users as usize));
    let floor_dir = tempfile::tempdir().expect("a temp directory for the floor's page");
    std::fs::write(floor_dir.path().join("index.html"), FLOOR_PAGE)
        .expect("write the floor's page");
    // The console's icon too, so that both pages ask for the same two files.
    std::fs::copy(
        openim_e2e::repo_root().join("static/favicon.svg"),
        floor_dir.path().join("favicon.svg"),
    )
    .expect("copy the icon");
    let floor_stack = Stack::start_serving(
        Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            quiet: true,
            ..Default::default()
        },
        floor_dir.path(),
    )
    .await;
    let (mut samples, mut floor_samples) = (Vec::new(), Vec::new());
    let (mut launch_samples, mut launch_floor_samples) = (Vec::new(), Vec::new());
    let mut milestones: Vec<Vec<(&'static str, f64)>> = Vec::new();
    let mut launch_milestones: Vec<Vec<(&'static str, f64)>> = Vec::new();
    let mut waits: Vec<Settled> = Vec::new();
    let mut fetched = Vec::new();
    for run in 0..runs {
        let load = console_load(stack, &record, &total, run, Open::Settled).await;
        waits.extend(load.settled);
        samples.push(load.rendered);
        milestones.push(milestones_of(&load.timeline, load.rendered));
        if run == 0 {
            fetched = fetched_paths(&load.timeline, load.rendered);
        }
        let (floor, settled) = floor_load(&floor_stack, Open::Settled).await;
        waits.extend(settled);
        floor_samples.push(floor);

        let load = console_load(stack, &record, &total, run, Open::AtLaunch).await;
        launch_samples.push(load.rendered);
        launch_milestones.push(milestones_of(&load.timeline, load.rendered));
        launch_floor_samples.push(floor_load(&floor_stack, Open::AtLaunch).await.0);
    }
    let still_busy = waits.iter().filter(|w| !w.quiet).count();
    if still_busy > 0 {
        eprintln!(
            "openim-bench: {still_busy} of {} browsers were still busy after {SETTLE_LIMIT:?}; \
             their pages were opened then",
            waits.len()
        );
    }
    let settle_ms: Vec<f64> = waits
        .iter()
        .map(|w| w.waited.as_secs_f64() * 1000.0)
        .collect();
    let floor = Figure::new(
        "cold_load_floor",
        "cold load of a page with nothing to load (a fresh browser's floor)",
        Unit::Ms,
        FLOOR_MEASURES,
        floor_samples,
        None,
    );
    let figure = Figure::new(
        "cold_load",
        format!("cold load to page 1 of {} users", grouped(users as usize)),
        Unit::Ms,
        MEASURES,
        samples,
        Some(Budget::AtMost(BUDGET_MS)),
    )
    .with_detail(json!({
        "median_milestones_ms_from_navigation_start": median_milestones(&milestones),
        "milestones_per_run": per_run(&milestones),
        "settle_ms": settle_ms.iter().map(|ms| (ms * 10.0).round() / 10.0).collect::<Vec<_>>(),
        "settle_ms_median": Summary::of(&settle_ms).map(|s| (s.median * 10.0).round() / 10.0),
        "browsers_still_busy_at_limit": still_busy,
    }));
    let at_launch = Figure::new(
        "cold_load_at_launch",
        format!(
            "cold load to page 1 of {} users, opened as the browser launches",
            grouped(users as usize)
        ),
        Unit::Ms,
        AT_LAUNCH_MEASURES,
        launch_samples,
        None,
    )
    .with_detail(json!({
        "median_milestones_ms_from_navigation_start": median_milestones(&launch_milestones),
        "milestones_per_run": per_run(&launch_milestones),
    }));
    let at_launch_floor = Figure::new(
        "cold_load_at_launch_floor",
        "cold load of the floor's page, opened as the browser launches",
        Unit::Ms,
        AT_LAUNCH_FLOOR_MEASURES,
        launch_floor_samples,
        None,
    );
    ColdLoad {
        figure,
        floor,
        at_launch,
        at_launch_floor,
        fetched,
    }
}

/// One cold load of /users in a browser of its own, checked: rows drawn, the total shown, no
/// console errors.
async fn console_load(stack: &Stack, record: &str, total: &str, run: usize, open: Open) -> Load {
    let b = Browser::start().await;
    console::sign_in_before_scripts(&b, stack, record).await;
    let settled = settle(&b, open).await;
    b.open(&stack.url("/users")).await;
    let (rendered, _) = console::wait_for_entry(&b, RENDERED_MARK, 0, LIMIT).await;
    let timeline = b
        .client()
        .execute(TIMELINE, vec![json!(DATA_MARK)])
        .await
        .expect("read the performance timeline");
    let rows = console::user_rows(&b).await;
    assert!(
        rows > 0,
        "run {run}: the mark was set with no rows on the page"
    );
    let statuses = b.texts_of_role("status").await;
    assert!(
        statuses.iter().any(|s| s.contains(total)),
        "run {run}: the page does not say {total:?}: {statuses:?}"
    );
    b.assert_no_console_errors().await;
    Load {
        rendered,
        timeline,
        settled,
    }
}

/// One cold load of the floor's page, in a browser of its own: ms to its mark.
async fn floor_load(floor: &Stack, open: Open) -> (f64, Option<Settled>) {
    let b = Browser::start().await;
    let settled = settle(&b, open).await;
    b.open(&floor.url("/")).await;
    let (mark, _) = console::wait_for_entry(&b, RENDERED_MARK, 0, LIMIT).await;
    b.assert_no_console_errors().await;
    (mark, settled)
}

/// For a page opened [`Open::Settled`], the wait for the new browser to finish launching.
async fn settle(b: &Browser, open: Open) -> Option<Settled> {
    if let Open::AtLaunch = open {
        return None;
    }
    let settled = b.settle(SETTLE_LIMIT).await;
    // Chromium is watched through chromedriver's process group: were it to leave the group,
    // the wait would see chromedriver alone and end at once, measuring nothing.
    assert!(
        settled.processes > 1,
        "only {} process in chromedriver's process group: Chromium is not in it, so the wait \
         for it to finish launching cannot see it",
        settled.processes
    );
    Some(settled)
}

fn per_run(milestones: &[Vec<(&'static str, f64)>]) -> Vec<Json> {
    milestones
        .iter()
        .map(|m| Json::Object(m.iter().map(|(k, v)| (k.to_string(), json!(v))).collect()))
        .collect()
}

/// When the load reached each step, in ms from navigation start.
fn milestones_of(t: &Json, rendered: f64) -> Vec<(&'static str, f64)> {
    let resources = t["resources"].as_array().cloned().unwrap_or_default();
    let end_of = |is: &dyn Fn(&str) -> bool| {
        resources
            .iter()
            .find(|r| r["path"].as_str().is_some_and(is))
            .and_then(|r| r["end"].as_f64())
    };
    let get_users = resources
        .iter()
        .find(|r| r["path"] == "/api/user/get_users")
        .map(|r| (r["start"].as_f64(), r["end"].as_f64()));
    let mut m = vec![("document_received", t["document"]["responseEnd"].as_f64())];
    m.push(("wasm_received", end_of(&|p| p.ends_with("_bg.wasm"))));
    m.push((
        "dom_content_loaded",
        t["document"]["domContentLoaded"].as_f64(),
    ));
    m.push(("get_users_sent", get_users.and_then(|g| g.0)));
    m.push(("get_users_answered", get_users.and_then(|g| g.1)));
    m.push(("users_data_mark", t["data"].as_f64()));
    m.push(("users_rendered_mark", Some(rendered)));
    m.into_iter()
        .filter_map(|(k, v)| v.map(|v| (k, v)))
        .collect()
}

fn median_milestones(runs: &[Vec<(&'static str, f64)>]) -> Json {
    let mut out = serde_json::Map::new();
    let Some(first) = runs.first() else {
        return Json::Object(out);
    };
    for (name, _) in first {
        let values: Vec<f64> = runs
            .iter()
            .filter_map(|m| m.iter().find(|(k, _)| k == name).map(|(_, v)| *v))
            .collect();
        if let Some(s) = Summary::of(&values) {
            out.insert(name.to_string(), json!((s.median * 10.0).round() / 10.0));
        }
    }
    Json::Object(out)
}

/// The document and every resource the page asked for before its table was drawn (the mark at
/// `rendered`), as (path, encoded bytes): what the first page loads. What it fetches after
/// that, such as the wasm's second module (static/boot.js), is not part of it.
fn fetched_paths(t: &Json, rendered: f64) -> Vec<(String, u64)> {
    let mut out = vec![(
        t["document"]["path"].as_str().unwrap_or("/").to_string(),
        t["document"]["encoded"].as_u64().unwrap_or(0),
    )];
    for r in t["resources"].as_array().into_iter().flatten() {
        if r["start"].as_f64().is_none_or(|start| start >= rendered) {
            continue;
        }
        out.push((
            r["path"].as_str().unwrap_or_default().to_string(),
            r["encoded"].as_u64().unwrap_or(0),
        ));
    }
    out
}
