//! The header's account of the sign-in: who, where, which generation, until when.

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::{shell as t, use_lang, Lang};
use crate::session::SignedIn;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub signed_in: Option<Rc<SignedIn>>,
    pub on_sign_out: Callback<()>,
}

/// "in 89 days", "in 3 hours", "in 5 minutes", "expired".
pub fn time_left(lang: Lang, expires_at: i64, now: i64) -> String {
    let left = expires_at - now;
    match left {
        l if l <= 0 => t::EXPIRED.get(lang).into(),
        // Nearest whole day: a token issued a moment ago reads "90 days", not "89".
        l if l >= 2 * 86_400 => t::expires_in_days(lang, (l + 43_200) / 86_400),
        l if l >= 2 * 3_600 => t::expires_in_hours(lang, l / 3_600),
        l if l >= 120 => t::expires_in_minutes(lang, l / 60),
        l => t::expires_in_seconds(lang, l),
    }
}

#[function_component(SessionStatus)]
pub fn session_status(props: &Props) -> Html {
    let lang = use_lang();
    match &props.signed_in {
        None => html! { <p class="session" role="status">{ t::NOT_SIGNED_IN.get(lang) }</p> },
        Some(s) => {
            let now = (js_sys::Date::now() / 1000.0) as i64;
            let on_click = props.on_sign_out.reform(|_: MouseEvent| ());
            let left = time_left(lang, s.expires_at, now);
            html! {
                <div class="session" role="status">
                    <span>{ t::signed_in_as(lang, &s.admin_id, &s.base, s.version, &left) }
                        { s.via_chat.as_deref().map(|a| t::via_chat(lang, a)).unwrap_or_default() }</span>
                    <button type="button" onclick={on_click}>{ t::SIGN_OUT.get(lang) }</button>
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
        let en = |at, now| time_left(Lang::En, at, now);
        assert_eq!(en(100, 200), "expired");
        assert_eq!(en(7_776_000, 0), "in 90 days");
        assert_eq!(
            en(7_776_000 - 5, 0),
            "in 90 days",
            "v3.8 backdates iat by 5 s"
        );
        assert_eq!(en(3 * 86_400 - 1, 0), "in 3 days");
        assert_eq!(en(3 * 3_600, 0), "in 3 hours");
        assert_eq!(en(600, 0), "in 10 minutes");
        assert_eq!(en(30, 0), "in 30 seconds");
        assert_eq!(time_left(Lang::Zh, 7_776_000, 0), "将在 90 天后过期");
        assert_eq!(time_left(Lang::Zh, 100, 200), "已过期");
    }
}
