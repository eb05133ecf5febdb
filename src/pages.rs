//! One module per route.

pub mod connect;
pub mod overview;
