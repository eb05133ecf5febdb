//! Bulk import against a baseline: a CSV of new users through the console's Bulk import page to
//! "Done", and the same number of the same kind of users registered one request each through
//! nginx's /api/, one after another, as the OpenIM guide's Postman flow does. The two alternate
//! in one process (UI first in even runs, baseline first in odd ones), and each run's ratio of
//! rates is one sample of the comparison.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use openim_e2e::{ApiVersion, Browser, Stack, SECRET};
use serde_json::{json, Value as Json};

use crate::console::{self, grouped};
use crate::report::{Figure, Unit};
use crate::stats::Budget;
use crate::stopwatch::Stopwatch;

const BUDGET_RATIO: f64 = 20.0;
const LIMIT: Duration = Duration::from_secs(900);
/// OpenIM logs requests by operationID; each gets its own.
static OPERATION: AtomicU64 = AtomicU64::new(1);

pub const MEASURES_UI: &str = "Rows / time from the click on \"Import\" (a capturing listener \
in the page) to the status \"Done. The counts add up to the N input rows.\" (a mutation \
observer), both on the page's clock. /import is loaded afresh for each run, and the CSV \
(userID,nickname,faceURL,ex; all new users) chosen in its file input and read before the click. \
Covers the console's account_check and user_register batches through nginx to the emulator and \
its progress rendering. Checked: the outcome table says every row was created.";

pub const MEASURES_BASELINE: &str = "Users / time for one POST /api/user/user_register per user \
through nginx, each sent when the previous one answered (the OpenIM guide's Postman flow), with \
an admin token fetched beforehand (not timed); reqwest in the bench process, one kept-alive \
connection to nginx. Every answer checked for errCode 0.";

pub const MEASURES_RATIO: &str = "Per run, the UI's users per second divided by the baseline's \
users per second measured next to it in the same process.";

#[derive(Clone, Copy)]
enum Side {
    Ui,
    Baseline,
}

pub async fn run(stack: &Stack, rows: usize, runs: usize) -> Vec<Figure> {
    assert_eq!(
        stack.api_version(),
        ApiVersion::V3_8,
        "the baseline registers as v3.8 does"
    );
    let record = console::sign_in_record(stack).await;
    let b = Browser::start().await;
    console::sign_in_before_scripts(&b, stack, &record).await;
    let page = stack.url("/import");
    let csv_dir = tempfile::Builder::new()
        .prefix("openim-bench-import-")
        .tempdir()
        .expect("a directory for the CSV files");
    let http = reqwest::Client::new();
    let (mut ui, mut baseline, mut ratio) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..runs {
        let order = if run % 2 == 0 {
            [Side::Ui, Side::Baseline]
        } else {
            [Side::Baseline, Side::Ui]
        };
        let (mut ui_rate, mut baseline_rate) = (0.0, 0.0);
        for side in order {
            match side {
                Side::Ui => ui_rate = import_through_ui(&b, &page, csv_dir.path(), run, rows).await,
                Side::Baseline => baseline_rate = one_by_one(&http, stack, run, rows).await,
            }
        }
        ui.push(ui_rate);
        baseline.push(baseline_rate);
        ratio.push(ui_rate / baseline_rate);
    }
    b.assert_no_console_errors().await;
    let n = grouped(rows);
    vec![
        Figure::new(
            "import_ui_rate",
            format!("bulk import of {n} CSV rows in the console"),
            Unit::UsersPerSec,
            MEASURES_UI,
            ui,
            None,
        ),
        Figure::new(
            "import_baseline_rate",
            format!("baseline: {n} users one request each"),
            Unit::UsersPerSec,
            MEASURES_BASELINE,
            baseline,
            None,
        ),
        Figure::new(
            "import_vs_baseline",
            "bulk import / baseline users per second",
            Unit::Ratio,
            MEASURES_RATIO,
            ratio,
            Some(Budget::AtLeast(BUDGET_RATIO)),
        ),
    ]
}

/// A new user of run `run` on `side`, alike in shape on both sides.
fn user(side: &str, run: usize, i: usize) -> (String, String) {
    (
        format!("bench_{side}{run:02}_{i:06}"),
        format!("Bench user {i}"),
    )
}

/// Imports `rows` new users from a CSV file through the Bulk import page; returns users/s.
async fn import_through_ui(b: &Browser, page: &str, dir: &Path, run: usize, rows: usize) -> f64 {
    let mut csv = String::from("userID,nickname,faceURL,ex\r\n");
    for i in 0..rows {
        let (id, nickname) = user("ui", run, i);
        csv.push_str(&format!("{id},{nickname},,\r\n"));
    }
    let name = format!("users-{run}.csv");
    let path = dir.join(&name);
    std::fs::write(&path, &csv).expect("write the CSV");
    // A fresh page each run: no earlier outcome whose "Done" could be read as this one's, and
    // an empty request log (the console logs every call with its body, and a long log slows
    // every later call down, so runs in one page would not measure the same thing).
    b.open(page).await;
    b.wait_for_h1("Bulk import").await;
    b.choose_file("CSV file", &path).await;
    b.wait_for_text(
        &format!("Read {name} ({} bytes).", grouped(csv.len())),
        LIMIT,
    )
    .await;
    let done = format!(
        "Done. The counts add up to the {} input rows.",
        grouped(rows)
    );
    let watch = Stopwatch::install(b, "Import", &done).await;
    b.click_button("Import").await;
    b.wait_for_role_text_within("status", &done, LIMIT).await;
    let lap = watch.read(b).await;
    let outcome = b.table(Some("Import outcome")).await;
    assert_eq!(
        outcome.row_value("Created"),
        Some(grouped(rows)),
        "run {run}: the import did not create every row: {:?}",
        outcome.rows
    );
    rows as f64 / (lap.ms() / 1000.0)
}

/// Registers `rows` new users one request each through nginx; returns users/s.
async fn one_by_one(http: &reqwest::Client, stack: &Stack, run: usize, rows: usize) -> f64 {
    let api = stack.url("/api");
    let admin = ApiVersion::V3_8.default_admin_id();
    let token = post(
        http,
        &api,
        "/auth/get_admin_token",
        None,
        json!({"secret": SECRET, "userID": admin}),
    )
    .await["data"]["token"]
        .as_str()
        .expect("an admin token")
        .to_string();
    let started = Instant::now();
    for i in 0..rows {
        let (id, nickname) = user("pm", run, i);
        post(
            http,
            &api,
            "/user/user_register",
            Some(&token),
            json!({"users": [{"userID": id, "nickname": nickname, "faceURL": ""}]}),
        )
        .await;
    }
    rows as f64 / started.elapsed().as_secs_f64()
}

/// POSTs an OpenIM request; panics unless the answer is errCode 0.
async fn post(
    http: &reqwest::Client,
    api: &str,
    path: &str,
    token: Option<&str>,
    body: Json,
) -> Json {
    let mut req = http
        .post(format!("{api}{path}"))
        .header(
            "operationID",
            format!("bench-{}", OPERATION.fetch_add(1, Ordering::Relaxed)),
        )
        .json(&body);
    if let Some(token) = token {
        req = req.header("token", token);
    }
    let resp = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("POST {path}: {e}"));
    let status = resp.status();
    let text = resp.text().await.unwrap_or_default();
    let envelope: Json = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("POST {path}: HTTP {status}, not JSON: {text}"));
    assert_eq!(envelope["errCode"], 0, "POST {path} {body}: {envelope}");
    envelope
}
