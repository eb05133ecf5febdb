//! Register users: rows checked as the operator types by the connected generation's rules
//! (openim_protocol::rules, the ones the emulator enforces), so nothing invalid is sent. OpenIM
//! registers a batch all or nothing (§3.2): on 1102 the page finds which IDs exist.

use openim_protocol::rules::row_problems;
use openim_protocol::user::{AccountStatus, UserInfo};
use openim_protocol::{ApiVersion, ErrCode};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::i18n::{register as t, use_lang, Text};
use crate::pages::sign_in_first;
use crate::route::Route;
use crate::session::use_admin;

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
    let lang = use_lang();
    let admin = use_admin();
    let rows = use_state(|| vec![UserInfo::default()]);
    let outcome = use_state(|| Outcome::Idle);
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first(lang, Route::Register);
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
                    ApiVersion::V3_4 => match admin.secret() {
                        Ok(secret) => {
                            api::user::user_register(&admin.client, Some(&secret), None, &users)
                                .await
                        }
                        Err(e) => Err(e),
                    },
                    ApiVersion::V3_8 => admin
                        .call(|c, t| {
                            let u = users.clone();
                            async move { api::user::user_register(&c, None, Some(&t), &u).await }
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

    let level_options: [(&str, Text); 5] = [
        ("0", t::LEVEL_0),
        ("1", t::LEVEL_1),
        ("2", t::LEVEL_2),
        ("3", t::LEVEL_3),
        ("4", t::LEVEL_4),
    ];
    let opt_options: [(&str, Text); 3] = [("0", t::OPT_0), ("1", t::OPT_1), ("2", t::OPT_2)];
    let sending = *outcome == Outcome::Sending;
    html! {
        <section aria-labelledby="register-title">
            <h1 id="register-title">{ Route::Register.title(lang) }</h1>
            <p class="hint">{ match version {
                ApiVersion::V3_4 => t::HINT_V34.get(lang),
                ApiVersion::V3_8 => t::HINT_V38.get(lang),
            } }</p>
            <form onsubmit={on_submit}>
                { for rows.iter().enumerate().map(|(i, u)| {
                    let n = i + 1;
                    let id = |f: &str| format!("reg-{f}-{n}");
                    html! {
                        <fieldset class="reg-row" key={i}>
                            <legend>{ t::row(lang, n) }</legend>
                            <label for={id("uid")}>{ t::user_id_of_row(lang, n) }</label>
                            <input id={id("uid")} type="text" value={u.user_id.clone()} oninput={edit(i, Field::UserId)} />
                            <label for={id("nick")}>{ t::nickname_of_row(lang, n) }</label>
                            <input id={id("nick")} type="text" value={u.nickname.clone()} oninput={edit(i, Field::Nickname)} />
                            <label for={id("face")}>{ t::face_url_of_row(lang, n) }</label>
                            <input id={id("face")} type="text" value={u.face_url.clone()} oninput={edit(i, Field::FaceUrl)} />
                            <details>
                                <summary>{ t::more_fields_of_row(lang, n) }</summary>
                                <label for={id("ex")}>{ t::ex_of_row(lang, n) }</label>
                                <input id={id("ex")} type="text" value={u.ex.clone()} oninput={edit(i, Field::Ex)} />
                                <label for={id("level")}>{ t::level_of_row(lang, n) }</label>
                                <select id={id("level")} onchange={edit_select(i, Field::Level)}>
                                    { for level_options.iter().map(|(v, text)| html! {
                                        <option value={*v} selected={u.app_manger_level.to_string() == *v}>{ text.get(lang) }</option>
                                    }) }
                                </select>
                                <label for={id("opt")}>{ t::message_option_of_row(lang, n) }</label>
                                <select id={id("opt")} onchange={edit_select(i, Field::RecvOpt)}>
                                    { for opt_options.iter().map(|(v, text)| html! {
                                        <option value={*v} selected={u.global_recv_msg_opt.to_string() == *v}>{ text.get(lang) }</option>
                                    }) }
                                </select>
                            </details>
                            if let Some(p) = &problems[i] {
                                <p class="error">{ t::row_problem(lang, p) }</p>
                            }
                            if rows.len() > 1 {
                                <button type="button" class="secondary" onclick={remove_row(i)}>{ t::remove_row(lang, n) }</button>
                            }
                        </fieldset>
                    }
                }) }
                <div class="row">
                    <button type="button" class="secondary" onclick={add_row}>{ t::ADD_ROW.get(lang) }</button>
                    <button type="submit" disabled={blocked || sending}>{ if sending { t::REGISTERING.get(lang) } else { t::REGISTER.get(lang) } }</button>
                </div>
            </form>
            <div aria-live="polite">
            { match &*outcome {
                Outcome::Idle | Outcome::Sending => html! {},
                Outcome::Created(ids) => html! {
                    <p role="status" class="ok">{ t::registered(lang, ids) }</p>
                },
                Outcome::Existing { existing, batch } => html! {
                    <div role="alert">
                        <p class="error">{ t::already_registered(lang, existing, *batch) }</p>
                        <p class="hint">{ t::REMOVE_AND_RETRY.get(lang) }</p>
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

    use crate::i18n::Lang;
    use openim_protocol::rules::RowProblem;

    #[test]
    fn problems_read_as_instructions() {
        let en = |p| t::row_problem(Lang::En, &p);
        assert_eq!(en(RowProblem::DuplicateOf(0)), "Same user ID as row 1");
        assert_eq!(
            en(RowProblem::UserIdIllegal),
            "User ID may contain only letters, digits and _"
        );
        assert!(en(RowProblem::TooLong {
            field: "userID",
            max: 64
        })
        .contains("64"));
        assert_eq!(
            t::row_problem(Lang::Zh, &RowProblem::DuplicateOf(0)),
            "与第 1 行的用户ID 相同"
        );
    }

    #[test]
    fn outcomes_read_the_same_as_before_in_english() {
        let ids = ["alice".to_string(), "bob".to_string()];
        assert_eq!(
            t::registered(Lang::En, &ids),
            "Registered 2 users: alice, bob."
        );
        assert_eq!(
            t::already_registered(Lang::En, &ids[..1], 2),
            "Already registered: alice. OpenIM created none of the 2 users in this batch (errCode 1102)."
        );
        assert_eq!(
            t::registered(Lang::Zh, &ids),
            "已注册 2 个用户：alice、bob。"
        );
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
