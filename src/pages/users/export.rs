//! "Export all users": pages through `/user/get_users` (the current v3.8 search applies), then
//! offers every column as CSV and says whether the server changed while it ran (OpenIM pages by
//! offset, with no snapshot, §3.4, §4.5).
//!
//! Page 1 goes alone: its count says how many pages follow, and a dead token is renewed once,
//! there. The pages that count promises then go out [`EXPORT_WINDOW`] at a time and are taken
//! in page order; past them (the list grew meanwhile) one at a time until a short page. Each
//! page's rows become CSV as they arrive, copied out to the browser as one piece of the file:
//! wasm memory holds a few pages and the user IDs (to count distinct users), never the whole
//! list or the whole text.

use std::cell::Cell;
use std::collections::HashSet;
use std::rc::Rc;

use futures::stream::{FuturesOrdered, StreamExt};
use openim_protocol::user::{GetUsersReq, GetUsersResp, RequestPagination, UserInfo};
use openim_protocol::ApiVersion;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::bulk::csv::push_line;
use crate::components::error_box::ErrorBox;
use crate::download::CsvFile;
use crate::i18n::{use_lang, users as t, Lang};
use crate::session::{use_admin, Admin};

/// Users per `/user/get_users` page. OpenIM checks no maximum (§3.4, §4.5), but its API
/// process receives each page from the user RPC as one gRPC message, and gRPC clients refuse
/// messages over 4 MiB unless configured otherwise (the limit became a setting only in later
/// releases, §9 `rpcMaxBodySize`). 2,000 users stay under it even at v3.4.0's longest columns
/// (64 + 255 + 255 + 1,024 bytes, §3.2); typical users, about 140 bytes of JSON each, make
/// pages of about 280 KB, and 50 requests for 100,000 users.
pub const EXPORT_PAGE: i32 = 2000;

/// Pages in flight at once: enough to keep the server busy while the browser turns the
/// previous page into CSV, few enough not to crowd out other callers of the server.
pub const EXPORT_WINDOW: usize = 4;

/// The export file's header line.
pub const CSV_COLUMNS: [&str; 7] = [
    "userID",
    "nickname",
    "faceURL",
    "ex",
    "createTime",
    "appMangerLevel",
    "globalRecvMsgOpt",
];

/// Appends a CSV line per user to `out`.
pub fn push_users_csv(out: &mut String, users: &[UserInfo]) {
    for u in users {
        push_line(
            out,
            &[
                u.user_id.as_str(),
                &u.nickname,
                &u.face_url,
                &u.ex,
                &u.create_time.to_string(),
                &u.app_manger_level.to_string(),
                &u.global_recv_msg_opt.to_string(),
            ],
        );
    }
}

/// Whether the answer to 1-based `page` ends the export: it is short, or the count that came
/// with it says no user lies past it.
pub fn is_last_page(page: i32, rows: usize, total: i64) -> bool {
    rows < EXPORT_PAGE as usize || i64::from(page) * i64::from(EXPORT_PAGE) >= total
}

/// Whether to ask for 1-based `page` now, with `in_flight` pages asked for and not yet taken,
/// and `first_total` users counted by page 1 (`None` until it answers): page 1 alone; then the
/// pages that count promises, [`EXPORT_WINDOW`] at a time; past them one at a time.
pub fn may_request(page: i32, in_flight: usize, first_total: Option<i64>) -> bool {
    match first_total {
        None => page == 1 && in_flight == 0,
        Some(total) => {
            let promised = i64::from(page - 1) * i64::from(EXPORT_PAGE) < total;
            in_flight == 0 || (promised && in_flight < EXPORT_WINDOW)
        }
    }
}

/// A finished export: `got` rows, `unique` of them with distinct IDs, while the server
/// reported `first` users on the first page and `last` on the last.
#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    pub got: usize,
    pub unique: usize,
    pub first: i64,
    pub last: i64,
    /// Why the browser did not save the file, if it refused.
    pub download_error: Option<String>,
}

impl Exported {
    /// Whether the rows are exactly the users the server had throughout.
    pub fn exact(&self) -> bool {
        self.got == self.unique && self.first == self.last && self.got as i64 == self.first
    }

    /// What to say about the export.
    pub fn summary(&self, lang: Lang) -> String {
        let text = if self.exact() {
            t::export_exact(lang, self.got)
        } else {
            t::export_changed(lang, self.got, self.unique, self.first, self.last)
        };
        match &self.download_error {
            None => text,
            Some(e) => t::download_refused(lang, &text, e),
        }
    }
}

#[derive(Clone, PartialEq)]
enum State {
    Idle,
    Running {
        got: usize,
        total: i64,
    },
    Cancelled(usize),
    Done(Exported),
    /// A page failed after `got` users had arrived; nothing was offered.
    Failed {
        got: usize,
        error: ApiError,
    },
}

/// Page `page` of the export, with its number.
async fn fetch_page(
    admin: Admin,
    page: i32,
    user: Option<String>,
    nick: Option<String>,
) -> (i32, Result<GetUsersResp, ApiError>) {
    let req = GetUsersReq {
        pagination: RequestPagination {
            page_number: page,
            show_number: EXPORT_PAGE,
        },
        user_id: user,
        nick_name: nick,
    };
    let result = admin
        .call(|c, t| {
            let req = req.clone();
            async move { api::user::get_users(&c, &t, &req).await }
        })
        .await;
    (page, result)
}

#[derive(Properties, PartialEq)]
pub struct Props {
    pub version: ApiVersion,
    pub user_search: Option<String>,
    pub nick_search: Option<String>,
}

#[function_component(ExportUsers)]
pub fn export_users(props: &Props) -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let state = use_state(|| State::Idle);
    let cancel = use_mut_ref(|| Rc::new(Cell::new(false)));
    let on_start = {
        let (admin, state, cancel) = (admin.clone(), state.clone(), cancel.clone());
        let (user, nick) = match props.version {
            ApiVersion::V3_8 => (props.user_search.clone(), props.nick_search.clone()),
            ApiVersion::V3_4 => (None, None),
        };
        Callback::from(move |_: MouseEvent| {
            let flag = Rc::new(Cell::new(false));
            *cancel.borrow_mut() = flag.clone();
            let (admin, state, user, nick) =
                (admin.clone(), state.clone(), user.clone(), nick.clone());
            state.set(State::Running { got: 0, total: 0 });
            wasm_bindgen_futures::spawn_local(async move {
                let fetch = |page| fetch_page(admin.clone(), page, user.clone(), nick.clone());
                let mut file = CsvFile::new();
                let mut chunk = String::new();
                push_line(&mut chunk, &CSV_COLUMNS);
                let mut ids: HashSet<String> = HashSet::new();
                let mut got = 0;
                let mut first_total = None;
                let mut in_flight = FuturesOrdered::new();
                let mut next = 1;
                let last_total = loop {
                    while may_request(next, in_flight.len(), first_total) {
                        in_flight.push_back(fetch(next));
                        next += 1;
                    }
                    // Never empty here: may_request always lets one page out when none is.
                    let Some((page, result)) = in_flight.next().await else {
                        break first_total.unwrap_or(0);
                    };
                    if flag.get() {
                        state.set(State::Cancelled(got));
                        return;
                    }
                    let resp = match result {
                        Ok(r) => r,
                        Err(error) => {
                            state.set(State::Failed { got, error });
                            return;
                        }
                    };
                    first_total.get_or_insert(resp.total);
                    let rows = resp.users.unwrap_or_default();
                    let last = is_last_page(page, rows.len(), resp.total);
                    push_users_csv(&mut chunk, &rows);
                    file.push(&chunk);
                    chunk.clear();
                    got += rows.len();
                    ids.extend(rows.into_iter().map(|u| u.user_id));
                    state.set(State::Running {
                        got,
                        total: resp.total,
                    });
                    if last {
                        break resp.total;
                    }
                };
                let download_error = file.offer("openim-users.csv").err();
                state.set(State::Done(Exported {
                    got,
                    unique: ids.len(),
                    first: first_total.unwrap_or(0),
                    last: last_total,
                    download_error,
                }));
            });
        })
    };
    let on_cancel = {
        let cancel = cancel.clone();
        Callback::from(move |_: MouseEvent| cancel.borrow().set(true))
    };
    let running = matches!(*state, State::Running { .. });
    html! {
        <div class="export">
            <div class="row">
                <button type="button" class="secondary" onclick={on_start} disabled={running}>{ t::EXPORT_ALL.get(lang) }</button>
                if running { <button type="button" class="secondary" onclick={on_cancel}>{ t::CANCEL_EXPORT.get(lang) }</button> }
            </div>
            <div aria-live="polite">
            { match &*state {
                State::Idle => html! {},
                State::Running { got, total } => html! {
                    <>
                        <label for="export-progress">{ t::EXPORT_PROGRESS.get(lang) }</label>
                        <progress id="export-progress" max={total.max(&1).to_string()} value={got.to_string()} />
                        <p role="status">{ t::exporting(lang, *got, *total) }</p>
                    </>
                },
                State::Cancelled(got) => html! { <p role="status">{ t::export_cancelled(lang, *got) }</p> },
                State::Done(done) => html! { <p role="status" class={if done.exact() { "ok" } else { "error" }}>{ done.summary(lang) }</p> },
                State::Failed { got, error } => html! {
                    <>
                        <p role="status">{ t::export_failed(lang, *got) }</p>
                        <ErrorBox path="/user/get_users" version={props.version} error={error.clone()} />
                    </>
                },
            } }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The export file of `users` in one piece: a header and a line per user.
    fn users_csv(users: &[UserInfo]) -> String {
        let mut out = String::new();
        push_line(&mut out, &CSV_COLUMNS);
        push_users_csv(&mut out, users);
        out
    }

    #[test]
    fn csv_has_every_column() {
        let u = UserInfo {
            user_id: "u1".into(),
            nickname: "A, B".into(),
            create_time: 5,
            app_manger_level: 1,
            ..Default::default()
        };
        assert_eq!(
            users_csv(&[u]),
            "userID,nickname,faceURL,ex,createTime,appMangerLevel,globalRecvMsgOpt\r\nu1,\"A, B\",,,5,1,0\r\n"
        );
    }

    fn user(n: usize) -> UserInfo {
        UserInfo {
            user_id: format!("user{n:06}"),
            nickname: format!("User {n}, \"the\" {n}th"),
            face_url: format!("https://cdn.example/{n}.png"),
            ex: if n % 7 == 0 {
                "=cmd".into()
            } else {
                String::new()
            },
            create_time: 1_700_000_000_000 + n as i64,
            app_manger_level: (n % 2) as i32,
            global_recv_msg_opt: (n % 3) as i32,
        }
    }

    #[test]
    fn pages_of_csv_read_back_as_the_users() {
        let users: Vec<UserInfo> = (0..5_001).map(user).collect();
        let mut file = String::new();
        push_line(&mut file, &CSV_COLUMNS);
        for page in users.chunks(EXPORT_PAGE as usize) {
            let mut chunk = String::new();
            push_users_csv(&mut chunk, page);
            file.push_str(&chunk);
        }
        assert_eq!(file, users_csv(&users));
        let (records, bad) = crate::bulk::csv::parse_records(&file);
        assert_eq!(bad, None);
        assert_eq!(records.len(), 5_002);
        assert_eq!(records[0].fields, CSV_COLUMNS);
        for (u, r) in users.iter().zip(&records[1..]) {
            let ex = if u.ex.is_empty() {
                String::new()
            } else {
                format!("'{}", u.ex)
            };
            assert_eq!(
                r.fields,
                [
                    u.user_id.clone(),
                    u.nickname.clone(),
                    u.face_url.clone(),
                    ex,
                    u.create_time.to_string(),
                    u.app_manger_level.to_string(),
                    u.global_recv_msg_opt.to_string(),
                ]
            );
        }
    }

    #[test]
    fn the_last_page_is_short_or_reaches_the_count() {
        let full = EXPORT_PAGE as usize;
        assert!(is_last_page(1, 0, 0), "an empty list is one empty page");
        assert!(is_last_page(3, 10, 4_010));
        assert!(!is_last_page(1, full, 100_000));
        // A full page that reaches the count ends the export without asking for an empty one.
        assert!(is_last_page(50, full, 100_000));
        // The list grew while the export ran: a full page short of the new count goes on.
        assert!(!is_last_page(50, full, 100_001));
    }

    /// The pages asked for once `answered_through` pages have been taken, when every page
    /// counts `total` users.
    fn requests(total: i64, answered_through: i32) -> Vec<i32> {
        let mut asked = Vec::new();
        let mut in_flight = 0;
        let mut first_total = None;
        let mut next = 1;
        let mut taken = 0;
        loop {
            while may_request(next, in_flight, first_total) {
                asked.push(next);
                in_flight += 1;
                next += 1;
            }
            if taken == answered_through {
                return asked;
            }
            taken += 1;
            in_flight -= 1;
            first_total = Some(total);
        }
    }

    #[test]
    fn page_one_alone_then_a_window_of_promised_pages() {
        let page = i64::from(EXPORT_PAGE);
        assert_eq!(requests(100 * page, 0), [1]);
        assert_eq!(requests(100 * page, 1), [1, 2, 3, 4, 5], "a window of four");
        assert_eq!(requests(100 * page, 2), [1, 2, 3, 4, 5, 6]);
        // Never past the pages the count promises while others are out ...
        assert_eq!(requests(3 * page, 1), [1, 2, 3]);
        assert_eq!(requests(3 * page, 2), [1, 2, 3]);
        // ... and past them one page at a time, should the list have grown.
        assert_eq!(requests(3 * page, 3), [1, 2, 3, 4]);
        assert_eq!(requests(3 * page, 4), [1, 2, 3, 4, 5]);
    }

    fn exported(got: usize, unique: usize, first: i64, last: i64) -> Exported {
        Exported {
            got,
            unique,
            first,
            last,
            download_error: None,
        }
    }

    #[test]
    fn summary_says_when_the_server_changed() {
        let same = exported(10, 10, 10, 10);
        assert!(same.exact());
        assert_eq!(
            same.summary(Lang::En),
            "Exported 10 users, as many as the server reports."
        );
        let changed = exported(10, 9, 10, 11);
        assert!(!changed.exact());
        assert!(changed
            .summary(Lang::En)
            .contains("changed during the export"));
        assert!(changed.summary(Lang::Zh).contains("发生了变化"));
        let refused = Exported {
            download_error: Some("blocked".into()),
            ..exported(1_500, 1_500, 1_500, 1_500)
        };
        assert_eq!(
            refused.summary(Lang::En),
            "Exported 1,500 users, as many as the server reports. The browser refused the download: blocked"
        );
    }
}
