//! The console under test as the bench drives it (openim-e2e's `console`), and numbers as it
//! writes them.

pub use openim_e2e::console::*;

/// `2,500`, as the console groups numbers.
pub fn grouped(n: usize) -> String {
    crate::report::grouped(n as u64)
}
