//! Who is signed in to which server: a pure reducer, shared through context. Storage is an
//! effect in app.rs: the admin token lives for the tab (sessionStorage); the secret stays in
//! memory unless the operator asks to remember it on this device (localStorage).

use std::rc::Rc;

use openim_protocol::ApiVersion;
use serde::{Deserialize, Serialize};
use yew::prelude::*;

/// What the operator typed on the connection page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub base: String,
    /// `None`: detect by probing.
    pub version: Option<ApiVersion>,
    pub admin_id: String,
    /// Empty unless remembered or typed in this tab.
    #[serde(default)]
    pub secret: String,
    #[serde(default)]
    pub remember: bool,
    /// Sign in with the secret, or through the chat server's admin account.
    #[serde(default)]
    pub mode: SignInMode,
    /// The chat admin API: `/complete_admin` behind this console's nginx, or `http://host:10009`.
    #[serde(default = "default_chat_base")]
    pub chat_base: String,
    #[serde(default)]
    pub chat_account: String,
}

/// How the console gets its OpenIM admin token.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum SignInMode {
    /// The secret and an admin user ID (`/auth/user_token`, `/auth/get_admin_token`).
    #[default]
    Secret,
    /// A chat admin account (`POST /account/login` on the chat server), which answers with an
    /// OpenIM admin token: the browser never holds the secret (chat-admin-api.md).
    Chat,
}

fn default_chat_base() -> String {
    "/complete_admin".into()
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            base: "/api".into(),
            version: None,
            admin_id: String::new(),
            secret: String::new(),
            remember: false,
            mode: SignInMode::Secret,
            chat_base: default_chat_base(),
            chat_account: String::new(),
        }
    }
}

/// A working admin sign-in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SignedIn {
    pub base: String,
    pub version: ApiVersion,
    pub admin_id: String,
    pub token: String,
    /// Unix seconds.
    pub expires_at: i64,
    /// The chat admin account signed in with, when the token came from the chat server.
    #[serde(default)]
    pub via_chat: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub settings: Settings,
    pub signed_in: Option<Rc<SignedIn>>,
    /// The admin token stopped working and cannot be renewed here: the app asks the operator to
    /// sign in again over the current page, which keeps what they were doing.
    pub reauth: Option<Reauth>,
}

/// Why the sign-in dialog is open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reauth {
    /// The admin token stopped working and cannot be renewed here.
    TokenDead,
    /// A v3.4 call carries the secret itself and none is in memory (a reload dropped it, or a
    /// chat sign-in never had it); the token itself may be fine.
    SecretNeeded,
}

pub enum SessionAction {
    /// The operator changed the connection form.
    Edit(Settings),
    SignIn(SignedIn),
    /// A call cannot go on without a new sign-in, for this reason.
    NeedSignIn(Reauth),
    SignOut,
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SessionAction::Edit(settings) => next.settings = settings,
            SessionAction::SignIn(s) => {
                next.signed_in = Some(Rc::new(s));
                next.reauth = None;
            }
            SessionAction::NeedSignIn(why) => {
                if next.signed_in.is_some() {
                    next.reauth = Some(why);
                    if why == Reauth::SecretNeeded {
                        // Only the secret helps: show its fields, not the chat sign-in again.
                        next.settings.mode = SignInMode::Secret;
                    }
                }
            }
            SessionAction::SignOut => {
                next.signed_in = None;
                next.reauth = None;
                if !next.settings.remember {
                    next.settings.secret.clear();
                }
            }
        }
        Rc::new(next)
    }
}

pub type SessionHandle = UseReducerHandle<Session>;

/// Keys in browser storage.
pub const REMEMBERED_KEY: &str = "openim-admin.connection";
pub const TAB_SIGN_IN_KEY: &str = "openim-admin.sign-in";

/// The settings as they may be written to localStorage: the secret only when remembered.
pub fn settings_to_store(s: &Settings) -> Settings {
    let mut stored = s.clone();
    if !s.remember {
        stored.secret.clear();
    }
    stored
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signed_in() -> SignedIn {
        SignedIn {
            base: "/api".into(),
            version: ApiVersion::V3_4,
            admin_id: "openIM123456".into(),
            token: "t".into(),
            expires_at: 1,
            via_chat: None,
        }
    }

    #[test]
    fn sign_out_forgets_token_and_unremembered_secret() {
        let s = Rc::new(Session::default())
            .reduce(SessionAction::Edit(Settings {
                secret: "openIM123".into(),
                ..Settings::default()
            }))
            .reduce(SessionAction::SignIn(signed_in()));
        assert!(s.signed_in.is_some());
        let s = s.reduce(SessionAction::SignOut);
        assert!(s.signed_in.is_none());
        assert_eq!(s.settings.secret, "");
    }

    #[test]
    fn a_dead_token_asks_for_sign_in_until_signed_in_again() {
        let signed_out =
            Rc::new(Session::default()).reduce(SessionAction::NeedSignIn(Reauth::TokenDead));
        assert!(
            signed_out.reauth.is_none(),
            "nothing to renew when nobody is signed in"
        );
        let s = Rc::new(Session::default())
            .reduce(SessionAction::SignIn(signed_in()))
            .reduce(SessionAction::NeedSignIn(Reauth::TokenDead));
        assert_eq!(s.reauth, Some(Reauth::TokenDead));
        assert!(
            s.signed_in.is_some(),
            "the page behind the dialog keeps its sign-in context"
        );
        assert_eq!(
            s.clone().reduce(SessionAction::SignIn(signed_in())).reauth,
            None
        );
        assert_eq!(s.reduce(SessionAction::SignOut).reauth, None);
        // Missing the secret after a chat sign-in: the dialog offers the secret's fields.
        let chat = Settings {
            mode: SignInMode::Chat,
            ..Settings::default()
        };
        let s = Rc::new(Session::default())
            .reduce(SessionAction::Edit(chat))
            .reduce(SessionAction::SignIn(signed_in()))
            .reduce(SessionAction::NeedSignIn(Reauth::SecretNeeded));
        assert_eq!(
            (s.reauth, s.settings.mode),
            (Some(Reauth::SecretNeeded), SignInMode::Secret)
        );
    }

    #[test]
    fn settings_stored_before_chat_sign_in_existed_still_load() {
        let old = r#"{"base":"/api","version":null,"admin_id":"openIM123456","secret":"","remember":false}"#;
        let s: Settings = serde_json::from_str(old).unwrap();
        assert_eq!(
            (s.mode, s.chat_base.as_str()),
            (SignInMode::Secret, "/complete_admin")
        );
    }

    #[test]
    fn remembered_secret_survives_sign_out_and_is_stored() {
        let settings = Settings {
            secret: "openIM123".into(),
            remember: true,
            ..Settings::default()
        };
        let s = Rc::new(Session::default())
            .reduce(SessionAction::Edit(settings.clone()))
            .reduce(SessionAction::SignOut);
        assert_eq!(s.settings.secret, "openIM123");
        assert_eq!(settings_to_store(&settings).secret, "openIM123");
        let forgotten = Settings {
            remember: false,
            ..settings
        };
        assert_eq!(settings_to_store(&forgotten).secret, "");
    }
}

/// Admin calls with OpenIM's token rules applied once, for every page: when a call fails with a
/// token errCode (1501-1507), get a fresh admin token with the secret in memory, store it, and
/// repeat the call once.
#[derive(Clone)]
pub struct Admin {
    pub session: SessionHandle,
    pub client: Rc<crate::api::Client>,
}

impl Admin {
    pub fn signed_in(&self) -> Option<Rc<SignedIn>> {
        self.session.signed_in.clone()
    }

    /// The secret in memory, for the v3.4 calls that carry it (`/auth/user_token`,
    /// `/user/user_register`, §3.1, §3.2). Without it (a reload dropped it, or a chat sign-in
    /// never had it) the sign-in dialog opens over the current page.
    pub fn secret(&self) -> Result<String, crate::api::ApiError> {
        let secret = self.session.settings.secret.clone();
        if secret.is_empty() {
            self.session
                .dispatch(SessionAction::NeedSignIn(Reauth::SecretNeeded));
            return Err(crate::api::ApiError::NeedsSignIn);
        }
        Ok(secret)
    }

    pub async fn call<T, F, Fut>(&self, f: F) -> Result<T, crate::api::ApiError>
    where
        F: Fn(Rc<crate::api::Client>, String) -> Fut,
        Fut: std::future::Future<Output = Result<T, crate::api::ApiError>>,
    {
        use crate::api::ApiError;
        let Some(signed_in) = self.signed_in() else {
            return Err(ApiError::NeedsSignIn);
        };
        match f(self.client.clone(), signed_in.token.clone()).await {
            Err(ApiError::OpenIm { code, .. }) if code.is_token_error() => {
                let secret = self.session.settings.secret.clone();
                let fresh = if secret.is_empty() || signed_in.via_chat.is_some() {
                    None
                } else {
                    crate::api::auth::admin_token(
                        &self.client,
                        signed_in.version,
                        &secret,
                        &signed_in.admin_id,
                    )
                    .await
                    .ok()
                };
                let Some(fresh) = fresh else {
                    // Chat sign-ins keep no password, and without the secret there is no
                    // renewal: ask for a sign-in over the current page.
                    self.session
                        .dispatch(SessionAction::NeedSignIn(Reauth::TokenDead));
                    return Err(ApiError::NeedsSignIn);
                };
                let renewed = SignedIn {
                    token: fresh.token.clone(),
                    expires_at: crate::json::decode_claims(&fresh.token)
                        .ok()
                        .and_then(|c| c.exp)
                        .unwrap_or(signed_in.expires_at),
                    ..(*signed_in).clone()
                };
                self.session.dispatch(SessionAction::SignIn(renewed));
                f(self.client.clone(), fresh.token).await
            }
            other => other,
        }
    }
}

/// The signed-in admin and the client of the current server.
#[hook]
pub fn use_admin() -> Admin {
    let session = use_context::<SessionHandle>().expect("session context");
    let client = use_context::<Rc<crate::api::Client>>().expect("client context");
    Admin { session, client }
}
