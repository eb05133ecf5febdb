//! Random requests never break the emulator: every answer is the JSON envelope, gin's 404 text or
//! the OPTIONS answer (shared/openim-api.md §1.3, §1.4), on the OpenIM port and on the chat admin
//! port (shared/chat-admin-api.md §2), and the server keeps serving afterwards.

mod common;

use std::future::Future;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use common::*;
use openim_protocol::ApiVersion;
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config as ProptestConfig, TestCaseError, TestRunner};
use reqwest::Method;
use serde_json::{json, Value};

const CASES: u32 = 200;

const PATHS: [&str; 13] = [
    "/auth/user_token",
    "/auth/get_admin_token",
    "/auth/get_user_token",
    "/auth/parse_token",
    "/auth/force_logout",
    "/user/user_register",
    "/user/account_check",
    "/user/get_users",
    "/user/get_users_info",
    "/user/update_user_info_ex",
    "/user/update_user_info",
    "/",
    "/nope",
];

const KEYS: [&str; 19] = [
    "secret",
    "platformID",
    "userID",
    "users",
    "nickname",
    "faceURL",
    "ex",
    "createTime",
    "appMangerLevel",
    "globalRecvMsgOpt",
    "checkUserIDs",
    "pagination",
    "pageNumber",
    "showNumber",
    "nickName",
    "token",
    "userIDs",
    "userInfo",
    "UserID",
];

const STRINGS: [&str; 16] = [
    "openIM123",
    "imAdmin",
    "openIM123456",
    "openIMAdmin",
    "user000001",
    "",
    ":",
    "a:b",
    "张三",
    "(",
    "[",
    ".*",
    "\\",
    "^$",
    "a-b",
    "\u{0}",
];

#[derive(Clone, Debug)]
enum TokenHeader {
    Absent,
    Empty,
    Valid,
    Garbage(String),
    Forged(String),
}

#[derive(Clone, Debug)]
struct Case {
    method: &'static str,
    path: String,
    operation_id: Option<String>,
    token: TokenHeader,
    content_type: Option<String>,
    extra: Vec<(String, String)>,
    body: Vec<u8>,
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        select(&STRINGS[..]).prop_map(String::from),
        ".{0,16}",
        "[a-zA-Z0-9_]{0,70}",
    ]
}

fn number() -> impl Strategy<Value = i64> {
    prop_oneof![
        -20i64..20,
        any::<i64>(),
        any::<i32>().prop_map(i64::from),
        Just(i64::from(i32::MAX)),
        Just(i64::from(i32::MIN)),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        number().prop_map(Value::from),
        (-1e20f64..1e20).prop_map(|f| json!(f)),
        text().prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 40, 6, |inner| {
        let key = prop_oneof![select(&KEYS[..]).prop_map(String::from), "[a-zA-Z]{1,10}"];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key, inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// Bodies shaped like the real requests, so that random values reach the handlers.
fn shaped_body() -> impl Strategy<Value = Value> {
    let user = (text(), text(), number(), number(), text()).prop_map(|(id, nick, lvl, opt, ex)| {
        json!({"userID": id, "nickname": nick, "appMangerLevel": lvl, "globalRecvMsgOpt": opt, "ex": ex})
    });
    prop_oneof![
        (text(), number(), text())
            .prop_map(|(s, p, u)| json!({"secret": s, "platformID": p, "userID": u})),
        (number(), number(), text(), text()).prop_map(|(pn, sn, u, n)| {
            json!({"pagination": {"pageNumber": pn, "showNumber": sn}, "userID": u, "nickName": n})
        }),
        (
            prop_oneof![Just(SECRET.to_string()), text()],
            prop::collection::vec(user, 0..4)
        )
            .prop_map(|(s, users)| json!({"secret": s, "users": users})),
        prop::collection::vec(text(), 0..5).prop_map(|ids| json!({ "checkUserIDs": ids })),
        prop::collection::vec(text(), 0..5).prop_map(|ids| json!({ "userIDs": ids })),
        text().prop_map(|t| json!({ "token": t })),
        (number(), text()).prop_map(|(p, u)| json!({"platformID": p, "userID": u})),
        (text(), text(), number()).prop_map(|(u, n, o)| {
            json!({"userInfo": {"userID": u, "nickname": n, "globalRecvMsgOpt": o}})
        }),
    ]
}

fn body() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        5 => shaped_body().prop_map(|v| v.to_string().into_bytes()),
        2 => json_value().prop_map(|v| v.to_string().into_bytes()),
        1 => ".{0,200}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..300),
        1 => Just(Vec::new()),
    ]
}

fn path() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => select(&PATHS[..]).prop_map(String::from),
        1 => "/[a-zA-Z0-9_.-]{0,12}(/[a-zA-Z0-9_.-]{1,12}){0,3}",
        1 => (select(&PATHS[..]), "[a-z0-9_]{1,8}").prop_map(|(p, s)| format!("{p}{s}")),
        1 => (select(&PATHS[..]), "[a-z0-9=&]{0,12}").prop_map(|(p, q)| format!("{p}?{q}")),
    ]
}

fn token() -> impl Strategy<Value = TokenHeader> {
    prop_oneof![
        2 => Just(TokenHeader::Absent),
        1 => Just(TokenHeader::Empty),
        5 => Just(TokenHeader::Valid),
        1 => "[!-~]{1,80}".prop_map(TokenHeader::Garbage),
        1 => (text(), number(), number(), prop_oneof![Just("HS256"), Just("HS512"), Just("HS384")])
            .prop_map(|(uid, pid, exp, alg)| {
                TokenHeader::Forged(forge(alg, SECRET, &claims(&uid, pid, exp, None, 0)))
            }),
    ]
}

fn case() -> impl Strategy<Value = Case> {
    let method = prop_oneof![
        6 => Just("POST"),
        1 => Just("GET"),
        1 => Just("PUT"),
        1 => Just("DELETE"),
        1 => Just("PATCH"),
        1 => Just("OPTIONS"),
        1 => Just("HEAD"),
    ];
    let operation_id = prop_oneof![
        8 => "[a-zA-Z0-9-]{1,20}".prop_map(Some),
        1 => Just(None),
        1 => Just(Some(String::new())),
    ];
    let content_type = prop::option::of(prop_oneof![
        Just("application/json".to_string()),
        Just("text/plain".to_string()),
        Just("multipart/form-data; boundary=x".to_string()),
        "[!-~]{1,20}",
    ]);
    let extra = prop::collection::vec(("x-[a-z]{1,8}", "[!-~]{0,20}"), 0..4);
    (
        method,
        path(),
        operation_id,
        token(),
        content_type,
        extra,
        body(),
    )
        .prop_map(
            |(method, path, operation_id, token, content_type, extra, body)| Case {
                method,
                path,
                operation_id,
                token,
                content_type,
                extra,
                body,
            },
        )
}

fn operation_id_error(api: ApiVersion) -> String {
    match api {
        ApiVersion::V3_4 => err_body(
            1001,
            "ArgsError",
            "header must have operationID: 1001 ArgsError",
        ),
        ApiVersion::V3_8 => err_body(1001, "ArgsError", ""),
    }
}

fn check(api: ApiVersion, case: &Case, r: &RawReply) -> Result<(), TestCaseError> {
    let origin = r.headers.get("access-control-allow-origin");
    prop_assert_eq!(
        origin.map(|v| v.to_str().unwrap_or("")),
        Some("*"),
        "CORS header on {:?}",
        r.status
    );
    prop_assert!(r.status != 500, "HTTP 500 (a panic?) for {:?}", case);
    match case.method {
        "OPTIONS" => {
            prop_assert_eq!(r.status, 200);
            prop_assert_eq!(&r.bytes[..], OPTIONS_BODY.as_bytes());
            return Ok(());
        }
        "HEAD" => {
            prop_assert_eq!(r.status, 404);
            return Ok(());
        }
        "POST" => {}
        _ => {
            prop_assert_eq!(r.status, 404);
            prop_assert_eq!(&r.bytes[..], NOT_FOUND_BODY.as_bytes());
            return Ok(());
        }
    }
    let text = std::str::from_utf8(&r.bytes)
        .map_err(|_| TestCaseError::fail(format!("non-UTF-8 body {:?}", r.bytes)))?;
    let missing_op = case.operation_id.as_deref().is_none_or(str::is_empty);
    if missing_op {
        prop_assert_eq!(r.status, 200);
        prop_assert_eq!(text, operation_id_error(api));
        return Ok(());
    }
    if r.status == 404 {
        prop_assert_eq!(text, NOT_FOUND_BODY);
        return Ok(());
    }
    let v: Value = serde_json::from_str(text)
        .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {text:?}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| TestCaseError::fail(format!("not an object: {text}")))?;
    prop_assert!(v["errCode"].is_i64(), "errCode in {}", text);
    prop_assert!(v["errMsg"].is_string(), "errMsg in {}", text);
    prop_assert!(v["errDlt"].is_string(), "errDlt in {}", text);
    prop_assert!(
        obj.keys()
            .all(|k| ["errCode", "errMsg", "errDlt", "data"].contains(&k.as_str())),
        "envelope keys of {}",
        text
    );
    if v["errCode"] != json!(0) {
        prop_assert!(!obj.contains_key("data"), "error with data: {}", text);
    }
    match r.status {
        200 => {}
        400 => {
            prop_assert_eq!(api, ApiVersion::V3_4, "only v3.4 answers 400: {}", text);
            prop_assert_eq!(&v["errCode"], &json!(1001));
        }
        other => prop_assert!(false, "status {} for {}", other, text),
    }
    Ok(())
}

async fn send(emu: &Emu, client: &reqwest::Client, admin: &str, case: &Case) -> RawReply {
    let mut headers: Vec<(String, String)> = Vec::new();
    if let Some(op) = &case.operation_id {
        headers.push(("operationID".into(), op.clone()));
    }
    match &case.token {
        TokenHeader::Absent => {}
        TokenHeader::Empty => headers.push(("token".into(), String::new())),
        TokenHeader::Valid => headers.push(("token".into(), admin.to_string())),
        TokenHeader::Garbage(t) | TokenHeader::Forged(t) => {
            headers.push(("token".into(), t.clone()))
        }
    }
    if let Some(ct) = &case.content_type {
        headers.push(("content-type".into(), ct.clone()));
    }
    headers.extend(case.extra.iter().cloned());
    let refs: Vec<(&str, &str)> = headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let method = Method::from_bytes(case.method.as_bytes()).unwrap();
    emu.request_bytes(client, method, &case.path, &refs, case.body.clone())
        .await
}

/// The server still answers ordinary requests as before.
async fn still_serving(emu: &Emu) {
    let admin = emu.admin_token().await;
    let r = emu
        .call(
            "/user/get_users",
            Some(&admin),
            r#"{"pagination":{"pageNumber":1,"showNumber":1}}"#,
        )
        .await;
    assert!(r.data()["total"].as_i64().unwrap() >= 1, "{}", r.body);
    let r = emu.post("/user/get_users", &[], "{}").await;
    assert_eq!(r.body, operation_id_error(emu.api));
    let r = emu.request(Method::OPTIONS, "/x", &[], "").await;
    assert_options(&r);
    let r = emu.request(Method::GET, "/user/get_users", &[], "").await;
    assert_404(&r);
}

fn fuzz(api: ApiVersion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emu = rt.block_on(Emu::start_with(config_seeded(api, 3)));
    let admin = rt.block_on(emu.admin_token());
    let client = raw_client();
    let mut runner = TestRunner::new(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&case(), |case| {
        let reply = rt.block_on(send(&emu, &client, &admin, &case));
        check(api, &case, &reply)
    });
    rt.block_on(still_serving(&emu));
    if let Err(e) = result {
        panic!("{api}: {e}");
    }
}

#[test]
fn random_requests_get_envelopes_v34() {
    fuzz(ApiVersion::V3_4);
}

#[test]
fn random_requests_get_envelopes_v38() {
    fuzz(ApiVersion::V3_8);
}

// ---------------------------------------------------------------------------------------------
// The chat admin port (shared/chat-admin-api.md §2)
// ---------------------------------------------------------------------------------------------

const CHAT_PATHS: [&str; 6] = [
    "/account/login",
    "/account/login/",
    "/account/info",
    "/account/login/x",
    "/",
    "/nope",
];

#[derive(Clone, Debug)]
struct ChatCase {
    method: &'static str,
    path: String,
    operation_id: Option<String>,
    body: Vec<u8>,
}

fn chat_case() -> impl Strategy<Value = ChatCase> {
    let method = prop_oneof![
        6 => Just("POST"),
        1 => Just("GET"),
        1 => Just("PUT"),
        1 => Just("OPTIONS"),
        1 => Just("HEAD"),
    ];
    let path = prop_oneof![
        4 => select(&CHAT_PATHS[..]).prop_map(String::from),
        1 => (select(&CHAT_PATHS[..]), "[a-z0-9=&]{0,12}").prop_map(|(p, q)| format!("{p}?{q}")),
        1 => "/[a-zA-Z0-9_.-]{0,12}(/[a-zA-Z0-9_.-]{1,12}){0,2}",
    ];
    let operation_id = prop_oneof![
        8 => "[a-zA-Z0-9-]{1,20}".prop_map(Some),
        1 => Just(None),
        1 => Just(Some(String::new())),
    ];
    let login = (
        prop_oneof![
            Just("admin1".to_string()),
            Just("chatAdmin".to_string()),
            text()
        ],
        prop_oneof![
            Just("e00cf25ad42683b3df678c61f42c6bda".to_string()),
            Just("625031fc4e4f2de6b187e6bfa3697784".to_string()),
            text()
        ],
    )
        .prop_map(|(a, p)| {
            json!({"account": a, "password": p})
                .to_string()
                .into_bytes()
        });
    let body = prop_oneof![3 => login, 2 => body()];
    (method, path, operation_id, body).prop_map(|(method, path, operation_id, body)| ChatCase {
        method,
        path,
        operation_id,
        body,
    })
}

fn check_chat(api: ApiVersion, case: &ChatCase, r: &RawReply) -> Result<(), TestCaseError> {
    prop_assert!(r.status != 500, "HTTP 500 (a panic?) for {:?}", case);
    let path = case.path.split('?').next().unwrap_or("");
    if case.method == "POST" && path == "/account/login/" {
        prop_assert_eq!(r.status, 307);
        return Ok(());
    }
    let origin = r.headers.get("access-control-allow-origin");
    prop_assert_eq!(origin.map(|v| v.to_str().unwrap_or("")), Some("*"));
    match case.method {
        "OPTIONS" => {
            prop_assert_eq!(r.status, 200);
            prop_assert_eq!(&r.bytes[..], OPTIONS_BODY.as_bytes());
            return Ok(());
        }
        "POST" => {}
        _ => {
            prop_assert_eq!(r.status, 404);
            return Ok(());
        }
    }
    let text = std::str::from_utf8(&r.bytes)
        .map_err(|_| TestCaseError::fail(format!("non-UTF-8 body {:?}", r.bytes)))?;
    if case.operation_id.as_deref().is_none_or(str::is_empty) {
        prop_assert_eq!(r.status, 200);
        let v: Value = serde_json::from_str(text)
            .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {text:?}")))?;
        prop_assert_eq!(&v["errCode"], &json!(1001));
        prop_assert_eq!(&v["errMsg"], &json!("ArgsError"));
        return Ok(());
    }
    if path != "/account/login" {
        prop_assert_eq!(r.status, 404);
        prop_assert_eq!(text, NOT_FOUND_BODY);
        return Ok(());
    }
    let v: Value = serde_json::from_str(text)
        .map_err(|e| TestCaseError::fail(format!("not JSON ({e}): {text:?}")))?;
    let obj = v
        .as_object()
        .ok_or_else(|| TestCaseError::fail(format!("not an object: {text}")))?;
    prop_assert!(
        v["errMsg"].is_string() && v["errDlt"].is_string(),
        "{}",
        text
    );
    match (r.status, v["errCode"].as_i64()) {
        (200, Some(0)) => {
            let data = v["data"]
                .as_object()
                .ok_or_else(|| TestCaseError::fail(format!("no data: {text}")))?;
            prop_assert_eq!(data.len(), 8, "data keys of {}", text);
        }
        (200, Some(1001 | 20001 | 20002)) => prop_assert!(!obj.contains_key("data"), "{}", text),
        (400, Some(500)) => prop_assert_eq!(api, ApiVersion::V3_4, "only v1.4 answers 400"),
        (status, code) => prop_assert!(false, "status {} errCode {:?}: {}", status, code, text),
    }
    Ok(())
}

fn fuzz_chat(api: ApiVersion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let emu = rt.block_on(Emu::with_chat(api));
    let mut runner = TestRunner::new(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    });
    let result = runner.run(&chat_case(), |case| {
        let mut headers = Vec::new();
        if let Some(op) = &case.operation_id {
            headers.push(("operationID", op.as_str()));
        }
        let method = Method::from_bytes(case.method.as_bytes()).unwrap();
        let body = String::from_utf8_lossy(&case.body).into_owned();
        let reply = rt.block_on(emu.chat_request(method, &case.path, &headers, &body));
        let raw = RawReply {
            status: reply.status,
            headers: reply.headers,
            bytes: reply.body.into_bytes(),
        };
        check_chat(api, &case, &raw)
    });
    // Still serving: the documented sign-in works and its imToken is an admin token.
    let (account, password) = match api {
        ApiVersion::V3_4 => ("admin1", "admin1"),
        ApiVersion::V3_8 => ("chatAdmin", "chatAdmin"),
    };
    let r = rt.block_on(emu.chat_login(account, password));
    let im = r.data()["imToken"].as_str().unwrap().to_string();
    let r = rt.block_on(emu.call(
        "/user/account_check",
        Some(&im),
        r#"{"checkUserIDs":["a"]}"#,
    ));
    assert_eq!(r.code(), 0, "{}", r.body);
    if let Err(e) = result {
        panic!("{api}: {e}");
    }
}

#[test]
fn random_requests_on_the_chat_port_get_envelopes_v34() {
    fuzz_chat(ApiVersion::V3_4);
}

#[test]
fn random_requests_on_the_chat_port_get_envelopes_v38() {
    fuzz_chat(ApiVersion::V3_8);
}

fn raw_tcp(addr: std::net::SocketAddr, bytes: &[u8]) {
    let mut s = TcpStream::connect(addr).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(5))).unwrap();
    let _ = s.write_all(bytes);
    let _ = s.shutdown(std::net::Shutdown::Write);
    let mut sink = Vec::new();
    let _ = s.read_to_end(&mut sink);
}

#[test]
fn broken_connections_do_not_stop_the_server() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for api in ApiVersion::ALL {
        let emu = rt.block_on(Emu::start_with(config_seeded(api, 1)));
        let addr = emu.running.addr;
        // Not HTTP at all.
        raw_tcp(addr, b"\x00\x01\x02 hello \xff\xfe\r\n\r\n");
        // A request cut off in the middle of its body.
        raw_tcp(
            addr,
            b"POST /user/get_users HTTP/1.1\r\nHost: x\r\noperationID: a\r\nContent-Length: 500\r\n\r\n{\"pag",
        );
        // Invalid chunked encoding.
        raw_tcp(
            addr,
            b"POST /auth/parse_token HTTP/1.1\r\nHost: x\r\noperationID: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        );
        // A very large header.
        let mut big = b"POST /user/get_users HTTP/1.1\r\nHost: x\r\noperationID: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', 200_000));
        big.extend(b"\r\n\r\n");
        raw_tcp(addr, &big);
        // A connection left open and idle while others are served.
        let idle = TcpStream::connect(addr).expect("connect");
        let _ = (&idle).write_all(b"POST /user/get_users HTTP/1.1\r\nHost: x\r\n");
        rt.block_on(still_serving(&emu));
        drop(idle);
        rt.block_on(still_serving(&emu));
    }
}

#[test]
fn concurrent_requests_are_all_answered() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    for api in ApiVersion::ALL {
        rt.block_on(async {
            let emu = Emu::start(api).await;
            let admin = emu.admin_token().await;
            let registers = (0..40).map(|i| {
                let users =
                    json!([{"userID": format!("conc{i:03}"), "nickname": format!("C {i}")}]);
                let body = match api {
                    ApiVersion::V3_4 => json!({"secret": SECRET, "users": users}),
                    ApiVersion::V3_8 => json!({ "users": users }),
                };
                let emu = &emu;
                let admin = admin.clone();
                async move {
                    emu.call_json("/user/user_register", Some(&admin), &body)
                        .await
                }
            });
            for r in futures_join_all(registers).await {
                assert_ok_empty(&r);
            }
            let d = emu
                .get_users(json!({"pagination": {"pageNumber": 1, "showNumber": 0}}))
                .await;
            let expected = match api {
                ApiVersion::V3_4 => 43,
                ApiVersion::V3_8 => 40,
            };
            assert_eq!(d["total"], json!(expected));
        });
    }
}

/// Runs the futures concurrently on the current task and collects their outputs in order.
async fn futures_join_all<F: Future>(futs: impl Iterator<Item = F>) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futs {
        set.push(Box::pin(f));
    }
    let mut out: Vec<Option<F::Output>> = (0..set.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut pending = false;
        for (i, f) in set.iter_mut().enumerate() {
            if out[i].is_none() {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => out[i] = Some(v),
                    std::task::Poll::Pending => pending = true,
                }
            }
        }
        if pending {
            std::task::Poll::Pending
        } else {
            std::task::Poll::Ready(())
        }
    })
    .await;
    out.into_iter().map(Option::unwrap).collect()
}
