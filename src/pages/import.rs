//! Bulk registration from pasted rows or a CSV file. The planner (crate::bulk::import) decides
//! what to send; this page sends up to PARALLEL requests at a time, shows progress, pauses on a
//! lost connection or token, and accounts for every input line.

use std::cell::RefCell;
use std::rc::Rc;

use openim_protocol::user::AccountStatus;
use openim_protocol::{ApiVersion, ErrCode};
use web_sys::{HtmlInputElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::bulk::csv::read_users;
use crate::bulk::import::{FailReason, Import, InvalidReason, RegisterAnswer, RowOutcome, Work};
use crate::download::offer_csv;
use crate::format::{duration_words, grouped};
use crate::i18n::{import as t, use_lang};
use crate::pages::sign_in_first;
use crate::route::Route;
use crate::session::{use_admin, Admin};

/// Requests in flight at once.
pub const PARALLEL: usize = 4;
/// Invalid rows listed on the page; all of them are in the outcome CSV.
const SHOWN_INVALID: usize = 200;

/// The running import, shared by the page and its in-flight requests.
struct Run {
    import: Import,
    active: usize,
    /// The failure that paused the run; crate::i18n::import::pause_reason words it.
    paused: Option<ApiError>,
    cancelled: bool,
    started_ms: f64,
    finished_ms: Option<f64>,
    /// Rows done when the current stretch of work started, for the rate.
    done_at_start: usize,
}

type Shared = Rc<RefCell<Option<Run>>>;

/// What became of the chosen file.
#[derive(Clone, PartialEq)]
enum FileNote {
    Read { name: String, bytes: usize },
    Unreadable(String),
}

/// Whether a failure means "wait and resume" rather than "these rows failed".
fn pauses(e: &ApiError) -> bool {
    match e {
        ApiError::Network(_)
        | ApiError::Timeout(_)
        | ApiError::Http { .. }
        | ApiError::Decode(_)
        | ApiError::NeedsSignIn => true,
        ApiError::OpenIm { code, .. } => code.is_token_error(),
    }
}

async fn run_work(
    admin: &Admin,
    version: ApiVersion,
    work: &Work,
    run: &Shared,
) -> Result<(), ApiError> {
    let (ids, users) = {
        let r = run.borrow();
        let import = &r.as_ref().expect("run").import;
        match work {
            Work::Check(rows) => (import.ids(rows), vec![]),
            Work::Register(rows) => (vec![], import.users(rows)),
        }
    };
    match work {
        Work::Check(rows) => {
            let results = admin
                .call(|c, t| {
                    let ids = ids.clone();
                    async move { api::user::account_check(&c, &t, ids).await }
                })
                .await?;
            let registered: Vec<bool> = ids
                .iter()
                .map(|id| {
                    results
                        .iter()
                        .any(|r| &r.user_id == id && r.account_status == AccountStatus::Registered)
                })
                .collect();
            if let Some(r) = run.borrow_mut().as_mut() {
                r.import.checked(rows, &registered);
            }
            Ok(())
        }
        Work::Register(rows) => {
            let sent = match version {
                ApiVersion::V3_4 => match admin.secret() {
                    Ok(secret) => {
                        api::user::user_register(&admin.client, Some(&secret), None, users).await
                    }
                    Err(e) => Err(e),
                },
                ApiVersion::V3_8 => {
                    admin
                        .call(|c, t| {
                            let users = users.clone();
                            async move { api::user::user_register(&c, None, Some(&t), users).await }
                        })
                        .await
                }
            };
            let answer = match sent {
                Ok(()) => RegisterAnswer::Created,
                Err(ApiError::OpenIm {
                    code: ErrCode::REGISTERED_ALREADY,
                    ..
                }) => RegisterAnswer::Conflict,
                Err(e) if pauses(&e) => return Err(e),
                Err(ApiError::OpenIm { code, msg, dlt }) => RegisterAnswer::Failed {
                    code: code.0,
                    message: if dlt.is_empty() {
                        msg
                    } else {
                        format!("{msg}: {dlt}")
                    },
                },
                Err(e) => return Err(e),
            };
            if let Some(r) = run.borrow_mut().as_mut() {
                r.import.registered(rows, answer);
            }
            Ok(())
        }
    }
}

/// Starts work until PARALLEL requests are in flight or nothing is waiting.
fn pump(admin: Admin, run: Shared, redraw: Callback<()>) {
    loop {
        let (work, version) = {
            let mut guard = run.borrow_mut();
            let Some(r) = guard.as_mut() else { return };
            if r.paused.is_some() || r.cancelled || r.active >= PARALLEL {
                return;
            }
            let Some(work) = r.import.next_work() else {
                if r.active == 0 && r.finished_ms.is_none() {
                    r.finished_ms = Some(js_sys::Date::now());
                    redraw.emit(());
                }
                return;
            };
            r.active += 1;
            (work, r.import.version)
        };
        let (admin2, run2, redraw2) = (admin.clone(), run.clone(), redraw.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = run_work(&admin2, version, &work, &run2).await;
            if let Some(r) = run2.borrow_mut().as_mut() {
                r.active -= 1;
                if let Err(e) = result {
                    r.import.interrupted(work);
                    r.paused = Some(e);
                }
            }
            redraw2.emit(());
            pump(admin2, run2, redraw2);
        });
    }
}

#[function_component(ImportPage)]
pub fn import_page() -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let text = use_state(String::new);
    let file_note = use_state(|| None::<FileNote>);
    let run: Shared = use_mut_ref(|| None);
    let redraw = use_force_update();
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first(lang, Route::Import);
    };
    let version = signed_in.version;
    let redraw_cb = {
        let redraw = redraw.clone();
        Callback::from(move |_| redraw.force_update())
    };

    let on_text = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                text.set(t.value());
            }
        })
    };
    let on_file = {
        let (text, file_note) = (text.clone(), file_note.clone());
        Callback::from(move |e: Event| {
            let Some(file) = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            let (text, file_note) = (text.clone(), file_note.clone());
            let name = file.name();
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(v) => {
                        let content = v.as_string().unwrap_or_default();
                        file_note.set(Some(FileNote::Read {
                            name,
                            bytes: content.len(),
                        }));
                        text.set(content);
                    }
                    Err(_) => file_note.set(Some(FileNote::Unreadable(name))),
                }
            });
        })
    };
    let on_start = {
        let (admin, run, text, redraw_cb) =
            (admin.clone(), run.clone(), text.clone(), redraw_cb.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let rows = read_users(&text);
            if rows.is_empty() {
                return;
            }
            let import = Import::new(version, rows);
            *run.borrow_mut() = Some(Run {
                done_at_start: import.counts().done(),
                import,
                active: 0,
                paused: None,
                cancelled: false,
                started_ms: js_sys::Date::now(),
                finished_ms: None,
            });
            redraw_cb.emit(());
            pump(admin.clone(), run.clone(), redraw_cb.clone());
        })
    };
    let resume = |retry_failed: bool| {
        let (admin, run, redraw_cb) = (admin.clone(), run.clone(), redraw_cb.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(r) = run.borrow_mut().as_mut() {
                if retry_failed {
                    r.import.retry_failed();
                }
                r.paused = None;
                r.cancelled = false;
                r.finished_ms = None;
                r.started_ms = js_sys::Date::now();
                r.done_at_start = r.import.counts().done();
            }
            redraw_cb.emit(());
            pump(admin.clone(), run.clone(), redraw_cb.clone());
        })
    };
    let on_cancel = {
        let (run, redraw_cb) = (run.clone(), redraw_cb.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(r) = run.borrow_mut().as_mut() {
                r.cancelled = true;
            }
            redraw_cb.emit(());
        })
    };
    let on_download = {
        let run = run.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(r) = run.borrow().as_ref() {
                let _ = offer_csv("openim-import-outcome.csv", &r.import.outcome_csv(lang));
            }
        })
    };
    let on_clear = {
        let (run, text, redraw_cb) = (run.clone(), text.clone(), redraw_cb.clone());
        Callback::from(move |_: MouseEvent| {
            *run.borrow_mut() = None;
            text.set(String::new());
            redraw_cb.emit(());
        })
    };

    let count = |n: usize| grouped(n as i64);
    let guard = run.borrow();
    let status = guard.as_ref().map(|r| {
        let c = r.import.counts();
        let now = r.finished_ms.unwrap_or_else(js_sys::Date::now);
        let secs = ((now - r.started_ms) / 1000.0).max(0.001);
        let rate = (c.done().saturating_sub(r.done_at_start)) as f64 / secs;
        let running = r.finished_ms.is_none() && r.paused.is_none() && !r.cancelled;
        let left = if rate > 0.0 {
            Some((c.pending as f64 / rate) as i64)
        } else {
            None
        };
        let invalid: Vec<(usize, InvalidReason)> = r
            .import
            .rows
            .iter()
            .zip(&r.import.outcomes)
            .filter_map(|(row, o)| match o {
                RowOutcome::Invalid(why) => Some((row.line, why.clone())),
                _ => None,
            })
            .take(SHOWN_INVALID)
            .collect();
        let failed: Vec<(usize, FailReason)> = r
            .import
            .rows
            .iter()
            .zip(&r.import.outcomes)
            .filter_map(|(row, o)| match o {
                RowOutcome::Failed(why) => Some((row.line, why.clone())),
                _ => None,
            })
            .take(SHOWN_INVALID)
            .collect();
        (
            c,
            rate,
            running,
            left,
            r.paused.clone(),
            r.cancelled,
            r.finished_ms.is_some(),
            invalid,
            failed,
            r.active,
        )
    });

    html! {
        <section aria-labelledby="import-title">
            <h1 id="import-title">{ Route::Import.title(lang) }</h1>
            <p class="hint">{ t::HINT.get(lang) }</p>
            <form onsubmit={on_start} class="stack">
                <label for="import-file">{ t::CSV_FILE.get(lang) }</label>
                <input id="import-file" type="file" accept=".csv,.txt,text/csv,text/plain" onchange={on_file} />
                if let Some(note) = &*file_note {
                    <p class="hint">{ match note {
                        FileNote::Read { name, bytes } => t::file_read(lang, name, *bytes),
                        FileNote::Unreadable(name) => t::file_unreadable(lang, name),
                    } }</p>
                }
                <label for="import-text">{ t::ROWS_LABEL.get(lang) }</label>
                <textarea id="import-text" rows="8" value={(*text).clone()} oninput={on_text} />
                <div class="row">
                    <button type="submit" disabled={text.trim().is_empty() || status.as_ref().is_some_and(|s| s.2)}>{ t::IMPORT.get(lang) }</button>
                    <button type="button" class="secondary" onclick={on_clear}>{ t::CLEAR.get(lang) }</button>
                </div>
            </form>
            if let Some((c, rate, running, left, paused, cancelled, finished, invalid, failed, active)) = status {
                <div aria-live="polite" class="import-status">
                    <label for="import-progress">{ t::PROGRESS.get(lang) }</label>
                    <progress id="import-progress" max={c.total.to_string()} value={c.done().to_string()} />
                    <p role="status">{ t::rows_done(lang, c.done(), c.total) }
                        { if running { t::rate(lang, rate, left.map(|l| duration_words(lang, l)).as_deref()) } else { String::new() } }
                    </p>
                    <p>{ t::counts_line(lang, &c) }</p>
                    if c.adds_up() && finished {
                        <p role="status" class="ok">{ t::done(lang, c.total) }</p>
                    }
                    if let Some(why) = paused {
                        <div role="alert">
                            <p class="error">{ t::paused(lang, &t::pause_reason(lang, &why)) }</p>
                            <button type="button" onclick={resume(false)} disabled={active > 0}>{ t::RESUME.get(lang) }</button>
                        </div>
                    }
                    if cancelled {
                        <p role="status">{ t::cancelled(lang, active) }</p>
                        <button type="button" onclick={resume(false)} disabled={active > 0}>{ t::RESUME.get(lang) }</button>
                    }
                    <div class="row">
                        if running { <button type="button" class="secondary" onclick={on_cancel}>{ t::CANCEL.get(lang) }</button> }
                        <button type="button" class="secondary" onclick={on_download}>{ t::DOWNLOAD_OUTCOME.get(lang) }</button>
                        if c.failed > 0 && !running { <button type="button" onclick={resume(true)}>{ t::RETRY_FAILED.get(lang) }</button> }
                    </div>
                    <table aria-label={t::OUTCOME_TABLE.get(lang)}>
                        <thead><tr><th scope="col">{ t::OUTCOME.get(lang) }</th><th scope="col">{ t::ROWS.get(lang) }</th></tr></thead>
                        <tbody>
                            <tr><th scope="row">{ t::CREATED.get(lang) }</th><td>{ count(c.created) }</td></tr>
                            <tr><th scope="row">{ t::ALREADY_EXISTED.get(lang) }</th><td>{ count(c.existed) }</td></tr>
                            <tr><th scope="row">{ t::INVALID.get(lang) }</th><td>{ count(c.invalid) }</td></tr>
                            <tr><th scope="row">{ t::FAILED.get(lang) }</th><td>{ count(c.failed) }</td></tr>
                            <tr><th scope="row">{ t::PENDING.get(lang) }</th><td>{ count(c.pending) }</td></tr>
                            <tr><th scope="row">{ t::TOTAL.get(lang) }</th><td>{ count(c.total) }</td></tr>
                        </tbody>
                    </table>
                    if !invalid.is_empty() {
                        <h2>{ t::invalid_heading(lang, invalid.len(), c.invalid) }</h2>
                        <table aria-label={t::INVALID_ROWS.get(lang)}>
                            <thead><tr><th scope="col">{ t::LINE.get(lang) }</th><th scope="col">{ t::REASON.get(lang) }</th></tr></thead>
                            <tbody>{ for invalid.iter().map(|(l, why)| html! { <tr key={*l}><td>{ *l }</td><td>{ t::invalid_reason(lang, why) }</td></tr> }) }</tbody>
                        </table>
                    }
                    if !failed.is_empty() {
                        <h2>{ t::failed_heading(lang, c.failed) }</h2>
                        <table aria-label={t::FAILED_ROWS.get(lang)}>
                            <thead><tr><th scope="col">{ t::LINE.get(lang) }</th><th scope="col">{ t::ERROR.get(lang) }</th></tr></thead>
                            <tbody>{ for failed.iter().map(|(l, why)| html! { <tr key={*l}><td>{ *l }</td><td>{ t::fail_reason(lang, why) }</td></tr> }) }</tbody>
                        </table>
                    }
                </div>
            }
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bulk::import::Counts;
    use crate::i18n::Lang;

    #[test]
    fn faults_pause_and_openim_errors_fail_rows() {
        assert!(pauses(&ApiError::Network("x".into())));
        assert!(pauses(&ApiError::Timeout(30)));
        assert!(pauses(&ApiError::Http {
            status: 502,
            body: String::new()
        }));
        let token = ApiError::OpenIm {
            code: ErrCode::TOKEN_KICKED,
            msg: String::new(),
            dlt: String::new(),
        };
        assert!(pauses(&token));
        let args = ApiError::OpenIm {
            code: ErrCode::ARGS,
            msg: String::new(),
            dlt: String::new(),
        };
        assert!(!pauses(&args));
        assert_eq!(
            t::pause_reason(Lang::En, &token),
            "the admin token stopped working"
        );
        assert_eq!(
            t::pause_reason(Lang::En, &ApiError::Timeout(30)),
            "the server did not answer within 30 seconds"
        );
    }

    #[test]
    fn counts_line_adds_up() {
        let c = Counts {
            total: 10,
            created: 4,
            existed: 3,
            invalid: 2,
            failed: 1,
            pending: 0,
        };
        assert_eq!(
            t::counts_line(Lang::En, &c),
            "4 created, 3 already existed, 2 invalid, 1 failed, 0 pending: 10 of 10 input rows."
        );
        assert_eq!(
            t::counts_line(Lang::Zh, &c),
            "已创建 4，已存在 3，无效 2，失败 1，待处理 0：合计 10 行，输入共 10 行。"
        );
    }
}
