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

use crate::i18n::{shell as t, Lang};
use crate::route::Route;

/// What a page that needs an admin shows before the operator has connected; `route` names
/// the page.
pub fn sign_in_first(lang: Lang, route: Route) -> Html {
    html! {
        <section aria-labelledby="page-title">
            <h1 id="page-title">{ route.title(lang) }</h1>
            <p role="status">
                { t::SIGN_IN_FIRST_BEFORE.get(lang) }
                <Link<Route> to={Route::Connect}>{ t::CONNECT_LINK.get(lang) }</Link<Route>>
                { t::SIGN_IN_FIRST_AFTER.get(lang) }
            </p>
        </section>
    }
}
