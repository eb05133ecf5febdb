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
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            base: "/api".into(),
            version: None,
            admin_id: String::new(),
            secret: String::new(),
            remember: false,
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
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Session {
    pub settings: Settings,
    pub signed_in: Option<Rc<SignedIn>>,
}

pub enum SessionAction {
    /// The operator changed the connection form.
    Edit(Settings),
    SignIn(SignedIn),
    SignOut,
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SessionAction::Edit(settings) => next.settings = settings,
            SessionAction::SignIn(s) => next.signed_in = Some(Rc::new(s)),
            SessionAction::SignOut => {
                next.signed_in = None;
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
                if secret.is_empty() {
                    return Err(ApiError::NeedsSignIn);
                }
                let fresh = crate::api::auth::admin_token(
                    &self.client,
                    signed_in.version,
                    &secret,
                    &signed_in.admin_id,
                )
                .await
                .map_err(|_| ApiError::NeedsSignIn)?;
                let renewed = SignedIn {
                    token: fresh.token.clone(),
                    expires_at: openim_protocol::claims::decode_claims(&fresh.token)
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
