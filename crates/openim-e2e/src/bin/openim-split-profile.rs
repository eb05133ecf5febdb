//! Records which wasm functions opening the users table runs, for scripts/finish-dist.py to
//! split the release build's wasm in two (static/boot.js explains the loader).
//!
//!     openim-split-profile DIST OUT
//!
//! DIST is a build whose wasm is `wasm-split --instrument`ed and whose boot script leaves the
//! module's exports in `window.openimExports`. For each API generation the emulator speaks,
//! this serves DIST behind nginx in front of the emulator and, in a fresh headless Chromium
//! each time, opens /users signed in the ways a tab can be:
//!
//! - `operator`: signed in on the Connection page, which also stores its settings;
//! - `chinese`: the same, with the interface switched to Chinese;
//! - `tab-only`: only the tab's sign-in in sessionStorage, as `make bench` starts.
//!
//! static/early.js asks for the table's page before the wasm starts, and the loader usually
//! has the answer by then. The profile's page runs early.js too, and its loader
//! (scripts/finish-dist.py `PROFILE_LOADER`) waits for the answer as well, except for
//! `operator`, where it holds the answer back until the console has started, as a slow server
//! would.
//!
//! Each time it waits for the table's `users-rendered` mark and writes what the instrumented
//! module recorded for that document to `OUT.<generation>.<way>` (wasm-split's profile
//! format).

use std::path::PathBuf;
use std::time::Duration;

use openim_e2e::console::{sign_in_before_scripts, sign_in_record, wait_for_entry, RENDERED_MARK};
use openim_e2e::{ApiVersion, Browser, Config, Stack};
use serde_json::Value as Json;

/// Enough users for a full first page and a second one.
const USERS: u32 = 50;
const LIMIT: Duration = Duration::from_secs(60);

/// Asks the instrumented module for its profile and returns the bytes.
const READ_PROFILE: &str = "
const w = window.openimExports;
const size = 1 << 20;
const at = w.__wbindgen_malloc(size, 1);
const written = w.__write_profile(at, size);
return Array.from(new Uint8Array(w.memory.buffer, at, written));
";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dist, out] = args.as_slice() else {
        eprintln!("usage: openim-split-profile DIST OUT");
        std::process::exit(2);
    };
    let dist = PathBuf::from(dist);
    for api in [ApiVersion::V3_4, ApiVersion::V3_8] {
        let config = Config {
            listen: "127.0.0.1:0".parse().expect("a socket address"),
            api,
            quiet: true,
            seed_users: USERS,
            ..Config::default()
        };
        let stack = Stack::start_serving(config, &dist).await;
        for way in ["operator", "chinese", "tab-only"] {
            let b = Browser::start().await;
            if way == "tab-only" {
                let record = sign_in_record(&stack).await;
                sign_in_before_scripts(&b, &stack, &record).await;
            } else {
                b.sign_in(&stack).await;
                if way == "chinese" {
                    b.select("Language", "简体中文").await;
                } else {
                    b.client()
                        .execute(
                            "sessionStorage.setItem('openim-split-profile.late', '1');",
                            vec![],
                        )
                        .await
                        .expect("set the profile's late answer");
                }
            }
            // A new document: the profile holds what opening the table ran, nothing before.
            b.open(&stack.url("/users")).await;
            wait_for_entry(&b, RENDERED_MARK, 0, LIMIT).await;
            let bytes: Vec<u8> = match b.client().execute(READ_PROFILE, vec![]).await {
                Ok(Json::Array(values)) => values
                    .iter()
                    .map(|v| v.as_u64().and_then(|n| u8::try_from(n).ok()))
                    .collect::<Option<_>>()
                    .unwrap_or_default(),
                other => panic!("the instrumented build gave no profile: {other:?}"),
            };
            assert!(
                bytes.len() > 8,
                "the instrumented build gave an empty profile ({} bytes)",
                bytes.len()
            );
            b.assert_no_console_errors().await;
            let path = format!("{out}.{}.{way}", api.as_str());
            std::fs::write(&path, &bytes).unwrap_or_else(|e| panic!("write {path}: {e}"));
            println!(
                "openim-split-profile: {} opening /users, {way}: profile in {path}",
                api.as_str()
            );
        }
    }
}
