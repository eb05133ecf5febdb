//! A `<select>` of OpenIM platforms by name (`Web (5)`), for the token and force-logout forms.

use openim_protocol::Platform;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::format::platform_label;
use crate::i18n::use_lang;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The element ID its `<label for>` names.
    pub id: AttrValue,
    pub options: Vec<Platform>,
    pub value: Platform,
    pub on_change: Callback<Platform>,
}

#[function_component(PlatformSelect)]
pub fn platform_select(props: &Props) -> Html {
    let lang = use_lang();
    let on_change = props.on_change.clone();
    let onchange = Callback::from(move |e: Event| {
        if let Some(p) = e
            .target_dyn_into::<HtmlSelectElement>()
            .and_then(|s| s.value().parse().ok())
            .and_then(Platform::from_id)
        {
            on_change.emit(p);
        }
    });
    html! {
        <select id={props.id.clone()} {onchange}>
            { for props.options.iter().map(|p| html! {
                <option value={p.id().to_string()} selected={*p == props.value}>{ platform_label(lang, p.id().into()) }</option>
            }) }
        </select>
    }
}
