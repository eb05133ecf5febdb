//! One user (`/user/get_users_info`) and what an admin can do about them in this generation:
//! get a token, force a logout (§3.5, §4.6).

use openim_protocol::user::{manager_level_name, recv_msg_opt_name, UserInfo};
use openim_protocol::{ApiVersion, Platform};
use web_sys::HtmlSelectElement;
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::format::{local_datetime, platform_label};
use crate::pages::sign_in_first;
use crate::pages::token::TokenIssuer;
use crate::pages::users::avatar;
use crate::route::Route;
use crate::session::use_admin;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: AttrValue,
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Done(Result<Option<UserInfo>, ApiError>),
}

#[derive(Clone, PartialEq)]
enum Logout {
    Idle,
    Sending,
    Done(Result<Platform, ApiError>),
}

#[function_component(UserDetails)]
pub fn user_details(props: &Props) -> Html {
    let admin = use_admin();
    let load = use_state(|| Load::Loading);
    let platform = use_state(|| Platform::Web);
    let logout = use_state(|| Logout::Idle);
    let signed_in = admin.signed_in();
    {
        let (load, admin, id) = (load.clone(), admin.clone(), props.id.to_string());
        let key = signed_in.as_ref().map(|s| s.base.clone());
        use_effect_with((props.id.clone(), key), move |(_, key)| {
            if key.is_some() {
                load.set(Load::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    let result = admin
                        .call(|c, t| {
                            let id = id.clone();
                            async move { api::user::get_users_info(&c, &t, vec![id]).await }
                        })
                        .await
                        .map(|users| users.into_iter().next());
                    load.set(Load::Done(result));
                });
            }
        });
    }
    let Some(signed_in) = signed_in else {
        return sign_in_first("User");
    };
    let version = signed_in.version;
    let on_platform = {
        let platform = platform.clone();
        Callback::from(move |e: Event| {
            if let Some(p) = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| s.value().parse().ok())
                .and_then(Platform::from_id)
            {
                platform.set(p);
            }
        })
    };
    let on_logout = {
        let (admin, platform, logout, id) = (
            admin.clone(),
            platform.clone(),
            logout.clone(),
            props.id.to_string(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (admin, logout, id, p) = (admin.clone(), logout.clone(), id.clone(), *platform);
            logout.set(Logout::Sending);
            wasm_bindgen_futures::spawn_local(async move {
                let result = admin
                    .call(|c, t| {
                        let id = id.clone();
                        async move { api::auth::force_logout(&c, &t, p.id(), &id).await }
                    })
                    .await;
                logout.set(Logout::Done(result.map(|_| p)));
            });
        })
    };
    let field =
        |name: &str, value: Html| html! { <><dt>{ name.to_string() }</dt><dd>{ value }</dd></> };
    html! {
        <section aria-labelledby="user-title">
            <h1 id="user-title">{ format!("User {}", props.id) }</h1>
            <p><Link<Route> to={Route::Users}>{ "Back to users" }</Link<Route>></p>
            <div aria-live="polite">
            { match &*load {
                Load::Loading => html! { <p role="status">{ "Loading the user…" }</p> },
                Load::Done(Err(e)) => html! { <ErrorBox path="/user/get_users_info" version={version} error={e.clone()} /> },
                Load::Done(Ok(None)) => html! { <p role="alert">{ format!("{} is not registered on this server.", props.id) }</p> },
                Load::Done(Ok(Some(u))) => html! {
                    <dl>
                        { field("User ID", html! { &u.user_id }) }
                        { field("Nickname", html! { &u.nickname }) }
                        { field("Face URL", html! { <>{ avatar(&u.face_url) }<span class="clip">{ &u.face_url }</span></> }) }
                        { field("ex", html! { <span class="clip">{ &u.ex }</span> }) }
                        { field("Created", html! { local_datetime(u.create_time) }) }
                        { field("Manager level", html! { format!("{} ({})", manager_level_name(u.app_manger_level).unwrap_or("unknown"), u.app_manger_level) }) }
                        { field("Message option", html! { format!("{} ({})", recv_msg_opt_name(u.global_recv_msg_opt).unwrap_or("unknown"), u.global_recv_msg_opt) }) }
                    </dl>
                },
            } }
            </div>
            <h2>{ "Get token" }</h2>
            <TokenIssuer user_id={props.id.clone()} />
            <h2>{ "Force logout" }</h2>
            <p class="hint">{ match version {
                ApiVersion::V3_4 => "OpenIM v3.4 closes the user's connections on that platform; tokens already issued stay valid.",
                ApiVersion::V3_8 => "OpenIM v3.8 closes the user's connections on that platform and retires their tokens there (errCode 1506 on use).",
            } }</p>
            <form onsubmit={on_logout} class="stack">
                <label for="logout-platform">{ "Platform to log out" }</label>
                <select id="logout-platform" onchange={on_platform}>
                    { for Platform::ALL.into_iter().map(|p| html! {
                        <option value={p.id().to_string()} selected={p == *platform}>{ format!("{} ({})", p.name(), p.id()) }</option>
                    }) }
                </select>
                <button type="submit" disabled={*logout == Logout::Sending}>{ "Force logout" }</button>
            </form>
            <div aria-live="polite">
            { match &*logout {
                Logout::Idle | Logout::Sending => html! {},
                Logout::Done(Ok(p)) => html! { <p role="status" class="ok">{ format!("Logged out {} on {}.", props.id, platform_label(p.id() as i64)) }</p> },
                Logout::Done(Err(e)) => html! { <ErrorBox path="/auth/force_logout" version={version} error={e.clone()} /> },
            } }
            </div>
        </section>
    }
}
