//! Register users: rows checked as the operator types by the connected generation's rules
//! (openim_protocol::rules, the ones the emulator enforces), so nothing invalid is sent. OpenIM
//! registers a batch all or nothing (§3.2): on 1102 the page finds which IDs exist.

use openim_protocol::rules::{row_problems, RowProblem};
use openim_protocol::user::{AccountStatus, UserInfo};
use openim_protocol::{ApiVersion, ErrCode};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::pages::sign_in_first;
use crate::session::use_admin;

/// What a row problem means, in words.
pub fn problem_text(p: &RowProblem) -> String {
    match p {
        RowProblem::UserIdEmpty => "User ID is required".into(),
        RowProblem::UserIdColon => "User ID must not contain ':'".into(),
        RowProblem::UserIdIllegal => "User ID may contain only letters, digits and _".into(),
        RowProblem::NicknameEmpty => "Nickname is required on OpenIM v3.8".into(),
        RowProblem::DuplicateOf(i) => format!("Same user ID as row {}", i + 1),
        RowProblem::TooLong { field, max } => {
            format!("{field} is longer than {max} characters, OpenIM v3.4's limit")
        }
    }
}

#[derive(Clone, PartialEq)]
enum Outcome {
    Idle,
    Sending,
    Created(Vec<String>),
    /// 1102: these IDs exist; none of the `batch` were created.
    Existing {
        existing: Vec<String>,
        batch: usize,
    },
    Failed(ApiError),
}

/// One field of one row.
#[derive(Clone, Copy)]
enum Field {
    UserId,
    Nickname,
    FaceUrl,
    Ex,
    Level,
    RecvOpt,
}

fn set_field(u: &mut UserInfo, field: Field, value: String) {
    match field {
        Field::UserId => u.user_id = value,
        Field::Nickname => u.nickname = value,
        Field::FaceUrl => u.face_url = value,
        Field::Ex => u.ex = value,
        Field::Level => u.app_manger_level = value.parse().unwrap_or(0),
        Field::RecvOpt => u.global_recv_msg_opt = value.parse().unwrap_or(0),
    }
}

#[function_component(Register)]
pub fn register() -> Html {
    let admin = use_admin();
    let rows = use_state(|| vec![UserInfo::default()]);
    let outcome = use_state(|| Outcome::Idle);
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first("Register users");
    };
    let version = signed_in.version;
    let problems = row_problems(version, &rows);
    let blocked = problems.iter().any(Option::is_some) || rows.is_empty();

    let edit = |index: usize, field: Field| {
        let rows = rows.clone();
        Callback::from(move |e: InputEvent| {
            let value = e
                .target_dyn_into::<HtmlInputElement>()
                .map(|i| i.value())
                .or_else(|| e.target_dyn_into::<HtmlSelectElement>().map(|s| s.value()))
                .unwrap_or_default();
            let mut next = (*rows).clone();
            set_field(&mut next[index], field, value);
            rows.set(next);
        })
    };
    let edit_select = |index: usize, field: Field| {
        let rows = rows.clone();
        Callback::from(move |e: Event| {
            let value = e
                .target_dyn_into::<HtmlSelectElement>()
                .map(|s| s.value())
                .unwrap_or_default();
            let mut next = (*rows).clone();
            set_field(&mut next[index], field, value);
            rows.set(next);
        })
    };
    let add_row = {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.push(UserInfo::default());
            rows.set(next);
        })
    };
    let remove_row = |index: usize| {
        let rows = rows.clone();
        Callback::from(move |_: MouseEvent| {
            let mut next = (*rows).clone();
            next.remove(index);
            rows.set(next);
        })
    };
    let on_submit = {
        let (rows, outcome, admin) = (rows.clone(), outcome.clone(), admin.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let users = (*rows).clone();
            if users.is_empty() || row_problems(version, &users).iter().any(Option::is_some) {
                return;
            }
            outcome.set(Outcome::Sending);
            let (rows, outcome, admin) = (rows.clone(), outcome.clone(), admin.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let ids: Vec<String> = users.iter().map(|u| u.user_id.clone()).collect();
                let sent = match version {
                    ApiVersion::V3_4 => {
                        let secret = admin.session.settings.secret.clone();
                        if secret.is_empty() {
                            Err(ApiError::NeedsSignIn)
                        } else {
                            api::user::user_register(
                                &admin.client,
                                Some(&secret),
                                None,
                                users.clone(),
                            )
                            .await
                        }
                    }
                    ApiVersion::V3_8 => admin
                        .call(|c, t| {
                            let users = users.clone();
                            async move { api::user::user_register(&c, None, Some(&t), users).await }
                        })
                        .await,
                };
                match sent {
                    Ok(()) => {
                        rows.set(vec![UserInfo::default()]);
                        outcome.set(Outcome::Created(ids));
                    }
                    Err(ApiError::OpenIm {
                        code: ErrCode::REGISTERED_ALREADY,
                        ..
                    }) => {
                        let check = admin
                            .call(|c, t| {
                                let ids = ids.clone();
                                async move { api::user::account_check(&c, &t, ids).await }
                            })
                            .await;
                        outcome.set(match check {
                            Ok(results) => Outcome::Existing {
                                existing: results
                                    .into_iter()
                                    .filter(|r| r.account_status == AccountStatus::Registered)
                                    .map(|r| r.user_id)
                                    .collect(),
                                batch: ids.len(),
                            },
                            Err(e) => Outcome::Failed(e),
                        });
                    }
                    Err(e) => outcome.set(Outcome::Failed(e)),
                }
            });
        })
    };

    let level_options = [
        ("0", "0: ordinary user (default)"),
        ("1", "1: ordinary user"),
        ("2", "2: app admin"),
        ("3", "3: notification account"),
        ("4", "4: robot"),
    ];
    let opt_options = [
        ("0", "0: receive (default)"),
        ("1", "1: do not receive"),
        ("2", "2: receive without notification"),
    ];
    let sending = *outcome == Outcome::Sending;
    html! {
        <section aria-labelledby="register-title">
            <h1 id="register-title">{ "Register users" }</h1>
            <p class="hint">{ match version {
                ApiVersion::V3_4 => "OpenIM v3.4: sent with the secret. User IDs must not be empty, repeated or contain ':'.",
                ApiVersion::V3_8 => "OpenIM v3.8: sent with the admin token. User IDs may contain only letters, digits and _, and every user needs a nickname.",
            } }</p>
            <form onsubmit={on_submit}>
                { for rows.iter().enumerate().map(|(i, u)| {
                    let n = i + 1;
                    let id = |f: &str| format!("reg-{f}-{n}");
                    html! {
                        <fieldset class="reg-row" key={i}>
                            <legend>{ format!("Row {n}") }</legend>
                            <label for={id("uid")}>{ format!("User ID (row {n})") }</label>
                            <input id={id("uid")} type="text" value={u.user_id.clone()} oninput={edit(i, Field::UserId)} />
                            <label for={id("nick")}>{ format!("Nickname (row {n})") }</label>
                            <input id={id("nick")} type="text" value={u.nickname.clone()} oninput={edit(i, Field::Nickname)} />
                            <label for={id("face")}>{ format!("Face URL (row {n})") }</label>
                            <input id={id("face")} type="text" value={u.face_url.clone()} oninput={edit(i, Field::FaceUrl)} />
                            <details>
                                <summary>{ format!("More fields (row {n})") }</summary>
                                <label for={id("ex")}>{ format!("ex (row {n})") }</label>
                                <input id={id("ex")} type="text" value={u.ex.clone()} oninput={edit(i, Field::Ex)} />
                                <label for={id("level")}>{ format!("Manager level (row {n})") }</label>
                                <select id={id("level")} onchange={edit_select(i, Field::Level)}>
                                    { for level_options.iter().map(|(v, t)| html! {
                                        <option value={*v} selected={u.app_manger_level.to_string() == *v}>{ *t }</option>
                                    }) }
                                </select>
                                <label for={id("opt")}>{ format!("Message option (row {n})") }</label>
                                <select id={id("opt")} onchange={edit_select(i, Field::RecvOpt)}>
                                    { for opt_options.iter().map(|(v, t)| html! {
                                        <option value={*v} selected={u.global_recv_msg_opt.to_string() == *v}>{ *t }</option>
                                    }) }
                                </select>
                            </details>
                            if let Some(p) = &problems[i] {
                                <p class="error">{ problem_text(p) }</p>
                            }
                            if rows.len() > 1 {
                                <button type="button" class="secondary" onclick={remove_row(i)}>{ format!("Remove row {n}") }</button>
                            }
                        </fieldset>
                    }
                }) }
                <div class="row">
                    <button type="button" class="secondary" onclick={add_row}>{ "Add row" }</button>
                    <button type="submit" disabled={blocked || sending}>{ if sending { "Registering…" } else { "Register" } }</button>
                </div>
            </form>
            <div aria-live="polite">
            { match &*outcome {
                Outcome::Idle | Outcome::Sending => html! {},
                Outcome::Created(ids) => html! {
                    <p role="status" class="ok">{ format!("Registered {} user{}: {}.", ids.len(), if ids.len() == 1 { "" } else { "s" }, ids.join(", ")) }</p>
                },
                Outcome::Existing { existing, batch } => html! {
                    <div role="alert">
                        <p class="error">{ format!(
                            "Already registered: {}. OpenIM created none of the {batch} user{} in this batch (errCode 1102).",
                            if existing.is_empty() { "(none now; another client may have removed it)".to_string() } else { existing.join(", ") },
                            if *batch == 1 { "" } else { "s" }
                        ) }</p>
                        <p class="hint">{ "Remove or change those rows and register again; the other rows are kept." }</p>
                    </div>
                },
                Outcome::Failed(e) => html! { <ErrorBox path="/user/user_register" version={version} error={e.clone()} /> },
            } }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problems_read_as_instructions() {
        assert_eq!(
            problem_text(&RowProblem::DuplicateOf(0)),
            "Same user ID as row 1"
        );
        assert_eq!(
            problem_text(&RowProblem::UserIdIllegal),
            "User ID may contain only letters, digits and _"
        );
        assert!(problem_text(&RowProblem::TooLong {
            field: "userID",
            max: 64
        })
        .contains("64"));
    }

    #[test]
    fn fields_parse_into_the_wire_struct() {
        let mut u = UserInfo::default();
        set_field(&mut u, Field::Level, "3".into());
        set_field(&mut u, Field::RecvOpt, "2".into());
        set_field(&mut u, Field::FaceUrl, "https://x/y.png".into());
        assert_eq!(
            (
                u.app_manger_level,
                u.global_recv_msg_opt,
                u.face_url.as_str()
            ),
            (3, 2, "https://x/y.png")
        );
    }
}
