//! Mounts the console.

fn main() {
    openim_admin::app::start();
}
