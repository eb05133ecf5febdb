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
    #[not_found]
    #[at("/404")]
    NotFound,
}

impl Route {
    pub fn title(&self) -> &'static str {
        match self {
            Route::Overview => "Overview",
            Route::Connect => "Connection",
            Route::NotFound => "Not found",
        }
    }
}

pub fn switch(route: Route) -> Html {
    match route {
        Route::Overview => html! { <pages::overview::Overview /> },
        Route::Connect => html! { <pages::connect::Connect /> },
        Route::NotFound => html! {
            <section aria-labelledby="nf-title">
                <h1 id="nf-title">{ "Page not found" }</h1>
                <p><Link<Route> to={Route::Overview}>{ "Go to the overview" }</Link<Route>></p>
            </section>
        },
    }
}
