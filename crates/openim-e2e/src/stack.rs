//! The servers under test: the emulator in this process (its OpenIM port and its chat admin
//! port), and nginx with deploy/nginx.conf (rendered by scripts/render-nginx-conf.sh) serving
//! dist/, proxying /api/ to the OpenIM port and /complete_admin/ to the chat admin port.
//! Either can be stopped and started again on the same addresses in the middle of a test, and
//! a [`FaultServer`] can stand in for the emulator on its OpenIM address to play a fault.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use openim_emulator::{Config, Running};
use openim_protocol::ApiVersion;
use tempfile::TempDir;
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::task::JoinSet;

use crate::openim::OpenIm;
use crate::process::{free_port, Owned};
use crate::repo_root;

/// How long a server gets to start or stop.
const SERVER_DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

pub struct Stack {
    emulator: Option<Running>,
    /// What answers on the emulator's OpenIM address while the emulator is replaced.
    stand_in: Option<FaultServer>,
    /// The emulator's configuration, `listen` and `chat_listen` fixed to the addresses it got
    /// on first start.
    config: Config,
    nginx: Option<Owned>,
    nginx_port: u16,
    conf: PathBuf,
    /// Holds nginx's config, logs and temp files; kept (and named) when a test fails.
    dir: Option<TempDir>,
}

impl Stack {
    /// The emulator answering as `api`, behind nginx.
    pub async fn start(api: ApiVersion) -> Stack {
        Stack::start_seeded(api, 0).await
    }

    /// The emulator answering as `api` with `users` ordinary users `user000001`.., behind nginx.
    pub async fn start_seeded(api: ApiVersion, users: u32) -> Stack {
        Stack::start_with(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            api,
            quiet: true,
            seed_users: users,
            ..Default::default()
        })
        .await
    }

    /// The emulator with `config` (e.g. `token_expire_days`), behind nginx. The chat admin API
    /// listens on `config.chat_listen`, or on a free local port when that is `None`.
    pub async fn start_with(config: Config) -> Stack {
        Stack::start_serving(config, &repo_root().join("dist")).await
    }

    /// As [`Stack::start_with`], with nginx serving `dist` (which needs an index.html) instead
    /// of the release build: for the hosting rules on files a build may produce.
    pub async fn start_serving(mut config: Config, dist: &Path) -> Stack {
        assert!(
            dist.join("index.html").is_file(),
            "{} is missing: run make build first (scripts/build.sh puts the release build there)",
            dist.join("index.html").display()
        );
        if config.chat_listen.is_none() {
            config.chat_listen = Some(SocketAddr::from(([127, 0, 0, 1], 0)));
        }
        let running = openim_emulator::spawn(config.clone())
            .await
            .unwrap_or_else(|e| panic!("the emulator cannot listen on {}: {e}", config.listen));
        config.listen = running.addr;
        config.chat_listen = running.chat_addr;
        let dir = tempfile::Builder::new()
            .prefix("openim-e2e-")
            .tempdir()
            .expect("create a temp directory for nginx");
        let mut stack = Stack {
            emulator: Some(running),
            stand_in: None,
            config,
            nginx: None,
            nginx_port: 0,
            conf: dir.path().join("nginx.conf"),
            dir: Some(dir),
        };
        // A port found free can be taken before nginx binds it; try a few.
        for attempt in 1..=3 {
            stack.nginx_port = free_port();
            stack.render_conf(dist);
            match stack.try_start_nginx().await {
                Ok(()) => return stack,
                Err(e) if attempt < 3 && e.contains("Address already in use") => continue,
                Err(e) => panic!("{e}"),
            }
        }
        unreachable!("the loop returns or panics")
    }

    /// `http://127.0.0.1:<nginx port><path>`: the console as a browser reaches it.
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.nginx_port)
    }

    /// The emulator's own address (not through nginx).
    pub fn emulator_addr(&self) -> SocketAddr {
        self.config.listen
    }

    /// The address of the emulator's chat admin API (not through nginx).
    pub fn chat_addr(&self) -> SocketAddr {
        self.config
            .chat_listen
            .expect("the stack always serves the chat admin API")
    }

    pub fn api_version(&self) -> ApiVersion {
        self.config.api
    }

    /// A client for the emulator's HTTP API, to seed data and check what the console did.
    pub fn openim(&self) -> OpenIm {
        OpenIm::new(
            format!("http://{}", self.config.listen),
            self.config.api,
            &self.config.secret,
        )
    }

    /// The directory with nginx's config and logs.
    pub fn dir(&self) -> &Path {
        self.dir.as_ref().expect("temp dir").path()
    }

    /// Stops the emulator (both its ports) and any stand-in; nginx then answers /api/ and
    /// /complete_admin/ with 502.
    pub async fn stop_emulator(&mut self) {
        let stand_in = self.stand_in.take();
        let running = self.emulator.take();
        if stand_in.is_none() && running.is_none() {
            return;
        }
        drop((stand_in, running));
        for addr in [self.config.listen, self.chat_addr()] {
            let deadline = Instant::now() + SERVER_DEADLINE;
            while TcpStream::connect(addr).await.is_ok() {
                assert!(
                    Instant::now() < deadline,
                    "the emulator still accepts connections on {addr} {SERVER_DEADLINE:?} after being stopped"
                );
                tokio::time::sleep(POLL).await;
            }
        }
    }

    /// Stops the emulator and puts `fault` on its OpenIM address, until
    /// [`Stack::start_emulator`] brings the emulator back (with a fresh state).
    pub async fn replace_emulator(&mut self, fault: Fault) {
        self.stop_emulator().await;
        let addr = self.config.listen;
        let deadline = Instant::now() + SERVER_DEADLINE;
        loop {
            match FaultServer::start(fault, addr).await {
                Ok(server) => {
                    self.stand_in = Some(server);
                    return;
                }
                Err(e)
                    if e.kind() == std::io::ErrorKind::AddrInUse && Instant::now() < deadline =>
                {
                    tokio::time::sleep(POLL).await;
                }
                Err(e) => panic!("cannot put {fault:?} on {addr}: {e}"),
            }
        }
    }

    /// Starts the emulator again on the same addresses with a fresh state: only the users the
    /// configuration seeds, and no stored tokens. A stand-in put there by
    /// [`Stack::replace_emulator`] goes first.
    pub async fn start_emulator(&mut self) {
        assert!(self.emulator.is_none(), "the emulator is already running");
        self.stand_in.take();
        let deadline = Instant::now() + SERVER_DEADLINE;
        loop {
            match openim_emulator::spawn(self.config.clone()).await {
                Ok(running) => {
                    self.emulator = Some(running);
                    return;
                }
                Err(e) if Instant::now() < deadline => {
                    if e.kind() != std::io::ErrorKind::AddrInUse {
                        panic!(
                            "the emulator cannot listen on {} and {}: {e}",
                            self.config.listen,
                            self.chat_addr()
                        );
                    }
                    tokio::time::sleep(POLL).await;
                }
                Err(e) => panic!(
                    "the emulator cannot listen again on {} within {SERVER_DEADLINE:?}: {e}",
                    self.config.listen
                ),
            }
        }
    }

    /// Stops the emulator and starts it again on the same addresses after `change` has edited
    /// its configuration (its `listen` and `chat_listen` are kept): another secret, token
    /// lifetime or API generation.
    pub async fn restart_emulator_with(&mut self, change: impl FnOnce(&mut Config)) {
        self.stop_emulator().await;
        let (listen, chat_listen) = (self.config.listen, self.config.chat_listen);
        change(&mut self.config);
        self.config.listen = listen;
        self.config.chat_listen = chat_listen;
        self.start_emulator().await;
    }

    /// Stops nginx: the browser then cannot reach the console or /api/ at all.
    pub fn stop_nginx(&mut self) {
        if let Some(mut nginx) = self.nginx.take() {
            nginx.stop();
        }
    }

    /// Starts nginx again with the same config and port.
    pub async fn start_nginx(&mut self) {
        assert!(self.nginx.is_none(), "nginx is already running");
        if let Err(e) = self.try_start_nginx().await {
            panic!("{e}");
        }
    }

    /// nginx's error log so far.
    pub fn nginx_error_log(&self) -> String {
        std::fs::read_to_string(self.dir().join("logs/error.log")).unwrap_or_default()
    }

    fn render_conf(&self, dist: &Path) {
        let out = Command::new("bash")
            .arg(repo_root().join("scripts/render-nginx-conf.sh"))
            .args(["--listen", &format!("127.0.0.1:{}", self.nginx_port)])
            .arg("--dist")
            .arg(dist)
            .args(["--upstream", &format!("http://{}", self.config.listen)])
            .args(["--chat-upstream", &format!("http://{}", self.chat_addr())])
            .arg("--prefix")
            .arg(self.dir())
            .arg("--out")
            .arg(&self.conf)
            .args(["--worker-user", "auto"])
            .output()
            .expect("run scripts/render-nginx-conf.sh");
        assert!(
            out.status.success(),
            "scripts/render-nginx-conf.sh failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    async fn try_start_nginx(&mut self) -> Result<(), String> {
        let dir = self.dir().to_path_buf();
        let mut command = Command::new(std::env::var_os("NGINX").unwrap_or_else(|| "nginx".into()));
        command
            .arg("-p")
            .arg(&dir)
            .arg("-c")
            .arg(&self.conf)
            .arg("-e")
            .arg(dir.join("logs/error.log"))
            .args(["-g", "daemon off;"]);
        let mut nginx = Owned::spawn("nginx", command, Some(&dir.join("logs/nginx.out")));
        let url = self.url("/");
        let http = reqwest::Client::new();
        let deadline = Instant::now() + SERVER_DEADLINE;
        loop {
            if let Some(status) = nginx.exited() {
                return Err(format!(
                    "nginx exited ({status}) instead of serving {url}; its error log:\n{}{}",
                    self.nginx_error_log(),
                    std::fs::read_to_string(dir.join("logs/nginx.out")).unwrap_or_default()
                ));
            }
            if let Ok(resp) = http.get(&url).send().await {
                if resp.status().is_success() {
                    self.nginx = Some(nginx);
                    return Ok(());
                }
                return Err(format!(
                    "nginx answered {} for {url}; its error log:\n{}",
                    resp.status(),
                    self.nginx_error_log()
                ));
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "nginx did not answer {url} within {SERVER_DEADLINE:?}; its error log:\n{}",
                    self.nginx_error_log()
                ));
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        self.stop_nginx();
        self.stand_in.take();
        self.emulator.take();
        if std::thread::panicking() {
            if let Some(dir) = self.dir.take() {
                eprintln!("nginx config and logs kept in {}", dir.keep().display());
            }
        }
    }
}

/// A fault that a [`FaultServer`] plays where a server should answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Every request gets `200 OK` and an HTML page: a web server where OpenIM should be.
    HtmlPage,
    /// Connections are accepted and requests read, but no answer ever comes.
    NoAnswer,
    /// No connection is accepted: the accept queue is full, so connecting hangs until the
    /// client gives up (nginx after its proxy_connect_timeout of 5 s, with 504).
    NoAccept,
}

/// The page [`Fault::HtmlPage`] answers with.
const FAULT_HTML_PAGE: &str =
    "<!doctype html><html><head><title>Welcome</title></head><body><h1>It works!</h1></body></html>";

/// A local TCP server playing a [`Fault`]; stopped, with its connections, when dropped.
pub struct FaultServer {
    addr: SocketAddr,
    /// The accept loop and the connections it serves; dropping the set aborts them.
    _tasks: JoinSet<()>,
    /// [`Fault::NoAccept`]: the listener that never accepts, and the connections filling its
    /// queue.
    _held: Option<(TcpListener, Vec<TcpStream>)>,
}

impl FaultServer {
    /// Starts `fault` on `addr` (port 0 for a free one).
    pub async fn start(fault: Fault, addr: SocketAddr) -> std::io::Result<FaultServer> {
        let mut tasks = JoinSet::new();
        if fault == Fault::NoAccept {
            let (listener, queued) = full_listener(addr).await?;
            return Ok(FaultServer {
                addr: listener.local_addr()?,
                _tasks: tasks,
                _held: Some((listener, queued)),
            });
        }
        let listener = TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        tasks.spawn(async move {
            let mut connections = JoinSet::new();
            while let Ok((stream, _)) = listener.accept().await {
                connections.spawn(serve_fault(fault, stream));
                while connections.try_join_next().is_some() {}
            }
        });
        Ok(FaultServer {
            addr,
            _tasks: tasks,
            _held: None,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

/// A listener on `addr` whose accept queue is full, and the connections that fill it. Linux
/// queues backlog + 1 connections and drops SYNs beyond that, so a further connect hangs.
async fn full_listener(addr: SocketAddr) -> std::io::Result<(TcpListener, Vec<TcpStream>)> {
    let socket = TcpSocket::new_v4()?;
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    let listener = socket.listen(0)?;
    let target = listener.local_addr()?;
    let mut queued = Vec::new();
    loop {
        match tokio::time::timeout(Duration::from_millis(500), TcpStream::connect(target)).await {
            Ok(Ok(stream)) if queued.len() < 64 => queued.push(stream),
            Ok(Ok(_)) => {
                return Err(std::io::Error::other(format!(
                    "{target} still accepts connections after 64 were queued"
                )))
            }
            Ok(Err(e)) => return Err(e),
            Err(_) => return Ok((listener, queued)),
        }
    }
}

async fn serve_fault(fault: Fault, stream: TcpStream) {
    match fault {
        Fault::HtmlPage => {
            // Read the whole request first: closing with unread bytes would reset the
            // connection, and the client would see a network failure instead of the page.
            if read_request(&stream).await.is_ok() {
                let answer = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{FAULT_HTML_PAGE}",
                    FAULT_HTML_PAGE.len()
                );
                let _ = write_all(&stream, answer.as_bytes()).await;
            }
        }
        Fault::NoAnswer => {
            let mut buf = [0u8; 4096];
            while matches!(read_some(&stream, &mut buf).await, Ok(n) if n > 0) {}
        }
        Fault::NoAccept => unreachable!("a full listener accepts nothing"),
    }
}

/// Reads one HTTP/1.1 request: the head, then as many body bytes as Content-Length says.
async fn read_request(stream: &TcpStream) -> std::io::Result<()> {
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let n = read_some(stream, &mut buf).await?;
        if n == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        request.extend_from_slice(&buf[..n]);
        let Some(end) = request.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&request[..end]).to_ascii_lowercase();
        let length: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        if request.len() >= end + 4 + length {
            return Ok(());
        }
    }
}

async fn read_some(stream: &TcpStream, buf: &mut [u8]) -> std::io::Result<usize> {
    loop {
        stream.readable().await?;
        match stream.try_read(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            done => return done,
        }
    }
}

async fn write_all(stream: &TcpStream, mut bytes: &[u8]) -> std::io::Result<()> {
    while !bytes.is_empty() {
        stream.writable().await?;
        match stream.try_write(bytes) {
            Ok(n) => bytes = &bytes[n..],
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(())
}
