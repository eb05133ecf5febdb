//! Export: "Export all users" on the users page of a server holding many users, until the CSV
//! file is saved in the browser's download directory. Each run loads /users afresh.

use std::path::Path;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use openim_e2e::{devtools, Browser, Stack};
use serde_json::json;

use crate::console::{self, grouped};
use crate::report::{Figure, Unit};
use crate::stats::Budget;
use crate::stopwatch::Stopwatch;

const BUDGET_MS: f64 = 3000.0;
const FILE: &str = "openim-users.csv";
const LIMIT: Duration = Duration::from_secs(600);

pub const MEASURES_SAVED: &str = "From the click on \"Export all users\" (seen by a capturing \
listener in the page, on the page's clock) to the last write of openim-users.csv in the \
session's download directory (the file's modification time; Chromium renames its .crdownload \
to the final name only when the download is complete). Covers paging /user/get_users 2,000 at \
a time, up to four pages in flight, through nginx, decoding, building the CSV, the Blob and the \
browser saving it. Each run starts from a fresh load of /users.";

pub const MEASURES_STATUS: &str = "From the same click to the console's status reading \
\"Exported N users, as many as the server reports.\" (a mutation observer in the page, on the \
page's clock); the console offers the file just before it says so.";

pub async fn run(stack: &Stack, users: u32, runs: usize) -> Vec<Figure> {
    let record = console::sign_in_record(stack).await;
    let b = Browser::start().await;
    console::sign_in_before_scripts(&b, stack, &record).await;
    let total = format!("Total: {} users", grouped(users as usize));
    let done = format!(
        "Exported {} users, as many as the server reports.",
        grouped(users as usize)
    );
    let mut saved = Vec::new();
    let mut status = Vec::new();
    let mut seen = Vec::new();
    let mut bytes = 0;
    for run in 0..runs {
        let downloads = tempfile::Builder::new()
            .prefix("openim-bench-downloads-")
            .tempdir()
            .expect("a download directory");
        devtools::downloads_to(b.client(), downloads.path()).await;
        b.open(&stack.url("/users")).await;
        b.wait_for_role_text_within("status", &total, LIMIT).await;
        let watch = Stopwatch::install(&b, "Export all users", &done).await;
        let clicked = Instant::now();
        b.click_button("Export all users").await;
        b.wait_for_role_text_within("status", &done, LIMIT).await;
        let lap = watch.read(&b).await;
        let (file_bytes, modified) = wait_for_file(&downloads.path().join(FILE), clicked).await;
        seen.push(clicked.elapsed().as_secs_f64() * 1000.0);
        let lines = std::fs::read(downloads.path().join(FILE))
            .map(|t| t.iter().filter(|&&c| c == b'\n').count())
            .unwrap_or(0);
        assert_eq!(
            lines,
            users as usize + 1,
            "run {run}: {FILE} has {lines} lines for {users} users and a header"
        );
        bytes = file_bytes;
        saved.push(modified - (watch.time_origin + lap.start));
        status.push(lap.ms());
    }
    b.assert_no_console_errors().await;
    let name = |what: &str| format!("export of {} users {what}", grouped(users as usize));
    vec![
        Figure::new(
            "export_saved",
            name("to the saved CSV"),
            Unit::Ms,
            MEASURES_SAVED,
            saved,
            Some(Budget::AtMost(BUDGET_MS)),
        )
        .with_detail(json!({
            "csv_bytes": bytes,
            "cross_check_ms_from_webdriver_click_to_file_seen_by_10ms_polling": seen,
        })),
        Figure::new(
            "export_status",
            name("to its status"),
            Unit::Ms,
            MEASURES_STATUS,
            status,
            None,
        ),
    ]
}

/// Waits for the complete download at `path`; returns its size and its modification time in
/// Unix milliseconds.
async fn wait_for_file(path: &Path, since: Instant) -> (u64, f64) {
    loop {
        if let Ok(meta) = std::fs::metadata(path) {
            let modified = meta
                .modified()
                .unwrap_or_else(|_| SystemTime::now())
                .duration_since(UNIX_EPOCH)
                .expect("after 1970")
                .as_secs_f64()
                * 1000.0;
            return (meta.len(), modified);
        }
        assert!(
            since.elapsed() < LIMIT,
            "no {} within {LIMIT:?} of the click",
            path.display()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
