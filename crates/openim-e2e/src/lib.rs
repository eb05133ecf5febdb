//! End-to-end harness: the release build of the console (dist/) served by the real nginx with
//! deploy/nginx.conf, in front of the OpenIM emulator running in the test process, driven in
//! headless Chromium through chromedriver. Tests find things as a person does: by label, role,
//! button and link text, table caption or heading; never by CSS class (design habit 7).
//! Every wait polls with a deadline and fails saying what it awaited and what the page showed,
//! with a screenshot in target/e2e-failures/.
//!
//! The emulator runs on the test's own Tokio runtime (`#[tokio::test]`, one thread), so a test
//! must not block that thread while the console waits for an answer: run blocking work (a
//! shell command, say) with `tokio::task::spawn_blocking`.

mod browser;
pub mod console;
pub mod devtools;
mod openim;
mod process;
mod stack;

use std::path::PathBuf;
use std::time::Duration;

pub use browser::{Browser, Field, ScrollKey, Table, TableSize};
pub use openim::OpenIm;
pub use openim_emulator::Config;
pub use openim_protocol::ApiVersion;
pub use process::kill_every_group;
pub use process::Settled;
pub use stack::{Fault, FaultServer, Stack};

/// The secret of a default OpenIM installation, which the emulator uses.
pub const SECRET: &str = openim_protocol::DEFAULT_SECRET;

/// How long a wait lasts before the test fails: 10 s, or `E2E_WAIT_SECS`.
pub fn wait_limit() -> Duration {
    let secs = std::env::var("E2E_WAIT_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(10);
    Duration::from_secs(secs)
}

/// The workspace root (this crate lives in crates/openim-e2e).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("the workspace root exists")
}

/// A fresh stack for `api` and a browser, the start of most tests.
pub async fn start(api: ApiVersion) -> (Stack, Browser) {
    let stack = Stack::start(api).await;
    let browser = Browser::start().await;
    (stack, browser)
}

/// `"OpenIM v3.4"`, as the console names a generation.
pub fn generation(api: ApiVersion) -> String {
    format!("OpenIM {api}")
}
