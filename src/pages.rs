//! One module per route.

pub mod account_check;
pub mod connect;
pub mod import;
pub mod overview;
pub mod register;
pub mod token;
pub mod user_details;
pub mod users;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::route::Route;

/// What a page that needs an admin shows before the operator has connected.
pub fn sign_in_first(title: &str) -> Html {
    html! {
        <section aria-labelledby="page-title">
            <h1 id="page-title">{ title.to_string() }</h1>
            <p role="status">{ "Not signed in. " }<Link<Route> to={Route::Connect}>{ "Connect to an OpenIM server" }</Link<Route>>{ " first." }</p>
        </section>
    }
}
