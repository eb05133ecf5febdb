//! Bulk registration from pasted rows or a CSV file. The planner (crate::bulk::import) decides
//! what to send; this page sends up to PARALLEL requests at a time, shows progress, pauses on a
//! lost connection or token, and accounts for every input line.

mod calls;
mod throttle;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use openim_protocol::user::{AccountCheckResult, AccountStatus, UserInfo};
use openim_protocol::{ApiVersion, ErrCode};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::bulk::csv::read_users;
use crate::bulk::import::{FailReason, Import, InvalidReason, RegisterAnswer, RowOutcome, Work};
use crate::components::text_area::TextArea;
use crate::download::offer_csv;
use crate::format::{duration_words, grouped};
use crate::i18n::{import as t, use_lang};
use crate::pages::sign_in_first;
use crate::route::Route;
use crate::session::{use_admin, Admin};

use calls::{call_queue, run_admin, send_calls, Calls};
use throttle::{after, Next, Throttle};

/// Requests in flight at once: as many as a browser opens connections to one host over
/// HTTP/1.1, so that the page prepares the next batches while the server works on earlier ones
/// and no request waits inside the browser for a free connection.
pub const PARALLEL: usize = 6;
/// Invalid rows listed on the page; all of them are in the outcome CSV.
const SHOWN_INVALID: usize = 200;
/// While answers come in, progress (and the run's calls in the request log, pages/import/calls.rs)
/// is drawn at most this often (ms): every drawing costs the browser a layout and a paint, and
/// ten batches need not draw ten times. A pause, the end of the run and every button draw at
/// once.
const PROGRESS_MS: f64 = 100.0;

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
    /// Progress drawn while answers come in.
    drawing: Throttle,
    /// Who the run calls OpenIM as, with a client whose calls wait in `calls`.
    admin: Admin,
    calls: Calls,
}

type Shared = Rc<RefCell<Option<Run>>>;

/// A chosen file longer than this (bytes) is imported as read rather than put in the rows
/// field: a field holding 10,000 lines costs the browser a layout and a paint of every one of
/// them whenever the page around it changes, and nobody edits a file that long there.
const SHOWN_FILE_BYTES: usize = 100_000;

/// The most one import reads, in bytes (64 MiB, half a million rows of typical users): a bigger
/// file is refused before it is read, with a message, rather than held in the tab's memory
/// three times over (the text, the rows and their outcomes).
pub const MAX_IMPORT_BYTES: usize = 64 * 1024 * 1024;

/// What became of the chosen file.
#[derive(Clone, PartialEq)]
enum FileNote {
    /// `shown`: put in the rows field; otherwise kept aside and imported as read.
    Read {
        name: String,
        bytes: usize,
        shown: bool,
    },
    Unreadable(String),
    /// Over [`MAX_IMPORT_BYTES`]: not read.
    TooBig {
        name: String,
        bytes: usize,
    },
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
    let (ids, users): (Vec<String>, Rc<[UserInfo]>) = {
        let r = run.borrow();
        let import = &r.as_ref().expect("run").import;
        match work {
            Work::Check(rows) => (import.ids(rows), Rc::from([])),
            Work::Register(rows) => (vec![], import.users(rows).into()),
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
            let registered = registered_flags(&ids, &results);
            if let Some(r) = run.borrow_mut().as_mut() {
                r.import.checked(rows, &registered);
            }
            Ok(())
        }
        Work::Register(rows) => {
            let sent = match version {
                ApiVersion::V3_4 => match admin.secret() {
                    Ok(secret) => {
                        api::user::user_register(&admin.client, Some(&secret), None, &users).await
                    }
                    Err(e) => Err(e),
                },
                ApiVersion::V3_8 => admin
                    .call(|c, t| {
                        let users = users.clone();
                        async move { api::user::user_register(&c, None, Some(&t), &users).await }
                    })
                    .await,
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

/// Whether each of `ids` is registered according to account_check's `results`, which come in
/// request order (§3.3, §4.4); an ID missing from them counts as unregistered.
fn registered_flags(ids: &[String], results: &[AccountCheckResult]) -> Vec<bool> {
    let registered = |r: &AccountCheckResult| r.account_status == AccountStatus::Registered;
    let in_order =
        results.len() == ids.len() && ids.iter().zip(results).all(|(id, r)| *id == r.user_id);
    if in_order {
        return results.iter().map(registered).collect();
    }
    let by_id: HashMap<&str, bool> = results
        .iter()
        .map(|r| (r.user_id.as_str(), registered(r)))
        .collect();
    ids.iter()
        .map(|id| by_id.get(id.as_str()).copied().unwrap_or(false))
        .collect()
}

/// Draws the progress, and hands the run's calls to the request log, now or with the next
/// drawing PROGRESS_MS after the last one.
fn draw_progress(run: &Shared, redraw: &Callback<()>) {
    let (next, calls) = match run.borrow_mut().as_mut() {
        Some(r) => (r.drawing.changed(js_sys::Date::now()), r.calls.clone()),
        None => return,
    };
    match next {
        Next::Now => {
            send_calls(&calls);
            redraw.emit(());
        }
        Next::Later(ms) => {
            let (run, redraw) = (run.clone(), redraw.clone());
            after(ms, move || {
                if let Some(r) = run.borrow_mut().as_mut() {
                    r.drawing.fired(js_sys::Date::now());
                }
                send_calls(&calls);
                redraw.emit(());
            });
        }
        Next::Due => {}
    }
}

/// Starts work until PARALLEL requests are in flight or nothing is waiting.
fn pump(run: Shared, redraw: Callback<()>) {
    loop {
        let (work, version, admin) = {
            let mut guard = run.borrow_mut();
            let Some(r) = guard.as_mut() else { return };
            if r.paused.is_some() || r.cancelled || r.active >= PARALLEL {
                return;
            }
            let Some(work) = r.import.next_work() else {
                if r.active == 0 && r.finished_ms.is_none() {
                    r.finished_ms = Some(js_sys::Date::now());
                    let calls = r.calls.clone();
                    drop(guard);
                    send_calls(&calls);
                    redraw.emit(());
                }
                return;
            };
            r.active += 1;
            (work, r.import.version, r.admin.clone())
        };
        let (run2, redraw2) = (run.clone(), redraw.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = run_work(&admin, version, &work, &run2).await;
            let paused = match run2.borrow_mut().as_mut() {
                Some(r) => {
                    r.active -= 1;
                    if let Err(e) = result {
                        r.import.interrupted(work);
                        r.paused = Some(e);
                    }
                    r.paused.is_some().then(|| r.calls.clone())
                }
                None => None,
            };
            match paused {
                Some(calls) => {
                    send_calls(&calls);
                    redraw2.emit(());
                }
                None => draw_progress(&run2, &redraw2),
            }
            pump(run2, redraw2);
        });
    }
}

#[function_component(ImportPage)]
pub fn import_page() -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let text = use_state(|| Rc::<str>::from(""));
    // A file too long for the field: imported when the field is empty.
    let long_file = use_state(|| None::<Rc<str>>);
    let file_note = use_state(|| None::<FileNote>);
    let file_input = use_node_ref();
    let run: Shared = use_mut_ref(|| None);
    let redraw = use_force_update();
    let on_text = {
        let text = text.setter();
        use_callback((), move |value: Rc<str>, _| text.set(value))
    };
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first(lang, Route::Import);
    };
    let version = signed_in.version;
    let redraw_cb = {
        let redraw = redraw.clone();
        Callback::from(move |_| redraw.force_update())
    };

    let on_file = {
        let (text, long_file, file_note) = (text.clone(), long_file.clone(), file_note.clone());
        Callback::from(move |e: Event| {
            let Some(file) = e
                .target_dyn_into::<HtmlInputElement>()
                .and_then(|i| i.files())
                .and_then(|f| f.get(0))
            else {
                return;
            };
            let (text, long_file, file_note) = (text.clone(), long_file.clone(), file_note.clone());
            let name = file.name();
            let size = file.size() as usize;
            if size > MAX_IMPORT_BYTES {
                long_file.set(None);
                file_note.set(Some(FileNote::TooBig { name, bytes: size }));
                return;
            }
            wasm_bindgen_futures::spawn_local(async move {
                match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                    Ok(v) => {
                        let content: Rc<str> = Rc::from(v.as_string().unwrap_or_default());
                        let shown = content.len() <= SHOWN_FILE_BYTES;
                        file_note.set(Some(FileNote::Read {
                            name,
                            bytes: content.len(),
                            shown,
                        }));
                        if shown {
                            text.set(content);
                            long_file.set(None);
                        } else {
                            text.set(Rc::from(""));
                            long_file.set(Some(content));
                        }
                    }
                    Err(_) => file_note.set(Some(FileNote::Unreadable(name))),
                }
            });
        })
    };
    // What "Import" reads: the field, or when it is empty the file too long to show in it.
    let typed_too_long = text.len() > MAX_IMPORT_BYTES;
    let source: Option<Rc<str>> = if text.trim().is_empty() {
        (*long_file).clone()
    } else if typed_too_long {
        None
    } else {
        Some((*text).clone())
    };
    let on_start = {
        let (admin, run, source, redraw_cb) = (
            admin.clone(),
            run.clone(),
            source.clone(),
            redraw_cb.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let Some(source) = &source else { return };
            let rows = read_users(source);
            if rows.is_empty() {
                return;
            }
            let import = Import::new(version, rows);
            let now = js_sys::Date::now();
            let mut drawing = Throttle::new(PROGRESS_MS);
            drawing.drawn(now);
            let calls = call_queue(&admin);
            *run.borrow_mut() = Some(Run {
                done_at_start: import.counts().done(),
                import,
                active: 0,
                paused: None,
                cancelled: false,
                started_ms: now,
                finished_ms: None,
                drawing,
                admin: run_admin(&admin, &calls),
                calls,
            });
            redraw_cb.emit(());
            pump(run.clone(), redraw_cb.clone());
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
                r.drawing.drawn(r.started_ms);
                // The sign-in may have changed while the run was paused.
                r.admin = run_admin(&admin, &r.calls);
            }
            redraw_cb.emit(());
            pump(run.clone(), redraw_cb.clone());
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
        let (long_file, file_note, file_input) =
            (long_file.clone(), file_note.clone(), file_input.clone());
        Callback::from(move |_: MouseEvent| {
            *run.borrow_mut() = None;
            text.set(Rc::from(""));
            long_file.set(None);
            file_note.set(None);
            // So that choosing the same file again reads it again.
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.set_value("");
            }
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
                <input id="import-file" ref={file_input} type="file" accept=".csv,.txt,text/csv,text/plain" onchange={on_file} />
                if let Some(note) = &*file_note {
                    <p class="hint">{ match note {
                        FileNote::Read { name, bytes, shown: true } => t::file_read(lang, name, *bytes),
                        FileNote::Read { name, bytes, shown: false } => format!("{} {}", t::file_read(lang, name, *bytes), t::FILE_NOT_SHOWN.get(lang)),
                        FileNote::Unreadable(name) => t::file_unreadable(lang, name),
                        FileNote::TooBig { name, bytes } => t::file_too_big(lang, name, *bytes, MAX_IMPORT_BYTES),
                    } }</p>
                }
                <label for="import-text">{ t::ROWS_LABEL.get(lang) }</label>
                <TextArea id="import-text" rows={8} value={(*text).clone()} on_input={on_text} />
                if typed_too_long {
                    <p class="error field-problem">{ t::rows_too_long(lang, text.len(), MAX_IMPORT_BYTES) }</p>
                }
                <div class="row">
                    <button type="submit" disabled={source.is_none() || status.as_ref().is_some_and(|s| s.2)}>{ t::IMPORT.get(lang) }</button>
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
    fn check_results_are_read_in_order_or_by_id() {
        let result = |id: &str, registered: bool| AccountCheckResult {
            user_id: id.into(),
            account_status: if registered {
                AccountStatus::Registered
            } else {
                AccountStatus::Unregistered
            },
        };
        let ids: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let in_order = [result("a", false), result("b", true), result("c", false)];
        assert_eq!(registered_flags(&ids, &in_order), [false, true, false]);
        // Another order, or an ID left out, is still read by ID.
        let shuffled = [result("c", true), result("a", true)];
        assert_eq!(registered_flags(&ids, &shuffled), [true, false, true]);
        assert_eq!(registered_flags(&ids, &[]), [false, false, false]);
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
