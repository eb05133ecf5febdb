//! openim-admin: a browser admin console for OpenIM servers. The binary in main.rs mounts
//! [`app::App`]; everything else is here so that native and browser tests reach it.

pub mod api;
pub mod app;
pub mod bulk;
pub mod components;
pub mod download;
pub mod explain;
pub mod format;
pub mod i18n;
pub mod json;
pub mod pages;
pub mod route;
pub mod session;
