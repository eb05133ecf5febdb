//! A failure explained: what happened, what to do, and OpenIM's own errMsg/errDlt underneath.

use yew::prelude::*;

use crate::api::ApiError;
use crate::explain::explain;
use crate::i18n::{errors as t, use_lang};
use openim_protocol::ApiVersion;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The endpoint that failed, e.g. `/user/user_register`.
    pub path: AttrValue,
    pub version: ApiVersion,
    pub error: ApiError,
}

#[function_component(ErrorBox)]
pub fn error_box(props: &Props) -> Html {
    let lang = use_lang();
    let e = explain(lang, &props.path, props.version, &props.error);
    let details = match &props.error {
        ApiError::OpenIm { code, msg, dlt } => {
            format!("errCode: {}\nerrMsg: {msg}\nerrDlt: {dlt}", code.0)
        }
        other => t::api_error(lang, other),
    };
    html! {
        <div role="alert" class="error-box">
            <p class="error">{ e.summary }</p>
            <p class="hint">{ e.hint }</p>
            <details>
                <summary>{ t::DETAILS_SUMMARY.get(lang) }</summary>
                <pre>{ details }</pre>
            </details>
        </div>
    }
}
