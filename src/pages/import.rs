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
use crate::bulk::import::{Counts, Import, RegisterAnswer, RowOutcome, Work};
use crate::download::offer_csv;
use crate::format::duration_words;
use crate::pages::sign_in_first;
use crate::session::{use_admin, Admin};

/// Requests in flight at once.
pub const PARALLEL: usize = 4;
/// Invalid rows listed on the page; all of them are in the outcome CSV.
const SHOWN_INVALID: usize = 200;

/// The running import, shared by the page and its in-flight requests.
struct Run {
    import: Import,
    active: usize,
    paused: Option<String>,
    cancelled: bool,
    started_ms: f64,
    finished_ms: Option<f64>,
    /// Rows done when the current stretch of work started, for the rate.
    done_at_start: usize,
}

type Shared = Rc<RefCell<Option<Run>>>;

/// Whether a failure means "wait and resume" rather than "these rows failed".
fn pauses(e: &ApiError) -> Option<String> {
    match e {
        ApiError::Network(_) => Some("the server cannot be reached".into()),
        ApiError::Timeout(s) => Some(format!("the server did not answer within {s} seconds")),
        ApiError::Http { status, .. } => Some(format!("the server answered HTTP {status}")),
        ApiError::Decode(_) => Some("the server's answer was not OpenIM's".into()),
        ApiError::NeedsSignIn => {
            Some("the admin sign-in has ended: connect again, then resume".into())
        }
        ApiError::OpenIm { code, .. } if code.is_token_error() => {
            Some("the admin token stopped working".into())
        }
        ApiError::OpenIm { .. } => None,
    }
}

async fn run_work(
    admin: &Admin,
    version: ApiVersion,
    secret: &str,
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
            let sent =
                match version {
                    ApiVersion::V3_4 if secret.is_empty() => Err(ApiError::NeedsSignIn),
                    ApiVersion::V3_4 => {
                        api::user::user_register(&admin.client, Some(secret), None, users).await
                    }
                    ApiVersion::V3_8 => admin
                        .call(|c, t| {
                            let users = users.clone();
                            async move { api::user::user_register(&c, None, Some(&t), users).await }
                        })
                        .await,
                };
            let answer = match sent {
                Ok(()) => RegisterAnswer::Created,
                Err(ApiError::OpenIm {
                    code: ErrCode::REGISTERED_ALREADY,
                    ..
                }) => RegisterAnswer::Conflict,
                Err(e) if pauses(&e).is_some() => return Err(e),
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
        let (work, version, secret) = {
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
            (
                work,
                r.import.version,
                admin.session.settings.secret.clone(),
            )
        };
        let (admin2, run2, redraw2) = (admin.clone(), run.clone(), redraw.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let result = run_work(&admin2, version, &secret, &work, &run2).await;
            if let Some(r) = run2.borrow_mut().as_mut() {
                r.active -= 1;
                if let Err(e) = result {
                    r.import.interrupted(work);
                    r.paused = Some(pauses(&e).unwrap_or_else(|| e.to_string()));
                }
            }
            redraw2.emit(());
            pump(admin2, run2, redraw2);
        });
    }
}

fn counts_line(c: &Counts) -> String {
    format!(
        "{} created, {} already existed, {} invalid, {} failed, {} pending: {} of {} input rows.",
        c.created,
        c.existed,
        c.invalid,
        c.failed,
        c.pending,
        c.created + c.existed + c.invalid + c.failed + c.pending,
        c.total
    )
}

#[function_component(ImportPage)]
pub fn import_page() -> Html {
    let admin = use_admin();
    let text = use_state(String::new);
    let file_note = use_state(|| None::<String>);
    let run: Shared = use_mut_ref(|| None);
    let redraw = use_force_update();
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first("Bulk import");
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
                        file_note.set(Some(format!("Read {name} ({} bytes).", content.len())));
                        text.set(content);
                    }
                    Err(_) => file_note.set(Some(format!("{name} could not be read as text."))),
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
                let _ = offer_csv("openim-import-outcome.csv", &r.import.outcome_csv());
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
        let invalid: Vec<(usize, String)> = r
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
        let failed: Vec<(usize, String)> = r
            .import
            .rows
            .iter()
            .zip(&r.import.outcomes)
            .filter_map(|(row, o)| match o {
                RowOutcome::Failed { code, message } => {
                    Some((row.line, format!("errCode {code}: {message}")))
                }
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
            <h1 id="import-title">{ "Bulk import" }</h1>
            <p class="hint">{ "Rows of userID, nickname, faceURL and ex, comma or tab separated; a header row is recognised. Every row is checked first; IDs that already exist are skipped; the rest are registered in batches of at most 1,000." }</p>
            <form onsubmit={on_start} class="stack">
                <label for="import-file">{ "CSV file" }</label>
                <input id="import-file" type="file" accept=".csv,.txt,text/csv,text/plain" onchange={on_file} />
                if let Some(note) = &*file_note { <p class="hint">{ note }</p> }
                <label for="import-text">{ "Rows (CSV: userID, nickname, faceURL, ex)" }</label>
                <textarea id="import-text" rows="8" value={(*text).clone()} oninput={on_text} />
                <div class="row">
                    <button type="submit" disabled={text.trim().is_empty() || status.as_ref().is_some_and(|s| s.2)}>{ "Import" }</button>
                    <button type="button" class="secondary" onclick={on_clear}>{ "Clear" }</button>
                </div>
            </form>
            if let Some((c, rate, running, left, paused, cancelled, finished, invalid, failed, active)) = status {
                <div aria-live="polite" class="import-status">
                    <label for="import-progress">{ "Import progress" }</label>
                    <progress id="import-progress" max={c.total.to_string()} value={c.done().to_string()} />
                    <p role="status">{ format!("{} of {} rows done", c.done(), c.total) }
                        { if running { format!(", {rate:.0} rows/s{}", left.map(|l| format!(", about {} left", duration_words(l))).unwrap_or_default()) } else { String::new() } }
                    </p>
                    <p>{ counts_line(&c) }</p>
                    if c.adds_up() && finished {
                        <p role="status" class="ok">{ format!("Done. The counts add up to the {} input rows.", c.total) }</p>
                    }
                    if let Some(why) = paused {
                        <div role="alert">
                            <p class="error">{ format!("Paused: {why}. Nothing is lost: rows whose answer did not arrive are checked before anything is sent again.") }</p>
                            <button type="button" onclick={resume(false)} disabled={active > 0}>{ "Resume" }</button>
                        </div>
                    }
                    if cancelled {
                        <p role="status">{ format!("Cancelled{}.", if active > 0 { format!("; waiting for {active} request(s) already sent") } else { String::new() }) }</p>
                        <button type="button" onclick={resume(false)} disabled={active > 0}>{ "Resume" }</button>
                    }
                    <div class="row">
                        if running { <button type="button" class="secondary" onclick={on_cancel}>{ "Cancel" }</button> }
                        <button type="button" class="secondary" onclick={on_download}>{ "Download outcome CSV" }</button>
                        if c.failed > 0 && !running { <button type="button" onclick={resume(true)}>{ "Retry failed" }</button> }
                    </div>
                    <table aria-label="Import outcome">
                        <thead><tr><th scope="col">{ "Outcome" }</th><th scope="col">{ "Rows" }</th></tr></thead>
                        <tbody>
                            <tr><th scope="row">{ "Created" }</th><td>{ c.created }</td></tr>
                            <tr><th scope="row">{ "Already existed" }</th><td>{ c.existed }</td></tr>
                            <tr><th scope="row">{ "Invalid" }</th><td>{ c.invalid }</td></tr>
                            <tr><th scope="row">{ "Failed" }</th><td>{ c.failed }</td></tr>
                            <tr><th scope="row">{ "Pending" }</th><td>{ c.pending }</td></tr>
                            <tr><th scope="row">{ "Total" }</th><td>{ c.total }</td></tr>
                        </tbody>
                    </table>
                    if !invalid.is_empty() {
                        <h2>{ format!("Invalid rows ({}{})", invalid.len(), if c.invalid > invalid.len() { format!(" of {} shown; all are in the outcome CSV", c.invalid) } else { String::new() }) }</h2>
                        <table aria-label="Invalid rows">
                            <thead><tr><th scope="col">{ "Line" }</th><th scope="col">{ "Reason" }</th></tr></thead>
                            <tbody>{ for invalid.iter().map(|(l, why)| html! { <tr key={*l}><td>{ *l }</td><td>{ why }</td></tr> }) }</tbody>
                        </table>
                    }
                    if !failed.is_empty() {
                        <h2>{ format!("Failed rows ({})", c.failed) }</h2>
                        <table aria-label="Failed rows">
                            <thead><tr><th scope="col">{ "Line" }</th><th scope="col">{ "Error" }</th></tr></thead>
                            <tbody>{ for failed.iter().map(|(l, why)| html! { <tr key={*l}><td>{ *l }</td><td>{ why }</td></tr> }) }</tbody>
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

    #[test]
    fn faults_pause_and_openim_errors_fail_rows() {
        assert!(pauses(&ApiError::Network("x".into())).is_some());
        assert!(pauses(&ApiError::Timeout(30)).is_some());
        assert!(pauses(&ApiError::Http {
            status: 502,
            body: String::new()
        })
        .is_some());
        let token = ApiError::OpenIm {
            code: ErrCode::TOKEN_KICKED,
            msg: String::new(),
            dlt: String::new(),
        };
        assert!(pauses(&token).is_some());
        let args = ApiError::OpenIm {
            code: ErrCode::ARGS,
            msg: String::new(),
            dlt: String::new(),
        };
        assert!(pauses(&args).is_none());
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
            counts_line(&c),
            "4 created, 3 already existed, 2 invalid, 1 failed, 0 pending: 10 of 10 input rows."
        );
    }
}
