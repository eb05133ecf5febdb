//! A local OpenIM-compatible server for the user and auth REST API, answering as OpenIM v3.4
//! or v3.8 does (../shared/openim-api.md): same paths, envelope, errCodes, check order, JWTs and
//! token store, without MongoDB, Redis or Kafka. The dashboard's demo and browser tests run on it,
//! and integrators can run it in their own CI.

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
        }
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

/// The emulator as an axum router, for embedding.
pub fn router(config: Config) -> Router {
    let mut users = store::Users::new(config.api);
    users.insert_all(initial_users(&config, server::now_ms()));
    let version = config.api;
    let app = Arc::new(server::App {
        config,
        state: Mutex::new(server::Data {
            users,
            tokens: store::Tokens::default(),
        }),
    });
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

/// A running emulator; dropping it stops the server.
pub struct Running {
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds `config.listen` and serves in a background task.
pub async fn spawn(config: Config) -> std::io::Result<Running> {
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let app = router(config);
    tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
    });
    Ok(Running {
        addr,
        stop: Some(stop),
    })
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
