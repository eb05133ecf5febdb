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
    // OpenIM's own words when it answered; what the transport saw otherwise.
    let (summary, details) = match &props.error {
        ApiError::OpenIm { code, msg, dlt } => (
            t::DETAILS_SUMMARY,
            format!("errCode: {}\nerrMsg: {msg}\nerrDlt: {dlt}", code.0),
        ),
        other => (t::TRANSPORT_DETAILS_SUMMARY, t::api_error(lang, other)),
    };
    html! {
        <div role="alert" class="error-box">
            <p class="error">{ e.summary }</p>
            <p class="hint">{ e.hint }</p>
            <details>
                <summary>{ summary.get(lang) }</summary>
                <pre>{ details }</pre>
            </details>
        </div>
    }
}
