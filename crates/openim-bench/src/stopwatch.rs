//! A stopwatch inside the page: it starts when a button reading a given text is clicked and
//! stops when an element with role=status first reads a given text, both on the page's own
//! clock (`performance.now()`). The WebDriver round trips and the harness's polling of the
//! status stay outside the interval.

use std::time::{Duration, Instant};

use openim_e2e::Browser;
use serde_json::json;

/// Installs the stopwatch, replacing the one installed before on this page, if any. A capturing
/// listener on the document sees the click before the console's own handlers do; a mutation
/// observer sees the status text as soon as the console puts it in the DOM.
const INSTALL: &str = r#"
const [button, done] = arguments;
const old = window.__benchStopwatch;
if (old) {
    document.removeEventListener('click', old.onClick, true);
    old.observer.disconnect();
}
const watch = { start: null, end: null };
watch.onClick = (e) => {
    const b = e.target.closest && e.target.closest('button');
    if (watch.start === null && b && b.textContent.trim() === button) {
        watch.start = performance.now();
    }
};
watch.observer = new MutationObserver(() => {
    if (watch.start === null || watch.end !== null) return;
    for (const s of document.querySelectorAll('[role=status]')) {
        if (s.textContent.includes(done)) {
            watch.end = performance.now();
            return;
        }
    }
});
document.addEventListener('click', watch.onClick, true);
watch.observer.observe(document.body, { subtree: true, childList: true, characterData: true });
window.__benchStopwatch = watch;
return performance.timeOrigin;
"#;

const READ: &str = r#"
const w = window.__benchStopwatch;
return w && w.start !== null && w.end !== null ? [w.start, w.end] : null;
"#;

pub struct Stopwatch {
    /// `performance.timeOrigin` of the page: its clock's zero as Unix milliseconds.
    pub time_origin: f64,
}

/// When the stopwatch started and stopped, in ms on the page's clock.
#[derive(Clone, Copy, Debug)]
pub struct Lap {
    pub start: f64,
    pub end: f64,
}

impl Lap {
    pub fn ms(&self) -> f64 {
        self.end - self.start
    }
}

impl Stopwatch {
    /// Starts on a click on the button reading `button`, stops at a status containing `done`.
    pub async fn install(b: &Browser, button: &str, done: &str) -> Stopwatch {
        let origin = b
            .client()
            .execute(INSTALL, vec![json!(button), json!(done)])
            .await
            .unwrap_or_else(|e| panic!("install the stopwatch: {e}"));
        Stopwatch {
            time_origin: origin.as_f64().expect("performance.timeOrigin is a number"),
        }
    }

    /// The lap, once the status has been seen (call after waiting for it).
    pub async fn read(&self, b: &Browser) -> Lap {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let v = b.client().execute(READ, vec![]).await.unwrap_or_default();
            if let (Some(start), Some(end)) = (v[0].as_f64(), v[1].as_f64()) {
                return Lap { start, end };
            }
            assert!(
                Instant::now() < deadline,
                "the stopwatch did not see both the click and the status: {v}"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
}
