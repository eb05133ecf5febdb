//! The servers under test: the emulator in this process, and nginx with deploy/nginx.conf
//! (rendered by scripts/render-nginx-conf.sh) serving dist/ and proxying /api/ to the emulator.
//! Either can be stopped and started again on the same address in the middle of a test.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use openim_emulator::{Config, Running};
use openim_protocol::ApiVersion;
use tempfile::TempDir;

use crate::openim::OpenIm;
use crate::process::{free_port, Owned};
use crate::repo_root;

/// How long a server gets to start or stop.
const SERVER_DEADLINE: Duration = Duration::from_secs(20);
const POLL: Duration = Duration::from_millis(50);

pub struct Stack {
    emulator: Option<Running>,
    /// The emulator's configuration, `listen` fixed to the address it got on first start.
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

    /// The emulator with `config` (e.g. `token_expire_days`), behind nginx.
    pub async fn start_with(mut config: Config) -> Stack {
        let dist = repo_root().join("dist");
        assert!(
            dist.join("index.html").is_file(),
            "{} is missing: run make build first (scripts/build.sh puts the release build there)",
            dist.join("index.html").display()
        );
        let running = openim_emulator::spawn(config.clone())
            .await
            .unwrap_or_else(|e| panic!("the emulator cannot listen on {}: {e}", config.listen));
        config.listen = running.addr;
        let dir = tempfile::Builder::new()
            .prefix("openim-e2e-")
            .tempdir()
            .expect("create a temp directory for nginx");
        let mut stack = Stack {
            emulator: Some(running),
            config,
            nginx: None,
            nginx_port: 0,
            conf: dir.path().join("nginx.conf"),
            dir: Some(dir),
        };
        // A port found free can be taken before nginx binds it; try a few.
        for attempt in 1..=3 {
            stack.nginx_port = free_port();
            stack.render_conf(&dist);
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

    /// Stops the emulator; nginx then answers /api/ with 502.
    pub async fn stop_emulator(&mut self) {
        let Some(running) = self.emulator.take() else {
            return;
        };
        drop(running);
        let addr = self.config.listen;
        let deadline = Instant::now() + SERVER_DEADLINE;
        while tokio::net::TcpStream::connect(addr).await.is_ok() {
            assert!(
                Instant::now() < deadline,
                "the emulator still accepts connections on {addr} {SERVER_DEADLINE:?} after being stopped"
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Starts the emulator again on the same address with a fresh state: only the users the
    /// configuration seeds, and no stored tokens.
    pub async fn start_emulator(&mut self) {
        assert!(self.emulator.is_none(), "the emulator is already running");
        let deadline = Instant::now() + SERVER_DEADLINE;
        loop {
            match openim_emulator::spawn(self.config.clone()).await {
                Ok(running) => {
                    self.emulator = Some(running);
                    return;
                }
                Err(e) if Instant::now() < deadline => {
                    if e.kind() != std::io::ErrorKind::AddrInUse {
                        panic!("the emulator cannot listen on {}: {e}", self.config.listen);
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

    /// Stops the emulator and starts it again on the same address after `change` has edited its
    /// configuration (its `listen` is kept).
    pub async fn restart_emulator_with(&mut self, change: impl FnOnce(&mut Config)) {
        self.stop_emulator().await;
        let listen = self.config.listen;
        change(&mut self.config);
        self.config.listen = listen;
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
        self.emulator.take();
        if std::thread::panicking() {
            if let Some(dir) = self.dir.take() {
                eprintln!("nginx config and logs kept in {}", dir.keep().display());
            }
        }
    }
}
