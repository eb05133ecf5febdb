//! An issued token: the token to copy, how long it is valid, and its decoded claims (§2.1).

use openim_protocol::ApiVersion;
use yew::prelude::*;

use crate::format::{duration_words, local_datetime, now_secs, platform_label};
use crate::i18n::{token as t, use_lang};
use crate::json::decode_claims;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub token: AttrValue,
    pub expire_time_seconds: i64,
    pub version: ApiVersion,
}

#[function_component(TokenView)]
pub fn token_view(props: &Props) -> Html {
    let lang = use_lang();
    let copied = use_state(|| None::<bool>);
    let on_copy = {
        let token = props.token.clone();
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                return;
            };
            let promise = window.navigator().clipboard().write_text(&token);
            let copied = copied.clone();
            wasm_bindgen_futures::spawn_local(async move {
                copied.set(Some(
                    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
                ));
            });
        })
    };
    let claims = decode_claims(&props.token);
    let row = |name: &str, value: String| html! { <tr><th scope="row">{ name.to_string() }</th><td>{ value }</td></tr> };
    html! {
        <div class="token-view">
            <label for="token-value">{ t::TOKEN.get(lang) }</label>
            <textarea id="token-value" readonly=true rows="4" value={props.token.clone()} />
            <div class="row">
                <button type="button" onclick={on_copy}>{ t::COPY_TOKEN.get(lang) }</button>
                <span role="status">{ match *copied {
                    Some(true) => t::COPIED.get(lang),
                    Some(false) => t::CLIPBOARD_REFUSED.get(lang),
                    None => "",
                } }</span>
            </div>
            <p>{ t::valid_for(lang, &duration_words(lang, props.expire_time_seconds), props.expire_time_seconds) }</p>
            if props.version == ApiVersion::V3_8 {
                <p class="hint">{ t::V38_RETIRES.get(lang) }</p>
            }
            { match claims {
                Ok(c) => html! {
                    <table aria-label={t::CLAIMS.get(lang)}>
                        <tbody>
                            { row(t::CLAIM_USER.get(lang), c.user_id.clone()) }
                            { row(t::PLATFORM.get(lang), platform_label(lang, c.platform_id)) }
                            { c.iat.map(|s| row(t::CLAIM_ISSUED.get(lang), local_datetime(s * 1000))).unwrap_or_default() }
                            { c.nbf.map(|s| row(t::CLAIM_NOT_BEFORE.get(lang), local_datetime(s * 1000))).unwrap_or_default() }
                            { c.exp.map(|s| row(t::CLAIM_EXPIRES.get(lang), local_datetime(s * 1000))).unwrap_or_default() }
                            { c.exp.map(|s| row(t::CLAIM_TIME_LEFT.get(lang), duration_words(lang, s - now_secs()))).unwrap_or_default() }
                        </tbody>
                    </table>
                },
                Err(e) => html! { <p class="error">{ t::claims_unreadable(lang, &e) }</p> },
            } }
        </div>
    }
}
