//! The user table (`/user/get_users`, §3.4, §4.5): page, size and search in the URL, first /
//! previous / next / last / go-to, distinct loading, empty and error states. A response that
//! arrives after a newer request is dropped (design habit 4). The table itself, which renders a
//! large page only where it is scrolled to, is in users/table.rs.

use std::rc::Rc;

use openim_protocol::pagination::page_count;
use openim_protocol::user::{GetUsersReq, GetUsersResp, RequestPagination, UserInfo};
use openim_protocol::ApiVersion;
use serde::{Deserialize, Serialize};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use yew_router::prelude::*;

mod export;
mod table;

use self::table::UserTable;
use crate::api::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::i18n::{use_lang, users as t, Text};
use crate::pages::sign_in_first;
use crate::route::Route;
use crate::session::use_admin;

pub const PAGE_SIZES: [u64; 6] = [10, 20, 50, 100, 500, 1000];
pub const DEFAULT_PAGE_SIZE: u64 = 20;

/// Entries in the browser's performance timeline, read by `make bench` (crates/openim-bench):
/// a page's answer has arrived, its rows are in the DOM, and the time between the two.
pub const DATA_MARK: &str = "users-data";
pub const RENDERED_MARK: &str = "users-rendered";
pub const RENDER_MEASURE: &str = "users-page-render";

/// The table's place, as kept in the URL query.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UsersQuery {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// v3.8 search by userID (a case-insensitive regex on the server).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// v3.8 search by nickname.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nick: Option<String>,
}

impl UsersQuery {
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    /// A size from the list, whatever the URL says.
    pub fn size(&self) -> u64 {
        self.size
            .filter(|s| PAGE_SIZES.contains(s))
            .unwrap_or(DEFAULT_PAGE_SIZE)
    }
}

/// The page "Go to page" would open: a whole number from 1 to the last page (when known).
pub fn goto_page(typed: &str, pages: Option<u64>) -> Option<u64> {
    let typed = typed.trim();
    if typed.is_empty() || typed.len() > 12 || !typed.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let page = typed.parse::<u64>().ok().filter(|p| *p >= 1)?;
    match pages {
        Some(last) if page > last.max(1) => None,
        _ => Some(page),
    }
}

/// The get_users request for the page `query` describes: its number and size, and the
/// searches, which only v3.8 has (§4.5).
pub fn page_request(query: &UsersQuery, version: ApiVersion) -> GetUsersReq {
    let search = |s: &Option<String>| match version {
        ApiVersion::V3_8 => s.clone().filter(|s| !s.is_empty()),
        ApiVersion::V3_4 => None,
    };
    GetUsersReq {
        pagination: RequestPagination {
            page_number: query.page() as i32,
            show_number: query.size() as i32,
        },
        user_id: search(&query.user),
        nick_name: search(&query.nick),
    }
}

/// The page `query` names, if the loader's call for it (static/early.js `sendEarly`) has its
/// answer in and that answer is a page: claimed, with its log entry. Anything else, an OpenIM
/// error among them (a dead token is renewed on the page's own path), is left to that path.
fn claim_early_page(
    admin: &crate::session::Admin,
    query: &UsersQuery,
) -> Option<(GetUsersResp, api::LogEntry)> {
    let signed_in = admin.signed_in()?;
    let body = crate::json::to_string(&page_request(query, signed_in.version)).ok()?;
    admin.client.claim_settled_early(
        api::user::GET_USERS,
        &signed_in.token,
        &body,
        |status, text| {
            let page = api::decode_large_answer::<GetUsersResp>(status, text).ok()?;
            Some(page.unwrap_or_else(api::user::no_users))
        },
    )
}

/// Only `http(s)` face URLs are loaded as images; anything else is shown as text.
pub fn loadable_avatar(face_url: &str) -> bool {
    let lower = face_url.trim().to_ascii_lowercase();
    lower.starts_with("https://") || lower.starts_with("http://")
}

#[derive(Clone, PartialEq)]
enum Load {
    Loading,
    Done(Result<Rc<GetUsersResp>, ApiError>),
}

#[function_component(Users)]
pub fn users() -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let location = use_location();
    let navigator = use_navigator();
    let query: UsersQuery = location
        .as_ref()
        .and_then(|l| l.query::<UsersQuery>().ok())
        .unwrap_or_default();
    let signed_in = admin.signed_in();
    let version = signed_in.as_ref().map(|s| s.version).unwrap_or_default();
    // Opened from its address, the page's answer may already be in: the loader asked for it
    // while the wasm was on its way (static/early.js `sendEarly`). Then the first render shows
    // it, and the effect below logs the call instead of sending one.
    let early_entry = use_mut_ref(|| None::<api::LogEntry>);
    let load = use_state(|| {
        let Some((page, entry)) = claim_early_page(&admin, &query) else {
            return Load::Loading;
        };
        *early_entry.borrow_mut() = Some(entry);
        // The render measured by RENDER_MEASURE starts here, as below.
        mark(DATA_MARK);
        Load::Done(Ok(Rc::new(page)))
    });
    let generation = use_mut_ref(|| 0u64);
    let search_user = use_state(|| query.user.clone().unwrap_or_default());
    let search_nick = use_state(|| query.nick.clone().unwrap_or_default());
    let goto = use_state(String::new);

    {
        let (load, admin, generation) = (load.clone(), admin.clone(), generation.clone());
        let token_key = signed_in
            .as_ref()
            .map(|s| (s.base.clone(), s.admin_id.clone()));
        let (client, early_entry) = (admin.client.clone(), early_entry.clone());
        use_effect_with((query.clone(), token_key), move |(q, key)| {
            if let Some(entry) = early_entry.borrow_mut().take() {
                // The first render showed the loader's answer: log the call it made.
                client.log(entry);
            } else if key.is_some() {
                let q = q.clone();
                *generation.borrow_mut() += 1;
                let mine = *generation.borrow();
                load.set(Load::Loading);
                wasm_bindgen_futures::spawn_local(async move {
                    let req = page_request(&q, version);
                    let result = admin
                        .call(|c, t| {
                            let req = req.clone();
                            async move { api::user::get_users(&c, &t, &req).await }
                        })
                        .await;
                    if *generation.borrow() == mine {
                        // The render measured by RENDER_MEASURE starts here.
                        mark(DATA_MARK);
                        load.set(Load::Done(result.map(Rc::new)));
                    }
                });
            }
        });
    }

    let Some(_) = signed_in else {
        return sign_in_first(lang, Route::Users);
    };
    let go = {
        let (navigator, query) = (navigator.clone(), query.clone());
        move |change: Box<dyn Fn(&mut UsersQuery)>| {
            let mut next = query.clone();
            change(&mut next);
            if let Some(nav) = &navigator {
                let _ = nav.push_with_query(&Route::Users, &next);
            }
        }
    };
    let go = Rc::new(go);
    let total = match &*load {
        Load::Done(Ok(r)) => Some(r.total.max(0) as u64),
        _ => None,
    };
    let size = query.size();
    let page = query.page();
    let pages = total.map(|t| page_count(t, size));
    let nav_button = |label: Text, target: Option<u64>| {
        let go = go.clone();
        let disabled = target.is_none() || target == Some(page);
        let onclick = Callback::from(move |_: MouseEvent| {
            if let Some(t) = target {
                go(Box::new(move |q: &mut UsersQuery| q.page = Some(t)));
            }
        });
        html! { <button type="button" class="secondary" {onclick} disabled={disabled}>{ label.get(lang) }</button> }
    };
    let on_size = {
        let go = go.clone();
        Callback::from(move |e: Event| {
            if let Some(s) = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| s.value().parse::<u64>().ok())
            {
                go(Box::new(move |q: &mut UsersQuery| {
                    q.size = Some(s);
                    q.page = Some(1);
                }));
            }
        })
    };
    let on_goto_input = {
        let goto = goto.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                goto.set(i.value());
            }
        })
    };
    let goto_target = goto_page(&goto, pages);
    let goto_wrong = !goto.trim().is_empty() && goto_target.is_none();
    let on_goto = {
        let go = go.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if let Some(p) = goto_target {
                go(Box::new(move |q: &mut UsersQuery| q.page = Some(p)));
            }
        })
    };
    let text_setter = |state: UseStateHandle<String>| {
        Callback::from(move |e: InputEvent| {
            if let Some(i) = e.target_dyn_into::<HtmlInputElement>() {
                state.set(i.value());
            }
        })
    };
    let on_search = {
        let (go, search_user, search_nick) = (go.clone(), search_user.clone(), search_nick.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let (u, n) = (
                (*search_user).trim().to_string(),
                (*search_nick).trim().to_string(),
            );
            go(Box::new(move |q: &mut UsersQuery| {
                q.user = Some(u.clone()).filter(|s| !s.is_empty());
                q.nick = Some(n.clone()).filter(|s| !s.is_empty());
                q.page = Some(1);
            }));
        })
    };
    let searching = query.user.is_some() || query.nick.is_some();
    // OpenIM v3.8 searches with these as regular expressions (§4.5): one that does not compile
    // would fail on the server, so it is named here and not sent.
    let bad_user = regex_error(search_user.trim());
    let bad_nick = regex_error(search_nick.trim());

    html! {
        <section aria-labelledby="users-title" class="wide">
            <h1 id="users-title">{ Route::Users.title(lang) }</h1>
            { match version {
                ApiVersion::V3_8 => html! {
                    <form class="row" onsubmit={on_search} role="search">
                        <label for="search-user">{ t::SEARCH_USER.get(lang) }</label>
                        <input id="search-user" type="text" value={(*search_user).clone()} oninput={text_setter(search_user.clone())} />
                        <label for="search-nick">{ t::SEARCH_NICK.get(lang) }</label>
                        <input id="search-nick" type="text" value={(*search_nick).clone()} oninput={text_setter(search_nick.clone())} />
                        <button type="submit" disabled={bad_user.is_some() || bad_nick.is_some()}>{ t::SEARCH.get(lang) }</button>
                        <span class="hint">{ t::SEARCH_HINT.get(lang) }</span>
                        if let Some(e) = &bad_user {
                            <p class="error">{ t::not_a_regex(lang, t::SEARCH_USER.get(lang), e) }</p>
                        }
                        if let Some(e) = &bad_nick {
                            <p class="error">{ t::not_a_regex(lang, t::SEARCH_NICK.get(lang), e) }</p>
                        }
                    </form>
                },
                ApiVersion::V3_4 => html! { <p class="hint">{ t::V34_NO_SEARCH.get(lang) }</p> },
            } }
            <export::ExportUsers version={version} user_search={query.user.clone()} nick_search={query.nick.clone()} />
            <div class="row pager">
                <label for="page-size">{ t::PAGE_SIZE.get(lang) }</label>
                <select id="page-size" onchange={on_size}>
                    { for PAGE_SIZES.iter().map(|s| html! { <option value={s.to_string()} selected={*s == size}>{ s.to_string() }</option> }) }
                </select>
                { nav_button(t::FIRST_PAGE, pages.map(|_| 1)) }
                { nav_button(t::PREVIOUS_PAGE, pages.map(|_| page.saturating_sub(1).max(1))) }
                <span>{ t::page_of(lang, page, pages) }</span>
                { nav_button(t::NEXT_PAGE, pages.map(|p| (page + 1).min(p))) }
                { nav_button(t::LAST_PAGE, pages) }
                <form class="row" onsubmit={on_goto}>
                    <label for="goto-page">{ t::GO_TO_PAGE.get(lang) }</label>
                    <input id="goto-page" type="text" inputmode="numeric" size="6" value={(*goto).clone()} oninput={on_goto_input}
                        aria-invalid={goto_wrong.then_some("true")} aria-describedby={goto_wrong.then_some("goto-page-problem")} />
                    <button type="submit" class="secondary" disabled={goto_target.is_none()}>{ t::GO.get(lang) }</button>
                    if goto_wrong {
                        <p id="goto-page-problem" class="error field-problem">{ t::goto_problem(lang, pages) }</p>
                    }
                </form>
            </div>
            <div aria-live="polite">
            { match &*load {
                Load::Loading => html! { <p role="status">{ t::LOADING.get(lang) }</p> },
                Load::Done(Err(e)) => html! { <ErrorBox path="/user/get_users" version={version} error={e.clone()} /> },
                Load::Done(Ok(r)) => {
                    let rows: &[UserInfo] = r.users.as_deref().unwrap_or(&[]);
                    html! {
                        <>
                        <p role="status">{ t::total(lang, r.total, searching) }
                            { if version == ApiVersion::V3_8 { t::V38_NOT_LISTED.get(lang) } else { "" } }</p>
                        if rows.is_empty() {
                            <p>{ if r.total > 0 { t::NONE_ON_PAGE.get(lang) } else { t::NONE_MATCH.get(lang) } }</p>
                        }
                        </>
                    }
                }
            } }
            </div>
            // Outside the live region: rows that scroll into a windowed table are not news.
            if let Load::Done(Ok(r)) = &*load {
                if r.users.as_ref().is_some_and(|u| !u.is_empty()) {
                    <UserTable users={Rc::clone(r)} />
                }
            }
        </section>
    }
}

/// Why `pattern` is not a regular expression, as the browser's RegExp reads it (close to the
/// PCRE dialect OpenIM's Mongo uses); `None` for a valid or empty pattern, or a longer one than
/// a search needs.
fn regex_error(pattern: &str) -> Option<String> {
    use wasm_bindgen::JsCast;
    if pattern.is_empty() {
        return None;
    }
    if pattern.chars().count() > MAX_SEARCH {
        return Some(format!("longer than {MAX_SEARCH} characters"));
    }
    let ctor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"RegExp".into())
        .ok()?
        .dyn_into()
        .ok()?;
    let args = js_sys::Array::of2(&pattern.into(), &"i".into());
    match js_sys::Reflect::construct(&ctor, &args) {
        Ok(_) => None,
        Err(e) => Some(
            e.dyn_into::<js_sys::Error>()
                .map(|e| String::from(e.message()))
                .unwrap_or_else(|_| "invalid".into()),
        ),
    }
}

/// The longest search text sent.
const MAX_SEARCH: usize = 256;

/// A performance mark; without a timeline (or a window) there is nothing to record.
fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(name);
    }
}

/// A performance measure between the latest marks named `start` and `end`; none when either
/// is missing.
fn measure(name: &str, start: &str, end: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark_and_end_mark(name, start, end);
    }
}

/// An avatar image for `http(s)` URLs; other values as inert text.
pub fn avatar(face_url: &str) -> Html {
    if face_url.is_empty() {
        html! {}
    } else if loadable_avatar(face_url) {
        html! { <img class="avatar" src={face_url.to_string()} alt="" loading="lazy" referrerpolicy="no-referrer" width="32" height="32" /> }
    } else {
        html! { <span class="clip">{ face_url }</span> }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_request_searches_only_in_v38() {
        let query = UsersQuery {
            page: Some(3),
            size: Some(50),
            user: Some("user0".into()),
            nick: Some(String::new()),
        };
        let v38 = page_request(&query, ApiVersion::V3_8);
        assert_eq!(
            (v38.pagination.page_number, v38.pagination.show_number),
            (3, 50)
        );
        assert_eq!(
            (v38.user_id.as_deref(), v38.nick_name.as_deref()),
            (Some("user0"), None),
            "an empty search is no search"
        );
        let v34 = page_request(&query, ApiVersion::V3_4);
        assert_eq!((v34.user_id, v34.nick_name), (None, None));
        let odd = UsersQuery {
            page: Some(0),
            size: Some(7),
            ..UsersQuery::default()
        };
        let req = page_request(&odd, ApiVersion::V3_4);
        assert_eq!(
            (req.pagination.page_number, req.pagination.show_number),
            (1, DEFAULT_PAGE_SIZE as i32),
            "the page asks for what it shows"
        );
    }

    #[test]
    fn go_to_page_takes_whole_numbers_within_the_pages() {
        assert_eq!(goto_page("3", Some(5)), Some(3));
        assert_eq!(goto_page(" 5 ", Some(5)), Some(5));
        assert_eq!(goto_page("6", Some(5)), None);
        assert_eq!(goto_page("0", Some(5)), None);
        assert_eq!(goto_page("-1", Some(5)), None);
        assert_eq!(goto_page("2.5", Some(5)), None);
        assert_eq!(goto_page("1e3", None), None);
        assert_eq!(goto_page("abc", None), None);
        assert_eq!(goto_page("", Some(5)), None);
        assert_eq!(goto_page("1", Some(0)), Some(1));
        assert_eq!(goto_page("99999999999999", None), None);
        assert_eq!(goto_page("40", None), Some(40));
    }

    #[test]
    fn query_defaults_and_bounds() {
        let q = UsersQuery::default();
        assert_eq!((q.page(), q.size()), (1, 20));
        let q = UsersQuery {
            page: Some(0),
            size: Some(7),
            ..Default::default()
        };
        assert_eq!((q.page(), q.size()), (1, 20));
        let q = UsersQuery {
            page: Some(3),
            size: Some(500),
            ..Default::default()
        };
        assert_eq!((q.page(), q.size()), (3, 500));
    }

    #[test]
    fn only_http_avatars_load() {
        assert!(loadable_avatar("https://cdn.example/a.png"));
        assert!(loadable_avatar(" HTTP://x/y"));
        assert!(!loadable_avatar("javascript:alert(1)"));
        assert!(!loadable_avatar("data:image/png;base64,AAAA"));
        assert!(!loadable_avatar("/relative.png"));
    }
}
