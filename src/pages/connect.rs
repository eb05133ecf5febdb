//! The connection page: API base, generation (detected or chosen), admin user ID and secret.
//! "Connect" proves the settings by getting an admin token, and in v3.4, where any registered
//! user gets a token (§3.1), by one admin-only call (`account_check`, §3.3).

use std::rc::Rc;

use openim_protocol::claims::decode_claims;
use openim_protocol::user::AccountCheckReq;
use openim_protocol::{ApiVersion, ErrCode};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::probe::{self, Probe};
use crate::api::{self, ApiError, Client, LogEntry};
use crate::session::{SessionAction, SessionHandle, Settings, SignedIn};

/// Why connecting failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectError {
    Api(ApiError),
    /// The server answered the probe, but not like either generation.
    Unrecognised(String),
    /// v3.4 issued a token, but the user is not in `manager.userID`.
    NotAdmin,
}

impl From<ApiError> for ConnectError {
    fn from(e: ApiError) -> Self {
        ConnectError::Api(e)
    }
}

/// What to tell the operator, naming the setting to fix.
pub fn explain(
    err: &ConnectError,
    version: Option<ApiVersion>,
    base: &str,
    admin_id: &str,
) -> String {
    let config = match version {
        Some(ApiVersion::V3_8) => "config/share.yml",
        _ => "config/config.yaml",
    };
    match err {
        ConnectError::Unrecognised(answer) => format!(
            "The server at {base} answered, but not as OpenIM v3.4 or v3.8 does ({answer}). Check that the address points at OpenIM's API, or choose the generation by hand."
        ),
        ConnectError::NotAdmin => format!(
            "{admin_id} got a token but is not an admin: use one of manager.userID in {config} (default openIM123456)."
        ),
        ConnectError::Api(ApiError::Timeout(secs)) => format!(
            "The server at {base} did not answer within {secs} seconds. Check that OpenIM's API is running and not overloaded."
        ),
        ConnectError::Api(ApiError::Network(_)) => format!(
            "Cannot reach the server at {base}. Check the address, and that OpenIM's API (port 10002 by default) is running and reachable from this browser."
        ),
        ConnectError::Api(ApiError::Http { status, .. }) => format!(
            "The server at {base} answered HTTP {status} instead of OpenIM's JSON. Check that the address points at OpenIM's API (port 10002), and the API generation."
        ),
        ConnectError::Api(ApiError::NeedsSignIn) => "Enter the secret and connect.".to_string(),
        ConnectError::Api(ApiError::Decode(_)) => {
            format!("The server at {base} answered, but not as OpenIM does. Check the address.")
        }
        ConnectError::Api(ApiError::OpenIm { code, .. }) => match (*code, version) {
            (ErrCode::NO_PERMISSION, _) => format!("Wrong secret: it does not match `secret` in the server's {config}."),
            (ErrCode::ARGS, Some(ApiVersion::V3_8)) => format!(
                "{admin_id} is not an admin user ID on this server: use one of imAdminUserID in {config} (default imAdmin)."
            ),
            (ErrCode::RECORD_NOT_FOUND, Some(ApiVersion::V3_8)) => format!(
                "The admin account {admin_id} is missing from the server's user store; OpenIM creates it when its user service starts."
            ),
            (ErrCode::RECORD_NOT_FOUND, _) => format!(
                "{admin_id} is not a registered user on this server: use one of manager.userID in {config} (default openIM123456)."
            ),
            (code, _) => format!(
                "OpenIM refused the sign-in with errCode {}{}.",
                code.0,
                code.name().map(|n| format!(" ({n})")).unwrap_or_default()
            ),
        },
    }
}

/// Detects the generation (unless chosen), gets an admin token and proves it is an admin's.
async fn connect(
    settings: Settings,
    log: Callback<LogEntry>,
) -> Result<SignedIn, (Option<ApiVersion>, ConnectError)> {
    let client = Client::new(settings.base.trim(), log);
    let version = match settings.version {
        Some(v) => v,
        None => match probe::detect(&client).await.map_err(|e| (None, e.into()))? {
            Probe::Detected(v) => v,
            Probe::Unrecognised(answer) => return Err((None, ConnectError::Unrecognised(answer))),
        },
    };
    let fail = |e: ConnectError| (Some(version), e);
    let admin_id = match settings.admin_id.trim() {
        "" => version.default_admin_id().to_string(),
        id => id.to_string(),
    };
    let token = api::auth::admin_token(&client, version, &settings.secret, &admin_id)
        .await
        .map_err(|e| fail(e.into()))?;
    if version == ApiVersion::V3_4 {
        let req = AccountCheckReq {
            check_user_ids: vec![admin_id.clone()],
        };
        match client
            .call::<_, serde_json::Value>("/user/account_check", Some(&token.token), &req)
            .await
        {
            Ok(_) => {}
            Err(ApiError::OpenIm {
                code: ErrCode::NO_PERMISSION,
                ..
            }) => return Err(fail(ConnectError::NotAdmin)),
            Err(e) => return Err(fail(e.into())),
        }
    }
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let expires_at = decode_claims(&token.token)
        .ok()
        .and_then(|c| c.exp)
        .unwrap_or(now + token.expire_time_seconds);
    Ok(SignedIn {
        base: settings.base.trim().to_string(),
        version,
        admin_id,
        token: token.token,
        expires_at,
    })
}

#[derive(Clone, PartialEq)]
enum Attempt {
    Idle,
    Connecting,
    Failed(String),
    Connected(String),
}

#[function_component(Connect)]
pub fn connect_page() -> Html {
    let session = use_context::<SessionHandle>().expect("session context");
    let client = use_context::<Rc<Client>>().expect("client context");
    let attempt = use_state(|| Attempt::Idle);
    let settings = session.settings.clone();

    let edit = |apply: fn(&mut Settings, String)| {
        let session = session.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| {
                    if i.type_() == "checkbox" {
                        i.checked().to_string()
                    } else {
                        i.value()
                    }
                })
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            let mut next = session.settings.clone();
            apply(&mut next, value);
            session.dispatch(SessionAction::Edit(next));
        })
    };
    let on_base = edit(|s, v| s.base = v);
    let on_version = edit(|s, v| s.version = v.parse().ok());
    let on_admin = edit(|s, v| s.admin_id = v);
    let on_secret = edit(|s, v| s.secret = v);
    let on_remember = edit(|s, v| s.remember = v == "true");

    let on_submit = {
        let session = session.clone();
        let attempt = attempt.clone();
        let log = client.log_callback();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let settings = session.settings.clone();
            if settings.base.trim().is_empty() {
                attempt.set(Attempt::Failed(
                    "Enter the API base: /api behind this console's nginx, or http://host:10002."
                        .into(),
                ));
                return;
            }
            if settings.secret.is_empty() {
                attempt.set(Attempt::Failed(
                    "Enter the secret: `secret` in the server's config (openIM123 by default)."
                        .into(),
                ));
                return;
            }
            attempt.set(Attempt::Connecting);
            let (session, attempt, log) = (session.clone(), attempt.clone(), log.clone());
            wasm_bindgen_futures::spawn_local(async move {
                match connect(settings.clone(), log).await {
                    Ok(signed_in) => {
                        attempt.set(Attempt::Connected(format!(
                            "Connected to {} as {} (OpenIM {}).",
                            signed_in.base, signed_in.admin_id, signed_in.version
                        )));
                        session.dispatch(SessionAction::SignIn(signed_in));
                    }
                    Err((version, err)) => {
                        let admin = match settings.admin_id.trim() {
                            "" => version.unwrap_or_default().default_admin_id().to_string(),
                            id => id.to_string(),
                        };
                        attempt.set(Attempt::Failed(explain(
                            &err,
                            version,
                            settings.base.trim(),
                            &admin,
                        )));
                    }
                }
            });
        })
    };

    let version_value = settings.version.map(|v| v.as_str()).unwrap_or("detect");
    let admin_placeholder = match settings.version {
        Some(v) => v.default_admin_id(),
        None => "openIM123456 (v3.4) or imAdmin (v3.8)",
    };
    let busy = *attempt == Attempt::Connecting;
    html! {
        <section aria-labelledby="connect-title">
            <h1 id="connect-title">{ "Connection" }</h1>
            <form onsubmit={on_submit} class="stack">
                <label for="api-base">{ "API base URL" }</label>
                <input id="api-base" type="text" value={settings.base.clone()} onchange={on_base}
                    placeholder="/api or http://host:10002" autocomplete="url" />
                <label for="api-version">{ "API generation" }</label>
                <select id="api-version" onchange={on_version}>
                    <option value="detect" selected={version_value == "detect"}>{ "Detect automatically" }</option>
                    <option value="v3.4" selected={version_value == "v3.4"}>{ "v3.4 (secret in the body, /auth/user_token)" }</option>
                    <option value="v3.8" selected={version_value == "v3.8"}>{ "v3.8 (/auth/get_admin_token)" }</option>
                </select>
                <label for="admin-id">{ "Admin user ID" }</label>
                <input id="admin-id" type="text" value={settings.admin_id.clone()} onchange={on_admin}
                    placeholder={admin_placeholder} autocomplete="username" />
                <label for="secret">{ "Secret" }</label>
                <input id="secret" type="password" value={settings.secret.clone()} onchange={on_secret}
                    autocomplete="current-password" />
                <label class="inline">
                    <input type="checkbox" checked={settings.remember} onchange={on_remember} />
                    { " Remember the secret on this device" }
                </label>
                <p class="hint">{
                    if settings.remember {
                        "The secret will be kept in this browser's localStorage for this site until you untick this box."
                    } else {
                        "The secret is kept in this tab's memory only and is forgotten on reload or sign-out."
                    }
                }</p>
                <button type="submit" disabled={busy}>{ if busy { "Connecting…" } else { "Connect" } }</button>
            </form>
            <div aria-live="polite">
            { match &*attempt {
                Attempt::Idle | Attempt::Connecting => html! {},
                Attempt::Failed(msg) => html! { <p role="alert" class="error">{ msg }</p> },
                Attempt::Connected(msg) => html! { <p role="status" class="ok">{ msg }</p> },
            } }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn openim(code: i32) -> ConnectError {
        ConnectError::Api(ApiError::OpenIm {
            code: ErrCode(code),
            msg: String::new(),
            dlt: String::new(),
        })
    }

    #[test]
    fn explains_each_failure() {
        let v34 = Some(ApiVersion::V3_4);
        let v38 = Some(ApiVersion::V3_8);
        let net = ConnectError::Api(ApiError::Network("x".into()));
        assert!(explain(&net, None, "/api", "a").starts_with("Cannot reach the server at /api"));
        let http = ConnectError::Api(ApiError::Http {
            status: 502,
            body: String::new(),
        });
        assert!(explain(&http, v34, "/api", "a").contains("HTTP 502"));
        assert!(explain(&openim(1002), v34, "/api", "a").starts_with("Wrong secret"));
        assert!(explain(&openim(1002), v38, "/api", "a").contains("share.yml"));
        assert!(
            explain(&openim(1004), v34, "/api", "bob").starts_with("bob is not a registered user")
        );
        assert!(explain(&ConnectError::NotAdmin, v34, "/api", "bob")
            .starts_with("bob got a token but is not an admin"));
        assert!(
            explain(&openim(1001), v38, "/api", "bob").starts_with("bob is not an admin user ID")
        );
        assert!(explain(
            &ConnectError::Unrecognised("HTTP 200: <html>".into()),
            None,
            "/x",
            "a"
        )
        .contains("not as OpenIM"));
        assert!(explain(&openim(4242), v34, "/api", "a").contains("4242"));
    }
}
