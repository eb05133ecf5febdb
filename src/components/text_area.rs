//! A textarea for text that may be a whole file. It renders again only when its text changes: a
//! page that re-renders often (Bulk import, once per answered batch) would otherwise hand a
//! 10,000-row CSV back to the DOM each time, since Yew reads the field's value back to compare it
//! and a text with CRLF line breaks never equals what the field holds (browsers keep LF), so the
//! whole text would be written and laid out again. Its class `long-text` (static/style.css)
//! keeps the browser from laying out and painting its lines when the page changes around it.

use std::rc::Rc;

use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

#[derive(Properties)]
pub struct Props {
    /// For the page's `<label for>`.
    pub id: AttrValue,
    pub value: Rc<str>,
    pub rows: u32,
    /// The field's text after each edit. Pass a callback that keeps its identity across renders
    /// (`use_callback`), or the field renders whenever its page does.
    pub on_input: Callback<Rc<str>>,
}

/// The same text is the same field: a long text is compared only when it is another one.
impl PartialEq for Props {
    fn eq(&self, other: &Self) -> bool {
        (Rc::ptr_eq(&self.value, &other.value) || self.value == other.value)
            && self.id == other.id
            && self.rows == other.rows
            && self.on_input == other.on_input
    }
}

#[function_component(TextArea)]
pub fn text_area(props: &Props) -> Html {
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            if let Some(t) = e.target_dyn_into::<HtmlTextAreaElement>() {
                on_input.emit(Rc::from(t.value()));
            }
        })
    };
    html! {
        <textarea id={props.id.clone()} class="long-text" rows={props.rows.to_string()} value={AttrValue::from(props.value.clone())} {oninput} />
    }
}
