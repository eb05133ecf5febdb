//! The connection page: API base, generation (detected or chosen), admin user ID and secret.
//! "Connect" proves the settings by getting an admin token, and in v3.4, where any registered
//! user gets a token (§3.1), by one admin-only call (`account_check`, §3.3).

use std::rc::Rc;

use openim_protocol::user::AccountCheckReq;
use openim_protocol::{ApiVersion, ErrCode};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::probe::{self, Probe};
use crate::api::{self, ApiError, Client, LogEntry};
use crate::i18n::{connect as t, use_lang, Lang};
use crate::json::decode_claims;
use crate::route::Route;
use crate::session::{SessionAction, SessionHandle, Settings, SignInMode, SignedIn};

/// A field of the form, for its bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    ApiBase,
    ChatBase,
    ChatAccount,
    ChatPassword,
    AdminId,
    Secret,
}

impl Field {
    /// The longest value the field takes, in characters.
    pub fn max_chars(self) -> usize {
        match self {
            Field::ApiBase | Field::ChatBase => 2048,
            Field::ChatAccount | Field::AdminId => 64,
            Field::ChatPassword => 128,
            Field::Secret => 256,
        }
    }

    /// The id of the field's input element.
    pub fn input_id(self) -> &'static str {
        match self {
            Field::ApiBase => "api-base",
            Field::ChatBase => "chat-base",
            Field::ChatAccount => "chat-account",
            Field::ChatPassword => "chat-password",
            Field::AdminId => "admin-id",
            Field::Secret => "secret",
        }
    }
}

/// What is wrong with what was typed into a field; an empty field is judged on "Connect".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldProblem {
    TooLong {
        max: usize,
        got: usize,
    },
    /// A control character or line break (a paste that took more than the value).
    ControlCharacter,
    /// A space inside an ID or an address.
    Space,
    /// An address that is neither `http(s)://…` nor a path on this site.
    NotAnAddress,
    /// `?` or `#` in an address, to which each call's path is appended.
    QueryOrFragment,
    /// `user:password@` in an address: credentials never go in URLs.
    Credentials,
}

/// The bound `value` breaks in `field`, if any. Leading and trailing spaces are ignored where
/// the form trims them (addresses, IDs, the account), and count in the secret and password.
pub fn field_problem(field: Field, value: &str) -> Option<FieldProblem> {
    let trims = !matches!(field, Field::Secret | Field::ChatPassword);
    let value = if trims { value.trim() } else { value };
    let got = value.chars().count();
    if got > field.max_chars() {
        return Some(FieldProblem::TooLong {
            max: field.max_chars(),
            got,
        });
    }
    if value.chars().any(char::is_control) {
        return Some(FieldProblem::ControlCharacter);
    }
    if trims && value.chars().any(char::is_whitespace) {
        return Some(FieldProblem::Space);
    }
    if matches!(field, Field::ApiBase | Field::ChatBase) && !value.is_empty() {
        let lower = value.to_ascii_lowercase();
        let rest = if let Some(rest) = lower.strip_prefix("http://") {
            rest
        } else if let Some(rest) = lower.strip_prefix("https://") {
            rest
        } else if lower.starts_with('/') && !lower.starts_with("//") {
            ""
        } else {
            return Some(FieldProblem::NotAnAddress);
        };
        let authority = rest.split('/').next().unwrap_or_default();
        if !lower.starts_with('/') && authority.is_empty() {
            return Some(FieldProblem::NotAnAddress);
        }
        if authority.contains('@') {
            return Some(FieldProblem::Credentials);
        }
        if value.contains(['?', '#']) {
            return Some(FieldProblem::QueryOrFragment);
        }
    }
    None
}

/// The bound each field of the form in its current mode breaks, in the form's order.
fn form_problems(settings: &Settings, password: &str) -> Vec<(Field, FieldProblem)> {
    let fields: &[(Field, &str)] = if settings.mode == SignInMode::Chat {
        &[
            (Field::ApiBase, &settings.base),
            (Field::ChatBase, &settings.chat_base),
            (Field::ChatAccount, &settings.chat_account),
            (Field::ChatPassword, password),
        ]
    } else {
        &[
            (Field::ApiBase, &settings.base),
            (Field::AdminId, &settings.admin_id),
            (Field::Secret, &settings.secret),
        ]
    };
    fields
        .iter()
        .filter_map(|(f, v)| field_problem(*f, v).map(|p| (*f, p)))
        .collect()
}

/// Why connecting failed.
#[derive(Clone, Debug, PartialEq)]
pub enum ConnectError {
    Api(ApiError),
    /// The server answered the probe, but not like either generation.
    Unrecognised(String),
    /// v3.4 issued a token, but the user is not in `manager.userID`.
    NotAdmin,
    /// The chat server refused or could not be reached.
    Chat(ApiError),
}

impl From<ApiError> for ConnectError {
    fn from(e: ApiError) -> Self {
        ConnectError::Api(e)
    }
}

/// What to tell the operator, naming the setting to fix.
pub fn explain(
    lang: Lang,
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
        ConnectError::Unrecognised(answer) => t::unrecognised(lang, base, answer),
        ConnectError::NotAdmin => t::not_admin(lang, admin_id, config),
        ConnectError::Chat(e) => explain_chat(lang, e, base, admin_id),
        ConnectError::Api(ApiError::Timeout(secs)) => t::timeout(lang, base, *secs),
        ConnectError::Api(ApiError::Network(_)) => t::unreachable(lang, base),
        ConnectError::Api(ApiError::Http {
            status: status @ 502..=504,
            ..
        }) => t::proxy_down(lang, base, *status),
        ConnectError::Api(ApiError::Http { status, .. }) => t::http_status(lang, base, *status),
        ConnectError::Api(ApiError::NeedsSignIn) => t::ENTER_SECRET_AND_CONNECT.get(lang).into(),
        ConnectError::Api(ApiError::Decode(_)) => t::not_openim(lang, base),
        ConnectError::Api(ApiError::OpenIm { code, .. }) => match (*code, version) {
            (ErrCode::NO_PERMISSION, _) => t::wrong_secret(lang, config),
            (ErrCode::ARGS, Some(ApiVersion::V3_8)) => t::not_admin_id(lang, admin_id, config),
            (ErrCode::RECORD_NOT_FOUND, Some(ApiVersion::V3_8)) => t::admin_missing(lang, admin_id),
            (ErrCode::RECORD_NOT_FOUND, _) => t::not_registered(lang, admin_id, config),
            (code, _) => t::refused(lang, code),
        },
    }
}

/// Why the chat server's sign-in failed; `base` is the chat admin API, `account` the account.
pub fn explain_chat(lang: Lang, err: &ApiError, base: &str, account: &str) -> String {
    use openim_protocol::chat::{ACCOUNT_NOT_FOUND, PASSWORD_ERROR};
    match err {
        ApiError::OpenIm { code, .. } if code.0 == PASSWORD_ERROR => {
            t::chat_wrong_password(lang, account)
        }
        ApiError::OpenIm { code, .. } if code.0 == ACCOUNT_NOT_FOUND => {
            t::chat_no_account(lang, account)
        }
        ApiError::OpenIm {
            code: ErrCode::ARGS,
            ..
        } => t::CHAT_ENTER_BOTH.get(lang).into(),
        ApiError::OpenIm { code, .. } => t::refused(lang, *code),
        ApiError::Network(_) | ApiError::Timeout(_) => t::chat_unreachable(lang, base),
        ApiError::Http { status, .. } => t::chat_http_status(lang, base, *status),
        ApiError::Decode(_) | ApiError::NeedsSignIn => t::chat_not_chat(lang, base),
    }
}

/// Signs in with a chat admin account: the chat server answers with an OpenIM admin token
/// (`imToken`) for its IM admin (`imUserID`), so the secret never reaches the browser. The
/// password is hashed, sent once and not kept.
async fn connect_chat(
    settings: Settings,
    password: String,
    log: Callback<LogEntry>,
) -> Result<SignedIn, (Option<ApiVersion>, ConnectError)> {
    let chat = Client::new(settings.chat_base.trim(), log.clone());
    let account = settings.chat_account.trim().to_string();
    let answer = api::chat::login(&chat, &account, &password)
        .await
        .map_err(|e| (settings.version, ConnectError::Chat(e)))?;
    let client = Client::new(settings.base.trim(), log);
    let version = match settings.version {
        Some(v) => v,
        None => match probe::detect(&client).await.map_err(|e| (None, e.into()))? {
            Probe::Detected(v) => v,
            Probe::Unrecognised(answer) => return Err((None, ConnectError::Unrecognised(answer))),
        },
    };
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let expires_at = decode_claims(&answer.im_token)
        .ok()
        .and_then(|c| c.exp)
        .unwrap_or(now);
    Ok(SignedIn {
        base: settings.base.trim().to_string(),
        version,
        admin_id: answer.im_user_id,
        token: answer.im_token,
        expires_at,
        via_chat: Some(account),
    })
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
            .call::<_, serde::de::IgnoredAny>("/user/account_check", Some(&token.token), &req)
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
        via_chat: None,
    })
}

/// Why the form did not connect, kept as data so that it reads in the current language.
#[derive(Clone, PartialEq)]
enum Failure {
    NoBase,
    NoSecret,
    NoChatAccount,
    Refused {
        err: ConnectError,
        version: Option<ApiVersion>,
        base: String,
        admin_id: String,
    },
}

#[derive(Clone, PartialEq)]
enum Attempt {
    Idle,
    Connecting,
    Failed(Failure),
    Connected(Rc<SignedIn>),
}

#[derive(Properties, PartialEq)]
pub struct Props {
    /// Inside the sign-in-again dialog: no page heading.
    #[prop_or_default]
    pub embedded: bool,
}

#[function_component(Connect)]
pub fn connect_page(props: &Props) -> Html {
    let lang = use_lang();
    let session = use_context::<SessionHandle>().expect("session context");
    let client = use_context::<Rc<Client>>().expect("client context");
    let attempt = use_state(|| Attempt::Idle);
    // The chat password lives in this form only; it is never stored.
    let password = use_state(String::new);
    let settings = session.settings.clone();
    let chat_mode = settings.mode == SignInMode::Chat;

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
    let on_chat_base = edit(|s, v| s.chat_base = v);
    let on_chat_account = edit(|s, v| s.chat_account = v);
    let on_mode = edit(|s, v| {
        s.mode = if v == "chat" {
            SignInMode::Chat
        } else {
            SignInMode::Secret
        }
    });
    let on_password = {
        let password = password.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                password.set(i.value());
            }
        })
    };

    let on_submit = {
        let session = session.clone();
        let attempt = attempt.clone();
        let log = client.log_callback();
        let password = password.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let settings = session.settings.clone();
            let chat = settings.mode == SignInMode::Chat;
            if !form_problems(&settings, &password).is_empty() {
                // The messages are already under the fields; nothing is sent.
                return;
            }
            if settings.base.trim().is_empty() {
                attempt.set(Attempt::Failed(Failure::NoBase));
                return;
            }
            if !chat && settings.secret.is_empty() {
                attempt.set(Attempt::Failed(Failure::NoSecret));
                return;
            }
            if chat && (settings.chat_account.trim().is_empty() || password.is_empty()) {
                attempt.set(Attempt::Failed(Failure::NoChatAccount));
                return;
            }
            attempt.set(Attempt::Connecting);
            let (session, attempt, log) = (session.clone(), attempt.clone(), log.clone());
            let typed_password = (*password).clone();
            let password = password.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let result = if chat {
                    connect_chat(settings.clone(), typed_password, log).await
                } else {
                    connect(settings.clone(), log).await
                };
                password.set(String::new());
                match result {
                    Ok(signed_in) => {
                        attempt.set(Attempt::Connected(Rc::new(signed_in.clone())));
                        session.dispatch(SessionAction::SignIn(signed_in));
                    }
                    Err((version, err)) => {
                        let admin = match settings.admin_id.trim() {
                            "" => version.unwrap_or_default().default_admin_id().to_string(),
                            id => id.to_string(),
                        };
                        // Chat failures name the chat API and account instead.
                        let (base, admin_id) = match err {
                            ConnectError::Chat(_) => (
                                settings.chat_base.trim().to_string(),
                                settings.chat_account.trim().to_string(),
                            ),
                            _ => (settings.base.trim().to_string(), admin),
                        };
                        attempt.set(Attempt::Failed(Failure::Refused {
                            err,
                            version,
                            base,
                            admin_id,
                        }));
                    }
                }
            });
        })
    };

    let version_value = settings.version.map(|v| v.as_str()).unwrap_or("detect");
    let admin_placeholder = match settings.version {
        Some(v) => v.default_admin_id(),
        None => t::ADMIN_ID_PLACEHOLDER.get(lang),
    };
    let busy = *attempt == Attempt::Connecting;
    let problems = form_problems(&settings, &password);
    let blocked = !problems.is_empty();
    // The message under a field that breaks its bound, and the attributes that tie it to it.
    let problem_of = |f: Field| problems.iter().find(|(g, _)| *g == f).map(|(_, p)| *p);
    let message_id = |f: Field| format!("{}-problem", f.input_id());
    let described = |f: Field| problem_of(f).map(|_| AttrValue::from(message_id(f)));
    let invalid = |f: Field| problem_of(f).map(|_| AttrValue::Static("true"));
    let message = |f: Field| match problem_of(f) {
        Some(p) => {
            html! { <p id={message_id(f)} class="error field-problem">{ t::field_problem(lang, p) }</p> }
        }
        None => html! {},
    };
    let failure_text = |f: &Failure| match f {
        Failure::NoBase => t::ENTER_BASE.get(lang).to_string(),
        Failure::NoSecret => t::ENTER_SECRET.get(lang).to_string(),
        Failure::NoChatAccount => t::CHAT_ENTER_BOTH.get(lang).to_string(),
        Failure::Refused {
            err,
            version,
            base,
            admin_id,
        } => explain(lang, err, *version, base, admin_id),
    };
    html! {
        <section aria-labelledby="connect-title">
            if !props.embedded {
                <h1 id="connect-title">{ Route::Connect.title(lang) }</h1>
            }
            <form onsubmit={on_submit} class="stack">
                <fieldset class="choice">
                    <legend>{ t::SIGN_IN_WITH.get(lang) }</legend>
                    <label class="inline">
                        <input type="radio" name="sign-in-mode" value="secret" checked={!chat_mode} onchange={on_mode.clone()} />
                        { t::MODE_SECRET.get(lang) }
                    </label>
                    <label class="inline">
                        <input type="radio" name="sign-in-mode" value="chat" checked={chat_mode} onchange={on_mode} />
                        { t::MODE_CHAT.get(lang) }
                    </label>
                </fieldset>
                <label for="api-base">{ t::API_BASE.get(lang) }</label>
                <input id="api-base" type="text" value={settings.base.clone()} onchange={on_base}
                    placeholder={t::API_BASE_PLACEHOLDER.get(lang)} autocomplete="url"
                    aria-invalid={invalid(Field::ApiBase)} aria-describedby={described(Field::ApiBase)} />
                { message(Field::ApiBase) }
                <label for="api-version">{ t::API_GENERATION.get(lang) }</label>
                <select id="api-version" onchange={on_version}>
                    <option value="detect" selected={version_value == "detect"}>{ t::DETECT.get(lang) }</option>
                    <option value="v3.4" selected={version_value == "v3.4"}>{ t::OPTION_V34.get(lang) }</option>
                    <option value="v3.8" selected={version_value == "v3.8"}>{ t::OPTION_V38.get(lang) }</option>
                </select>
                if chat_mode {
                    <label for="chat-base">{ t::CHAT_BASE.get(lang) }</label>
                    <input id="chat-base" type="text" value={settings.chat_base.clone()} onchange={on_chat_base}
                        placeholder={t::CHAT_BASE_PLACEHOLDER.get(lang)} autocomplete="url"
                        aria-invalid={invalid(Field::ChatBase)} aria-describedby={described(Field::ChatBase)} />
                    { message(Field::ChatBase) }
                    <label for="chat-account">{ t::CHAT_ACCOUNT.get(lang) }</label>
                    <input id="chat-account" type="text" value={settings.chat_account.clone()} onchange={on_chat_account}
                        placeholder={t::CHAT_ACCOUNT_PLACEHOLDER.get(lang)} autocomplete="username"
                        aria-invalid={invalid(Field::ChatAccount)} aria-describedby={described(Field::ChatAccount)} />
                    { message(Field::ChatAccount) }
                    <label for="chat-password">{ t::CHAT_PASSWORD.get(lang) }</label>
                    <input id="chat-password" type="password" value={(*password).clone()} oninput={on_password}
                        autocomplete="current-password"
                        aria-invalid={invalid(Field::ChatPassword)} aria-describedby={described(Field::ChatPassword)} />
                    { message(Field::ChatPassword) }
                    <p class="hint">{ t::CHAT_HINT.get(lang) }</p>
                } else {
                <label for="admin-id">{ t::ADMIN_ID.get(lang) }</label>
                <input id="admin-id" type="text" value={settings.admin_id.clone()} onchange={on_admin}
                    placeholder={admin_placeholder} autocomplete="username"
                    aria-invalid={invalid(Field::AdminId)} aria-describedby={described(Field::AdminId)} />
                { message(Field::AdminId) }
                <label for="secret">{ t::SECRET.get(lang) }</label>
                <input id="secret" type="password" value={settings.secret.clone()} onchange={on_secret}
                    autocomplete="current-password"
                    aria-invalid={invalid(Field::Secret)} aria-describedby={described(Field::Secret)} />
                { message(Field::Secret) }
                <label class="inline">
                    <input type="checkbox" checked={settings.remember} onchange={on_remember} />
                    { t::REMEMBER.get(lang) }
                </label>
                <p class="hint">{
                    if settings.remember { t::REMEMBERED_HINT.get(lang) } else { t::FORGOTTEN_HINT.get(lang) }
                }</p>
                }
                <button type="submit" disabled={busy || blocked}>{ if busy { t::CONNECTING.get(lang) } else { t::CONNECT.get(lang) } }</button>
            </form>
            <div aria-live="polite">
            { match &*attempt {
                Attempt::Idle | Attempt::Connecting => html! {},
                Attempt::Failed(f) => html! { <p role="alert" class="error">{ failure_text(f) }</p> },
                Attempt::Connected(s) => html! {
                    <p role="status" class="ok">{ t::connected(lang, &s.base, &s.admin_id, s.version) }</p>
                },
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
    fn fields_have_bounds() {
        use FieldProblem as P;
        assert_eq!(field_problem(Field::ApiBase, "/api"), None);
        assert_eq!(
            field_problem(Field::ApiBase, " http://10.0.0.5:10002/ "),
            None
        );
        assert_eq!(
            field_problem(Field::ApiBase, "HTTPS://im.example.com/api"),
            None
        );
        assert_eq!(field_problem(Field::ApiBase, ""), None);
        assert_eq!(
            field_problem(Field::ApiBase, "im.example.com:10002"),
            Some(P::NotAnAddress)
        );
        assert_eq!(
            field_problem(Field::ApiBase, "//im.example.com"),
            Some(P::NotAnAddress)
        );
        assert_eq!(
            field_problem(Field::ApiBase, "http://"),
            Some(P::NotAnAddress)
        );
        assert_eq!(
            field_problem(Field::ChatBase, "ftp://x"),
            Some(P::NotAnAddress)
        );
        assert_eq!(field_problem(Field::ApiBase, "http://a b"), Some(P::Space));
        assert_eq!(
            field_problem(Field::ApiBase, "http://x/api?x=1"),
            Some(P::QueryOrFragment)
        );
        assert_eq!(
            field_problem(Field::ApiBase, "/api#top"),
            Some(P::QueryOrFragment)
        );
        assert_eq!(
            field_problem(Field::ApiBase, "http://admin:pw@x/api"),
            Some(P::Credentials)
        );
        let long = format!("http://x/{}", "a".repeat(2048));
        assert_eq!(
            field_problem(Field::ApiBase, &long),
            Some(P::TooLong {
                max: 2048,
                got: 2057
            })
        );
        assert_eq!(field_problem(Field::AdminId, "imAdmin"), None);
        assert_eq!(
            field_problem(Field::AdminId, &"a".repeat(65)),
            Some(P::TooLong { max: 64, got: 65 })
        );
        assert_eq!(field_problem(Field::AdminId, "im Admin"), Some(P::Space));
        assert_eq!(field_problem(Field::Secret, " open IM 123 "), None);
        assert_eq!(
            field_problem(Field::Secret, "openIM123\n"),
            Some(P::ControlCharacter)
        );
        assert_eq!(
            field_problem(Field::Secret, &"s".repeat(257)),
            Some(P::TooLong { max: 256, got: 257 })
        );
        assert_eq!(
            field_problem(Field::ChatPassword, &"p".repeat(129)),
            Some(P::TooLong { max: 128, got: 129 })
        );
        assert_eq!(
            field_problem(Field::ChatAccount, "chat\tadmin"),
            Some(P::ControlCharacter)
        );
        for p in [
            P::TooLong { max: 64, got: 70 },
            P::ControlCharacter,
            P::Space,
            P::NotAnAddress,
            P::QueryOrFragment,
            P::Credentials,
        ] {
            for lang in [Lang::En, Lang::Zh] {
                assert!(!t::field_problem(lang, p).is_empty());
            }
        }
        assert_eq!(
            t::field_problem(Lang::En, P::TooLong { max: 64, got: 70 }),
            "At most 64 characters; this has 70. Nothing is cut off: shorten it here."
        );
    }

    #[test]
    fn explains_each_failure() {
        let v34 = Some(ApiVersion::V3_4);
        let v38 = Some(ApiVersion::V3_8);
        let net = ConnectError::Api(ApiError::Network("x".into()));
        assert!(explain(Lang::En, &net, None, "/api", "a")
            .starts_with("Cannot reach the server at /api"));
        let http = ConnectError::Api(ApiError::Http {
            status: 502,
            body: String::new(),
        });
        assert!(explain(Lang::En, &http, v34, "/api", "a").starts_with("The proxy at /api"));
        let teapot = ConnectError::Api(ApiError::Http {
            status: 418,
            body: String::new(),
        });
        assert!(explain(Lang::En, &teapot, v34, "/api", "a").contains("HTTP 418"));
        assert!(explain(Lang::En, &openim(1002), v34, "/api", "a").starts_with("Wrong secret"));
        assert!(explain(Lang::En, &openim(1002), v38, "/api", "a").contains("share.yml"));
        assert!(explain(Lang::En, &openim(1004), v34, "/api", "bob")
            .starts_with("bob is not a registered user"));
        assert!(
            explain(Lang::En, &ConnectError::NotAdmin, v34, "/api", "bob")
                .starts_with("bob got a token but is not an admin")
        );
        assert!(explain(Lang::En, &openim(1001), v38, "/api", "bob")
            .starts_with("bob is not an admin user ID"));
        assert!(explain(
            Lang::En,
            &ConnectError::Unrecognised("HTTP 200: <html>".into()),
            None,
            "/x",
            "a"
        )
        .contains("not as OpenIM"));
        assert!(explain(Lang::En, &openim(4242), v34, "/api", "a").contains("4242"));
    }

    #[test]
    fn explains_in_chinese_keeping_ids_and_files() {
        let v38 = Some(ApiVersion::V3_8);
        let zh = explain(Lang::Zh, &openim(1002), v38, "/api", "a");
        assert!(zh.starts_with("密钥错误"), "{zh}");
        assert!(zh.contains("config/share.yml"));
        let zh = explain(Lang::Zh, &openim(1001), v38, "/api", "bob");
        assert!(zh.starts_with("bob 不是"), "{zh}");
        let net = ConnectError::Api(ApiError::Network("x".into()));
        assert!(explain(Lang::Zh, &net, None, "/api", "a").contains("/api"));
    }
}
