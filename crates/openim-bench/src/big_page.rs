//! Big page: the render of a page of many rows once its data has arrived, as the console's own
//! `users-page-render` measure records it. Each run is an operator's "Next page" on the users
//! table at that page size, in one browser session.

use std::time::Duration;

use openim_e2e::{Browser, Stack};
use serde_json::json;

use crate::console::{self, grouped, RENDER_MEASURE};
use crate::report::{Figure, Unit};
use crate::stats::Budget;

const BUDGET_MS: f64 = 25.0;
const LIMIT: Duration = Duration::from_secs(60);

pub const MEASURES: &str = "performance.measure('users-page-render') of the console: from the \
mark set once a page's /user/get_users answer is decoded, just before it is handed to the view \
(users-data), to the mark set in an effect once the rows that page shows are in the DOM \
(users-rendered). A page of more than 100 rows renders only the rows in its table's scroll \
viewport and a few beyond (the rest of the page is a scroll away; rows_in_dom in detail); the \
effect reads the layout once to check that the rendered rows cover the viewport before it marks. \
Covers everything the console renders in that one pass: the table's rows, and the request log, \
which re-renders in the same pass with the call's new entry and its response body. Excludes \
the request, JSON decoding, and the browser's style, layout and paint after the mark. One run = \
a click on \"Next page\" in one tab, so the request log holds one more entry each run; the \
first page's render after navigation is in detail.";

pub async fn run(stack: &Stack, rows: usize, runs: usize) -> Figure {
    let record = console::sign_in_record(stack).await;
    let b = Browser::start().await;
    console::sign_in_before_scripts(&b, stack, &record).await;
    b.open(&stack.url(&format!("/users?page=1&size={rows}")))
        .await;
    let (_, first) = console::wait_for_entry(&b, RENDER_MEASURE, 0, LIMIT).await;
    assert_eq!(console::user_rows(&b).await, rows, "page 1 rows");
    let in_dom = console::rows_in_dom(&b).await;
    let mut samples = Vec::new();
    for run in 0..runs {
        let before = console::entry_count(&b, RENDER_MEASURE).await;
        b.click_button("Next page").await;
        let (_, duration) = console::wait_for_entry(&b, RENDER_MEASURE, before, LIMIT).await;
        let shown = console::user_rows(&b).await;
        assert_eq!(shown, rows, "run {run}: page {} rows", run + 2);
        samples.push(duration);
    }
    b.assert_no_console_errors().await;
    Figure::new(
        "big_page_render",
        format!("render of a {}-row page", grouped(rows)),
        Unit::Ms,
        MEASURES,
        samples,
        Some(Budget::AtMost(BUDGET_MS)),
    )
    .with_detail(json!({
        "rows": rows,
        "first_page_after_navigation_ms": first,
        "rows_in_dom": in_dom,
        "pages": format!("2..={}", runs + 1),
    }))
}
