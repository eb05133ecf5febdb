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
