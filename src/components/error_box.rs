//! A failure explained: what happened, what to do, and OpenIM's own errMsg/errDlt underneath.

use yew::prelude::*;

use crate::api::ApiError;
use crate::explain::explain;
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
    let e = explain(&props.path, props.version, &props.error);
    let details = match &props.error {
        ApiError::OpenIm { code, msg, dlt } => {
            format!("errCode: {}\nerrMsg: {msg}\nerrDlt: {dlt}", code.0)
        }
        other => other.to_string(),
    };
    html! {
        <div role="alert" class="error-box">
            <p class="error">{ e.summary }</p>
            <p class="hint">{ e.hint }</p>
            <details>
                <summary>{ "errMsg and errDlt" }</summary>
                <pre>{ details }</pre>
            </details>
        </div>
    }
}
