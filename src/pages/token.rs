//! A user's token, the second call of the OpenIM guide: v3.4 `/auth/user_token` with the secret
//! (§3.1), v3.8 `/auth/get_user_token` with the admin token (§4.2).

use openim_protocol::auth::TokenResp;
use openim_protocol::rules::user_id_problem;
use openim_protocol::{ApiVersion, Platform};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::components::platform_select::PlatformSelect;
use crate::components::token_view::TokenView;
use crate::i18n::{token as t, use_lang};
use crate::pages::sign_in_first;
use crate::route::Route;
use crate::session::{use_admin, Admin};

/// The platforms a generation issues user tokens for: v3.8 refuses Admin (10) (§4.2).
pub fn platforms(version: ApiVersion) -> Vec<Platform> {
    Platform::ALL
        .into_iter()
        .filter(|p| version == ApiVersion::V3_4 || *p != Platform::Admin)
        .collect()
}

/// Gets a token for `user_id` the way the generation does it.
pub async fn issue(
    admin: &Admin,
    version: ApiVersion,
    user_id: String,
    platform: Platform,
) -> Result<TokenResp, ApiError> {
    match version {
        ApiVersion::V3_4 => {
            let secret = admin.secret()?;
            api::auth::user_token(&admin.client, &secret, platform.id(), &user_id).await
        }
        ApiVersion::V3_8 => {
            admin
                .call(|c, t| {
                    let user_id = user_id.clone();
                    async move { api::auth::get_user_token(&c, &t, platform.id(), &user_id).await }
                })
                .await
        }
    }
}

#[derive(Clone, PartialEq)]
pub enum Issued {
    Idle,
    Loading,
    Done(Result<TokenResp, ApiError>),
}

#[derive(Properties, PartialEq)]
pub struct IssuerProps {
    /// Fixed user (on the user's page); `None` shows a User ID field.
    #[prop_or_default]
    pub user_id: Option<AttrValue>,
}

/// The form and its result; used by the token page and the user details page.
#[function_component(TokenIssuer)]
pub fn token_issuer(props: &IssuerProps) -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let user_id = use_state(|| {
        props
            .user_id
            .as_ref()
            .map(|u| u.to_string())
            .unwrap_or_default()
    });
    let platform = use_state(|| Platform::Web);
    let issued = use_state(|| Issued::Idle);
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first(lang, Route::Token);
    };
    let version = signed_in.version;
    let path = match version {
        ApiVersion::V3_4 => "/auth/user_token",
        ApiVersion::V3_8 => "/auth/get_user_token",
    };
    let on_user = {
        let user_id = user_id.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                user_id.set(i.value());
            }
        })
    };
    let on_platform = {
        let platform = platform.clone();
        Callback::from(move |p: Platform| platform.set(p))
    };
    let on_submit = {
        let (admin, user_id, platform, issued) = (
            admin.clone(),
            user_id.clone(),
            platform.clone(),
            issued.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let uid = user_id.trim().to_string();
            if uid.is_empty() {
                return;
            }
            issued.set(Issued::Loading);
            let (admin, issued, platform) = (admin.clone(), issued.clone(), *platform);
            wasm_bindgen_futures::spawn_local(async move {
                issued.set(Issued::Done(issue(&admin, version, uid, platform).await));
            });
        })
    };
    let fixed = props.user_id.is_some();
    // An ID that cannot exist on this generation is not sent: OpenIM could only say it is unknown.
    let problem = match user_id.trim() {
        "" => None,
        id => user_id_problem(version, id),
    };
    html! {
        <div class="token-issuer">
            <form onsubmit={on_submit} class="stack">
                if !fixed {
                    <label for="token-user">{ t::USER_ID.get(lang) }</label>
                    <input id="token-user" type="text" value={(*user_id).clone()} oninput={on_user} required=true />
                    if let Some(p) = &problem {
                        <p class="error">{ crate::i18n::register::row_problem(lang, p) }</p>
                    }
                }
                <label for="token-platform">{ t::PLATFORM.get(lang) }</label>
                <PlatformSelect id="token-platform" options={platforms(version)} value={*platform} on_change={on_platform} />
                <button type="submit" disabled={user_id.trim().is_empty() || problem.is_some() || *issued == Issued::Loading}>{ t::GET_TOKEN.get(lang) }</button>
            </form>
            <div aria-live="polite">
            { match &*issued {
                Issued::Idle => html! {},
                Issued::Loading => html! { <p>{ t::GETTING.get(lang) }</p> },
                Issued::Done(Ok(t)) => html! {
                    <TokenView token={AttrValue::from(t.token.clone())} expire_time_seconds={t.expire_time_seconds} version={version} />
                },
                Issued::Done(Err(e)) => html! { <ErrorBox path={path} version={version} error={e.clone()} /> },
            } }
            </div>
        </div>
    }
}

#[function_component(Token)]
pub fn token_page() -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first(lang, Route::Token);
    };
    html! {
        <section aria-labelledby="token-title">
            <h1 id="token-title">{ Route::Token.title(lang) }</h1>
            <p class="hint">{ match signed_in.version {
                ApiVersion::V3_4 => t::HINT_V34.get(lang),
                ApiVersion::V3_8 => t::HINT_V38.get(lang),
            } }</p>
            <TokenIssuer />
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v38_offers_no_admin_platform() {
        assert_eq!(platforms(ApiVersion::V3_4).len(), 10);
        assert!(!platforms(ApiVersion::V3_8).contains(&Platform::Admin));
        assert_eq!(platforms(ApiVersion::V3_8).len(), 9);
    }
}
