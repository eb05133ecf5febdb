//! Components in headless Chromium (wasm-bindgen-test): rendered into the page, driven through
//! the DOM by label and role, as the end-to-end tests and a person do.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use openim_admin::api::{Client, LogEntry};
use openim_admin::components::request_log::RequestLog;
use openim_admin::components::session_status::{Props as StatusProps, SessionStatus};
use openim_admin::pages::connect::Connect;
use openim_admin::session::{Session, SessionHandle, SignedIn};
use openim_protocol::ApiVersion;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlFormElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A fresh element to render into.
fn root() -> Element {
    let doc = gloo_utils_document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

fn gloo_utils_document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Lets Yew's scheduler run the pending renders and effects (no timed wait).
async fn settle() {
    yew::platform::time::sleep(Duration::ZERO).await;
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn button_named(el: &Element, name: &str) -> HtmlElement {
    let buttons = el.query_selector_all("button").unwrap();
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .map(|n| n.dyn_into::<HtmlElement>().unwrap())
        .find(|b| b.text_content().unwrap_or_default().trim() == name)
        .unwrap_or_else(|| panic!("no button named {name:?}"))
}

#[wasm_bindgen_test]
async fn session_status_shows_who_and_signs_out() {
    let el = root();
    let signed_out = Rc::new(Cell::new(0));
    let counter = signed_out.clone();
    let props = StatusProps {
        signed_in: Some(Rc::new(SignedIn {
            base: "/api".into(),
            version: ApiVersion::V3_8,
            admin_id: "imAdmin".into(),
            token: "t".into(),
            expires_at: (js_sys::Date::now() / 1000.0) as i64 + 7_776_000,
        })),
        on_sign_out: Callback::from(move |_| counter.set(counter.get() + 1)),
    };
    yew::Renderer::<SessionStatus>::with_root_and_props(el.clone(), props).render();
    settle().await;
    let shown = text(&el);
    assert!(
        shown.contains("Signed in as imAdmin on /api (OpenIM v3.8)"),
        "{shown}"
    );
    assert!(
        shown.contains("expires in 90 days") || shown.contains("expires in 89 days"),
        "{shown}"
    );
    button_named(&el, "Sign out").click();
    settle().await;
    assert_eq!(signed_out.get(), 1);
}

#[wasm_bindgen_test]
async fn request_log_hides_token_and_secret() {
    let el = root();
    let entry = LogEntry {
        operation_id: "1700000000000-1".into(),
        method: "POST",
        url: "/api/auth/user_token".into(),
        request_headers: vec![
            ("operationID".into(), "1700000000000-1".into()),
            ("token".into(), "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJVc2VySUQiOiJ1In0.abcdefghijkl".into()),
        ],
        request_body: r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#.into(),
        status: Some(200),
        response_body: r#"{"errCode":1002,"errMsg":"NoPermissionError","errDlt":"secret invalid: 1002 NoPermissionError"}"#.into(),
        duration_ms: 3.0,
    };
    #[derive(Properties, PartialEq)]
    struct Wrap {
        entries: Rc<Vec<LogEntry>>,
    }
    #[function_component]
    fn Host(p: &Wrap) -> Html {
        html! { <RequestLog entries={p.entries.clone()} on_clear={Callback::noop()} /> }
    }
    yew::Renderer::<Host>::with_root_and_props(
        el.clone(),
        Wrap {
            entries: Rc::new(vec![entry]),
        },
    )
    .render();
    settle().await;
    let shown = el.inner_html();
    assert!(shown.contains("Request log (1)"));
    assert!(shown.contains("/api/auth/user_token"));
    assert!(shown.contains("1002"), "errCode column");
    assert!(
        !shown.contains("openIM123\""),
        "secret must be masked: {shown}"
    );
    assert!(!shown.contains("abcdefghijkl"), "token must be shortened");
    assert!(shown.contains("eyJhbGciOi…"));
}

#[wasm_bindgen_test]
async fn connect_refuses_an_empty_secret_without_calling_the_server() {
    let el = root();
    let calls = Rc::new(Cell::new(0));
    #[derive(Properties, PartialEq)]
    struct HostProps {
        calls: Rc<Cell<u32>>,
    }
    #[function_component]
    fn Host(p: &HostProps) -> Html {
        let session: SessionHandle = use_reducer(Session::default);
        let calls = p.calls.clone();
        let client = use_memo((), move |_| {
            Client::new(
                "/nowhere",
                Callback::from(move |_: LogEntry| calls.set(calls.get() + 1)),
            )
        });
        html! {
            <ContextProvider<SessionHandle> context={session}>
            <ContextProvider<Rc<Client>> context={client}>
                <Connect />
            </ContextProvider<Rc<Client>>>
            </ContextProvider<SessionHandle>>
        }
    }
    yew::Renderer::<Host>::with_root_and_props(
        el.clone(),
        HostProps {
            calls: calls.clone(),
        },
    )
    .render();
    settle().await;
    for label in ["API base URL", "API generation", "Admin user ID", "Secret"] {
        assert!(text(&el).contains(label), "missing label {label}");
    }
    let form: HtmlFormElement = el
        .query_selector("form")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    form.request_submit().unwrap();
    settle().await;
    let alert = el
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    assert!(
        text(&alert).starts_with("Enter the secret"),
        "{}",
        text(&alert)
    );
    assert_eq!(calls.get(), 0, "nothing may be sent");
}
