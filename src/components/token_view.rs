//! An issued token: the token to copy, how long it is valid, and its decoded claims (§2.1).

use openim_protocol::claims::decode_claims;
use openim_protocol::ApiVersion;
use yew::prelude::*;

use crate::format::{duration_words, local_datetime, now_secs, platform_label};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub token: AttrValue,
    pub expire_time_seconds: i64,
    pub version: ApiVersion,
}

#[function_component(TokenView)]
pub fn token_view(props: &Props) -> Html {
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
            <label for="token-value">{ "Token" }</label>
            <textarea id="token-value" readonly=true rows="4" value={props.token.clone()} />
            <div class="row">
                <button type="button" onclick={on_copy}>{ "Copy token" }</button>
                <span role="status">{ match *copied {
                    Some(true) => "Copied.",
                    Some(false) => "The browser refused the clipboard: select the token and copy it by hand.",
                    None => "",
                } }</span>
            </div>
            <p>{ format!("Valid for {} ({} seconds)", duration_words(props.expire_time_seconds), props.expire_time_seconds) }</p>
            if props.version == ApiVersion::V3_8 {
                <p class="hint">{ "On OpenIM v3.8 a new token for the same user and platform retires the older one: clients still using it get errCode 1506." }</p>
            }
            { match claims {
                Ok(c) => html! {
                    <table aria-label="Token claims">
                        <tbody>
                            { row("User", c.user_id.clone()) }
                            { row("Platform", platform_label(c.platform_id)) }
                            { c.iat.map(|t| row("Issued", local_datetime(t * 1000))).unwrap_or_default() }
                            { c.nbf.map(|t| row("Not before", local_datetime(t * 1000))).unwrap_or_default() }
                            { c.exp.map(|t| row("Expires", local_datetime(t * 1000))).unwrap_or_default() }
                            { c.exp.map(|t| row("Time left", duration_words(t - now_secs()))).unwrap_or_default() }
                        </tbody>
                    </table>
                },
                Err(e) => html! { <p class="error">{ format!("The token's claims cannot be read: {e}") }</p> },
            } }
        </div>
    }
}
