//! Providers, router and layout. Storage of the session and of the language is an effect here;
//! the reducers stay pure.

use std::rc::Rc;

use yew::prelude::*;
use yew_router::prelude::*;

use crate::api::{Client, LogEntry};
use crate::components::language_picker::LanguagePicker;
use crate::components::request_log::RequestLog;
use crate::components::session_status::SessionStatus;
use crate::i18n::{self, shell as t, Lang};
use crate::pages::connect::Connect;
use crate::route::{switch, Route};
use crate::session::{self, Reauth, Session, SessionAction, SessionHandle, Settings, SignedIn};

/// The newest calls, newest last; older ones drop off. Entries are shared, never copied: a push
/// makes a new list of [`CALL_LOG_LIMIT`] pointers at most.
#[derive(Clone, Debug, Default)]
pub struct CallLog {
    pub entries: Rc<[Rc<LogEntry>]>,
}

impl PartialEq for CallLog {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.entries, &other.entries)
    }
}

pub const CALL_LOG_LIMIT: usize = 200;

pub enum CallLogAction {
    Push(Rc<LogEntry>),
    Clear,
}

impl Reducible for CallLog {
    type Action = CallLogAction;

    fn reduce(self: Rc<Self>, action: CallLogAction) -> Rc<Self> {
        let entries = match action {
            CallLogAction::Push(e) => {
                let keep = self.entries.len().min(CALL_LOG_LIMIT - 1);
                self.entries[self.entries.len() - keep..]
                    .iter()
                    .cloned()
                    .chain([e])
                    .collect()
            }
            CallLogAction::Clear => Rc::from([]),
        };
        Rc::new(CallLog { entries })
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// Mounts the console.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

/// This tab's sign-in, as [`save_session`] stored it.
fn stored_sign_in() -> Option<SignedIn> {
    session_storage()
        .and_then(|s| s.get_item(session::TAB_SIGN_IN_KEY).ok()?)
        .and_then(|json| crate::json::from_str::<SignedIn>(&json).ok())
}

fn load_session() -> Session {
    let settings = local_storage()
        .and_then(|s| s.get_item(session::REMEMBERED_KEY).ok()?)
        .and_then(|json| crate::json::from_str::<Settings>(&json).ok())
        .unwrap_or_default();
    let signed_in = stored_sign_in().map(Rc::new);
    Session {
        settings,
        signed_in,
        reauth: None,
    }
}

fn save_session(s: &Session) {
    if let Some(store) = local_storage() {
        let stored = session::settings_to_store(&s.settings);
        let _ = store.set_item(
            session::REMEMBERED_KEY,
            &crate::json::to_string(&stored).unwrap_or_default(),
        );
    }
    if let Some(store) = session_storage() {
        let _ = match &s.signed_in {
            Some(si) => store.set_item(
                session::TAB_SIGN_IN_KEY,
                &crate::json::to_string(&**si).unwrap_or_default(),
            ),
            None => store.remove_item(session::TAB_SIGN_IN_KEY),
        };
    }
}

/// The remembered language, else the browser's.
fn load_lang() -> Lang {
    local_storage()
        .and_then(|s| s.get_item(i18n::STORAGE_KEY).ok()?)
        .and_then(|code| Lang::from_code(&code))
        .or_else(|| {
            let language = web_sys::window()?.navigator().language()?;
            Some(Lang::from_browser(&language))
        })
        .unwrap_or_default()
}

/// Remembers the language and tells the browser (`<html lang>`: fonts, screen readers,
/// translation offers).
fn save_lang(lang: &Lang) {
    if let Some(store) = local_storage() {
        let _ = store.set_item(i18n::STORAGE_KEY, lang.code());
    }
    if let Some(html) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = html.set_attribute("lang", lang.code());
    }
}

#[function_component(App)]
pub fn app() -> Html {
    let session: SessionHandle = use_reducer(load_session);
    let log = use_reducer(CallLog::default);
    let lang = use_state(load_lang);

    {
        let snapshot = (*session).clone();
        use_effect_with(snapshot, save_session);
    }
    use_effect_with(*lang, save_lang);

    let base = session
        .signed_in
        .as_ref()
        .map(|s| s.base.clone())
        .unwrap_or_else(|| session.settings.base.clone());
    let push = {
        let log = log.dispatcher();
        use_callback((), move |entry: LogEntry, _| {
            log.dispatch(CallLogAction::Push(Rc::new(entry)))
        })
    };
    let client = use_memo((base, push), |(base, push)| {
        Client::new(base.as_str(), push.clone())
    });
    let sign_out = {
        let session = session.clone();
        Callback::from(move |_| session.dispatch(SessionAction::SignOut))
    };
    let clear_log = {
        let log = log.clone();
        Callback::from(move |_| log.dispatch(CallLogAction::Clear))
    };
    let set_lang = {
        let lang = lang.clone();
        Callback::from(move |l: Lang| lang.set(l))
    };
    let current = *lang;

    html! {
        <ContextProvider<Lang> context={current}>
        <ContextProvider<SessionHandle> context={session.clone()}>
        <ContextProvider<Rc<Client>> context={client}>
        <BrowserRouter>
            <header class="top">
                <span class="brand">{ "openim-admin" }</span>
                <nav aria-label={t::MAIN_NAV.get(current)}>
                    { for Route::NAV.into_iter().map(|r| html! { <Link<Route> to={r.clone()}>{ r.title(current) }</Link<Route>> }) }
                </nav>
                <LanguagePicker lang={current} on_change={set_lang} />
                <SessionStatus signed_in={session.signed_in.clone()} on_sign_out={sign_out} />
            </header>
            <main>
                <Switch<Route> render={switch} />
            </main>
            if let Some(why) = session.reauth {
                <div class="modal-backdrop">
                    <div class="modal" role="dialog" aria-modal="true" aria-labelledby="reauth-title">
                        <h2 id="reauth-title">{ t::REAUTH_TITLE.get(current) }</h2>
                        <p>{ match why {
                            Reauth::TokenDead => t::REAUTH_TEXT.get(current),
                            Reauth::SecretNeeded => t::REAUTH_SECRET_TEXT.get(current),
                        } }</p>
                        <Connect embedded=true />
                    </div>
                </div>
            }
            <RequestLog entries={log.entries.clone()} on_clear={clear_log} />
        </BrowserRouter>
        </ContextProvider<Rc<Client>>>
        </ContextProvider<SessionHandle>>
        </ContextProvider<Lang>>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::log::{Sent, BODY_LIMIT};

    fn entry(n: usize, body: &str) -> LogEntry {
        LogEntry::new(
            Sent {
                operation_id: n.to_string(),
                method: "POST",
                url: "/api/user/user_register".into(),
                headers: vec![("token".into(), "eyJ.token".into())],
                body,
            },
            Some((200, r#"{"errCode":0,"errMsg":"","errDlt":""}"#)),
            None,
            1.0,
        )
    }

    #[test]
    fn call_log_keeps_the_newest() {
        let mut log = Rc::new(CallLog::default());
        for n in 0..CALL_LOG_LIMIT + 5 {
            log = log.reduce(CallLogAction::Push(Rc::new(entry(n, "{}"))));
        }
        assert_eq!(log.entries.len(), CALL_LOG_LIMIT);
        assert_eq!(log.entries[0].operation_id, "5");
        assert_eq!(log.entries[CALL_LOG_LIMIT - 1].operation_id, "204");
        assert!(log.reduce(CallLogAction::Clear).entries.is_empty());
    }

    #[test]
    fn call_log_stays_bounded_after_many_large_calls() {
        // A thousand registrations of a thousand users each: about 90 MB of request bodies.
        let users: Vec<String> = (0..1000)
            .map(|i| format!(r#"{{"userID":"bench_ui00_{i:06}","nickname":"Bench user {i}","faceURL":"","ex":""}}"#))
            .collect();
        let body = format!(r#"{{"secret":"openIM123","users":[{}]}}"#, users.join(","));
        let mut log = Rc::new(CallLog::default());
        for n in 0..1000 {
            log = log.reduce(CallLogAction::Push(Rc::new(entry(n, &body))));
        }
        assert_eq!(log.entries.len(), CALL_LOG_LIMIT);
        let kept: usize = log
            .entries
            .iter()
            .map(|e| {
                e.request_body.shown.len()
                    + e.request_body.whole.as_ref().map_or(0, String::len)
                    + e.response_body.shown.len()
                    + e.response_body.whole.as_ref().map_or(0, String::len)
            })
            .sum();
        assert!(
            kept <= CALL_LOG_LIMIT * 3 * BODY_LIMIT,
            "the log holds {kept} bytes of bodies"
        );
        let newest = &log.entries[CALL_LOG_LIMIT - 1];
        assert!(newest.request_body.is_cut());
        assert_eq!(newest.request_body.bytes, body.len());
        assert!(!newest.request_body.shown.contains("openIM123"));
    }
}
