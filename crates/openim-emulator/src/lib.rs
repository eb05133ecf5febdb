//! A local OpenIM-compatible server for the user and auth REST API, answering as OpenIM v3.4
//! or v3.8 does (../shared/openim-api.md): same paths, envelope, errCodes, check order, JWTs and
//! token store, without MongoDB, Redis or Kafka. The dashboard's demo and browser tests run on it,
//! and integrators can run it in their own CI.
//!
//! Optionally it also serves, on a second port, the admin sign-in of the OpenIM chat server of
//! the same era (../shared/chat-admin-api.md), whose `imToken` is issued by this emulator's
//! OpenIM side and works on its OpenIM port.

mod chat;
mod cli;
mod endpoints;
mod envelope;
mod godecode;
pub mod jwt;
mod server;
mod store;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::extract::DefaultBodyLimit;
use axum::Router;
use openim_protocol::user::UserInfo;
use openim_protocol::ApiVersion;
use tokio::sync::oneshot;

pub use chat::{md5_hex, DEFAULT_CHAT_PORT, V18_ADMIN_SECRET as CHAT_V18_ADMIN_SECRET};
pub use cli::{parse_args, USAGE};

/// How the emulator runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub listen: SocketAddr,
    pub api: ApiVersion,
    pub secret: String,
    pub token_expire_days: u32,
    /// Ordinary users `user000001`.. added at start, for demos and benchmarks.
    pub seed_users: u32,
    /// No per-request log line.
    pub quiet: bool,
    /// Where to serve the chat server's admin sign-in (chat v1.4 with `api` v3.4, chat v1.8 with
    /// v3.8), sharing this emulator's state; `None` serves none. `Config::default()` leaves it
    /// `None` so that library users opt in; the command line defaults to 127.0.0.1:10009, chat's
    /// own port ([`DEFAULT_CHAT_PORT`]).
    pub chat_listen: Option<SocketAddr>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            listen: SocketAddr::from(([127, 0, 0, 1], openim_protocol::DEFAULT_API_PORT)),
            api: ApiVersion::V3_4,
            secret: openim_protocol::DEFAULT_SECRET.to_string(),
            token_expire_days: openim_protocol::DEFAULT_TOKEN_EXPIRE_DAYS,
            seed_users: 0,
            quiet: false,
            chat_listen: None,
        }
    }
}

/// The chat server generation paired with an OpenIM generation (chat-admin-api.md §0).
pub fn chat_version(api: ApiVersion) -> &'static str {
    match api {
        ApiVersion::V3_4 => "v1.4",
        ApiVersion::V3_8 => "v1.8",
    }
}

/// The ID of the n-th seeded user (1-based): `user000001`, wider past 999999.
pub fn seed_user_id(n: u32) -> String {
    format!("user{n:06}")
}

/// The users a fresh server holds: OpenIM's admin accounts (§2.4, §8.5), then the seeded ones.
fn initial_users(config: &Config, now_ms: i64) -> Vec<UserInfo> {
    let admins: Vec<UserInfo> = match config.api {
        ApiVersion::V3_4 => ["system1", "system2", "system3"]
            .iter()
            .zip(ApiVersion::V3_4.default_admin_ids())
            .map(|(nick, id)| UserInfo {
                user_id: id.to_string(),
                nickname: nick.to_string(),
                create_time: now_ms,
                app_manger_level: 2,
                ..Default::default()
            })
            .collect(),
        ApiVersion::V3_8 => vec![UserInfo {
            user_id: "imAdmin".into(),
            nickname: "imAdmin".into(),
            create_time: now_ms,
            app_manger_level: 3,
            ..Default::default()
        }],
    };
    let level = if config.api == ApiVersion::V3_4 { 1 } else { 0 };
    let seeded = (1..=config.seed_users).map(|n| UserInfo {
        user_id: seed_user_id(n),
        nickname: format!("User {n}"),
        create_time: now_ms,
        app_manger_level: level,
        ..Default::default()
    });
    admins.into_iter().chain(seeded).collect()
}

/// The state of a fresh emulator, which both ports share.
fn shared_state(config: Config) -> Arc<server::App> {
    let mut users = store::Users::new(config.api);
    users.insert_all(initial_users(&config, server::now_ms()));
    let mut chat_admins = store::ChatAdmins::new(config.api);
    chat::seeded_admins(config.api)
        .into_iter()
        .for_each(|admin| chat_admins.seed(admin));
    Arc::new(server::App {
        config,
        state: Mutex::new(server::Data {
            users,
            tokens: store::Tokens::default(),
            chat_admins,
            chat_tokens: store::ChatTokens::default(),
        }),
    })
}

/// The emulator's OpenIM API as an axum router, for embedding.
pub fn router(config: Config) -> Router {
    routers(config).0
}

/// The OpenIM API and the chat admin API as two axum routers over one shared state, for
/// embedding both; `config.listen` and `config.chat_listen` are not used.
pub fn routers(config: Config) -> (Router, Router) {
    let app = shared_state(config);
    (openim_router(app.clone()), chat::router(app))
}

fn openim_router(app: Arc<server::App>) -> Router {
    let version = app.config.api;
    let router = Router::new()
        .fallback(server::handle)
        .with_state(app)
        // OpenIM's API puts no limit on bodies of its own; keep one far above real batches.
        .layer(DefaultBodyLimit::max(64 * 1024 * 1024));
    match version {
        ApiVersion::V3_4 => router,
        // v3.8 gzips every answer for clients that accept it (§1.1, §1.3).
        ApiVersion::V3_8 => router.layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .compress_when(|_: _, _: _, _: &_, _: &_| true),
        ),
    }
}

/// A running emulator; dropping it stops its servers.
pub struct Running {
    pub addr: SocketAddr,
    /// Where the chat admin API listens, when `Config::chat_listen` asked for it.
    pub chat_addr: Option<SocketAddr>,
    stops: Vec<oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        for stop in self.stops.drain(..) {
            let _ = stop.send(());
        }
    }
}

/// The chat admin API could not listen. [`spawn`] returns it inside an `io::Error` of the same
/// kind, so callers can tell it from a failure on `Config::listen`.
#[derive(Debug)]
pub struct ChatListenError {
    pub addr: SocketAddr,
    pub source: std::io::Error,
}

impl std::fmt::Display for ChatListenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the chat admin API cannot listen on {}: {}",
            self.addr, self.source
        )
    }
}

impl std::error::Error for ChatListenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.source)
    }
}

/// Binds `config.listen`, and `config.chat_listen` when set, and serves both in background
/// tasks over one shared state.
pub async fn spawn(config: Config) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let chat_listener = match config.chat_listen {
        Some(chat) => Some(
            tokio::net::TcpListener::bind(chat)
                .await
                .map_err(|source| {
                    std::io::Error::new(source.kind(), ChatListenError { addr: chat, source })
                })?,
        ),
        None => None,
    };
    let chat_addr = chat_listener.as_ref().map(|l| l.local_addr()).transpose()?;
    let (openim, chat) = routers(config);
    let mut stops = vec![serve(listener, openim)];
    if let Some(listener) = chat_listener {
        stops.push(serve(listener, chat));
    }
    Ok(Running {
        addr,
        chat_addr,
        stops,
    })
}

/// Serves `app` until the returned sender fires or is dropped.
fn serve(listener: tokio::net::TcpListener, app: Router) -> oneshot::Sender<()> {
    let (stop, stopped) = oneshot::channel::<()>();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    stop
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_ids_are_deterministic() {
        assert_eq!(seed_user_id(1), "user000001");
        assert_eq!(seed_user_id(100_000), "user100000");
        assert_eq!(seed_user_id(1_234_567), "user1234567");
    }

    #[test]
    fn seeds_admins_per_generation() {
        let users = initial_users(
            &Config {
                seed_users: 2,
                ..Config::default()
            },
            1,
        );
        assert_eq!(users.len(), 5);
        assert_eq!(users[0].app_manger_level, 2);
        assert_eq!(users[4].nickname, "User 2");
        let users = initial_users(
            &Config {
                api: ApiVersion::V3_8,
                ..Config::default()
            },
            1,
        );
        assert_eq!(users[0].user_id, "imAdmin");
        assert_eq!(users[0].app_manger_level, 3);
    }
}
