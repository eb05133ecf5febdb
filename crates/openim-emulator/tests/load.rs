//! The emulator under load: 32 concurrent clients on loopback, each sending a fixed number of
//! `get_users` pages and `user_register` batches, every answer checked to be a success envelope.
//! The rate is printed as a report, not asserted (design habit 12); the run is bounded in count
//! and in time. `cargo test --release -p openim-emulator --test load -- --nocapture` shows it.

use std::time::{Duration, Instant};

use openim_emulator::{spawn, Config};
use openim_protocol::ApiVersion;
use serde_json::{json, Value};

const CLIENTS: usize = 32;
/// More in a release build, where a run of 100 per client is too short to time well.
const REQUESTS_PER_CLIENT: usize = if cfg!(debug_assertions) { 100 } else { 500 };
/// Every fourth request of a client registers a batch of this many users.
const BATCH: usize = 10;
const SEEDED: u32 = 1000;
/// The whole run must end within this; it takes seconds on two cores.
const RUN_LIMIT: Duration = Duration::from_secs(120);
const SECRET: &str = "openIM123";

/// What one client saw.
#[derive(Default)]
struct Tally {
    pages: usize,
    batches: usize,
    /// Answers that were not a success envelope, or no answer at all.
    problems: Vec<String>,
}

struct Target {
    base: String,
    api: ApiVersion,
    token: String,
}

impl Target {
    async fn post(
        &self,
        http: &reqwest::Client,
        path: &str,
        operation_id: &str,
        body: &Value,
    ) -> Result<Value, String> {
        let resp = http
            .post(format!("{}{path}", self.base))
            .header("operationID", operation_id)
            .header("token", &self.token)
            .json(body)
            .send()
            .await
            .map_err(|e| format!("{path}: no answer: {e}"))?;
        let status = resp.status().as_u16();
        let text = resp
            .text()
            .await
            .map_err(|e| format!("{path}: body: {e}"))?;
        let envelope: Value = serde_json::from_str(&text)
            .map_err(|_| format!("{path}: HTTP {status}, not an envelope: {text}"))?;
        let keys: Vec<&str> = envelope
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        let shape_ok =
            status == 200 && keys.starts_with(&["errCode", "errMsg", "errDlt"]) && keys.len() <= 4;
        if !shape_ok || envelope["errCode"] != 0 {
            return Err(format!("{path}: HTTP {status}: {text}"));
        }
        Ok(envelope)
    }

    async fn page(
        &self,
        http: &reqwest::Client,
        operation_id: &str,
        number: usize,
        size: usize,
    ) -> Result<(), String> {
        let body = json!({"pagination": {"pageNumber": number, "showNumber": size}});
        let envelope = self
            .post(http, "/user/get_users", operation_id, &body)
            .await?;
        // A page past the end is `null`, as OpenIM's nil slice.
        let listed = match &envelope["data"]["users"] {
            Value::Array(users) => Some(users.len()),
            Value::Null => Some(0),
            _ => None,
        };
        match (listed, envelope["data"]["total"].as_i64()) {
            (Some(listed), Some(total)) if listed <= size && total >= SEEDED as i64 => Ok(()),
            _ => Err(format!("get_users page {number} of {size}: {envelope}")),
        }
    }

    async fn register(
        &self,
        http: &reqwest::Client,
        client: usize,
        n: usize,
    ) -> Result<(), String> {
        let users: Vec<Value> = (0..BATCH)
            .map(|i| {
                let id = format!("load_{client}_{n}_{i}");
                json!({"userID": id, "nickname": format!("Load {client} {n} {i}"), "faceURL": ""})
            })
            .collect();
        let body = match self.api {
            ApiVersion::V3_4 => json!({"secret": SECRET, "users": users}),
            ApiVersion::V3_8 => json!({"users": users}),
        };
        let operation_id = format!("load-{client}-{n}");
        self.post(http, "/user/user_register", &operation_id, &body)
            .await
            .map(|_| ())
    }

    async fn total(&self, http: &reqwest::Client) -> i64 {
        let body = json!({"pagination": {"pageNumber": 1, "showNumber": 1}});
        let envelope = self
            .post(http, "/user/get_users", "load-total", &body)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        envelope["data"]["total"].as_i64().expect("total")
    }
}

async fn admin_token(base: &str, api: ApiVersion) -> String {
    let (path, body) = match api {
        ApiVersion::V3_4 => (
            "/auth/user_token",
            json!({"secret": SECRET, "platformID": 10, "userID": "openIM123456"}),
        ),
        ApiVersion::V3_8 => (
            "/auth/get_admin_token",
            json!({"secret": SECRET, "userID": "imAdmin"}),
        ),
    };
    let envelope: Value = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .header("operationID", "load-token")
        .json(&body)
        .send()
        .await
        .expect("an answer")
        .json()
        .await
        .expect("JSON");
    envelope["data"]["token"]
        .as_str()
        .unwrap_or_else(|| panic!("no token: {envelope}"))
        .to_string()
}

async fn client_run(target: std::sync::Arc<Target>, client: usize) -> Tally {
    let http = reqwest::Client::new();
    let mut tally = Tally::default();
    for n in 0..REQUESTS_PER_CLIENT {
        let result = if n % 4 == 3 {
            tally.batches += 1;
            target.register(&http, client, n).await
        } else {
            tally.pages += 1;
            let size = [10, 20, 100][n % 3];
            let operation_id = format!("load-{client}-{n}");
            target
                .page(&http, &operation_id, (client * 7 + n) % 50 + 1, size)
                .await
        };
        if let Err(e) = result {
            tally.problems.push(e);
        }
    }
    tally
}

async fn under_load(api: ApiVersion) {
    let running = spawn(Config {
        listen: "127.0.0.1:0".parse().unwrap(),
        api,
        quiet: true,
        seed_users: SEEDED,
        ..Config::default()
    })
    .await
    .expect("the emulator starts");
    let base = format!("http://{}", running.addr);
    let target = std::sync::Arc::new(Target {
        token: admin_token(&base, api).await,
        base,
        api,
    });
    let before = target.total(&reqwest::Client::new()).await;

    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|client| tokio::spawn(client_run(target.clone(), client)))
        .collect();
    let tallies = tokio::time::timeout(RUN_LIMIT, async {
        let mut tallies = Vec::new();
        for client in clients {
            tallies.push(client.await.expect("a client task"));
        }
        tallies
    })
    .await
    .unwrap_or_else(|_| panic!("{CLIENTS} clients did not finish within {RUN_LIMIT:?}"));
    let elapsed = started.elapsed();

    let pages: usize = tallies.iter().map(|t| t.pages).sum();
    let batches: usize = tallies.iter().map(|t| t.batches).sum();
    let problems: Vec<&String> = tallies.iter().flat_map(|t| &t.problems).collect();
    let requests = pages + batches;
    assert_eq!(requests, CLIENTS * REQUESTS_PER_CLIENT);
    println!(
        "emulator {api} under load: {requests} requests from {CLIENTS} clients in {:.2} s = {:.0} requests/s \
         ({pages} get_users pages, {batches} user_register batches of {BATCH})",
        elapsed.as_secs_f64(),
        requests as f64 / elapsed.as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "{} of {requests} answers were not success envelopes, e.g.:\n  {}",
        problems.len(),
        problems
            .iter()
            .take(5)
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join("\n  ")
    );
    let after = target.total(&reqwest::Client::new()).await;
    assert_eq!(
        after - before,
        (batches * BATCH) as i64,
        "registered users missing after the run"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_32_clients_without_an_error_v34() {
    under_load(ApiVersion::V3_4).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serves_32_clients_without_an_error_v38() {
    under_load(ApiVersion::V3_8).await;
}
