//! The header's language control: a labelled select listing each language in its own words.

use yew::prelude::*;

use crate::i18n::{shell as t, Lang};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub lang: Lang,
    pub on_change: Callback<Lang>,
}

/// The header's language control; each language is listed in its own words.
#[function_component(LanguagePicker)]
pub fn language_picker(props: &Props) -> Html {
    let on_change = {
        let on_change = props.on_change.clone();
        Callback::from(move |e: Event| {
            if let Some(lang) = e
                .target_dyn_into::<web_sys::HtmlSelectElement>()
                .and_then(|s| Lang::from_code(&s.value()))
            {
                on_change.emit(lang);
            }
        })
    };
    html! {
        <div class="lang">
            <label for="lang-select">{ t::LANGUAGE.get(props.lang) }</label>
            { " " }
            <select id="lang-select" onchange={on_change}>
                { for Lang::ALL.into_iter().map(|l| html! {
                    <option value={l.code()} lang={l.code()} selected={l == props.lang}>{ l.native_name() }</option>
                }) }
            </select>
        </div>
    }
}
