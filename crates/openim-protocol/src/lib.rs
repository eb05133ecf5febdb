//! Pure Rust description of the OpenIM user and auth REST API, shared by the dashboard and the
//! emulator: wire types of both API generations, the response envelope, errCodes, platform IDs,
//! the registration rules, JWT claim decoding and pagination arithmetic.
//!
//! Everything here follows ../shared/openim-api.md; section numbers in comments refer to it.

pub mod auth;
pub mod chat;
pub mod claims;
pub mod envelope;
pub mod errcode;
pub mod pagination;
pub mod platform;
pub mod rules;
pub mod user;
pub mod version;

pub use envelope::Envelope;
pub use errcode::ErrCode;
pub use platform::Platform;
pub use version::ApiVersion;

/// Header carrying the trace id on every POST (§1.2).
pub const HEADER_OPERATION_ID: &str = "operationID";
/// Header carrying the raw JWT, without a `Bearer ` prefix (§1.2).
pub const HEADER_TOKEN: &str = "token";
/// OpenIM's default `secret` in both generations (§2.4).
pub const DEFAULT_SECRET: &str = "openIM123";
/// OpenIM's default token lifetime in days (§2.4).
pub const DEFAULT_TOKEN_EXPIRE_DAYS: u32 = 90;
/// The API port OpenIM listens on by default (§2.4).
pub const DEFAULT_API_PORT: u16 = 10002;
