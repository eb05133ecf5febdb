//! Components in headless Chromium (wasm-bindgen-test): rendered into the page, driven through
//! the DOM by label and role, as the end-to-end tests and a person do.
#![cfg(target_arch = "wasm32")]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use openim_admin::api::log::Sent;
use openim_admin::api::{Client, LogEntry};
use openim_admin::components::request_log::RequestLog;
use openim_admin::components::session_status::{Props as StatusProps, SessionStatus};
use openim_admin::i18n::{self, Lang};
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

/// Settles until `done` holds, for a render that takes the scheduler more than one turn (the
/// whole app re-rendering, then its effects). Bounded by turns, not by time.
async fn settle_until(what: &str, done: impl Fn() -> bool) {
    for _ in 0..50 {
        if done() {
            return;
        }
        settle().await;
    }
    panic!("never settled: {what}");
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
            via_chat: None,
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
    let entry = LogEntry::new(
        Sent {
            operation_id: "1700000000000-1".into(),
            method: "POST",
            url: "/api/auth/user_token".into(),
            headers: vec![
                ("operationID".into(), "1700000000000-1".into()),
                (
                    "token".into(),
                    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJVc2VySUQiOiJ1In0.abcdefghijkl".into(),
                ),
            ],
            body: r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        },
        Some((
            200,
            r#"{"errCode":1002,"errMsg":"NoPermissionError","errDlt":"secret invalid: 1002 NoPermissionError"}"#,
        )),
        None,
        3.0,
    );
    // A v3.4 registration of a thousand users: the log keeps its beginning, masked.
    let users: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"userID":"u{i}","nickname":"User {i}"}}"#))
        .collect();
    let register = LogEntry::new(
        Sent {
            operation_id: "1700000000000-2".into(),
            method: "POST",
            url: "/api/user/user_register".into(),
            headers: vec![("operationID".into(), "1700000000000-2".into())],
            body: &format!(r#"{{"secret":"openIM123","users":[{}]}}"#, users.join(",")),
        },
        Some((200, r#"{"errCode":0,"errMsg":"","errDlt":""}"#)),
        None,
        9.0,
    );
    #[derive(Properties, PartialEq)]
    struct Wrap {
        entries: Rc<[Rc<LogEntry>]>,
    }
    #[function_component]
    fn Host(p: &Wrap) -> Html {
        html! { <RequestLog entries={p.entries.clone()} on_clear={Callback::noop()} /> }
    }
    yew::Renderer::<Host>::with_root_and_props(
        el.clone(),
        Wrap {
            entries: Rc::from([Rc::new(entry), Rc::new(register)]),
        },
    )
    .render();
    settle().await;
    // Folded details are made when first opened.
    assert!(!el.inner_html().contains("Request body"));
    let toggles = el.query_selector_all("summary").unwrap();
    assert_eq!(toggles.length(), 2);
    for i in 0..toggles.length() {
        toggles
            .item(i)
            .unwrap()
            .dyn_into::<HtmlElement>()
            .unwrap()
            .click();
    }
    settle().await;
    let shown = el.inner_html();
    assert!(shown.contains("Request log (2)"));
    assert!(shown.contains("/api/auth/user_token"));
    assert!(shown.contains("1002"), "errCode column");
    assert!(
        !shown.contains("openIM123\""),
        "secret must be masked: {shown}"
    );
    assert!(!shown.contains("abcdefghijkl"), "token must be shortened");
    assert!(shown.contains("eyJhbGciOi…"));
    assert!(
        shown.contains("The log keeps the first 4,096 of this body's"),
        "a cut body says so: {shown}"
    );
    assert!(!shown.contains("u999"), "only the beginning is kept");
    assert_eq!(
        shown.matches("Copy as curl").count(),
        1,
        "no curl for a body the log cut"
    );
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

/// A console page inside the contexts the app provides, signed in to a server that is never
/// called: these tests only look at what the page does before sending.
#[derive(Properties, PartialEq)]
struct PageHostProps {
    version: ApiVersion,
    calls: Rc<Cell<u32>>,
    lang: Lang,
}

#[function_component]
fn RegisterHost(p: &PageHostProps) -> Html {
    let version = p.version;
    let session: SessionHandle = use_reducer(move || Session {
        signed_in: Some(Rc::new(SignedIn {
            base: "/nowhere".into(),
            version,
            admin_id: version.default_admin_id().into(),
            token: "t".into(),
            expires_at: i64::MAX,
            via_chat: None,
        })),
        ..Session::default()
    });
    let calls = p.calls.clone();
    let client = use_memo((), move |_| {
        Client::new(
            "/nowhere",
            Callback::from(move |_: LogEntry| calls.set(calls.get() + 1)),
        )
    });
    html! {
        <ContextProvider<Lang> context={p.lang}>
        <ContextProvider<SessionHandle> context={session}>
        <ContextProvider<Rc<Client>> context={client}>
            <openim_admin::pages::register::Register />
        </ContextProvider<Rc<Client>>>
        </ContextProvider<SessionHandle>>
        </ContextProvider<Lang>>
    }
}

fn input_labelled(el: &Element, label: &str) -> web_sys::HtmlInputElement {
    let labels = el.query_selector_all("label").unwrap();
    let label = (0..labels.length())
        .filter_map(|i| labels.item(i))
        .map(|n| n.dyn_into::<Element>().unwrap())
        .find(|l| text(l).trim() == label)
        .unwrap_or_else(|| panic!("no label {label:?}"));
    let id = label.get_attribute("for").expect("label has for");
    // Within this test's root: earlier tests' roots stay in the page with the same IDs.
    el.query_selector(&format!("[id='{id}']"))
        .unwrap()
        .expect("the labelled control")
        .dyn_into()
        .unwrap()
}

/// Types into an input the way a keyboard does: set the value, fire `input` (bubbling, as
/// Yew listens at the root).
fn type_into(input: &web_sys::HtmlInputElement, value: &str) {
    input.set_value(value);
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    input
        .dispatch_event(&web_sys::Event::new_with_event_init_dict("input", &init).unwrap())
        .unwrap();
}

fn register_button(el: &Element) -> web_sys::HtmlButtonElement {
    button_named(el, "Register").dyn_into().unwrap()
}

/// Fires a bubbling event of `kind` at `target`, as a person's input does.
fn fire(target: &Element, kind: &str) {
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    target
        .dispatch_event(&web_sys::Event::new_with_event_init_dict(kind, &init).unwrap())
        .unwrap();
}

#[wasm_bindgen_test]
async fn register_checks_v38_rules_as_the_operator_types() {
    let el = root();
    let calls = Rc::new(Cell::new(0));
    yew::Renderer::<RegisterHost>::with_root_and_props(
        el.clone(),
        PageHostProps {
            version: ApiVersion::V3_8,
            calls: calls.clone(),
            lang: Lang::En,
        },
    )
    .render();
    settle().await;
    let uid = input_labelled(&el, "User ID (row 1)");
    type_into(&uid, "alice-1");
    settle().await;
    assert!(
        text(&el).contains("User ID may contain only letters, digits and _"),
        "{}",
        text(&el)
    );
    assert!(register_button(&el).disabled());
    type_into(&input_labelled(&el, "User ID (row 1)"), "alice_1");
    settle().await;
    assert!(text(&el).contains("Nickname is required on OpenIM v3.8"));
    type_into(&input_labelled(&el, "Nickname (row 1)"), "Alice");
    settle().await;
    assert!(!register_button(&el).disabled(), "a valid row can be sent");
    button_named(&el, "Add row").click();
    settle().await;
    type_into(&input_labelled(&el, "User ID (row 2)"), "alice_1");
    type_into(&input_labelled(&el, "Nickname (row 2)"), "Twin");
    settle().await;
    assert!(text(&el).contains("Same user ID as row 1"));
    assert!(register_button(&el).disabled());
    assert_eq!(calls.get(), 0, "nothing is sent while typing");
}

#[wasm_bindgen_test]
async fn register_v34_allows_what_v34_allows() {
    let el = root();
    let calls = Rc::new(Cell::new(0));
    yew::Renderer::<RegisterHost>::with_root_and_props(
        el.clone(),
        PageHostProps {
            version: ApiVersion::V3_4,
            calls,
            lang: Lang::En,
        },
    )
    .render();
    settle().await;
    // v3.4 has no charset rule and no nickname requirement, but forbids ':'.
    type_into(&input_labelled(&el, "User ID (row 1)"), "alice-1");
    settle().await;
    assert!(!register_button(&el).disabled(), "{}", text(&el));
    type_into(&input_labelled(&el, "User ID (row 1)"), "a:b");
    settle().await;
    assert!(text(&el).contains("User ID must not contain ':'"));
    assert!(register_button(&el).disabled());
    type_into(&input_labelled(&el, "User ID (row 1)"), &"x".repeat(65));
    settle().await;
    assert!(text(&el).contains("longer than 64 characters"));
}

#[wasm_bindgen_test]
async fn token_view_decodes_the_claims() {
    use openim_admin::components::token_view::{Props as TokenProps, TokenView};
    let el = root();
    // The token printed in the classic OpenIM guide: user 11111112 on IOS, v3.4 claims.
    let token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJVc2VySUQiOiIxMTExMTExMiIsIlBsYXRmb3JtSUQiOjEsImV4cCI6MTcwNjU5NTM0MCwibmJmIjoxNjk4ODE5MDQwLCJpYXQiOjE2OTg4MTkzNDB9.YOeKRSwvTF0_yRNB3XwOCIYaTC-swVzxRjnHidUo4xw";
    let props = TokenProps {
        token: token.into(),
        expire_time_seconds: 7_776_000,
        version: ApiVersion::V3_4,
    };
    yew::Renderer::<TokenView>::with_root_and_props(el.clone(), props).render();
    settle().await;
    let shown = text(&el);
    assert!(
        shown.contains("Valid for 90 days (7776000 seconds)"),
        "{shown}"
    );
    let rows: Vec<(String, String)> = {
        let trs = el.query_selector_all("table tr").unwrap();
        (0..trs.length())
            .filter_map(|i| trs.item(i))
            .map(|n| n.dyn_into::<Element>().unwrap())
            .map(|tr| {
                let th = tr
                    .query_selector("th")
                    .unwrap()
                    .map(|e| text(&e))
                    .unwrap_or_default();
                let td = tr
                    .query_selector("td")
                    .unwrap()
                    .map(|e| text(&e))
                    .unwrap_or_default();
                (th, td)
            })
            .collect()
    };
    let get = |k: &str| {
        rows.iter()
            .find(|(h, _)| h == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    assert_eq!(get("User"), "11111112");
    assert_eq!(get("Platform"), "IOS (1)");
    assert!(get("Issued").starts_with("2023-11-0"), "{}", get("Issued"));
    assert!(!get("Not before").is_empty());
    assert_eq!(
        get("Time left"),
        "0 seconds",
        "the guide's token expired in 2024"
    );
    assert!(
        !shown.contains("retires the older one"),
        "no v3.8 warning on v3.4"
    );
    let area: web_sys::HtmlTextAreaElement = el
        .query_selector("textarea")
        .unwrap()
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(area.value(), token);
}

/// The connection page, rendered in Chinese.
#[function_component]
fn ChineseConnectHost(p: &PageHostProps) -> Html {
    let session: SessionHandle = use_reducer(Session::default);
    let calls = p.calls.clone();
    let client = use_memo((), move |_| {
        Client::new(
            "/nowhere",
            Callback::from(move |_: LogEntry| calls.set(calls.get() + 1)),
        )
    });
    html! {
        <ContextProvider<Lang> context={p.lang}>
        <ContextProvider<SessionHandle> context={session}>
        <ContextProvider<Rc<Client>> context={client}>
            <Connect />
        </ContextProvider<Rc<Client>>>
        </ContextProvider<SessionHandle>>
        </ContextProvider<Lang>>
    }
}

#[wasm_bindgen_test]
async fn connect_reads_in_chinese() {
    let el = root();
    let calls = Rc::new(Cell::new(0));
    yew::Renderer::<ChineseConnectHost>::with_root_and_props(
        el.clone(),
        PageHostProps {
            version: ApiVersion::V3_8,
            calls: calls.clone(),
            lang: Lang::Zh,
        },
    )
    .render();
    settle().await;
    let shown = text(&el);
    for chinese in [
        "API 基础地址",
        "API 版本",
        "自动检测",
        "管理员用户ID",
        "密钥（secret）",
        "在此设备上记住密钥",
    ] {
        assert!(shown.contains(chinese), "missing {chinese:?}: {shown}");
    }
    for english in [
        "API base URL",
        "API generation",
        "Detect automatically",
        "Admin user ID",
        "Secret",
        "Remember the secret",
        "Connect",
    ] {
        assert!(
            !shown.contains(english),
            "{english:?} left in English: {shown}"
        );
    }
    // Labels still name their controls, so the page is usable by label in Chinese too.
    assert_eq!(input_labelled(&el, "API 基础地址").value(), "/api");
    button_named(&el, "连接");
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
    assert!(text(&alert).starts_with("请填写密钥"), "{}", text(&alert));
    assert_eq!(calls.get(), 0, "nothing may be sent");
}

#[wasm_bindgen_test]
async fn register_rules_read_in_chinese() {
    let el = root();
    yew::Renderer::<RegisterHost>::with_root_and_props(
        el.clone(),
        PageHostProps {
            version: ApiVersion::V3_8,
            calls: Rc::new(Cell::new(0)),
            lang: Lang::Zh,
        },
    )
    .render();
    settle().await;
    type_into(&input_labelled(&el, "用户ID（第 1 行）"), "alice-1");
    settle().await;
    let shown = text(&el);
    assert!(shown.contains("注册用户"), "{shown}");
    assert!(shown.contains("用户ID 只能包含字母、数字和 _"), "{shown}");
    assert!(!shown.contains("User ID"), "{shown}");
    assert!(!shown.contains("Add row"), "{shown}");
    let register: web_sys::HtmlButtonElement = button_named(&el, "注册").dyn_into().unwrap();
    assert!(register.disabled());
}

#[wasm_bindgen_test]
async fn the_header_switches_language_and_remembers_it() {
    let el = root();
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    let html_lang = || {
        gloo_utils_document()
            .document_element()
            .unwrap()
            .get_attribute("lang")
            .unwrap_or_default()
    };
    yew::Renderer::<openim_admin::app::App>::with_root(el.clone()).render();
    settle().await;
    let select: web_sys::HtmlSelectElement = el
        .query_selector("#lang-select")
        .unwrap()
        .expect("a language control")
        .dyn_into()
        .unwrap();
    let options: Vec<String> = (0..select.length())
        .filter_map(|i| select.item(i))
        .map(|o| text(&o))
        .collect();
    assert_eq!(options, ["English", "简体中文"]);

    select.set_value("zh-CN");
    fire(&select, "change");
    settle_until("<html lang> follows the choice", || html_lang() == "zh-CN").await;
    let nav = el.query_selector("nav").unwrap().expect("the navigation");
    assert!(text(&nav).contains("概览"), "{}", text(&nav));
    assert!(text(&nav).contains("用户列表"), "{}", text(&nav));
    assert!(!text(&nav).contains("Overview"), "{}", text(&nav));
    assert!(text(&el).contains("语言"));
    assert!(
        text(&el).contains("简体中文"),
        "the option keeps its own name"
    );
    assert_eq!(html_lang(), "zh-CN");
    assert_eq!(
        storage.get_item(i18n::STORAGE_KEY).unwrap().as_deref(),
        Some("zh-CN")
    );

    select.set_value("en");
    fire(&select, "change");
    settle_until("<html lang> follows the choice", || html_lang() == "en").await;
    assert!(text(&nav).contains("Overview"), "{}", text(&nav));
    assert!(text(&el).contains("Language"));
    assert_eq!(html_lang(), "en");
    assert_eq!(
        storage.get_item(i18n::STORAGE_KEY).unwrap().as_deref(),
        Some("en")
    );
    storage.remove_item(i18n::STORAGE_KEY).unwrap();
}
