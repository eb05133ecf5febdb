//! The pages and their URLs.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::pages;

#[derive(Clone, Debug, PartialEq, Routable)]
pub enum Route {
    #[at("/")]
    Overview,
    #[at("/connect")]
    Connect,
    #[at("/register")]
    Register,
    #[at("/token")]
    Token,
    #[at("/account-check")]
    AccountCheck,
    #[at("/users")]
    Users,
    #[at("/import")]
    Import,
    #[at("/users/:id")]
    User { id: String },
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    /// The main navigation, in the order of the OpenIM guide.
    pub const NAV: [Route; 7] = [
        Route::Overview,
        Route::Connect,
        Route::Register,
        Route::Token,
        Route::AccountCheck,
        Route::Users,
        Route::Import,
    ];

    pub fn title(&self) -> &'static str {
        match self {
            Route::Overview => "Overview",
            Route::Connect => "Connection",
            Route::Register => "Register users",
            Route::Token => "User token",
            Route::AccountCheck => "Account check",
            Route::Users => "Users",
            Route::Import => "Bulk import",
            Route::User { .. } => "User",
            Route::NotFound => "Not found",
        }
    }
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Overview => html! { <pages::overview::Overview /> },
        Route::Connect => html! { <pages::connect::Connect /> },
        Route::Register => html! { <pages::register::Register /> },
        Route::Token => html! { <pages::token::Token /> },
        Route::AccountCheck => html! { <pages::account_check::AccountCheck /> },
        Route::Users => html! { <pages::users::Users /> },
        Route::Import => html! { <pages::import::ImportPage /> },
        Route::User { id } => {
            html! { <pages::user_details::UserDetails id={AttrValue::from(id)} /> }
        }
        Route::NotFound => html! {
            <section aria-labelledby="nf-title">
                <h1 id="nf-title">{ "Page not found" }</h1>
                <p><Link<Route> to={Route::Overview}>{ "Go to the overview" }</Link<Route>></p>
            </section>
        },
    }
}
