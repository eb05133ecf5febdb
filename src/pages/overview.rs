//! The landing page: the connection at a glance, proven by a live call (`get_users` with
//! `showNumber: 0`, which answers the total and no rows, §3.4, §4.5).

use openim_protocol::user::RequestPagination;
use openim_protocol::ApiVersion;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::route::Route;
use crate::session::use_admin;

#[derive(Clone, PartialEq)]
enum Total {
    Loading,
    Done(Result<i64, ApiError>),
}

#[function_component(Overview)]
pub fn overview() -> Html {
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
                    let page = RequestPagination {
                        page_number: 1,
                        show_number: 0,
                    };
                    let result =
                        admin
                            .call(|c, t| async move {
                                api::user::get_users(&c, &t, page, None, None).await
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
                <p>{ "An admin console for OpenIM servers: register users, get tokens, check accounts and list users, in the browser." }</p>
                <p>{ "Not signed in. " }<Link<Route> to={Route::Connect}>{ "Connect to an OpenIM server" }</Link<Route>>{ " to begin." }</p>
            </section>
        };
    };
    let scope = match s.version {
        ApiVersion::V3_4 => "all users, admin accounts included",
        ApiVersion::V3_8 => {
            "ordinary users; admin, notification and robot accounts are not counted by OpenIM v3.8"
        }
    };
    html! {
        <section aria-labelledby="overview-title">
            <h1 id="overview-title">{ "Overview" }</h1>
            <dl>
                <dt>{ "Server" }</dt><dd>{ &s.base }</dd>
                <dt>{ "API generation" }</dt><dd>{ format!("OpenIM {}", s.version) }</dd>
                <dt>{ "Signed in as" }</dt><dd>{ &s.admin_id }</dd>
            </dl>
            <div aria-live="polite">
            { match &*total {
                Total::Loading => html! { <p>{ "Counting users…" }</p> },
                Total::Done(Ok(n)) => html! { <p>{ format!("Registered users: {n} ({scope})") }</p> },
                Total::Done(Err(e)) => html! { <p role="alert">{ format!("Could not count users: {e}") }</p> },
            } }
            </div>
        </section>
    }
}
