//! Account check: which of a pasted list of user IDs are registered, in request order (§3.3,
//! §4.4). OpenIM rejects repeated IDs, so duplicates are removed first, with a note.

use openim_protocol::user::{AccountCheckResult, AccountStatus};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::api::{self, ApiError};
use crate::components::error_box::ErrorBox;
use crate::i18n::{account_check as t, use_lang};
use crate::pages::sign_in_first;
use crate::route::Route;
use crate::session::use_admin;

/// IDs in one check: OpenIM's request arrays here are meant for batches of at most 1,000, the
/// size the import uses; more belong in Bulk import, which checks them in chunks.
pub const MAX_IDS: usize = 1000;

/// The IDs in a pasted list (one per line or comma separated), trimmed, empty ones dropped,
/// first occurrences kept; and how many duplicates were removed.
pub fn parse_ids(input: &str) -> (Vec<String>, usize) {
    let mut seen = std::collections::HashSet::new();
    let mut ids = Vec::new();
    let mut dupes = 0;
    for id in input
        .split(['\n', ',', '\r'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        if seen.insert(id) {
            ids.push(id.to_string());
        } else {
            dupes += 1;
        }
    }
    (ids, dupes)
}

#[derive(Clone, PartialEq)]
enum Checked {
    Idle,
    Loading,
    Done(Result<Vec<AccountCheckResult>, ApiError>),
}

#[function_component(AccountCheck)]
pub fn account_check() -> Html {
    let lang = use_lang();
    let admin = use_admin();
    let input = use_state(String::new);
    let checked = use_state(|| Checked::Idle);
    let Some(signed_in) = admin.signed_in() else {
        return sign_in_first(lang, Route::AccountCheck);
    };
    let (ids, dupes) = parse_ids(&input);
    let on_input = {
        let input = input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                input.set(t.value());
            }
        })
    };
    let on_submit = {
        let (admin, checked, ids) = (admin.clone(), checked.clone(), ids.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if ids.is_empty() || ids.len() > MAX_IDS {
                return;
            }
            checked.set(Checked::Loading);
            let (admin, checked, ids) = (admin.clone(), checked.clone(), ids.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let result = admin
                    .call(|c, t| {
                        let ids = ids.clone();
                        async move { api::user::account_check(&c, &t, ids).await }
                    })
                    .await;
                checked.set(Checked::Done(result));
            });
        })
    };
    html! {
        <section aria-labelledby="check-title">
            <h1 id="check-title">{ Route::AccountCheck.title(lang) }</h1>
            <form onsubmit={on_submit} class="stack">
                <label for="check-ids">{ t::IDS_LABEL.get(lang) }</label>
                <textarea id="check-ids" rows="6" value={(*input).clone()} oninput={on_input} />
                <p class="hint">{ t::to_check(lang, ids.len(), dupes) }</p>
                if ids.len() > MAX_IDS {
                    <p class="error">{ t::too_many(lang, ids.len(), MAX_IDS) }</p>
                }
                <button type="submit" disabled={ids.is_empty() || ids.len() > MAX_IDS || *checked == Checked::Loading}>{ t::CHECK.get(lang) }</button>
            </form>
            <div aria-live="polite">
            { match &*checked {
                Checked::Idle => html! {},
                Checked::Loading => html! { <p>{ t::CHECKING.get(lang) }</p> },
                Checked::Done(Err(e)) => html! { <ErrorBox path="/user/account_check" version={signed_in.version} error={e.clone()} /> },
                Checked::Done(Ok(results)) => {
                    let registered = results.iter().filter(|r| r.account_status == AccountStatus::Registered).count();
                    html! {
                        <>
                        <p role="status">{ t::summary(lang, registered, results.len()) }</p>
                        <table aria-label={t::RESULTS.get(lang)}>
                            <thead><tr><th scope="col">{ t::USER_ID.get(lang) }</th><th scope="col">{ t::STATUS.get(lang) }</th></tr></thead>
                            <tbody>
                            { for results.iter().map(|r| html! {
                                <tr key={r.user_id.clone()}>
                                    <td>{ &r.user_id }</td>
                                    <td>{ match r.account_status { AccountStatus::Registered => t::REGISTERED, AccountStatus::Unregistered => t::UNREGISTERED }.get(lang) }</td>
                                </tr>
                            }) }
                            </tbody>
                        </table>
                        </>
                    }
                }
            } }
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lines_and_commas() {
        let (ids, dupes) = parse_ids(" a, b\n\nc\r\nb ,a,  d ");
        assert_eq!(ids, ["a", "b", "c", "d"]);
        assert_eq!(dupes, 2);
        assert_eq!(parse_ids(" , \n"), (vec![], 0));
    }

    #[test]
    fn counts_read_the_same_as_before_in_english() {
        use crate::i18n::Lang;
        assert_eq!(t::to_check(Lang::En, 1, 0), "1 ID to check");
        assert_eq!(
            t::to_check(Lang::En, 3, 2),
            "3 IDs to check; removed 2 duplicates"
        );
        assert_eq!(
            t::summary(Lang::En, 2, 3),
            "2 of 3 registered, 1 unregistered."
        );
        assert_eq!(
            t::summary(Lang::Zh, 2, 3),
            "共 3 个，已注册 2 个，未注册 1 个。"
        );
    }
}
