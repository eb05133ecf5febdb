//! The emulator under concurrent load on loopback: `get_users` pages and `user_register` batches
//! from many clients at once, each burst bounded in requests and in time, every answer checked
//! to be errCode 0. The emulator is the release binary in a process of its own when the bench
//! is given one (`--emulator-bin`, as scripts/bench.sh does), else it runs inside the bench.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use openim_e2e::{ApiVersion, Config, SECRET};
use serde_json::{json, Value as Json};

use crate::console::grouped;
use crate::report::{Figure, Unit};
use crate::stats::Summary;

/// How much load one burst puts on the emulator.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub clients: usize,
    /// A burst ends after this many requests of a kind...
    pub get_small: usize,
    pub get_large: usize,
    pub register: usize,
    /// ...or after this long, whichever comes first.
    pub time_cap: Duration,
    pub register_batch: usize,
}

#[derive(Clone, Copy, Debug)]
enum Kind {
    /// `get_users` at this page size, pages spread over the seeded users.
    GetUsers(usize),
    /// `user_register` of this many new users.
    Register(usize),
}

/// The server being loaded, stopped when dropped.
enum Server {
    Process(Child),
    /// Held for its drop, which stops the server.
    InProcess {
        _running: openim_emulator::Running,
    },
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Server::Process(child) = self {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

pub async fn run(bin: Option<&Path>, users: u32, load: Load, runs: usize) -> Vec<Figure> {
    // Two servers seeded alike: the users the registrations add would otherwise grow the table
    // that get_users pages through, and each run would page through a bigger one.
    let (pager, pager_addr) = start(bin, users).await;
    let (registrar, registrar_addr) = start(bin, users).await;
    let server_note = match bin {
        Some(bin) => format!("{}, each in a process of its own", bin.display()),
        None => "inside the bench process, sharing its runtime".into(),
    };
    let http = reqwest::Client::new();
    let pager_target = Target::signed_in(&http, pager_addr, users).await;
    let registrar_target = Target::signed_in(&http, registrar_addr, users).await;
    let kinds = [
        (Kind::GetUsers(20), load.get_small),
        (Kind::GetUsers(1000), load.get_large),
        (Kind::Register(load.register_batch), load.register),
    ];
    let mut rates = vec![Vec::new(); kinds.len()];
    // Kinds take turns within each run, so that a slow stretch of the machine hits them alike.
    for run in 0..runs {
        for (i, (kind, cap)) in kinds.iter().enumerate() {
            let target = match kind {
                Kind::GetUsers(_) => &pager_target,
                Kind::Register(_) => &registrar_target,
            };
            let rate = burst(&http, target, *kind, run, load.clients, *cap, load.time_cap).await;
            rates[i].push(rate);
        }
    }
    drop((pager, registrar));
    kinds
        .iter()
        .zip(rates)
        .map(|((kind, cap), samples)| {
            let (id, name, what) = describe(*kind);
            let measures = format!(
                "Requests answered per second: {} clients on loopback, each sending its next \
                 request when its last was answered, straight to the emulator (not through \
                 nginx), the emulator seeded with {} users, running {server_note}; get_users \
                 and user_register go to two such emulators, so that the registered users do \
                 not grow the table being paged. {what} A burst ends after {} requests or \
                 {:?}, whichever comes first; every answer checked for errCode 0.",
                load.clients,
                grouped(users as usize),
                grouped(*cap),
                load.time_cap
            );
            let detail = match (kind, Summary::of(&samples)) {
                (Kind::Register(n), Some(s)) => {
                    json!({"median_users_per_second": s.median * *n as f64})
                }
                _ => Json::Null,
            };
            Figure::new(id, name, Unit::RequestsPerSec, measures, samples, None).with_detail(detail)
        })
        .collect()
}

/// A figure's ID, name and what its requests are.
fn describe(kind: Kind) -> (&'static str, String, &'static str) {
    match kind {
        Kind::GetUsers(20) => (
            "emulator_get_users_20",
            "emulator get_users, 20 per page".into(),
            "get_users pages of 20 (the console's default), page numbers spread over all pages.",
        ),
        Kind::GetUsers(size) => (
            "emulator_get_users_large",
            format!("emulator get_users, {} per page", grouped(size)),
            "get_users pages of 1,000 (the largest page size of the Users page), page numbers spread over all pages.",
        ),
        Kind::Register(n) => (
            "emulator_user_register",
            format!("emulator user_register, {} users a batch", grouped(n)),
            "user_register batches of new users (the import sends up to 1,000 a batch).",
        ),
    }
}

struct Target {
    base: String,
    token: String,
    users: u32,
}

impl Target {
    /// The emulator at `addr`, seeded with `users`, with an admin token to call it.
    async fn signed_in(http: &reqwest::Client, addr: SocketAddr, users: u32) -> Arc<Target> {
        let base = format!("http://{addr}");
        let body = json!({"secret": SECRET, "userID": ApiVersion::V3_8.default_admin_id()});
        let envelope = post(http, &base, "/auth/get_admin_token", "", &body)
            .await
            .unwrap_or_else(|e| panic!("an admin token from the emulator: {e}"));
        let token = envelope["data"]["token"]
            .as_str()
            .expect("a token")
            .to_string();
        Arc::new(Target { base, token, users })
    }
}

/// One burst of `kind` from `clients` concurrent clients; returns requests per second.
async fn burst(
    http: &reqwest::Client,
    target: &Arc<Target>,
    kind: Kind,
    run: usize,
    clients: usize,
    cap: usize,
    time_cap: Duration,
) -> f64 {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::<Result<usize, String>>::new();
    for _ in 0..clients {
        let (http, target, next) = (http.clone(), target.clone(), next.clone());
        tasks.spawn(async move {
            let mut answered = 0usize;
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= cap || started.elapsed() >= time_cap {
                    return Ok(answered);
                }
                request(&http, &target, kind, run, n).await?;
                answered += 1;
            }
        });
    }
    let mut answered = 0;
    while let Some(done) = tasks.join_next().await {
        match done.expect("a load client panicked") {
            Ok(n) => answered += n,
            Err(e) => panic!("the emulator under load: {e}"),
        }
    }
    answered as f64 / started.elapsed().as_secs_f64()
}

async fn request(
    http: &reqwest::Client,
    target: &Target,
    kind: Kind,
    run: usize,
    n: usize,
) -> Result<(), String> {
    let operation = format!("bench-load-{run}-{n}");
    match kind {
        Kind::GetUsers(size) => {
            let pages = (target.users as usize / size).max(1);
            // Consecutive requests land far apart, all pages alike.
            let page = 1 + (n * 7919) % pages;
            let body = json!({"pagination": {"pageNumber": page, "showNumber": size}});
            let envelope = post(http, &target.base, "/user/get_users", &target.token, &body)
                .await
                .map_err(|e| format!("{operation}: {e}"))?;
            let listed = envelope["data"]["users"].as_array().map_or(0, Vec::len);
            if listed != size.min(target.users as usize) {
                return Err(format!("page {page} of {size} listed {listed} users"));
            }
            Ok(())
        }
        Kind::Register(batch) => {
            let users: Vec<Json> = (0..batch)
                .map(|i| {
                    json!({"userID": format!("load_{run}_{n}_{i}"), "nickname": format!("Load {i}"), "faceURL": ""})
                })
                .collect();
            post(
                http,
                &target.base,
                "/user/user_register",
                &target.token,
                &json!({ "users": users }),
            )
            .await
            .map(|_| ())
            .map_err(|e| format!("{operation}: {e}"))
        }
    }
}

async fn post(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    token: &str,
    body: &Json,
) -> Result<Json, String> {
    let resp = http
        .post(format!("{base}{path}"))
        .header("operationID", "bench-load")
        .header("token", token)
        .json(body)
        .send()
        .await
        .map_err(|e| format!("{path}: no answer: {e}"))?;
    let status = resp.status();
    let text = resp
        .text()
        .await
        .map_err(|e| format!("{path}: body: {e}"))?;
    let envelope: Json = serde_json::from_str(&text)
        .map_err(|_| format!("{path}: HTTP {status}, not JSON: {text}"))?;
    if envelope["errCode"] != 0 {
        return Err(format!("{path}: {envelope}"));
    }
    Ok(envelope)
}

/// The v3.8 emulator seeded with `users`, on a free loopback port.
async fn start(bin: Option<&Path>, users: u32) -> (Server, SocketAddr) {
    let Some(bin) = bin else {
        let running = openim_emulator::spawn(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            api: ApiVersion::V3_8,
            quiet: true,
            seed_users: users,
            ..Default::default()
        })
        .await
        .expect("start the emulator");
        let addr = running.addr;
        return (Server::InProcess { _running: running }, addr);
    };
    let mut child = Command::new(bin)
        .args([
            "--listen",
            "127.0.0.1:0",
            "--api",
            "v3.8",
            "--no-chat",
            "--quiet",
        ])
        .args(["--seed-users", &users.to_string()])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("start {}: {e}", bin.display()));
    let stderr = child.stderr.take().expect("piped stderr");
    let (tx, rx) = tokio::sync::oneshot::channel();
    // The emulator says where it listens on stderr; the rest of its output is drained, so that
    // a full pipe never stalls it.
    std::thread::spawn(move || {
        let mut tx = Some(tx);
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if let Some(addr) = line.split("listening on http://").nth(1) {
                if let (Some(tx), Ok(addr)) = (tx.take(), addr.trim().parse::<SocketAddr>()) {
                    let _ = tx.send(addr);
                }
            }
        }
    });
    let server = Server::Process(child);
    match tokio::time::timeout(Duration::from_secs(60), rx).await {
        Ok(Ok(addr)) => (server, addr),
        _ => panic!("{} did not say where it listens within 60 s", bin.display()),
    }
}
