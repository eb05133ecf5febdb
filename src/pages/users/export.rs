//! "Export all users": pages through `/user/get_users` 1,000 at a time (the current v3.8
//! search applies), then offers every column as CSV and says whether the server changed while
//! it ran (OpenIM pages by offset, with no snapshot, §3.4, §4.5).

use std::cell::Cell;
use std::rc::Rc;

use openim_protocol::user::{RequestPagination, UserInfo};
use openim_protocol::ApiVersion;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::bulk::csv::line;
use crate::components::error_box::ErrorBox;
use crate::download::offer_csv;
use crate::i18n::{use_lang, users as t, Lang};
use crate::session::use_admin;

pub const EXPORT_PAGE: i32 = 1000;

/// The export file: a header and a line per user.
pub fn users_csv(users: &[UserInfo]) -> String {
    let mut out = line(&[
        "userID",
        "nickname",
        "faceURL",
        "ex",
        "createTime",
        "appMangerLevel",
        "globalRecvMsgOpt",
    ]);
    for u in users {
        out.push_str(&line(&[
            u.user_id.as_str(),
            &u.nickname,
            &u.face_url,
            &u.ex,
            &u.create_time.to_string(),
            &u.app_manger_level.to_string(),
            &u.global_recv_msg_opt.to_string(),
        ]));
    }
    out
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
    Running { got: usize, total: i64 },
    Cancelled(usize),
    Done(Exported),
    Failed(ApiError),
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
                let mut users: Vec<UserInfo> = Vec::new();
                let mut first_total = None;
                let mut page = 1;
                let last_total = loop {
                    if flag.get() {
                        state.set(State::Cancelled(users.len()));
                        return;
                    }
                    let pagination = RequestPagination {
                        page_number: page,
                        show_number: EXPORT_PAGE,
                    };
                    let result = admin
                        .call(|c, t| {
                            let (user, nick) = (user.clone(), nick.clone());
                            async move { api::user::get_users(&c, &t, pagination, user, nick).await }
                        })
                        .await;
                    let resp = match result {
                        Ok(r) => r,
                        Err(e) => {
                            state.set(State::Failed(e));
                            return;
                        }
                    };
                    first_total.get_or_insert(resp.total);
                    let rows = resp.users.unwrap_or_default();
                    let short = rows.len() < EXPORT_PAGE as usize;
                    users.extend(rows);
                    state.set(State::Running {
                        got: users.len(),
                        total: resp.total,
                    });
                    if short {
                        break resp.total;
                    }
                    page += 1;
                };
                let unique = users
                    .iter()
                    .map(|u| u.user_id.as_str())
                    .collect::<std::collections::HashSet<_>>()
                    .len();
                let download_error = offer_csv("openim-users.csv", &users_csv(&users)).err();
                state.set(State::Done(Exported {
                    got: users.len(),
                    unique,
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
                State::Failed(e) => html! { <ErrorBox path="/user/get_users" version={props.version} error={e.clone()} /> },
            } }
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
