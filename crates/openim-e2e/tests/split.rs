//! The release build's wasm in two modules (scripts/finish-dist.py, static/boot.js): opened on
//! the users table the console starts with the first alone and fetches the second once the
//! table is drawn; opened anywhere else it has both before it starts; and code of the second
//! needed before it has arrived is fetched on the spot.

use std::time::Duration;

use openim_e2e::console::{wait_for_entry, RENDERED_MARK};
use openim_e2e::{wait_limit, ApiVersion, Browser, Stack};

/// The page's wasm fetches so far: (`first` or `second`, how the page asked, start in ms).
async fn wasm_fetches(b: &Browser) -> Vec<(String, String, f64)> {
    let list = b
        .client()
        .execute(
            "return performance.getEntriesByType('resource')
                 .filter((r) => new URL(r.name).pathname.endsWith('.wasm'))
                 .map((r) => [new URL(r.name).pathname, r.initiatorType, r.startTime]);",
            vec![],
        )
        .await
        .expect("read the resource timeline");
    list.as_array()
        .into_iter()
        .flatten()
        .map(|r| {
            let path = r[0].as_str().unwrap_or_default();
            let which = if path.starts_with("/openim-admin-more-") {
                "second"
            } else {
                "first"
            };
            (
                which.to_string(),
                r[1].as_str().unwrap_or_default().to_string(),
                r[2].as_f64().unwrap_or(f64::NAN),
            )
        })
        .collect()
}

async fn second_attached(b: &Browser) -> bool {
    b.client()
        .execute("return globalThis.openimSplit?.attached === true;", vec![])
        .await
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(false)
}

async fn wait_until_attached(b: &Browser) {
    let deadline = std::time::Instant::now() + wait_limit();
    while !second_attached(b).await {
        assert!(
            std::time::Instant::now() < deadline,
            "the second module was never attached; wasm fetches: {:?}",
            wasm_fetches(b).await
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_users_table_starts_with_the_first_module_and_the_rest_follows() {
    let stack = Stack::start_seeded(ApiVersion::V3_4, 30).await;
    let b = Browser::start().await;
    b.sign_in(&stack).await;
    b.open(&stack.url("/users")).await;
    b.wait_for_text("Total: ", wait_limit()).await;
    let (drawn, _) = wait_for_entry(&b, RENDERED_MARK, 0, wait_limit()).await;
    wait_until_attached(&b).await;
    let fetches = wasm_fetches(&b).await;
    let first: Vec<_> = fetches.iter().filter(|f| f.0 == "first").collect();
    let second: Vec<_> = fetches.iter().filter(|f| f.0 == "second").collect();
    assert_eq!(first.len(), 1, "{fetches:?}");
    assert_eq!(second.len(), 1, "fetched once: {fetches:?}");
    assert!(
        second[0].2 >= drawn && second[0].1 == "fetch",
        "the second module was fetched before the table was drawn at {drawn} ms, or not by the \
         loader's fetch: {fetches:?}"
    );
    // The rest of the console works once it is there.
    b.click_link("Register users").await;
    b.wait_for_h1("Register users").await;
    b.click_link("Account check").await;
    b.wait_for_h1("Account check").await;
    b.assert_no_console_errors().await;
}

#[tokio::test]
async fn any_other_page_has_both_modules_before_it_starts() {
    let stack = Stack::start(ApiVersion::V3_8).await;
    let b = Browser::start().await;
    b.open(&stack.url("/connect")).await;
    b.wait_for_h1("Connection").await;
    assert!(
        second_attached(&b).await,
        "the console started before the second module was attached"
    );
    let fetches = wasm_fetches(&b).await;
    assert!(
        fetches.iter().any(|f| f.0 == "second" && f.1 == "fetch")
            && !fetches.iter().any(|f| f.1 == "xmlhttprequest"),
        "{fetches:?}"
    );
    b.assert_no_console_errors().await;
}

/// The first module reaches the second's functions through placeholders that static/boot.js
/// makes and puts in its table: it imports the wasm-bindgen glue's functions alone, under the
/// one-letter module `a` (scripts/finish-dist.py). Its imports were once 1,081 placeholders
/// more, 4 KB of its gzip.
#[tokio::test]
async fn the_first_module_imports_the_glue_alone() {
    let stack = Stack::start(ApiVersion::V3_8).await;
    let b = Browser::start().await;
    b.open(&stack.url("/connect")).await;
    b.wait_for_h1("Connection").await;
    let modules = b
        .client()
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const link = document.querySelector('link[rel=preload][href$=\"_bg.wasm\"]');
             WebAssembly.compileStreaming(fetch(link.href))
                 .then((m) => done(WebAssembly.Module.imports(m).map((i) => i.module + ':' + i.kind)))
                 .catch((e) => done(String(e)));",
            vec![],
        )
        .await
        .expect("compile the first module in the page");
    let modules: Vec<&str> = modules
        .as_array()
        .unwrap_or_else(|| panic!("not a list of imports: {modules}"))
        .iter()
        .filter_map(|m| m.as_str())
        .collect();
    assert!(modules.len() > 100, "{modules:?}");
    let others: Vec<_> = modules.iter().filter(|m| **m != "a:function").collect();
    assert!(
        others.is_empty(),
        "imports other than the glue's: {others:?}"
    );
    b.assert_no_console_errors().await;
}

/// The profile behind the split records the users table as it opens when all is well, so what
/// the page shows when the API is down lives in the second module: opened by its address with
/// the API stopped, the page needs it before the table (never drawn) would have called for it.
#[tokio::test]
async fn code_needed_before_the_second_module_arrives_is_fetched_on_the_spot() {
    let mut stack = Stack::start_seeded(ApiVersion::V3_4, 5).await;
    let b = Browser::start().await;
    b.sign_in(&stack).await;
    stack.stop_emulator().await;
    b.open(&stack.url("/users")).await;
    b.wait_for_text(
        "The proxy in front of OpenIM could not get an answer from it.",
        wait_limit(),
    )
    .await;
    assert!(second_attached(&b).await);
    let fetches = wasm_fetches(&b).await;
    assert!(
        fetches
            .iter()
            .any(|f| f.0 == "second" && f.1 == "xmlhttprequest"),
        "the second module did not come through the synchronous path: {fetches:?}"
    );
    b.assert_no_console_errors().await;
}

/// What the users table shows at its `users-rendered` mark, opened at `path` in a tab signed
/// in through the Connection page, in `lang`; and whether the second module was attached by
/// then (its fetch started before the mark, or went through the synchronous path).
async fn users_at_first_draw(stack: &Stack, lang: &str, path: &str) -> (String, bool) {
    let b = Browser::start().await;
    b.sign_in(stack).await;
    if lang != "English" {
        b.select("Language", lang).await;
    }
    b.open(&stack.url(path)).await;
    let (drawn, _) = wait_for_entry(&b, RENDERED_MARK, 0, Duration::from_secs(30)).await;
    let text = b
        .client()
        .execute(
            "return document.querySelector('header').innerText + '\\n'
                 + document.querySelector('main').innerText;",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    let early = wasm_fetches(&b)
        .await
        .iter()
        .any(|f| f.0 == "second" && (f.1 == "xmlhttprequest" || f.2 < drawn));
    b.assert_no_console_errors().await;
    (text, early)
}

/// scripts/finish-dist.py moves the static data the first module's code holds no address of
/// into the second module. target/dist-poisoned is the build with those bytes filled with 0xA5
/// in the first module instead of left out: had the first module read any of them before the
/// second arrived, the table would not draw as it does from the real build.
#[tokio::test]
async fn the_first_module_reads_none_of_the_data_it_left_to_the_second() {
    let poisoned = openim_e2e::repo_root().join("target/dist-poisoned");
    for api in [ApiVersion::V3_4, ApiVersion::V3_8] {
        let config = || openim_e2e::Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            api,
            quiet: true,
            seed_users: 30,
            ..Default::default()
        };
        let real = Stack::start_with(config()).await;
        let bad = Stack::start_serving(config(), &poisoned).await;
        for lang in ["English", "简体中文"] {
            let (expected, _) = users_at_first_draw(&real, lang, "/users").await;
            let (seen, early) = users_at_first_draw(&bad, lang, "/users").await;
            assert!(
                !early,
                "{api:?}, {lang}: the second module arrived before the table was drawn, so \
                 this run proves nothing"
            );
            assert!(expected.contains("user000001"), "{expected}");
            assert_eq!(steady(&seen), steady(&expected), "{api:?}, {lang}");
        }
        // Another page, another size, a search: the same functions on other branches. Where
        // one of them needs the second module first, the comparison holds all the same.
        let elsewhere = "/users?page=2&size=10&user=user0000";
        let (expected, _) = users_at_first_draw(&real, "English", elsewhere).await;
        let (seen, _) = users_at_first_draw(&bad, "English", elsewhere).await;
        assert!(expected.contains("Page 2 of"), "{expected}");
        assert_eq!(steady(&seen), steady(&expected), "{api:?}, {elsewhere}");
    }
}

/// `text` without what differs between two servers seeded a moment apart: the token's
/// remaining lifetime and the users' creation times.
fn steady(text: &str) -> String {
    text.lines()
        .filter(|l| !l.contains("expires") && !l.contains("过期"))
        .map(|l| {
            let mut out = String::new();
            let chars: Vec<char> = l.chars().collect();
            let mut i = 0;
            while i < chars.len() {
                let stamp = chars.get(i..i + 19).is_some_and(|w| {
                    w.iter().enumerate().all(|(k, c)| match k {
                        4 | 7 => *c == '-',
                        10 => *c == ' ',
                        13 | 16 => *c == ':',
                        _ => c.is_ascii_digit(),
                    })
                });
                if stamp {
                    out.push_str("<time>");
                    i += 19;
                } else {
                    out.push(chars[i]);
                    i += 1;
                }
            }
            out
        })
        .collect::<Vec<_>>()
        .join("\n")
}
