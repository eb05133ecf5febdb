//! Contract tests for the v3.4 generation (shared/openim-api.md §1, §2, §3, §8), over real HTTP.

mod common;

use std::time::Duration;

use common::*;
use openim_emulator::Config;
use openim_protocol::ApiVersion;
use reqwest::Method;
use serde_json::{json, Value};

const V34: ApiVersion = ApiVersion::V3_4;

const ROUTES: [&str; 7] = [
    "/auth/user_token",
    "/user/user_register",
    "/user/account_check",
    "/user/get_users",
    "/user/get_users_info",
    "/auth/parse_token",
    "/auth/force_logout",
];

/// Routes with `ParseToken` attached (`route.go:65-79,136-142`).
const PROTECTED: [&str; 4] = [
    "/user/account_check",
    "/user/get_users",
    "/user/get_users_info",
    "/auth/force_logout",
];

const PAGE_ALL: &str = r#"{"pagination":{"pageNumber":1,"showNumber":1000}}"#;

async fn register_raw(emu: &Emu, body: &str) -> Reply {
    emu.call("/user/user_register", None, body).await
}

fn assert_v34_token(token: &str, user_id: &str, platform_id: i64, before: i64, after: i64) {
    let jwt = decode_jwt(token);
    assert_eq!(jwt.header_raw, r#"{"alg":"HS256","typ":"JWT"}"#);
    assert_eq!(jwt.header, json!({"alg":"HS256","typ":"JWT"}));
    let iat = jwt.payload["iat"].as_i64().expect("iat");
    assert!(
        iat >= before - 1 && iat <= after + 1,
        "iat {iat} is not now ({before}..{after})"
    );
    // UserID, PlatformID, exp = iat + 90 days, nbf = iat - 5 min, iat (§2.1).
    assert_eq!(
        jwt.payload_raw,
        claims(
            user_id,
            platform_id,
            iat + EXPIRE_SECONDS,
            Some(iat - 300),
            iat
        )
    );
    assert!(
        signed_hs256_with(token, SECRET),
        "HS256 with the secret: {token}"
    );
}

// ---------------------------------------------------------------------------------------------
// §1: transport, envelope, middleware
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn missing_operation_id_on_every_post() {
    let emu = Emu::start(V34).await;
    let admin = emu.admin_token().await;
    let mut paths = ROUTES.to_vec();
    paths.push("/no/such/route");
    for path in paths {
        let r = emu.post(path, &[], "{}").await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "header must have operationID: 1001 ArgsError",
        );
        // Also with a valid token and a valid-looking body: operationID is checked first.
        let r = emu.post(path, &[("token", &admin)], PAGE_ALL).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "header must have operationID: 1001 ArgsError",
        );
    }
}

#[tokio::test]
async fn empty_operation_id_counts_as_missing() {
    let emu = Emu::start(V34).await;
    let r = emu
        .post(
            "/auth/user_token",
            &[("operationID", "")],
            r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    assert_err(
        &r,
        1001,
        "ArgsError",
        "header must have operationID: 1001 ArgsError",
    );
}

#[tokio::test]
async fn operation_id_header_name_is_case_insensitive() {
    let emu = Emu::start(V34).await;
    let r = emu
        .post(
            "/auth/user_token",
            &[("OPERATIONID", "x")],
            r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    assert_eq!(r.data()["expireTimeSeconds"], json!(EXPIRE_SECONDS));
}

#[tokio::test]
async fn missing_token_on_protected_routes() {
    let emu = Emu::start(V34).await;
    for path in PROTECTED {
        let r = emu.call(path, None, PAGE_ALL).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "header must have token: 1001 ArgsError",
        );
        let r = emu
            .post(path, &[("operationID", "op"), ("token", "")], PAGE_ALL)
            .await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "header must have token: 1001 ArgsError",
        );
    }
}

#[tokio::test]
async fn token_is_checked_before_the_body() {
    let emu = Emu::start(V34).await;
    // A broken body would be a 400; the missing token wins.
    let r = emu.call("/user/account_check", None, "{").await;
    assert_err(
        &r,
        1001,
        "ArgsError",
        "header must have token: 1001 ArgsError",
    );
    // A bad token wins over a bad body too.
    let r = emu.call("/user/get_users", Some("not-a-jwt"), "").await;
    assert_err_code(&r, 1505, "TokenUnknownError");
}

#[tokio::test]
async fn unprotected_routes_ignore_any_token_header() {
    let emu = Emu::start(V34).await;
    let headers = [("operationID", "op"), ("token", "garbage")];
    let r = emu
        .post(
            "/user/user_register",
            &headers,
            r#"{"secret":"openIM123","users":[{"userID":"tok_ignored"}]}"#,
        )
        .await;
    assert_ok_empty(&r);
    let r = emu
        .post(
            "/auth/user_token",
            &headers,
            r#"{"secret":"openIM123","platformID":1,"userID":"tok_ignored"}"#,
        )
        .await;
    let token = token_of(&r);
    let r = emu
        .post(
            "/auth/parse_token",
            &headers,
            &json!({ "token": token }).to_string(),
        )
        .await;
    assert_eq!(r.data()["userID"], json!("tok_ignored"));
}

#[tokio::test]
async fn empty_body_is_http_400_with_eof() {
    let emu = Emu::start(V34).await;
    let admin = emu.admin_token().await;
    for path in ROUTES {
        let r = emu.call(path, Some(&admin), "").await;
        assert_err_status(&r, 400, 1001, "ArgsError", "EOF");
    }
}

#[tokio::test]
async fn malformed_json_is_http_400_args_error() {
    let emu = Emu::start(V34).await;
    let admin = emu.admin_token().await;
    for path in ROUTES {
        for body in ["{", "not json", "[1,2]", r#"{"a":}"#, "\"str\"", "12"] {
            let r = emu.call(path, Some(&admin), body).await;
            // Spec silent on errDlt here beyond "the Go JSON error text".
            assert_err_code_status(&r, 400, 1001, "ArgsError");
            assert_eq!(r.header("content-type"), Some("application/json"));
        }
    }
}

#[tokio::test]
async fn wrong_json_type_reports_the_go_error() {
    let emu = Emu::start(V34).await;
    let r = emu
        .call(
            "/auth/user_token",
            None,
            r#"{"secret":"openIM123","platformID":"10","userID":"openIM123456"}"#,
        )
        .await;
    assert_err_status(
        &r,
        400,
        1001,
        "ArgsError",
        "json: cannot unmarshal string into Go struct field UserTokenReq.platformID of type int32",
    );
    let r = register_raw(&emu, r#"{"secret":"openIM123","users":"u1"}"#).await;
    // Spec silent on errDlt here.
    assert_err_code_status(&r, 400, 1001, "ArgsError");
    let admin = emu.admin_token().await;
    let r = emu
        .call(
            "/user/get_users",
            Some(&admin),
            r#"{"pagination":{"pageNumber":"1","showNumber":10}}"#,
        )
        .await;
    // Spec silent on errDlt here.
    assert_err_code_status(&r, 400, 1001, "ArgsError");
}

#[tokio::test]
async fn json_null_body_decodes_to_an_empty_request() {
    // encoding/json decodes `null` into a struct without error: the field checks answer (HTTP 200).
    let emu = Emu::start(V34).await;
    let r = emu.call("/auth/user_token", None, "null").await;
    assert_err(&r, 1001, "ArgsError", "userID is empty: 1001 ArgsError");
}

#[tokio::test]
async fn keys_match_case_insensitively_and_unknown_keys_are_ignored() {
    let emu = Emu::start(V34).await;
    let before = now_secs();
    let r = emu
        .call(
            "/auth/user_token",
            None,
            r#"{"SECRET":"openIM123","PlatformId":3,"userid":"openIM123456","extra":{"x":[1]}}"#,
        )
        .await;
    let token = token_of(&r);
    assert_v34_token(&token, "openIM123456", 3, before, now_secs());
    let r = register_raw(
        &emu,
        r#"{"Secret":"openIM123","USERS":[{"USERID":"keycase","NickName":"Key Case","unknown":1}]}"#,
    )
    .await;
    assert_ok_empty(&r);
    let u = emu.user_info("keycase").await;
    assert_eq!(u["nickname"], json!("Key Case"));
}

#[tokio::test]
async fn content_type_is_not_checked() {
    let emu = Emu::start(V34).await;
    for ct in ["text/plain", "application/x-www-form-urlencoded", "bogus"] {
        let r = emu
            .post(
                "/auth/user_token",
                &[("operationID", "op"), ("content-type", ct)],
                r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
            )
            .await;
        assert_eq!(r.data()["expireTimeSeconds"], json!(EXPIRE_SECONDS), "{ct}");
    }
}

#[tokio::test]
async fn non_post_methods_on_post_routes_are_404() {
    let emu = Emu::start(V34).await;
    let admin = emu.admin_token().await;
    for path in ROUTES {
        for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
            let r = emu
                .request(
                    method.clone(),
                    path,
                    &[("operationID", "op"), ("token", &admin)],
                    "",
                )
                .await;
            assert_404(&r);
            // No operationID needed: the middleware acts on POST only.
            let r = emu.request(method.clone(), path, &[], "").await;
            assert_404(&r);
        }
    }
}

#[tokio::test]
async fn unknown_paths() {
    let emu = Emu::start(V34).await;
    let admin = emu.admin_token().await;
    // With an operationID, gin's 404 (v3.4 has no global token check).
    for path in ["/nope", "/user/nope", "/auth/user_token/x", "/"] {
        let r = emu.call(path, None, "{}").await;
        assert_404(&r);
        let r = emu.call(path, Some(&admin), "{}").await;
        assert_404(&r);
        let r = emu.request(Method::GET, path, &[], "").await;
        assert_404(&r);
        // Without one, the operationID middleware answers first.
        let r = emu.post(path, &[], "{}").await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "header must have operationID: 1001 ArgsError",
        );
    }
}

#[tokio::test]
async fn options_is_answered_everywhere() {
    let emu = Emu::start(V34).await;
    let mut paths = ROUTES.to_vec();
    paths.extend(["/", "/no/such/route"]);
    for path in paths {
        let r = emu.request(Method::OPTIONS, path, &[], "").await;
        assert_options(&r);
        let r = emu
            .request(
                Method::OPTIONS,
                path,
                &[
                    ("origin", "http://example.test"),
                    ("access-control-request-method", "POST"),
                    (
                        "access-control-request-headers",
                        "operationID,token,content-type",
                    ),
                ],
                "",
            )
            .await;
        assert_options(&r);
        // The origin is not echoed.
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
}

#[tokio::test]
async fn cors_headers_on_success_and_error_answers() {
    let emu = Emu::start(V34).await;
    let r = emu
        .call(
            "/auth/user_token",
            None,
            r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_cors(&r);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let r = emu
        .call(
            "/auth/user_token",
            None,
            r#"{"secret":"x","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    assert_err(
        &r,
        1002,
        "NoPermissionError",
        "secret invalid: 1002 NoPermissionError",
    );
    let r = emu.call("/auth/user_token", None, "").await;
    assert_err_status(&r, 400, 1001, "ArgsError", "EOF");
}

#[tokio::test]
async fn responses_are_not_gzipped() {
    let emu = Emu::start(V34).await;
    let r = emu
        .post(
            "/auth/user_token",
            &[("operationID", "op"), ("accept-encoding", "gzip")],
            r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    assert_eq!(r.header("content-encoding"), None);
    assert!(r.json()["data"]["token"].is_string());
}

// ---------------------------------------------------------------------------------------------
// §3.1 /auth/user_token
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn user_token_success_shape() {
    let emu = Emu::start(V34).await;
    let before = now_secs();
    let r = emu
        .call(
            "/auth/user_token",
            None,
            r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    let v = r.json();
    let obj = v.as_object().unwrap();
    assert_eq!(obj.len(), 4, "{}", r.body);
    let data = r.data();
    assert_eq!(data.as_object().unwrap().len(), 2, "{data}");
    assert_eq!(data["expireTimeSeconds"], json!(7_776_000));
    let token = data["token"].as_str().unwrap();
    assert_v34_token(token, "openIM123456", 10, before, now_secs());
    // The envelope keys come in Go's order.
    assert!(
        r.body
            .starts_with(r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"#),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn user_token_for_every_platform_and_every_registered_user() {
    let emu = Emu::seeded(V34, 3).await;
    for platform in 1..=10 {
        let before = now_secs();
        let t = emu.v34_token("openIM123456", platform).await;
        assert_v34_token(&t, "openIM123456", platform, before, now_secs());
    }
    for user in ["openIM654321", "openIMAdmin", "user000001", "user000003"] {
        let before = now_secs();
        let t = emu.v34_token(user, 5).await;
        assert_v34_token(&t, user, 5, before, now_secs());
    }
    emu.register_ids(&["freshly_registered"]).await;
    let t = emu.v34_token("freshly_registered", 2).await;
    assert_eq!(
        decode_jwt(&t).payload["UserID"],
        json!("freshly_registered")
    );
}

#[tokio::test]
async fn user_token_row2_user_id_empty() {
    let emu = Emu::start(V34).await;
    for body in [
        r#"{"secret":"openIM123","platformID":10,"userID":""}"#,
        r#"{"secret":"openIM123","platformID":10}"#,
        // Rule 2 before rule 3 and rule 4.
        r#"{"secret":"wrong","platformID":0,"userID":""}"#,
        "{}",
    ] {
        let r = emu.call("/auth/user_token", None, body).await;
        assert_err(&r, 1001, "ArgsError", "userID is empty: 1001 ArgsError");
    }
}

#[tokio::test]
async fn user_token_row3_platform_out_of_range() {
    let emu = Emu::start(V34).await;
    for platform in ["0", "11", "-1", "12", "2147483647"] {
        let body =
            format!(r#"{{"secret":"openIM123","platformID":{platform},"userID":"openIM123456"}}"#);
        let r = emu.call("/auth/user_token", None, &body).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "platform is invalidate: 1001 ArgsError",
        );
    }
    // Missing means 0; rule 3 comes before the secret and the existence checks.
    for body in [
        r#"{"secret":"openIM123","userID":"openIM123456"}"#,
        r#"{"secret":"wrong","platformID":0,"userID":"ghost"}"#,
    ] {
        let r = emu.call("/auth/user_token", None, body).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "platform is invalidate: 1001 ArgsError",
        );
    }
}

#[tokio::test]
async fn user_token_row4_wrong_secret() {
    let emu = Emu::start(V34).await;
    for body in [
        r#"{"secret":"openIM1234","platformID":10,"userID":"openIM123456"}"#,
        r#"{"secret":"","platformID":10,"userID":"openIM123456"}"#,
        r#"{"platformID":10,"userID":"openIM123456"}"#,
        r#"{"secret":"OPENIM123","platformID":10,"userID":"openIM123456"}"#,
        // Rule 4 before rule 5.
        r#"{"secret":"nope","platformID":1,"userID":"ghost"}"#,
    ] {
        let r = emu.call("/auth/user_token", None, body).await;
        assert_err(
            &r,
            1002,
            "NoPermissionError",
            "secret invalid: 1002 NoPermissionError",
        );
    }
}

#[tokio::test]
async fn user_token_row5_unregistered_user() {
    let emu = Emu::seeded(V34, 2).await;
    for user in ["ghost", "user000003", "openIM"] {
        let body = json!({"secret": SECRET, "platformID": 1, "userID": user}).to_string();
        let r = emu.call("/auth/user_token", None, &body).await;
        assert_err(
            &r,
            1004,
            "RecordNotFoundError",
            ": 1004 RecordNotFoundError userID not found: 1004 RecordNotFoundError",
        );
    }
}

#[tokio::test]
async fn configured_secret_and_expiry_are_used() {
    let emu = Emu::start_with(Config {
        secret: "s3cret".into(),
        token_expire_days: 1,
        ..config(V34)
    })
    .await;
    let r = emu
        .call(
            "/auth/user_token",
            None,
            r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    assert_err(
        &r,
        1002,
        "NoPermissionError",
        "secret invalid: 1002 NoPermissionError",
    );
    let r = emu
        .call(
            "/auth/user_token",
            None,
            r#"{"secret":"s3cret","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    let data = r.data();
    assert_eq!(data["expireTimeSeconds"], json!(86_400));
    let token = data["token"].as_str().unwrap();
    assert!(signed_hs256_with(token, "s3cret"));
    assert!(!signed_hs256_with(token, SECRET));
    let p = decode_jwt(token).payload;
    assert_eq!(
        p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap(),
        86_400
    );
    // The token works with this secret's emulator.
    let r = emu.call("/user/get_users", Some(token), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(3));
    let r = emu
        .call(
            "/user/user_register",
            None,
            r#"{"secret":"s3cret","users":[{"userID":"with_s3cret"}]}"#,
        )
        .await;
    assert_ok_empty(&r);
}

// ---------------------------------------------------------------------------------------------
// §3.2 /user/user_register
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn register_success_has_no_data_and_stores_every_field() {
    let emu = Emu::start(V34).await;
    let before = now_ms();
    let r = register_raw(
        &emu,
        r#"{"secret":"openIM123","users":[{"userID":"u1","nickname":"Alice","faceURL":"http://x/a.png","ex":"{\"k\":1}","createTime":123,"appMangerLevel":0,"globalRecvMsgOpt":2},{"userID":"u2"}]}"#,
    )
    .await;
    assert_ok_empty(&r);
    let after = now_ms();
    let u1 = emu.user_info("u1").await;
    assert_user(&u1, "u1", "Alice", 1, (before - 1000, after + 1000));
    assert_eq!(u1["faceURL"], json!("http://x/a.png"));
    assert_eq!(u1["ex"], json!("{\"k\":1}"));
    assert_eq!(u1["globalRecvMsgOpt"], json!(2));
    // Every field present, zero values included; an omitted level is stored as 1 (gorm default).
    let u2 = emu.user_info("u2").await;
    assert_user(&u2, "u2", "", 1, (before - 1000, after + 1000));
    assert_eq!(u2["faceURL"], json!(""));
    assert_eq!(u2["ex"], json!(""));
    assert_eq!(u2["globalRecvMsgOpt"], json!(0));
}

#[tokio::test]
async fn register_copies_level_and_recv_opt_unvalidated() {
    let emu = Emu::start(V34).await;
    emu.register(json!([
        {"userID": "lvl2", "appMangerLevel": 2},
        {"userID": "lvl7", "appMangerLevel": 7, "globalRecvMsgOpt": 9},
        {"userID": "lvl1", "appMangerLevel": 1},
    ]))
    .await;
    assert_eq!(emu.user_info("lvl2").await["appMangerLevel"], json!(2));
    let u = emu.user_info("lvl7").await;
    assert_eq!(u["appMangerLevel"], json!(7));
    assert_eq!(u["globalRecvMsgOpt"], json!(9));
    assert_eq!(emu.user_info("lvl1").await["appMangerLevel"], json!(1));
    // appMangerLevel never grants admin rights (§2.4).
    let t = emu.v34_token("lvl2", 10).await;
    let r = emu
        .call(
            "/user/account_check",
            Some(&t),
            r#"{"checkUserIDs":["lvl1"]}"#,
        )
        .await;
    assert_err(
        &r,
        1002,
        "NoPermissionError",
        "user lvl2 is not admin userID: 1002 NoPermissionError",
    );
}

#[tokio::test]
async fn register_has_no_nickname_or_charset_rule() {
    let emu = Emu::start(V34).await;
    emu.register(json!([
        {"userID": "a-b c@d.e/f"},
        {"userID": "张三", "nickname": ""},
        {"userID": "x!#$%^&*()"},
    ]))
    .await;
    let st = emu
        .account_status(&["a-b c@d.e/f", "张三", "x!#$%^&*()"])
        .await;
    for s in st.as_array().unwrap() {
        assert_eq!(s["accountStatus"], json!("registered"), "{st}");
    }
}

#[tokio::test]
async fn register_row2_users_empty() {
    let emu = Emu::start(V34).await;
    for body in [
        r#"{"secret":"openIM123"}"#,
        r#"{"secret":"openIM123","users":null}"#,
        r#"{"secret":"openIM123","users":[]}"#,
        // Rule 2 before rule 3.
        r#"{"secret":"wrong","users":[]}"#,
        r#"{"users":null}"#,
        "{}",
    ] {
        let r = register_raw(&emu, body).await;
        assert_err(&r, 1001, "ArgsError", "Users is empty: 1001 ArgsError");
    }
}

#[tokio::test]
async fn register_row3_wrong_secret() {
    let emu = Emu::start(V34).await;
    for body in [
        r#"{"secret":"nope","users":[{"userID":"s1"}]}"#,
        r#"{"users":[{"userID":"s1"}]}"#,
        r#"{"secret":"","users":[{"userID":"s1"}]}"#,
        // Rule 3 before rules 4-7.
        r#"{"secret":"nope","users":[{"userID":"d"},{"userID":"d"}]}"#,
        r#"{"secret":"nope","users":[{"userID":""}]}"#,
        r#"{"secret":"nope","users":[{"userID":"a:b"}]}"#,
        r#"{"secret":"nope","users":[{"userID":"openIMAdmin"}]}"#,
    ] {
        let r = register_raw(&emu, body).await;
        assert_err(
            &r,
            1002,
            "NoPermissionError",
            "secret invalid: 1002 NoPermissionError",
        );
    }
    assert_eq!(
        emu.account_status(&["s1"]).await[0]["accountStatus"],
        json!("unregistered")
    );
}

#[tokio::test]
async fn register_row4_duplicates_in_the_batch() {
    let emu = Emu::start(V34).await;
    for body in [
        r#"{"secret":"openIM123","users":[{"userID":"d1"},{"userID":"d2"},{"userID":"d1"}]}"#,
        // Two empty IDs are duplicates too, and rule 4 comes before rules 5 and 6.
        r#"{"secret":"openIM123","users":[{"userID":""},{"userID":""}]}"#,
        r#"{"secret":"openIM123","users":[{"userID":"a:b"},{"userID":""},{"userID":"x"},{"userID":"x"}]}"#,
        // Before the existence check.
        r#"{"secret":"openIM123","users":[{"userID":"openIMAdmin"},{"userID":"openIMAdmin"}]}"#,
    ] {
        let r = register_raw(&emu, body).await;
        assert_err(&r, 1001, "ArgsError", "userID repeated: 1001 ArgsError");
    }
    assert_eq!(
        emu.account_status(&["d1", "d2"]).await,
        json!([
            {"userID": "d1", "accountStatus": "unregistered"},
            {"userID": "d2", "accountStatus": "unregistered"},
        ])
    );
}

#[tokio::test]
async fn register_row5_empty_user_id() {
    let emu = Emu::start(V34).await;
    for body in [
        r#"{"secret":"openIM123","users":[{"userID":""}]}"#,
        r#"{"secret":"openIM123","users":[{"nickname":"no id"}]}"#,
        // Rule 5 before rule 6.
        r#"{"secret":"openIM123","users":[{"userID":"a:b"},{"userID":"","nickname":"n"}]}"#,
        r#"{"secret":"openIM123","users":[{"userID":"e1"},{"userID":""}]}"#,
    ] {
        let r = register_raw(&emu, body).await;
        assert_err(&r, 1001, "ArgsError", "userID is empty: 1001 ArgsError");
    }
    assert_eq!(
        emu.account_status(&["e1"]).await[0]["accountStatus"],
        json!("unregistered")
    );
}

#[tokio::test]
async fn register_row6_colon_in_user_id() {
    let emu = Emu::start(V34).await;
    for id in ["a:b", ":", "ok:", ":ok"] {
        let body =
            json!({"secret": SECRET, "users": [{"userID": "c1"}, {"userID": id}]}).to_string();
        let r = register_raw(&emu, &body).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "userID contains ':' is invalid userID: 1001 ArgsError",
        );
    }
    assert_eq!(
        emu.account_status(&["c1"]).await[0]["accountStatus"],
        json!("unregistered")
    );
}

#[tokio::test]
async fn register_row7_existing_user_and_all_or_nothing() {
    let emu = Emu::seeded(V34, 2).await;
    for (id, _) in V34_ADMINS {
        let body = json!({"secret": SECRET, "users": [{"userID": id}]}).to_string();
        let r = register_raw(&emu, &body).await;
        assert_err(
            &r,
            1102,
            "RegisteredAlreadyError",
            "userID registered already: 1102 RegisteredAlreadyError",
        );
    }
    emu.register_ids(&["first"]).await;
    let body = json!({"secret": SECRET, "users": [
        {"userID": "new1"}, {"userID": "user000002"}, {"userID": "new2"}
    ]})
    .to_string();
    let r = register_raw(&emu, &body).await;
    assert_err(
        &r,
        1102,
        "RegisteredAlreadyError",
        "userID registered already: 1102 RegisteredAlreadyError",
    );
    let body =
        json!({"secret": SECRET, "users": [{"userID": "new3"}, {"userID": "first"}]}).to_string();
    let r = register_raw(&emu, &body).await;
    assert_err(
        &r,
        1102,
        "RegisteredAlreadyError",
        "userID registered already: 1102 RegisteredAlreadyError",
    );
    assert_eq!(
        emu.account_status(&["new1", "new2", "new3"]).await,
        json!([
            {"userID": "new1", "accountStatus": "unregistered"},
            {"userID": "new2", "accountStatus": "unregistered"},
            {"userID": "new3", "accountStatus": "unregistered"},
        ])
    );
    let total = emu
        .get_users(json!({"pagination": {"pageNumber": 1, "showNumber": 0}}))
        .await;
    assert_eq!(total["total"], json!(6));
}

#[tokio::test]
async fn register_user_id_uniqueness_is_case_insensitive() {
    let emu = Emu::start(V34).await;
    emu.register_ids(&["Alice"]).await;
    for id in ["alice", "ALICE", "aLiCe"] {
        let body = json!({"secret": SECRET, "users": [{"userID": id}]}).to_string();
        let r = register_raw(&emu, &body).await;
        assert_err(
            &r,
            1102,
            "RegisteredAlreadyError",
            "userID registered already: 1102 RegisteredAlreadyError",
        );
    }
    let body = json!({"secret": SECRET, "users": [{"userID": "OPENIMADMIN"}]}).to_string();
    let r = register_raw(&emu, &body).await;
    assert_err(
        &r,
        1102,
        "RegisteredAlreadyError",
        "userID registered already: 1102 RegisteredAlreadyError",
    );
}

#[tokio::test]
async fn register_case_variants_in_one_batch_fail_at_insert() {
    // Not duplicates for the exact-string check, not existing yet; the transactional insert hits
    // the case-insensitive primary key: a DB error, so nothing of the batch is stored.
    let emu = Emu::start(V34).await;
    let body = json!({"secret": SECRET, "users": [
        {"userID": "okay_first"}, {"userID": "Bob"}, {"userID": "bob"}
    ]})
    .to_string();
    let r = register_raw(&emu, &body).await;
    // Spec silent on errDlt here (DB error text).
    assert_err_code(&r, 500, "ServerInternalError");
    assert_eq!(
        emu.account_status(&["okay_first", "Bob", "bob"]).await,
        json!([
            {"userID": "okay_first", "accountStatus": "unregistered"},
            {"userID": "Bob", "accountStatus": "unregistered"},
            {"userID": "bob", "accountStatus": "unregistered"},
        ])
    );
}

#[tokio::test]
async fn register_row8_mysql_column_limits() {
    let emu = Emu::start(V34).await;
    let at_limit = json!([
        {"userID": "i".repeat(64)},
        {"userID": "nick_at_limit", "nickname": "n".repeat(255)},
        {"userID": "face_at_limit", "faceURL": "f".repeat(255)},
        {"userID": "ex_at_limit", "ex": "e".repeat(1024)},
        // Limits count characters, not bytes (utf8mb4).
        {"userID": "é".repeat(64), "nickname": "张".repeat(255), "faceURL": "ü".repeat(255), "ex": "ß".repeat(1024)},
    ]);
    emu.register(at_limit).await;
    let u = emu.user_info("nick_at_limit").await;
    assert_eq!(u["nickname"].as_str().unwrap().len(), 255);
    let u = emu.user_info(&"é".repeat(64)).await;
    assert_eq!(u["ex"].as_str().unwrap().chars().count(), 1024);

    let over = [
        json!({"userID": "i".repeat(65)}),
        json!({"userID": "é".repeat(65)}),
        json!({"userID": "nick_over", "nickname": "n".repeat(256)}),
        json!({"userID": "nick_over_mb", "nickname": "张".repeat(256)}),
        json!({"userID": "face_over", "faceURL": "f".repeat(256)}),
        json!({"userID": "ex_over", "ex": "e".repeat(1025)}),
    ];
    for user in over {
        let body = json!({"secret": SECRET, "users": [{"userID": "batch_mate"}, user]}).to_string();
        let r = register_raw(&emu, &body).await;
        // Spec silent on errDlt here (DB error text).
        assert_err_code(&r, 500, "ServerInternalError");
    }
    // The insert is transactional: the valid row of each failed batch is not stored.
    let st = emu
        .account_status(&["batch_mate", "nick_over", "face_over", "ex_over"])
        .await;
    for s in st.as_array().unwrap() {
        assert_eq!(s["accountStatus"], json!("unregistered"), "{st}");
    }
}

// ---------------------------------------------------------------------------------------------
// §3.3 /user/account_check
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn account_check_success_in_request_order() {
    let emu = Emu::seeded(V34, 2).await;
    emu.register_ids(&["alice"]).await;
    let admin = emu.admin_token().await;
    let r = emu
        .call(
            "/user/account_check",
            Some(&admin),
            r#"{"checkUserIDs":["nope","alice","openIMAdmin","user000002","zzz","user000001"]}"#,
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"errCode":0,"errMsg":"","errDlt":"","data":{"results":[
            {"userID":"nope","accountStatus":"unregistered"},
            {"userID":"alice","accountStatus":"registered"},
            {"userID":"openIMAdmin","accountStatus":"registered"},
            {"userID":"user000002","accountStatus":"registered"},
            {"userID":"zzz","accountStatus":"unregistered"},
            {"userID":"user000001","accountStatus":"registered"},
        ]}})
    );
}

#[tokio::test]
async fn account_check_case_variant_is_unregistered() {
    let emu = Emu::start(V34).await;
    emu.register_ids(&["CaseAlice"]).await;
    assert_eq!(
        emu.account_status(&["casealice", "CaseAlice", "CASEALICE"])
            .await,
        json!([
            {"userID": "casealice", "accountStatus": "unregistered"},
            {"userID": "CaseAlice", "accountStatus": "registered"},
            {"userID": "CASEALICE", "accountStatus": "unregistered"},
        ])
    );
}

#[tokio::test]
async fn account_check_works_for_every_admin_and_platform() {
    let emu = Emu::start(V34).await;
    for (admin, _) in V34_ADMINS {
        for platform in [1, 5, 10] {
            let t = emu.v34_token(admin, platform).await;
            let r = emu
                .call(
                    "/user/account_check",
                    Some(&t),
                    r#"{"checkUserIDs":["openIM654321"]}"#,
                )
                .await;
            assert_eq!(
                r.data(),
                json!({"results":[{"userID":"openIM654321","accountStatus":"registered"}]})
            );
        }
    }
}

#[tokio::test]
async fn account_check_row2_empty_list() {
    let emu = Emu::seeded(V34, 1).await;
    let admin = emu.admin_token().await;
    let user = emu.v34_token("user000001", 1).await;
    for token in [&admin, &user] {
        for body in [
            r#"{}"#,
            r#"{"checkUserIDs":null}"#,
            r#"{"checkUserIDs":[]}"#,
        ] {
            let r = emu.call("/user/account_check", Some(token), body).await;
            assert_err(
                &r,
                1001,
                "ArgsError",
                "CheckUserIDs is empty: 1001 ArgsError",
            );
        }
    }
}

#[tokio::test]
async fn account_check_row3_duplicates_before_the_admin_check() {
    let emu = Emu::seeded(V34, 1).await;
    let admin = emu.admin_token().await;
    let user = emu.v34_token("user000001", 1).await;
    for token in [&admin, &user] {
        let r = emu
            .call(
                "/user/account_check",
                Some(token),
                r#"{"checkUserIDs":["a","b","a"]}"#,
            )
            .await;
        assert_err(&r, 1001, "ArgsError", "userID repeated: 1001 ArgsError");
    }
}

#[tokio::test]
async fn account_check_row4_not_admin() {
    let emu = Emu::seeded(V34, 1).await;
    let user = emu.v34_token("user000001", 1).await;
    let r = emu
        .call(
            "/user/account_check",
            Some(&user),
            r#"{"checkUserIDs":["openIMAdmin"]}"#,
        )
        .await;
    assert_err(
        &r,
        1002,
        "NoPermissionError",
        "user user000001 is not admin userID: 1002 NoPermissionError",
    );
}

#[tokio::test]
async fn account_check_row1_token_problems() {
    let emu = Emu::start(V34).await;
    let body = r#"{"checkUserIDs":["openIMAdmin"]}"#;
    let r = emu.call("/user/account_check", None, body).await;
    assert_err(
        &r,
        1001,
        "ArgsError",
        "header must have token: 1001 ArgsError",
    );
    let r = emu.call("/user/account_check", Some("x.y.z"), body).await;
    assert_err_code(&r, 1505, "TokenUnknownError");
    let forged = forge(
        "HS256",
        SECRET,
        &claims(
            V34_ADMIN,
            10,
            now_secs() + 1000,
            Some(now_secs() - 400),
            now_secs() - 100,
        ),
    );
    let r = emu.call("/user/account_check", Some(&forged), body).await;
    assert_err_code(&r, 1507, "TokenNotExistError");
}

// ---------------------------------------------------------------------------------------------
// §3.4 /user/get_users
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_users_lists_the_seeded_admins() {
    let before = now_ms();
    let emu = Emu::start(V34).await;
    let after = now_ms();
    let admin = emu.admin_token().await;
    let r = emu.call("/user/get_users", Some(&admin), PAGE_ALL).await;
    let data = r.data();
    assert_eq!(data.as_object().unwrap().len(), 2, "{data}");
    assert_eq!(data["total"], json!(3));
    let users = data["users"].as_array().unwrap();
    assert_eq!(users.len(), 3);
    for (u, (id, nick)) in users.iter().zip(V34_ADMINS) {
        assert_user(u, id, nick, 2, (before - 1000, after + 1000));
        assert_eq!(u["faceURL"], json!(""));
        assert_eq!(u["ex"], json!(""));
        assert_eq!(u["globalRecvMsgOpt"], json!(0));
    }
}

#[tokio::test]
async fn get_users_pagination_is_one_based_and_counts_admins() {
    let before = now_ms();
    let emu = Emu::seeded(V34, 25).await;
    let after = now_ms();
    let all: Vec<String> = ["openIM123456", "openIM654321", "openIMAdmin"]
        .iter()
        .map(|s| s.to_string())
        .chain((1..=25).map(|i| format!("user{i:06}")))
        .collect();

    let page = |n: i64, s: i64| json!({"pagination": {"pageNumber": n, "showNumber": s}});
    let d = emu.get_users(page(1, 10)).await;
    assert_eq!(d["total"], json!(28));
    assert_eq!(ids_of(&d["users"]), all[0..10].to_vec());
    let d = emu.get_users(page(2, 10)).await;
    assert_eq!(d["total"], json!(28));
    assert_eq!(ids_of(&d["users"]), all[10..20].to_vec());
    let d = emu.get_users(page(3, 10)).await;
    assert_eq!(ids_of(&d["users"]), all[20..28].to_vec());
    // Past the end: users null, total still the count.
    for (n, s) in [(4, 10), (2, 28), (29, 1), (1000, 1000)] {
        let d = emu.get_users(page(n, s)).await;
        assert_eq!(d, json!({"total": 28, "users": null}), "page {n} size {s}");
    }
    // showNumber 0 is LIMIT 0.
    let d = emu.get_users(page(1, 0)).await;
    assert_eq!(d, json!({"total": 28, "users": null}));
    let d = emu
        .get_users(json!({"pagination": {"pageNumber": 1}}))
        .await;
    assert_eq!(d, json!({"total": 28, "users": null}));
    // A negative showNumber emits no LIMIT: every row.
    let d = emu.get_users(page(1, -1)).await;
    assert_eq!(d["total"], json!(28));
    assert_eq!(ids_of(&d["users"]), all);
    // No maximum.
    let d = emu.get_users(page(1, 100_000)).await;
    assert_eq!(ids_of(&d["users"]), all);

    let d = emu.get_users(page(1, 5)).await;
    let users = d["users"].as_array().unwrap();
    let u = &users[3];
    assert_user(u, "user000001", "User 1", 1, (before - 1000, after + 1000));
    assert_eq!(u["faceURL"], json!(""));
    assert_eq!(u["ex"], json!(""));
    assert_eq!(u["globalRecvMsgOpt"], json!(0));
    assert_user(
        &users[4],
        "user000002",
        "User 2",
        1,
        (before - 1000, after + 1000),
    );
}

#[tokio::test]
async fn get_users_rows_come_in_case_insensitive_user_id_order() {
    let emu = Emu::start(V34).await;
    emu.register_ids(&["Zeta", "alpha", "Mid"]).await;
    emu.register_ids(&["beta"]).await;
    let d = emu.get_users(serde_json::from_str(PAGE_ALL).unwrap()).await;
    assert_eq!(d["total"], json!(7));
    assert_eq!(
        ids_of(&d["users"]),
        [
            "alpha",
            "beta",
            "Mid",
            "openIM123456",
            "openIM654321",
            "openIMAdmin",
            "Zeta"
        ]
    );
}

#[tokio::test]
async fn get_users_has_no_filters_in_v34() {
    let emu = Emu::seeded(V34, 5).await;
    let d = emu
        .get_users(json!({
            "pagination": {"pageNumber": 1, "showNumber": 100},
            "userID": "user000001",
            "nickName": "User 1"
        }))
        .await;
    assert_eq!(d["total"], json!(8));
    assert_eq!(d["users"].as_array().unwrap().len(), 8);
}

#[tokio::test]
async fn get_users_accepts_any_user_token() {
    let emu = Emu::seeded(V34, 2).await;
    let t = emu.v34_token("user000002", 1).await;
    let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(5));
}

#[tokio::test]
async fn get_users_row2_pagination_missing() {
    let emu = Emu::start(V34).await;
    let admin = emu.admin_token().await;
    for body in ["{}", r#"{"pagination":null}"#, r#"{"userID":"x"}"#, "null"] {
        let r = emu.call("/user/get_users", Some(&admin), body).await;
        assert_err(&r, 1001, "ArgsError", "pagination is empty: 1001 ArgsError");
    }
}

#[tokio::test]
async fn get_users_row3_page_number_below_one() {
    let emu = Emu::start(V34).await;
    let admin = emu.admin_token().await;
    for body in [
        r#"{"pagination":{"pageNumber":0,"showNumber":10}}"#,
        r#"{"pagination":{"showNumber":10}}"#,
        r#"{"pagination":{}}"#,
        r#"{"pagination":{"pageNumber":-3,"showNumber":10}}"#,
    ] {
        let r = emu.call("/user/get_users", Some(&admin), body).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "pageNumber is invalid: 1001 ArgsError",
        );
    }
}

#[tokio::test]
async fn get_users_row1_token_problems() {
    let emu = Emu::start(V34).await;
    let r = emu.call("/user/get_users", None, PAGE_ALL).await;
    assert_err(
        &r,
        1001,
        "ArgsError",
        "header must have token: 1001 ArgsError",
    );
    let r = emu.call("/user/get_users", Some("abc"), PAGE_ALL).await;
    assert_err_code(&r, 1505, "TokenUnknownError");
}

#[tokio::test]
async fn register_then_list_create_time_is_milliseconds() {
    let emu = Emu::start(V34).await;
    let before = now_ms();
    emu.register(json!([{"userID": "ms_user", "nickname": "Ms", "createTime": 5}]))
        .await;
    let after = now_ms();
    let d = emu.get_users(serde_json::from_str(PAGE_ALL).unwrap()).await;
    let u = d["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["userID"] == json!("ms_user"))
        .cloned()
        .expect("listed");
    assert_user(&u, "ms_user", "Ms", 1, (before - 1000, after + 1000));
}

// ---------------------------------------------------------------------------------------------
// §3.5 other routes: parse_token, force_logout, get_users_info
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn parse_token_answers_user_platform_name_and_absolute_expiry() {
    let emu = Emu::seeded(V34, 1).await;
    for (platform, name) in [(1, "IOS"), (4, "OSX"), (5, "Web"), (10, "Admin")] {
        let t = emu.v34_token("user000001", platform).await;
        let exp = decode_jwt(&t).payload["exp"].as_i64().unwrap();
        let r = emu
            .call(
                "/auth/parse_token",
                None,
                &json!({ "token": t }).to_string(),
            )
            .await;
        assert_eq!(
            r.data(),
            json!({"userID": "user000001", "platform": name, "expireTimeSeconds": exp})
        );
    }
}

#[tokio::test]
async fn parse_token_empty_token() {
    let emu = Emu::start(V34).await;
    for body in [r#"{"token":""}"#, "{}"] {
        let r = emu.call("/auth/parse_token", None, body).await;
        assert_err(&r, 1001, "ArgsError", "userID is empty: 1001 ArgsError");
    }
}

#[tokio::test]
async fn parse_token_not_valid_yet() {
    let emu = Emu::start(V34).await;
    let now = now_secs();
    let t = forge(
        "HS256",
        SECRET,
        &claims(V34_ADMIN, 10, now + 10_000, Some(now + 3_600), now),
    );
    let r = emu
        .call(
            "/auth/parse_token",
            None,
            &json!({ "token": t }).to_string(),
        )
        .await;
    // Spec silent on errDlt here.
    assert_err_code(&r, 1504, "TokenNotValidYetError");
}

#[tokio::test]
async fn force_logout_success_keeps_tokens_valid() {
    let emu = Emu::seeded(V34, 1).await;
    let admin = emu.admin_token().await;
    let user = emu.v34_token("user000001", 1).await;
    let r = emu
        .call(
            "/auth/force_logout",
            Some(&admin),
            r#"{"platformID":1,"userID":"user000001"}"#,
        )
        .await;
    assert_ok_empty(&r);
    // v3.4 only kicks the websocket connection.
    let r = emu.call("/user/get_users", Some(&user), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(4));
}

#[tokio::test]
async fn force_logout_platform_out_of_range() {
    let emu = Emu::seeded(V34, 1).await;
    let admin = emu.admin_token().await;
    for platform in [0, 11, -1] {
        let body = json!({"platformID": platform, "userID": "user000001"}).to_string();
        let r = emu.call("/auth/force_logout", Some(&admin), &body).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            "platformID is invalidate: 1001 ArgsError",
        );
    }
    let r = emu
        .call(
            "/auth/force_logout",
            Some(&admin),
            r#"{"userID":"user000001"}"#,
        )
        .await;
    assert_err(
        &r,
        1001,
        "ArgsError",
        "platformID is invalidate: 1001 ArgsError",
    );
}

#[tokio::test]
async fn force_logout_needs_an_admin() {
    let emu = Emu::seeded(V34, 2).await;
    let user = emu.v34_token("user000001", 1).await;
    let r = emu
        .call(
            "/auth/force_logout",
            Some(&user),
            r#"{"platformID":1,"userID":"user000002"}"#,
        )
        .await;
    // Spec silent on errDlt here.
    assert_err_code(&r, 1002, "NoPermissionError");
    let r = emu
        .call(
            "/auth/force_logout",
            None,
            r#"{"platformID":1,"userID":"user000002"}"#,
        )
        .await;
    assert_err(
        &r,
        1001,
        "ArgsError",
        "header must have token: 1001 ArgsError",
    );
}

#[tokio::test]
async fn get_users_info_answers_full_user_infos() {
    let before = now_ms();
    let emu = Emu::seeded(V34, 2).await;
    let after = now_ms();
    let user = emu.v34_token("user000002", 3).await;
    let r = emu
        .call(
            "/user/get_users_info",
            Some(&user),
            r#"{"userIDs":["user000001","openIMAdmin"]}"#,
        )
        .await;
    let data = r.data();
    assert_eq!(data.as_object().unwrap().len(), 1, "{data}");
    let mut list = data["usersInfo"].as_array().unwrap().clone();
    list.sort_by_key(|u| u["userID"].as_str().unwrap().to_string());
    assert_eq!(list.len(), 2);
    assert_user(
        &list[0],
        "openIMAdmin",
        "system3",
        2,
        (before - 1000, after + 1000),
    );
    assert_user(
        &list[1],
        "user000001",
        "User 1",
        1,
        (before - 1000, after + 1000),
    );
}

#[tokio::test]
async fn get_users_info_unknown_id_is_record_not_found() {
    let emu = Emu::seeded(V34, 1).await;
    let admin = emu.admin_token().await;
    let r = emu
        .call(
            "/user/get_users_info",
            Some(&admin),
            r#"{"userIDs":["user000001","ghost"]}"#,
        )
        .await;
    assert_err_code(&r, 1004, "RecordNotFoundError");
    let dlt = r.json()["errDlt"].as_str().unwrap().to_string();
    assert!(dlt.contains("userID not found"), "errDlt {dlt:?}");
}

// ---------------------------------------------------------------------------------------------
// §2.2 token store, §8.6
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn older_tokens_stay_valid() {
    let emu = Emu::seeded(V34, 1).await;
    let first = emu.v34_token("user000001", 1).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = emu.v34_token("user000001", 1).await;
    assert_ne!(first, second, "issued in different seconds");
    let other_platform = emu.v34_token("user000001", 2).await;
    for t in [&first, &second, &other_platform] {
        let r = emu.call("/user/get_users", Some(t), PAGE_ALL).await;
        assert_eq!(r.data()["total"], json!(4));
    }
    // Admin tokens are stored like any other and also stay valid.
    let a1 = emu.admin_token().await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let a2 = emu.admin_token().await;
    for t in [&a1, &a2] {
        let r = emu
            .call("/user/account_check", Some(t), r#"{"checkUserIDs":["x"]}"#)
            .await;
        assert_eq!(
            r.data(),
            json!({"results":[{"userID":"x","accountStatus":"unregistered"}]})
        );
    }
}

#[tokio::test]
async fn every_jwt_failure_is_1505() {
    let emu = Emu::start(V34).await;
    let now = now_secs();
    let good = emu.admin_token().await;
    let cases = vec![
        (
            "other secret",
            forge(
                "HS256",
                "not-the-secret",
                &claims(V34_ADMIN, 10, now + 1000, Some(now - 300), now),
            ),
        ),
        ("garbage", "abc".to_string()),
        ("three junk segments", "a.b.c".to_string()),
        ("bearer prefix", format!("Bearer {good}")),
        ("truncated", good[..good.len() - 3].to_string()),
        (
            "expired",
            forge(
                "HS256",
                SECRET,
                &claims(V34_ADMIN, 10, now - 3600, Some(now - 7200), now - 7000),
            ),
        ),
        (
            "not valid yet",
            forge(
                "HS256",
                SECRET,
                &claims(V34_ADMIN, 10, now + 10_000, Some(now + 3600), now),
            ),
        ),
        (
            "alg none",
            forge_none(&claims(V34_ADMIN, 10, now + 1000, Some(now - 300), now)),
        ),
    ];
    for (what, token) in cases {
        let r = emu.call("/user/get_users", Some(&token), PAGE_ALL).await;
        // Spec silent on errDlt here.
        assert_err_code(&r, 1505, "TokenUnknownError");
        assert!(r.status == 200, "{what}");
    }
}

#[tokio::test]
async fn never_issued_tokens_are_1507() {
    let emu = Emu::seeded(V34, 2).await;
    let now = now_secs();
    // A user without any token.
    let t = forge(
        "HS256",
        SECRET,
        &claims("user000002", 1, now + 1000, Some(now - 400), now - 100),
    );
    let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
    // Spec silent on errDlt here.
    assert_err_code(&r, 1507, "TokenNotExistError");
    // A user that has tokens on this platform, but not this one.
    let _real = emu.v34_token("user000001", 1).await;
    let t = forge(
        "HS256",
        SECRET,
        &claims("user000001", 1, now + 1000, Some(now - 400), now - 100),
    );
    let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
    assert_err_code(&r, 1507, "TokenNotExistError");
    // The algorithm is not pinned: HS512/HS384 with the secret parse, then miss the store.
    for alg in ["HS384", "HS512"] {
        let t = forge(
            alg,
            SECRET,
            &claims(V34_ADMIN, 10, now + 1000, Some(now - 400), now - 100),
        );
        let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
        assert_err_code(&r, 1507, "TokenNotExistError");
    }
}

#[tokio::test]
async fn seeded_user_ids_and_nicknames() {
    let emu = Emu::seeded(V34, 12).await;
    let d = emu
        .get_users(json!({"pagination": {"pageNumber": 1, "showNumber": 100}}))
        .await;
    assert_eq!(d["total"], json!(15));
    let users = d["users"].as_array().unwrap();
    for (i, u) in users[3..].iter().enumerate() {
        let n = i + 1;
        assert_eq!(u["userID"], json!(format!("user{n:06}")));
        assert_eq!(u["nickname"], json!(format!("User {n}")));
        assert_eq!(u["appMangerLevel"], json!(1));
    }
}

#[tokio::test]
async fn success_envelopes_are_plain_json_values() {
    let emu = Emu::seeded(V34, 1).await;
    let admin = emu.admin_token().await;
    let r = emu
        .call(
            "/user/get_users",
            Some(&admin),
            r#"{"pagination":{"pageNumber":9,"showNumber":9}}"#,
        )
        .await;
    assert_eq!(
        r.json(),
        json!({"errCode":0,"errMsg":"","errDlt":"","data":{"total":4,"users":null}})
    );
    let v: Value = r.json();
    assert!(v["data"]["total"].is_i64());
}
