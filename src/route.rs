//! The pages and their URLs.

use yew::prelude::*;
use yew_router::prelude::*;

use crate::i18n::{shell as t, use_lang, Lang};
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

    pub fn title(&self, lang: Lang) -> &'static str {
        match self {
            Route::Overview => t::NAV_OVERVIEW,
            Route::Connect => t::NAV_CONNECT,
            Route::Register => t::NAV_REGISTER,
            Route::Token => t::NAV_TOKEN,
            Route::AccountCheck => t::NAV_ACCOUNT_CHECK,
            Route::Users => t::NAV_USERS,
            Route::Import => t::NAV_IMPORT,
            Route::User { .. } => t::NAV_USER,
            Route::NotFound => t::NAV_NOT_FOUND,
        }
        .get(lang)
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
        Route::NotFound => html! { <NotFound /> },
    }
}

#[function_component(NotFound)]
fn not_found() -> Html {
    let lang = use_lang();
    html! {
        <section aria-labelledby="nf-title">
            <h1 id="nf-title">{ t::PAGE_NOT_FOUND.get(lang) }</h1>
            <p><Link<Route> to={Route::Overview}>{ t::GO_TO_OVERVIEW.get(lang) }</Link<Route>></p>
        </section>
    }
}
