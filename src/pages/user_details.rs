//! One user (`/user/get_users_info`) and what an admin can do about them in this generation:
//! get a token, force a logout (§3.5, §4.6).

use openim_protocol::user::UserInfo;
use openim_protocol::{ApiVersion, Platform};
use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::platform_select::PlatformSelect;
use crate::format::{local_datetime, platform_label};
use crate::i18n::{token, use_lang, users as t};
use crate::pages::sign_in_first;
use crate::pages::token::TokenIssuer;
use crate::pages::users::{avatar, loadable_avatar};
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
    let lang = use_lang();
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
        return sign_in_first(
            lang,
            Route::User {
                id: props.id.to_string(),
            },
        );
    };
    let version = signed_in.version;
    let on_platform = {
        let platform = platform.clone();
        Callback::from(move |p: Platform| platform.set(p))
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
            <h1 id="user-title">{ t::user_title(lang, &props.id) }</h1>
            <p><Link<Route> to={Route::Users}>{ t::BACK_TO_USERS.get(lang) }</Link<Route>></p>
            <div aria-live="polite">
            { match &*load {
                Load::Loading => html! { <p role="status">{ t::LOADING_USER.get(lang) }</p> },
                Load::Done(Err(e)) => html! { <ErrorBox path="/user/get_users_info" version={version} error={e.clone()} /> },
                Load::Done(Ok(None)) => html! { <p role="alert">{ t::not_registered(lang, &props.id) }</p> },
                Load::Done(Ok(Some(u))) => html! {
                    <dl>
                        { field(t::USER_ID.get(lang), html! { &u.user_id }) }
                        { field(t::NICKNAME.get(lang), html! { &u.nickname }) }
                        { field(t::FACE_URL.get(lang), html! { <>
                            // The image where it loads, and the URL itself as text once.
                            if loadable_avatar(&u.face_url) { { avatar(&u.face_url) } }
                            <span class="clip">{ &u.face_url }</span>
                        </> }) }
                        { field(t::EX.get(lang), html! { <span class="clip">{ &u.ex }</span> }) }
                        { field(t::CREATED.get(lang), html! { local_datetime(u.create_time) }) }
                        { field(t::MANAGER_LEVEL.get(lang), html! { t::manager_level(lang, u.app_manger_level) }) }
                        { field(t::MESSAGE_OPTION.get(lang), html! { t::message_option(lang, u.global_recv_msg_opt) }) }
                    </dl>
                },
            } }
            </div>
            <h2>{ token::GET_TOKEN.get(lang) }</h2>
            <TokenIssuer user_id={props.id.clone()} />
            <h2>{ t::FORCE_LOGOUT.get(lang) }</h2>
            <p class="hint">{ match version {
                ApiVersion::V3_4 => t::LOGOUT_V34.get(lang),
                ApiVersion::V3_8 => t::LOGOUT_V38.get(lang),
            } }</p>
            <form onsubmit={on_logout} class="stack">
                <label for="logout-platform">{ t::PLATFORM_TO_LOG_OUT.get(lang) }</label>
                <PlatformSelect id="logout-platform" options={Platform::ALL.to_vec()} value={*platform} on_change={on_platform} />
                <button type="submit" disabled={*logout == Logout::Sending}>{ t::FORCE_LOGOUT.get(lang) }</button>
            </form>
            <div aria-live="polite">
            { match &*logout {
                Logout::Idle | Logout::Sending => html! {},
                Logout::Done(Ok(p)) => html! { <p role="status" class="ok">{ t::logged_out(lang, &props.id, &platform_label(lang, p.id().into())) }</p> },
                Logout::Done(Err(e)) => html! { <ErrorBox path="/auth/force_logout" version={version} error={e.clone()} /> },
            } }
            </div>
        </section>
    }
}
