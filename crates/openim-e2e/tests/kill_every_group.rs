//! openim-bench runs in release, where a panic aborts without running any `Drop`; its panic hook
//! calls `kill_every_group` so that no nginx or Chromium the harness started outlives it. This
//! file is its own test binary: the call stops every child of the process, which would break
//! tests running beside it.

use std::time::{Duration, Instant};

use openim_e2e::{ApiVersion, Stack};

#[tokio::test]
async fn kill_every_group_stops_the_nginx_a_stack_started() {
    let stack = Stack::start(ApiVersion::V3_8).await;
    let url = stack.url("/");
    let client = reqwest::Client::new();
    let answer = client.get(&url).send().await.expect("nginx answers");
    assert!(answer.status().is_success(), "{}", answer.status());

    openim_e2e::kill_every_group();
    let deadline = Instant::now() + Duration::from_secs(5);
    while client.get(&url).send().await.is_ok() {
        assert!(
            Instant::now() < deadline,
            "nginx still answers {url} 5 s after kill_every_group"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
