//! The header's account of the sign-in: who, where, which generation, until when.

use std::rc::Rc;

use yew::prelude::*;

use crate::session::SignedIn;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub signed_in: Option<Rc<SignedIn>>,
    pub on_sign_out: Callback<()>,
}

/// "in 89 days", "in 3 hours", "in 5 minutes", "expired".
pub fn time_left(expires_at: i64, now: i64) -> String {
    let left = expires_at - now;
    match left {
        l if l <= 0 => "expired".into(),
        l if l >= 2 * 86_400 => format!("in {} days", l / 86_400),
        l if l >= 2 * 3_600 => format!("in {} hours", l / 3_600),
        l if l >= 120 => format!("in {} minutes", l / 60),
        l => format!("in {l} seconds"),
    }
}

#[function_component(SessionStatus)]
pub fn session_status(props: &Props) -> Html {
    match &props.signed_in {
        None => html! { <p class="session" role="status">{ "Not signed in" }</p> },
        Some(s) => {
            let now = (js_sys::Date::now() / 1000.0) as i64;
            let on_click = props.on_sign_out.reform(|_: MouseEvent| ());
            html! {
                <div class="session" role="status">
                    <span>{ format!("Signed in as {} on {} (OpenIM {}), token expires {}", s.admin_id, s.base, s.version, time_left(s.expires_at, now)) }</span>
                    <button type="button" onclick={on_click}>{ "Sign out" }</button>
                </div>
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_left_reads_naturally() {
        assert_eq!(time_left(100, 200), "expired");
        assert_eq!(time_left(7_776_000, 0), "in 90 days");
        assert_eq!(time_left(3 * 3_600, 0), "in 3 hours");
        assert_eq!(time_left(600, 0), "in 10 minutes");
        assert_eq!(time_left(30, 0), "in 30 seconds");
    }
}
