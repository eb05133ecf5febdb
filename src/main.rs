//! Mounts the console.

fn main() {
    yew::Renderer::<openim_admin::app::App>::new().render();
}
