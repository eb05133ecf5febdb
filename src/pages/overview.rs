//! The landing page: the connection at a glance, proven by a live call (`get_users` with
//! `showNumber: 0`, which answers the total and no rows, §3.4, §4.5).

use openim_protocol::user::{GetUsersReq, RequestPagination};
use openim_protocol::ApiVersion;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::i18n::{errors::api_error, overview as t, shell, use_lang};
use crate::route::Route;
use crate::session::use_admin;

#[derive(Clone, PartialEq)]
enum Total {
    Loading,
    Done(Result<i64, ApiError>),
}

#[function_component(Overview)]
pub fn overview() -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let session = admin.session.clone();
    let total = use_state(|| Total::Loading);

    {
        let total = total.clone();
        let signed_in = session.signed_in.clone();
        use_effect_with(signed_in, move |signed_in| {
            if signed_in.is_some() {
                total.set(Total::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    let req = GetUsersReq {
                        pagination: RequestPagination {
                            page_number: 1,
                            show_number: 0,
                        },
                        user_id: None,
                        nick_name: None,
                    };
                    let result = admin
                        .call(|c, t| {
                            let req = req.clone();
                            async move { api::user::get_users(&c, &t, &req).await }
                        })
                        .await
                        .map(|r| r.total);
                    total.set(Total::Done(result));
                });
            }
        });
    }

    let Some(s) = session.signed_in.clone() else {
        return html! {
            <section aria-labelledby="overview-title">
                <h1 id="overview-title">{ "openim-admin" }</h1>
                <p>{ t::INTRO.get(lang) }</p>
                <p>
                    { t::NOT_SIGNED_IN_BEFORE.get(lang) }
                    <Link<Route> to={Route::Connect}>{ shell::CONNECT_LINK.get(lang) }</Link<Route>>
                    { t::TO_BEGIN.get(lang) }
                </p>
            </section>
        };
    };
    let scope = match s.version {
        ApiVersion::V3_4 => t::SCOPE_V34,
        ApiVersion::V3_8 => t::SCOPE_V38,
    }
    .get(lang);
    html! {
        <section aria-labelledby="overview-title">
            <h1 id="overview-title">{ Route::Overview.title(lang) }</h1>
            <dl>
                <dt>{ t::SERVER.get(lang) }</dt><dd>{ &s.base }</dd>
                <dt>{ t::API_GENERATION.get(lang) }</dt><dd>{ format!("OpenIM {}", s.version) }</dd>
                <dt>{ t::SIGNED_IN_AS.get(lang) }</dt><dd>{ &s.admin_id }</dd>
            </dl>
            <div aria-live="polite">
            { match &*total {
                Total::Loading => html! { <p>{ t::COUNTING.get(lang) }</p> },
                Total::Done(Ok(n)) => html! { <p>{ t::registered_users(lang, *n, scope) }</p> },
                Total::Done(Err(e)) => html! { <p role="alert">{ t::could_not_count(lang, &api_error(lang, e)) }</p> },
            } }
            </div>
        </section>
    }
}
