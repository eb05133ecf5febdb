//! Contract tests for the v3.8 generation, emulating v3.8.3 with the tools alpha.67 errDlt column
//! (shared/openim-api.md §1, §2, §4, §6, §8), over real HTTP.

mod common;

use std::collections::BTreeSet;
use std::time::Duration;

use common::*;
use openim_emulator::Config;
use openim_protocol::ApiVersion;
use reqwest::Method;
use serde_json::{json, Value};

const V38: ApiVersion = ApiVersion::V3_8;

const ROUTES: [&str; 9] = [
    "/auth/get_admin_token",
    "/auth/get_user_token",
    "/user/user_register",
    "/user/account_check",
    "/user/get_users",
    "/user/get_users_info",
    "/auth/parse_token",
    "/auth/force_logout",
    "/user/update_user_info_ex",
];

/// Everything but the whitelist `/auth/get_admin_token`, `/auth/parse_token` (§4).
const TOKEN_ROUTES: [&str; 7] = [
    "/auth/get_user_token",
    "/user/user_register",
    "/user/account_check",
    "/user/get_users",
    "/user/get_users_info",
    "/auth/force_logout",
    "/user/update_user_info_ex",
];

/// What an API-process error looks like in v3.8.3: errDlt is empty (§1.5).
const API_ARGS_ERROR: &str = r#"{"errCode":1001,"errMsg":"ArgsError","errDlt":""}"#;

const PAGE_ALL: &str = r#"{"pagination":{"pageNumber":1,"showNumber":1000}}"#;

fn assert_api_args_error(r: &Reply) {
    assert_eq!(r.body, API_ARGS_ERROR, "status {}", r.status);
    assert_eq!(r.status, 200);
    assert_cors(r);
    assert_eq!(r.header("content-type"), Some("application/json"));
}

/// v3.8 bad JSON: HTTP 200, errCode 1001, errDlt "", errMsg not deterministic (§1.3).
fn assert_bad_json(r: &Reply) {
    assert_code_only(r, 200, 1001);
    assert_eq!(r.json()["errDlt"], json!(""), "errDlt of {}", r.body);
    assert_eq!(r.json().as_object().unwrap().len(), 3, "{}", r.body);
}

fn jwt_error(code: i64, msg: &str, token: &str) -> String {
    err_body(code, msg, &format!("jwt parse error, token={token}"))
}

fn assert_v38_token(token: &str, user_id: &str, platform_id: i64, before: i64, after: i64) {
    let jwt = decode_jwt(token);
    assert_eq!(jwt.header_raw, r#"{"alg":"HS256","typ":"JWT"}"#);
    let iat = jwt.payload["iat"].as_i64().expect("iat");
    let exp = jwt.payload["exp"].as_i64().expect("exp");
    // iat = now - 5 s, exp = now + 90 days, no nbf (§2.1).
    assert!(
        iat >= before - 5 - 1 && iat <= after - 5 + 1,
        "iat {iat} is not now-5 ({before}..{after})"
    );
    assert!(
        exp >= before + EXPIRE_SECONDS - 1 && exp <= after + EXPIRE_SECONDS + 1,
        "exp {exp} is not now+90d ({before}..{after})"
    );
    assert!((EXPIRE_SECONDS + 4..=EXPIRE_SECONDS + 6).contains(&(exp - iat)));
    assert_eq!(
        jwt.payload_raw,
        claims(user_id, platform_id, exp, None, iat)
    );
    assert!(
        signed_hs256_with(token, SECRET),
        "HS256 with the secret: {token}"
    );
}

async fn admin_call(emu: &Emu, path: &str, body: &str) -> Reply {
    let admin = emu.admin_token().await;
    emu.call(path, Some(&admin), body).await
}

fn sorted(ids: Vec<String>) -> Vec<String> {
    let mut ids = ids;
    ids.sort();
    ids
}

// ---------------------------------------------------------------------------------------------
// §1: transport, envelope, middleware
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn missing_operation_id_on_every_post() {
    let emu = Emu::start(V38).await;
    let admin = emu.admin_token().await;
    let mut paths = ROUTES.to_vec();
    paths.extend(["/no/such/route", "/auth/user_token"]);
    for path in paths {
        let r = emu.post(path, &[], "{}").await;
        assert_api_args_error(&r);
        let r = emu.post(path, &[("token", &admin)], PAGE_ALL).await;
        assert_api_args_error(&r);
        let r = emu.post(path, &[("operationID", "")], PAGE_ALL).await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn missing_token_everywhere_but_the_whitelist() {
    let emu = Emu::start(V38).await;
    let mut paths = TOKEN_ROUTES.to_vec();
    // The global middleware also runs for unknown paths, v3.4's token route included.
    paths.extend(["/no/such/route", "/auth/user_token", "/user/nope"]);
    for path in paths {
        let r = emu.call(path, None, "{}").await;
        assert_api_args_error(&r);
        let r = emu
            .post(path, &[("operationID", "op"), ("token", "")], "{}")
            .await;
        assert_api_args_error(&r);
        // The token is checked before the body.
        let r = emu.call(path, None, "{").await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn whitelist_is_a_path_prefix() {
    let emu = Emu::start(V38).await;
    for path in [
        "/auth/parse_token_x",
        "/auth/parse_token/more",
        "/auth/get_admin_tokens",
        "/auth/get_admin_token/x",
    ] {
        let r = emu.call(path, None, "{}").await;
        assert_404(&r);
    }
}

#[tokio::test]
async fn unknown_paths_with_a_valid_token_are_404() {
    let emu = Emu::start(V38).await;
    let admin = emu.admin_token().await;
    for path in ["/nope", "/auth/user_token", "/user/nope", "/"] {
        let r = emu.call(path, Some(&admin), "{}").await;
        assert_404(&r);
        // An invalid token is reported before the 404.
        let r = emu.call(path, Some("abc"), "{}").await;
        assert_eq!(r.body, jwt_error(1503, "TokenMalformedError", "abc"));
        assert_eq!(r.status, 200);
        assert_cors(&r);
    }
}

#[tokio::test]
async fn non_post_methods_are_404_without_any_header() {
    let emu = Emu::start(V38).await;
    let mut paths = ROUTES.to_vec();
    paths.push("/no/such/route");
    for path in paths {
        for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
            let r = emu.request(method, path, &[], "").await;
            assert_404(&r);
        }
    }
}

#[tokio::test]
async fn options_is_answered_everywhere() {
    let emu = Emu::start(V38).await;
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
                    ("access-control-request-headers", "operationid,token"),
                ],
                "",
            )
            .await;
        assert_options(&r);
    }
}

#[tokio::test]
async fn bad_json_is_http_200_args_error() {
    let emu = Emu::start(V38).await;
    let admin = emu.admin_token().await;
    for path in ROUTES {
        for body in ["", "{", "nope", "[1]", "\"s\"", r#"{"a":}"#] {
            let r = emu.call(path, Some(&admin), body).await;
            assert_bad_json(&r);
        }
    }
    for (path, body) in [
        (
            "/auth/get_admin_token",
            r#"{"secret":"openIM123","userID":7}"#,
        ),
        ("/auth/get_user_token", r#"{"platformID":"1","userID":"x"}"#),
        ("/user/user_register", r#"{"users":{"userID":"x"}}"#),
        ("/user/account_check", r#"{"checkUserIDs":"x"}"#),
        ("/user/get_users", r#"{"pagination":{"pageNumber":true}}"#),
    ] {
        let r = emu.call(path, Some(&admin), body).await;
        assert_bad_json(&r);
    }
}

#[tokio::test]
async fn keys_match_case_insensitively_and_unknown_keys_are_ignored() {
    let emu = Emu::start(V38).await;
    let r = emu
        .call(
            "/auth/get_admin_token",
            None,
            r#"{"SECRET":"openIM123","UserId":"imAdmin","platformID":3,"x":null}"#,
        )
        .await;
    let token = token_of(&r);
    // There is no platformID in this request: admin tokens are always platform 10.
    assert_eq!(decode_jwt(&token).payload["PlatformID"], json!(10));
    let r = emu
        .call(
            "/user/user_register",
            Some(&token),
            r#"{"Users":[{"UserID":"kc","NICKNAME":"Key Case"}],"secret":"ignored"}"#,
        )
        .await;
    assert_ok_empty(&r);
    assert_eq!(emu.user_info("kc").await["nickname"], json!("Key Case"));
}

#[tokio::test]
async fn cors_headers_on_success_and_error_answers() {
    let emu = Emu::start(V38).await;
    let r = emu
        .call(
            "/auth/get_admin_token",
            None,
            r#"{"secret":"openIM123","userID":"imAdmin"}"#,
        )
        .await;
    assert_eq!(r.status, 200);
    assert_cors(&r);
    assert_eq!(r.header("content-type"), Some("application/json"));
    let r = emu
        .call(
            "/auth/get_admin_token",
            None,
            r#"{"secret":"x","userID":"imAdmin"}"#,
        )
        .await;
    assert_err(&r, 1002, "NoPermissionError", "secret invalid");
}

#[tokio::test]
async fn gzip_only_when_asked() {
    let emu = Emu::start(V38).await;
    let body = br#"{"secret":"openIM123","userID":"imAdmin"}"#.to_vec();
    let raw = raw_client();
    // Without Accept-Encoding: plain JSON.
    let r = emu
        .request_bytes(
            &raw,
            Method::POST,
            "/auth/get_admin_token",
            &[("operationID", "op")],
            body.clone(),
        )
        .await;
    assert_eq!(r.headers.get("content-encoding"), None);
    let v: Value = serde_json::from_slice(&r.bytes).expect("plain JSON");
    assert_eq!(v["data"]["expireTimeSeconds"], json!(EXPIRE_SECONDS));
    // With it: gzip, on successes and on errors.
    let r = emu
        .request_bytes(
            &raw,
            Method::POST,
            "/auth/get_admin_token",
            &[("operationID", "op"), ("accept-encoding", "gzip")],
            body.clone(),
        )
        .await;
    assert_eq!(r.status, 200);
    assert_eq!(r.headers.get("content-encoding").unwrap(), "gzip");
    assert_eq!(&r.bytes[..2], &[0x1f, 0x8b], "gzip magic");
    assert_eq!(r.headers.get("access-control-allow-origin").unwrap(), "*");
    let r = emu
        .request_bytes(
            &raw,
            Method::POST,
            "/user/get_users",
            &[("operationID", "op"), ("accept-encoding", "gzip")],
            PAGE_ALL.as_bytes().to_vec(),
        )
        .await;
    assert_eq!(r.headers.get("content-encoding").unwrap(), "gzip");
    assert_eq!(&r.bytes[..2], &[0x1f, 0x8b], "gzip magic");
    // A gzip-capable client reads the same envelopes.
    let gz = gzip_client();
    let r = emu
        .request_with(
            &gz,
            Method::POST,
            "/auth/get_admin_token",
            &[("operationID", "op")],
            body,
        )
        .await;
    assert_eq!(r.data()["expireTimeSeconds"], json!(EXPIRE_SECONDS));
    let r = emu
        .request_with(
            &gz,
            Method::POST,
            "/user/get_users",
            &[("operationID", "op")],
            PAGE_ALL.into(),
        )
        .await;
    assert_eq!(r.body, API_ARGS_ERROR);
}

// ---------------------------------------------------------------------------------------------
// §4.1 /auth/get_admin_token
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_admin_token_success_shape() {
    let emu = Emu::start(V38).await;
    let before = now_secs();
    let r = emu
        .call(
            "/auth/get_admin_token",
            None,
            r#"{"secret":"openIM123","userID":"imAdmin"}"#,
        )
        .await;
    assert!(
        r.body
            .starts_with(r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"#),
        "{}",
        r.body
    );
    let data = r.data();
    assert_eq!(data.as_object().unwrap().len(), 2, "{data}");
    assert_eq!(data["expireTimeSeconds"], json!(7_776_000));
    assert_v38_token(
        data["token"].as_str().unwrap(),
        "imAdmin",
        10,
        before,
        now_secs(),
    );
}

#[tokio::test]
async fn get_admin_token_ignores_a_sent_token() {
    let emu = Emu::start(V38).await;
    let r = emu
        .call(
            "/auth/get_admin_token",
            Some("garbage"),
            r#"{"secret":"openIM123","userID":"imAdmin"}"#,
        )
        .await;
    assert_eq!(r.data()["expireTimeSeconds"], json!(EXPIRE_SECONDS));
}

#[tokio::test]
async fn get_admin_token_row1_user_id_empty() {
    let emu = Emu::start(V38).await;
    for body in [
        r#"{"secret":"openIM123","userID":""}"#,
        r#"{"secret":"openIM123"}"#,
        // API check before the secret check.
        r#"{"secret":"wrong","userID":""}"#,
        "{}",
    ] {
        let r = emu.call("/auth/get_admin_token", None, body).await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn get_admin_token_row2_wrong_secret() {
    let emu = Emu::start(V38).await;
    for body in [
        r#"{"secret":"openIM1234","userID":"imAdmin"}"#,
        r#"{"userID":"imAdmin"}"#,
        // Rule 2 before rule 3.
        r#"{"secret":"nope","userID":"bob"}"#,
    ] {
        let r = emu.call("/auth/get_admin_token", None, body).await;
        assert_err(&r, 1002, "NoPermissionError", "secret invalid");
    }
}

#[tokio::test]
async fn get_admin_token_row3_not_an_admin_id() {
    let emu = Emu::seeded(V38, 1).await;
    for user in ["bob", "user000001", "IMADMIN", "openIM123456"] {
        let body = json!({"secret": SECRET, "userID": user}).to_string();
        let r = emu.call("/auth/get_admin_token", None, &body).await;
        assert_err(
            &r,
            1001,
            "ArgsError",
            &format!("userID is error., userID={user}, adminUserID=[imAdmin]"),
        );
    }
}

// Row 4 (admin missing from the user store) is unreachable: imAdmin is always seeded.
#[tokio::test]
async fn get_admin_token_row4_unreachable_admin_is_seeded() {
    let before = now_ms();
    let emu = Emu::start(V38).await;
    let after = now_ms();
    let u = emu.user_info(V38_ADMIN).await;
    assert_user(&u, "imAdmin", "imAdmin", 3, (before - 1000, after + 1000));
    assert_eq!(
        emu.account_status(&["imAdmin"]).await[0]["accountStatus"],
        json!(1)
    );
}

#[tokio::test]
async fn configured_secret_and_expiry_are_used() {
    let emu = Emu::start_with(Config {
        secret: "s3cret".into(),
        token_expire_days: 2,
        ..config(V38)
    })
    .await;
    let r = emu
        .call(
            "/auth/get_admin_token",
            None,
            r#"{"secret":"openIM123","userID":"imAdmin"}"#,
        )
        .await;
    assert_err(&r, 1002, "NoPermissionError", "secret invalid");
    let r = emu
        .call(
            "/auth/get_admin_token",
            None,
            r#"{"secret":"s3cret","userID":"imAdmin"}"#,
        )
        .await;
    let data = r.data();
    assert_eq!(data["expireTimeSeconds"], json!(172_800));
    let token = data["token"].as_str().unwrap().to_string();
    assert!(signed_hs256_with(&token, "s3cret"));
    let p = decode_jwt(&token).payload;
    let lifetime = p["exp"].as_i64().unwrap() - p["iat"].as_i64().unwrap();
    assert!(
        (172_804..=172_806).contains(&lifetime),
        "exp - iat = {lifetime}"
    );
    emu.register(json!([{"userID": "s3", "nickname": "S"}]))
        .await;
    let user = emu.v38_user_token(&token, "s3", 1).await;
    assert!(signed_hs256_with(&user, "s3cret"));
    // A token signed with the default secret is not this server's.
    let now = now_secs();
    let foreign = forge(
        "HS256",
        SECRET,
        &claims("imAdmin", 10, now + 1000, None, now),
    );
    let r = emu.call("/user/get_users", Some(&foreign), PAGE_ALL).await;
    assert_eq!(r.body, jwt_error(1505, "signature is invalid", &foreign));
}

// ---------------------------------------------------------------------------------------------
// §4.2 /auth/get_user_token
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_user_token_success_shape() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    let before = now_secs();
    let r = emu
        .call(
            "/auth/get_user_token",
            Some(&admin),
            r#"{"platformID":1,"userID":"user000001"}"#,
        )
        .await;
    let data = r.data();
    assert_eq!(data.as_object().unwrap().len(), 2, "{data}");
    assert_eq!(data["expireTimeSeconds"], json!(7_776_000));
    let token = data["token"].as_str().unwrap().to_string();
    assert_v38_token(&token, "user000001", 1, before, now_secs());
    let r = emu.call("/user/get_users", Some(&token), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(1));
}

#[tokio::test]
async fn get_user_token_does_not_range_check_the_platform() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    for platform in [0, 11, 99, -4] {
        let body = json!({"platformID": platform, "userID": "user000001"}).to_string();
        let r = emu.call("/auth/get_user_token", Some(&admin), &body).await;
        let token = token_of(&r);
        assert_eq!(decode_jwt(&token).payload["PlatformID"], json!(platform));
    }
    let r = emu
        .call(
            "/auth/get_user_token",
            Some(&admin),
            r#"{"userID":"user000001"}"#,
        )
        .await;
    assert_eq!(decode_jwt(&token_of(&r)).payload["PlatformID"], json!(0));
}

#[tokio::test]
async fn get_user_token_row1_caller_not_admin() {
    let emu = Emu::seeded(V38, 2).await;
    let user = emu.user_token("user000001", 1).await;
    for body in [
        r#"{"platformID":1,"userID":"user000002"}"#,
        // Rule 1 before the others.
        r#"{"platformID":10,"userID":"imAdmin"}"#,
        r#"{"platformID":1,"userID":"ghost"}"#,
    ] {
        let r = emu.call("/auth/get_user_token", Some(&user), body).await;
        assert_err(
            &r,
            1002,
            "NoPermissionError",
            "user user000001 is not admin userID",
        );
    }
}

#[tokio::test]
async fn get_user_token_row2_admin_platform() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    for body in [
        r#"{"platformID":10,"userID":"user000001"}"#,
        // Rule 2 before rules 3 and 4.
        r#"{"platformID":10,"userID":"imAdmin"}"#,
        r#"{"platformID":10,"userID":"ghost"}"#,
    ] {
        let r = emu.call("/auth/get_user_token", Some(&admin), body).await;
        assert_err(
            &r,
            1002,
            "NoPermissionError",
            "platformID invalid. platformID must not be adminPlatformID",
        );
    }
}

#[tokio::test]
async fn get_user_token_row3_admin_user() {
    let emu = Emu::start(V38).await;
    let admin = emu.admin_token().await;
    let r = emu
        .call(
            "/auth/get_user_token",
            Some(&admin),
            r#"{"platformID":1,"userID":"imAdmin"}"#,
        )
        .await;
    assert_err(&r, 1002, "NoPermissionError", "don't get Admin token");
}

#[tokio::test]
async fn get_user_token_row4_unregistered_user() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    for user in ["ghost", "", "USER000001", "user000002"] {
        let body = json!({"platformID": 1, "userID": user}).to_string();
        let r = emu.call("/auth/get_user_token", Some(&admin), &body).await;
        assert_err(&r, 1004, "RecordNotFoundError", "record not found");
    }
}

#[tokio::test]
async fn get_user_token_row5_app_accounts() {
    let emu = Emu::start(V38).await;
    emu.register(json!([
        {"userID": "lvl2", "nickname": "L2", "appMangerLevel": 2},
        {"userID": "lvl3", "nickname": "L3", "appMangerLevel": 3},
        {"userID": "lvl4", "nickname": "L4", "appMangerLevel": 4},
        {"userID": "lvl9", "nickname": "L9", "appMangerLevel": 9},
    ]))
    .await;
    let admin = emu.admin_token().await;
    for user in ["lvl3", "lvl4", "lvl9"] {
        let body = json!({"platformID": 1, "userID": user}).to_string();
        let r = emu.call("/auth/get_user_token", Some(&admin), &body).await;
        assert_err(&r, 1001, "ArgsError", "app account can`t get token");
    }
    let t = emu.v38_user_token(&admin, "lvl2", 1).await;
    assert_eq!(decode_jwt(&t).payload["UserID"], json!("lvl2"));
    // appMangerLevel never grants admin rights (§2.4).
    let r = emu
        .call(
            "/user/account_check",
            Some(&t),
            r#"{"checkUserIDs":["lvl3"]}"#,
        )
        .await;
    assert_err(
        &r,
        1002,
        "NoPermissionError",
        "user lvl2 is not admin userID",
    );
}

// ---------------------------------------------------------------------------------------------
// §2.2 token store
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_new_user_token_kicks_the_older_one_on_the_same_platform() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    let first = emu.v38_user_token(&admin, "user000001", 1).await;
    let r = emu.call("/user/get_users", Some(&first), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(1));
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let second = emu.v38_user_token(&admin, "user000001", 1).await;
    assert_ne!(first, second, "issued in different seconds");
    let r = emu.call("/user/get_users", Some(&first), PAGE_ALL).await;
    assert_err(&r, 1506, "TokenKickedError", "TokenKickedError");
    let r = emu.call("/user/get_users", Some(&second), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(1));
    // parse_token sees the same states.
    let r = emu
        .call(
            "/auth/parse_token",
            None,
            &json!({ "token": first }).to_string(),
        )
        .await;
    assert_err(&r, 1506, "TokenKickedError", "TokenKickedError");
}

#[tokio::test]
async fn tokens_on_other_platforms_survive() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    let ios = emu.v38_user_token(&admin, "user000001", 1).await;
    let web = emu.v38_user_token(&admin, "user000001", 5).await;
    for t in [&ios, &web] {
        let r = emu.call("/user/get_users", Some(t), PAGE_ALL).await;
        assert_eq!(r.data()["total"], json!(1));
    }
}

#[tokio::test]
async fn admin_tokens_are_not_stored_and_cannot_be_kicked() {
    let emu = Emu::start(V38).await;
    let a1 = emu.admin_token().await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let a2 = emu.admin_token().await;
    assert_ne!(a1, a2);
    let _ = emu
        .call(
            "/auth/force_logout",
            Some(&a2),
            r#"{"platformID":10,"userID":"imAdmin"}"#,
        )
        .await;
    for t in [&a1, &a2] {
        let r = emu
            .call("/user/account_check", Some(t), r#"{"checkUserIDs":["x"]}"#)
            .await;
        assert_eq!(
            r.data(),
            json!({"results":[{"userID":"x","accountStatus":0}]})
        );
    }
    // A never-issued admin token with a valid signature is accepted: no store lookup, and the
    // algorithm is not pinned.
    let now = now_secs();
    for alg in ["HS256", "HS384", "HS512"] {
        let forged = forge(
            alg,
            SECRET,
            &claims("imAdmin", 10, now + 1000, None, now - 50),
        );
        let r = emu
            .call(
                "/user/account_check",
                Some(&forged),
                r#"{"checkUserIDs":["imAdmin"]}"#,
            )
            .await;
        assert_eq!(
            r.data(),
            json!({"results":[{"userID":"imAdmin","accountStatus":1}]}),
            "{alg}"
        );
    }
}

#[tokio::test]
async fn gateway_token_errors() {
    let emu = Emu::seeded(V38, 1).await;
    let now = now_secs();
    let good = emu.user_token("user000001", 1).await;
    let cases: Vec<(String, String)> = vec![
        {
            let t = forge(
                "HS256",
                "other",
                &claims("user000001", 1, now + 1000, None, now),
            );
            (t.clone(), jwt_error(1505, "signature is invalid", &t))
        },
        {
            let t = forge(
                "HS256",
                "other",
                &claims("imAdmin", 10, now + 1000, None, now),
            );
            (t.clone(), jwt_error(1505, "signature is invalid", &t))
        },
        {
            let t = format!("{}x", &good[..good.len() - 4]);
            (t.clone(), jwt_error(1505, "signature is invalid", &t))
        },
        ("abc".into(), jwt_error(1503, "TokenMalformedError", "abc")),
        (
            "a.b.c".into(),
            jwt_error(1503, "TokenMalformedError", "a.b.c"),
        ),
        ("a.b".into(), jwt_error(1503, "TokenMalformedError", "a.b")),
        {
            let t = format!("Bearer {good}");
            (t.clone(), jwt_error(1503, "TokenMalformedError", &t))
        },
        {
            let t = forge(
                "HS256",
                SECRET,
                &claims("user000001", 1, now - 3600, None, now - 7200),
            );
            (t.clone(), jwt_error(1501, "TokenExpiredError", &t))
        },
        {
            let t = forge(
                "HS256",
                SECRET,
                &claims("imAdmin", 10, now - 3600, None, now - 7200),
            );
            (t.clone(), jwt_error(1501, "TokenExpiredError", &t))
        },
        {
            let t = forge(
                "HS256",
                SECRET,
                &claims("user000001", 1, now + 10_000, Some(now + 3600), now),
            );
            (t.clone(), jwt_error(1504, "TokenNotValidYetError", &t))
        },
        {
            let t = forge(
                "HS256",
                SECRET,
                &claims("user000001", 1, now + 1000, None, now - 30),
            );
            (
                t,
                err_body(1507, "TokenNotExistError", "TokenNotExistError"),
            )
        },
        {
            let t = forge(
                "HS512",
                SECRET,
                &claims("user000001", 1, now + 1000, None, now - 30),
            );
            (
                t,
                err_body(1507, "TokenNotExistError", "TokenNotExistError"),
            )
        },
    ];
    for (token, expected) in cases {
        let r = emu.call("/user/get_users", Some(&token), PAGE_ALL).await;
        assert_eq!(r.body, expected, "token {token}");
        assert_eq!(r.status, 200);
        assert_cors(&r);
        // parse_token runs the same parser (§4.6).
        let r = emu
            .call(
                "/auth/parse_token",
                None,
                &json!({ "token": token }).to_string(),
            )
            .await;
        assert_eq!(r.body, expected, "parse_token {token}");
    }
    // A user that has never had any token.
    let t = forge(
        "HS256",
        SECRET,
        &claims("nobody", 3, now + 1000, None, now - 30),
    );
    let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
    assert_err(&r, 1507, "TokenNotExistError", "TokenNotExistError");
}

#[tokio::test]
async fn alg_none_is_rejected() {
    let emu = Emu::start(V38).await;
    let now = now_secs();
    let t = forge_none(&claims("imAdmin", 10, now + 1000, None, now));
    let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
    // Spec silent on errMsg (jwt library text) and errDlt here.
    assert_code_only(&r, 200, 1505);
}

// ---------------------------------------------------------------------------------------------
// §4.3 /user/user_register
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn register_success_has_no_data_and_stores_every_field() {
    let emu = Emu::start(V38).await;
    let before = now_ms();
    let r = admin_call(
        &emu,
        "/user/user_register",
        r#"{"secret":"whatever","users":[{"userID":"u1","nickname":"Alice","faceURL":"http://x/a.png","ex":"{\"k\":1}","createTime":123,"globalRecvMsgOpt":2},{"userID":"u2","nickname":"B","appMangerLevel":1}]}"#,
    )
    .await;
    assert_ok_empty(&r);
    let after = now_ms();
    let u1 = emu.user_info("u1").await;
    // An omitted level is 0 in v3.8.
    assert_user(&u1, "u1", "Alice", 0, (before - 1000, after + 1000));
    assert_eq!(u1["faceURL"], json!("http://x/a.png"));
    assert_eq!(u1["ex"], json!("{\"k\":1}"));
    assert_eq!(u1["globalRecvMsgOpt"], json!(2));
    let u2 = emu.user_info("u2").await;
    assert_user(&u2, "u2", "B", 1, (before - 1000, after + 1000));
    assert_eq!(u2["faceURL"], json!(""));
    assert_eq!(u2["ex"], json!(""));
    assert_eq!(u2["globalRecvMsgOpt"], json!(0));
}

#[tokio::test]
async fn register_accepts_unicode_letters_digits_and_underscore() {
    let emu = Emu::start(V38).await;
    emu.register(json!([
        {"userID": "alice_01", "nickname": "a"},
        {"userID": "张三", "nickname": "z"},
        {"userID": "٣٤", "nickname": "d"},
        {"userID": "Ünïcödé", "nickname": "u"},
        {"userID": "_", "nickname": "x"},
    ]))
    .await;
    let st = emu
        .account_status(&["alice_01", "张三", "٣٤", "Ünïcödé", "_"])
        .await;
    for s in st.as_array().unwrap() {
        assert_eq!(s["accountStatus"], json!(1), "{st}");
    }
}

#[tokio::test]
async fn register_has_no_length_limits_and_is_case_sensitive() {
    let emu = Emu::start(V38).await;
    let long_id = "a".repeat(300);
    emu.register(json!([
        {"userID": long_id, "nickname": "n".repeat(5000), "faceURL": "f".repeat(3000), "ex": "e".repeat(20_000)},
        {"userID": "CaseUser", "nickname": "upper"},
        {"userID": "caseuser", "nickname": "lower"},
    ]))
    .await;
    emu.register(json!([{"userID": "CASEUSER", "nickname": "shout"}]))
        .await;
    let u = emu.user_info(&long_id).await;
    assert_eq!(u["nickname"].as_str().unwrap().len(), 5000);
    assert_eq!(u["ex"].as_str().unwrap().len(), 20_000);
    assert_eq!(emu.user_info("caseuser").await["nickname"], json!("lower"));
    assert_eq!(
        emu.account_status(&["CaseUser", "caseuser", "CASEUSER", "cAsEuSeR"])
            .await,
        json!([
            {"userID": "CaseUser", "accountStatus": 1},
            {"userID": "caseuser", "accountStatus": 1},
            {"userID": "CASEUSER", "accountStatus": 1},
            {"userID": "cAsEuSeR", "accountStatus": 0},
        ])
    );
}

#[tokio::test]
async fn register_row1_users_missing() {
    let emu = Emu::start(V38).await;
    for body in ["{}", r#"{"users":null}"#, r#"{"secret":"openIM123"}"#] {
        let r = admin_call(&emu, "/user/user_register", body).await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn register_row2_null_element_or_illegal_user_id() {
    let emu = Emu::start(V38).await;
    let mut bodies = vec![
        r#"{"users":[null]}"#.to_string(),
        r#"{"users":[{"userID":"ok","nickname":"n"},null]}"#.to_string(),
    ];
    for id in [
        "a-b", "a b", "a.b", "a@b", "a:b", "Ⅷ", "x²", "a/b", "tab\t", "ü-",
    ] {
        bodies.push(
            json!({"users": [{"userID": "fine", "nickname": "n"}, {"userID": id, "nickname": "n"}]})
                .to_string(),
        );
    }
    for body in &bodies {
        let r = admin_call(&emu, "/user/user_register", body).await;
        assert_api_args_error(&r);
    }
    assert_eq!(
        emu.account_status(&["ok", "fine"]).await,
        json!([
            {"userID": "ok", "accountStatus": 0},
            {"userID": "fine", "accountStatus": 0},
        ])
    );
}

#[tokio::test]
async fn register_row3_nickname_required() {
    let emu = Emu::start(V38).await;
    for body in [
        r#"{"users":[{"userID":"n1","nickname":""}]}"#,
        r#"{"users":[{"userID":"n1"}]}"#,
        r#"{"users":[{"userID":"n0","nickname":"ok"},{"userID":"n1"}]}"#,
        // The API checks come before the service checks (duplicates, empty IDs, existence).
        r#"{"users":[{"userID":"d","nickname":""},{"userID":"d","nickname":"x"}]}"#,
        r#"{"users":[{"userID":"","nickname":""}]}"#,
        r#"{"users":[{"userID":"imAdmin"}]}"#,
    ] {
        let r = admin_call(&emu, "/user/user_register", body).await;
        assert_api_args_error(&r);
    }
    assert_eq!(
        emu.account_status(&["n0"]).await[0]["accountStatus"],
        json!(0)
    );
}

#[tokio::test]
async fn register_api_checks_come_before_the_admin_check() {
    let emu = Emu::seeded(V38, 1).await;
    let user = emu.user_token("user000001", 1).await;
    for body in [
        "{}",
        r#"{"users":[{"userID":"a-b","nickname":"n"}]}"#,
        r#"{"users":[{"userID":"ab"}]}"#,
    ] {
        let r = emu.call("/user/user_register", Some(&user), body).await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn register_row4_empty_array() {
    let emu = Emu::seeded(V38, 1).await;
    let r = admin_call(&emu, "/user/user_register", r#"{"users":[]}"#).await;
    assert_err(&r, 1001, "ArgsError", "users are empty");
    // The service's Check runs before its admin check.
    let user = emu.user_token("user000001", 1).await;
    let r = emu
        .call("/user/user_register", Some(&user), r#"{"users":[]}"#)
        .await;
    assert_err(&r, 1001, "ArgsError", "users are empty");
}

#[tokio::test]
async fn register_row5_caller_not_admin() {
    let emu = Emu::seeded(V38, 1).await;
    let user = emu.user_token("user000001", 1).await;
    for body in [
        r#"{"users":[{"userID":"nu","nickname":"n"}]}"#,
        // Rule 5 before rules 6-9.
        r#"{"users":[{"userID":"d","nickname":"n"},{"userID":"d","nickname":"n"}]}"#,
        r#"{"users":[{"userID":"","nickname":"n"}]}"#,
        r#"{"users":[{"userID":"imAdmin","nickname":"n"}]}"#,
    ] {
        let r = emu.call("/user/user_register", Some(&user), body).await;
        assert_err(
            &r,
            1002,
            "NoPermissionError",
            "user user000001 is not admin userID",
        );
    }
    assert_eq!(
        emu.account_status(&["nu"]).await[0]["accountStatus"],
        json!(0)
    );
}

#[tokio::test]
async fn register_row6_duplicates() {
    let emu = Emu::start(V38).await;
    for body in [
        r#"{"users":[{"userID":"d1","nickname":"n"},{"userID":"d2","nickname":"n"},{"userID":"d1","nickname":"m"}]}"#,
        // Two empty IDs: rule 6 before rule 7.
        r#"{"users":[{"userID":"","nickname":"n"},{"userID":"","nickname":"n"}]}"#,
        // Before the existence check.
        r#"{"users":[{"userID":"imAdmin","nickname":"n"},{"userID":"imAdmin","nickname":"n"}]}"#,
    ] {
        let r = admin_call(&emu, "/user/user_register", body).await;
        assert_err(&r, 1001, "ArgsError", "userID repeated");
    }
    assert_eq!(
        emu.account_status(&["d1", "d2"]).await,
        json!([
            {"userID": "d1", "accountStatus": 0},
            {"userID": "d2", "accountStatus": 0},
        ])
    );
}

#[tokio::test]
async fn register_row7_empty_user_id() {
    let emu = Emu::start(V38).await;
    for body in [
        r#"{"users":[{"userID":"","nickname":"n"}]}"#,
        r#"{"users":[{"nickname":"n"}]}"#,
        r#"{"users":[{"userID":"e1","nickname":"n"},{"userID":"","nickname":"n"}]}"#,
    ] {
        let r = admin_call(&emu, "/user/user_register", body).await;
        assert_err(&r, 1001, "ArgsError", "userID is empty");
    }
    assert_eq!(
        emu.account_status(&["e1"]).await[0]["accountStatus"],
        json!(0)
    );
}

#[tokio::test]
async fn register_row8_colon_is_caught_by_the_charset_rule() {
    let emu = Emu::start(V38).await;
    let r = admin_call(
        &emu,
        "/user/user_register",
        r#"{"users":[{"userID":"a:b","nickname":"n"}]}"#,
    )
    .await;
    assert_api_args_error(&r);
}

#[tokio::test]
async fn register_row9_existing_user_and_all_or_nothing() {
    let emu = Emu::seeded(V38, 2).await;
    for id in ["imAdmin", "user000001"] {
        let body = json!({"users": [{"userID": id, "nickname": "n"}]}).to_string();
        let r = admin_call(&emu, "/user/user_register", &body).await;
        assert_err(
            &r,
            1102,
            "RegisteredAlreadyError",
            "userID registered already",
        );
    }
    emu.register(json!([{"userID": "first", "nickname": "F"}]))
        .await;
    let body = json!({"users": [
        {"userID": "new1", "nickname": "n"},
        {"userID": "first", "nickname": "n"},
        {"userID": "new2", "nickname": "n"},
    ]})
    .to_string();
    let r = admin_call(&emu, "/user/user_register", &body).await;
    assert_err(
        &r,
        1102,
        "RegisteredAlreadyError",
        "userID registered already",
    );
    assert_eq!(
        emu.account_status(&["new1", "new2", "first"]).await,
        json!([
            {"userID": "new1", "accountStatus": 0},
            {"userID": "new2", "accountStatus": 0},
            {"userID": "first", "accountStatus": 1},
        ])
    );
    assert_eq!(emu.user_info("first").await["nickname"], json!("F"));
    let d = emu
        .get_users(json!({"pagination": {"pageNumber": 1, "showNumber": 0}}))
        .await;
    assert_eq!(d, json!({"total": 3, "users": null}));
}

#[tokio::test]
async fn register_needs_the_token_not_a_secret() {
    let emu = Emu::start(V38).await;
    let r = emu
        .call(
            "/user/user_register",
            None,
            r#"{"secret":"openIM123","users":[{"userID":"x","nickname":"n"}]}"#,
        )
        .await;
    assert_api_args_error(&r);
}

// ---------------------------------------------------------------------------------------------
// §4.4 /user/account_check
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn account_check_success_in_request_order_with_int_statuses() {
    let emu = Emu::seeded(V38, 2).await;
    emu.register(json!([{"userID": "alice", "nickname": "A"}]))
        .await;
    let r = admin_call(
        &emu,
        "/user/account_check",
        r#"{"checkUserIDs":["nope","alice","imAdmin","user000002","ALICE","user000001"]}"#,
    )
    .await;
    assert_eq!(
        r.json(),
        json!({"errCode":0,"errMsg":"","errDlt":"","data":{"results":[
            {"userID":"nope","accountStatus":0},
            {"userID":"alice","accountStatus":1},
            {"userID":"imAdmin","accountStatus":1},
            {"userID":"user000002","accountStatus":1},
            {"userID":"ALICE","accountStatus":0},
            {"userID":"user000001","accountStatus":1},
        ]}})
    );
}

#[tokio::test]
async fn account_check_row1_missing_list() {
    let emu = Emu::start(V38).await;
    for body in ["{}", r#"{"checkUserIDs":null}"#] {
        let r = admin_call(&emu, "/user/account_check", body).await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn account_check_row2_empty_list() {
    let emu = Emu::start(V38).await;
    let r = admin_call(&emu, "/user/account_check", r#"{"checkUserIDs":[]}"#).await;
    assert_err(&r, 1001, "ArgsError", "CheckUserIDs is empty");
}

#[tokio::test]
async fn account_check_row3_duplicates_before_the_admin_check() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    let user = emu.v38_user_token(&admin, "user000001", 1).await;
    for token in [&admin, &user] {
        let r = emu
            .call(
                "/user/account_check",
                Some(token),
                r#"{"checkUserIDs":["a","b","a"]}"#,
            )
            .await;
        assert_err(&r, 1001, "ArgsError", "userID repeated");
    }
}

#[tokio::test]
async fn account_check_row4_not_admin() {
    let emu = Emu::seeded(V38, 1).await;
    let user = emu.user_token("user000001", 2).await;
    let r = emu
        .call(
            "/user/account_check",
            Some(&user),
            r#"{"checkUserIDs":["imAdmin"]}"#,
        )
        .await;
    assert_err(
        &r,
        1002,
        "NoPermissionError",
        "user user000001 is not admin userID",
    );
}

// ---------------------------------------------------------------------------------------------
// §4.5 /user/get_users
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_users_hides_im_admin() {
    let emu = Emu::start(V38).await;
    let r = admin_call(&emu, "/user/get_users", PAGE_ALL).await;
    assert_eq!(
        r.json(),
        json!({"errCode":0,"errMsg":"","errDlt":"","data":{"total":0,"users":null}})
    );
}

#[tokio::test]
async fn get_users_pagination_is_one_based() {
    let before = now_ms();
    let emu = Emu::seeded(V38, 25).await;
    let after = now_ms();
    let page = |n: i64, s: i64| json!({"pagination": {"pageNumber": n, "showNumber": s}});
    let all: Vec<String> = (1..=25).map(|i| format!("user{i:06}")).collect();
    let mut seen = Vec::new();
    for (n, len) in [(1, 10), (2, 10), (3, 5)] {
        let d = emu.get_users(page(n, 10)).await;
        assert_eq!(d["total"], json!(25));
        let ids = ids_of(&d["users"]);
        assert_eq!(ids.len(), len, "page {n}");
        seen.extend(ids);
    }
    assert_eq!(sorted(seen), all, "pages partition the users");
    for (n, s) in [(4, 10), (2, 25), (26, 1)] {
        let d = emu.get_users(page(n, s)).await;
        assert_eq!(d, json!({"total": 25, "users": null}), "page {n} size {s}");
    }
    for s in [0, -1, -100] {
        let d = emu.get_users(page(1, s)).await;
        assert_eq!(d, json!({"total": 25, "users": null}), "size {s}");
    }
    let d = emu.get_users(page(1, 1_000_000)).await;
    let users = d["users"].as_array().unwrap().clone();
    assert_eq!(sorted(ids_of(&d["users"])), all);
    for u in &users {
        let id = u["userID"].as_str().unwrap();
        let n: u32 = id.trim_start_matches("user").parse().unwrap();
        assert_user(
            u,
            id,
            &format!("User {n}"),
            0,
            (before - 1000, after + 1000),
        );
        assert_eq!(u["faceURL"], json!(""));
        assert_eq!(u["ex"], json!(""));
        assert_eq!(u["globalRecvMsgOpt"], json!(0));
    }
}

#[tokio::test]
async fn get_users_shows_only_levels_0_and_1() {
    let emu = Emu::start(V38).await;
    emu.register(json!([
        {"userID": "l0", "nickname": "n", "appMangerLevel": 0},
        {"userID": "l1", "nickname": "n", "appMangerLevel": 1},
        {"userID": "l2", "nickname": "n", "appMangerLevel": 2},
        {"userID": "l3", "nickname": "n", "appMangerLevel": 3},
        {"userID": "l4", "nickname": "n", "appMangerLevel": 4},
        {"userID": "lneg", "nickname": "n", "appMangerLevel": -1},
    ]))
    .await;
    let d = emu.get_users(serde_json::from_str(PAGE_ALL).unwrap()).await;
    assert_eq!(d["total"], json!(2));
    assert_eq!(sorted(ids_of(&d["users"])), ["l0", "l1"]);
    // Hidden, yet registered.
    let st = emu.account_status(&["l2", "l3", "l4", "lneg"]).await;
    for s in st.as_array().unwrap() {
        assert_eq!(s["accountStatus"], json!(1), "{st}");
    }
}

#[tokio::test]
async fn get_users_filters_are_case_insensitive_regexes_or_ed() {
    let emu = Emu::seeded(V38, 12).await;
    emu.register(json!([
        {"userID": "alphaOne", "nickname": "Zed"},
        {"userID": "betaTwo", "nickname": "ALPHA fan"},
        {"userID": "gammaThree", "nickname": "none"},
        {"userID": "hiddenAlpha", "nickname": "alpha", "appMangerLevel": 2},
    ]))
    .await;
    let query = |user_id: Option<&str>, nick: Option<&str>| {
        let mut q = json!({"pagination": {"pageNumber": 1, "showNumber": 100}});
        if let Some(u) = user_id {
            q["userID"] = json!(u);
        }
        if let Some(n) = nick {
            q["nickName"] = json!(n);
        }
        q
    };
    let cases: Vec<(Option<&str>, Option<&str>, Vec<&str>)> = vec![
        (Some("ALPHA"), None, vec!["alphaOne"]),
        (None, Some("alpha"), vec!["betaTwo"]),
        (Some("alpha"), Some("alpha"), vec!["alphaOne", "betaTwo"]),
        (
            Some(""),
            Some(""),
            vec![
                "alphaOne",
                "betaTwo",
                "gammaThree",
                "user000001",
                "user000002",
                "user000003",
                "user000004",
                "user000005",
                "user000006",
                "user000007",
                "user000008",
                "user000009",
                "user000010",
                "user000011",
                "user000012",
            ],
        ),
        (
            None,
            Some("user 1"),
            vec!["user000001", "user000010", "user000011", "user000012"],
        ),
        (None, Some("^User 1$"), vec!["user000001"]),
        (
            Some("000003|000005"),
            None,
            vec!["user000003", "user000005"],
        ),
        (
            Some("^user00000.$"),
            None,
            vec![
                "user000001",
                "user000002",
                "user000003",
                "user000004",
                "user000005",
                "user000006",
                "user000007",
                "user000008",
                "user000009",
            ],
        ),
        (
            Some("USER000002"),
            Some("zed"),
            vec!["alphaOne", "user000002"],
        ),
        (Some("ThReE"), Some("nomatch"), vec!["gammaThree"]),
        (Some("nomatch"), None, vec![]),
        (Some("imAdmin"), None, vec![]),
        (None, Some("imadmin"), vec![]),
    ];
    for (user_id, nick, want) in cases {
        let d = emu.get_users(query(user_id, nick)).await;
        assert_eq!(
            d["total"],
            json!(want.len()),
            "userID {user_id:?} nickName {nick:?}: {d}"
        );
        if want.is_empty() {
            assert_eq!(
                d["users"],
                Value::Null,
                "userID {user_id:?} nickName {nick:?}"
            );
        } else {
            assert_eq!(
                sorted(ids_of(&d["users"])),
                want,
                "userID {user_id:?} nickName {nick:?}"
            );
        }
    }
    // Pagination applies to the filtered set.
    let d = emu
        .get_users(json!({"pagination": {"pageNumber": 2, "showNumber": 10}, "nickName": "user"}))
        .await;
    assert_eq!(d["total"], json!(12));
    assert_eq!(d["users"].as_array().unwrap().len(), 2);
    let d = emu
        .get_users(json!({"pagination": {"pageNumber": 3, "showNumber": 10}, "nickName": "user"}))
        .await;
    assert_eq!(d, json!({"total": 12, "users": null}));
}

#[tokio::test]
async fn get_users_accepts_any_user_token() {
    let emu = Emu::seeded(V38, 3).await;
    let t = emu.user_token("user000003", 5).await;
    let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(3));
}

#[tokio::test]
async fn get_users_pagination_errors() {
    let emu = Emu::start(V38).await;
    for body in [
        "{}",
        r#"{"pagination":null}"#,
        r#"{"userID":"x"}"#,
        r#"{"pagination":{"pageNumber":0,"showNumber":10}}"#,
        r#"{"pagination":{"showNumber":10}}"#,
        r#"{"pagination":{"pageNumber":-1,"showNumber":10}}"#,
    ] {
        let r = admin_call(&emu, "/user/get_users", body).await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn register_then_list_create_time_is_milliseconds() {
    let emu = Emu::start(V38).await;
    let before = now_ms();
    emu.register(json!([{"userID": "ms_user", "nickname": "Ms", "createTime": 5}]))
        .await;
    let after = now_ms();
    let d = emu.get_users(serde_json::from_str(PAGE_ALL).unwrap()).await;
    let users = d["users"].as_array().unwrap();
    assert_eq!(users.len(), 1);
    assert_user(&users[0], "ms_user", "Ms", 0, (before - 1000, after + 1000));
}

// ---------------------------------------------------------------------------------------------
// §4.6 /auth/parse_token, /auth/force_logout
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn parse_token_answers_user_platform_id_and_absolute_expiry() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    let user = emu.v38_user_token(&admin, "user000001", 7).await;
    for (token, uid, pid) in [(&admin, "imAdmin", 10), (&user, "user000001", 7)] {
        let exp = decode_jwt(token).payload["exp"].as_i64().unwrap();
        let r = emu
            .call(
                "/auth/parse_token",
                None,
                &json!({ "token": token }).to_string(),
            )
            .await;
        assert_eq!(
            r.data(),
            json!({"userID": uid, "platformID": pid, "expireTimeSeconds": exp})
        );
        // Whitelisted: a token header, even a broken one, is not looked at.
        let r = emu
            .call(
                "/auth/parse_token",
                Some("garbage"),
                &json!({ "token": token }).to_string(),
            )
            .await;
        assert_eq!(r.data()["userID"], json!(uid));
    }
}

#[tokio::test]
async fn force_logout_kicks_tokens_of_that_platform_only() {
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    let ios = emu.v38_user_token(&admin, "user000001", 1).await;
    let web = emu.v38_user_token(&admin, "user000001", 5).await;
    let r = emu
        .call(
            "/auth/force_logout",
            Some(&admin),
            r#"{"platformID":1,"userID":"user000001"}"#,
        )
        .await;
    assert_ok_empty(&r);
    let r = emu.call("/user/get_users", Some(&ios), PAGE_ALL).await;
    assert_err(&r, 1506, "TokenKickedError", "TokenKickedError");
    let r = emu.call("/user/get_users", Some(&web), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(1));
    // A fresh token on the kicked platform works again.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let again = emu.v38_user_token(&admin, "user000001", 1).await;
    assert_ne!(again, ios);
    let r = emu.call("/user/get_users", Some(&again), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(1));
}

#[tokio::test]
async fn a_freshly_issued_token_is_always_valid() {
    // Issuance kicks the older tokens of that user and platform, then stores the new one as
    // Normal (§2.2). Within one second the new token can be the very string of an older one
    // (same claims); it is still the token just stored as Normal.
    let emu = Emu::seeded(V38, 1).await;
    let admin = emu.admin_token().await;
    for _ in 0..3 {
        let t = emu.v38_user_token(&admin, "user000001", 2).await;
        let r = emu.call("/user/get_users", Some(&t), PAGE_ALL).await;
        assert_eq!(r.data()["total"], json!(1));
    }
    let kicked = emu.v38_user_token(&admin, "user000001", 3).await;
    let r = emu
        .call(
            "/auth/force_logout",
            Some(&admin),
            r#"{"platformID":3,"userID":"user000001"}"#,
        )
        .await;
    assert_ok_empty(&r);
    let fresh = emu.v38_user_token(&admin, "user000001", 3).await;
    let r = emu.call("/user/get_users", Some(&fresh), PAGE_ALL).await;
    assert_eq!(
        r.data()["total"],
        json!(1),
        "fresh {fresh} (kicked {kicked})"
    );
}

#[tokio::test]
async fn force_logout_argument_checks() {
    let emu = Emu::seeded(V38, 1).await;
    for body in [
        r#"{"platformID":1,"userID":""}"#,
        r#"{"platformID":1}"#,
        r#"{"platformID":0,"userID":"user000001"}"#,
        r#"{"platformID":11,"userID":"user000001"}"#,
        r#"{"platformID":-1,"userID":"user000001"}"#,
        r#"{"userID":"user000001"}"#,
    ] {
        let r = admin_call(&emu, "/auth/force_logout", body).await;
        assert_api_args_error(&r);
    }
}

#[tokio::test]
async fn force_logout_needs_an_admin() {
    let emu = Emu::seeded(V38, 2).await;
    let user = emu.user_token("user000001", 1).await;
    let victim = emu.user_token("user000002", 1).await;
    let r = emu
        .call(
            "/auth/force_logout",
            Some(&user),
            r#"{"platformID":1,"userID":"user000002"}"#,
        )
        .await;
    // Spec silent on errDlt here.
    assert_err_code(&r, 1002, "NoPermissionError");
    let r = emu.call("/user/get_users", Some(&victim), PAGE_ALL).await;
    assert_eq!(r.data()["total"], json!(2));
}

// ---------------------------------------------------------------------------------------------
// §6 /user/get_users_info, /user/update_user_info_ex
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn get_users_info_omits_unknown_ids() {
    let before = now_ms();
    let emu = Emu::seeded(V38, 2).await;
    let after = now_ms();
    let user = emu.user_token("user000002", 1).await;
    let r = emu
        .call(
            "/user/get_users_info",
            Some(&user),
            r#"{"userIDs":["user000001","ghost","imAdmin"]}"#,
        )
        .await;
    let data = r.data();
    assert_eq!(data.as_object().unwrap().len(), 1, "{data}");
    let mut list = data["usersInfo"].as_array().unwrap().clone();
    list.sort_by_key(|u| u["userID"].as_str().unwrap().to_string());
    assert_eq!(list.len(), 2, "{data}");
    assert_user(
        &list[0],
        "imAdmin",
        "imAdmin",
        3,
        (before - 1000, after + 1000),
    );
    assert_user(
        &list[1],
        "user000001",
        "User 1",
        0,
        (before - 1000, after + 1000),
    );
    // Nothing found: an empty list is null.
    let r = emu
        .call(
            "/user/get_users_info",
            Some(&user),
            r#"{"userIDs":["ghost","nobody"]}"#,
        )
        .await;
    assert_eq!(r.data(), json!({"usersInfo": null}));
}

#[tokio::test]
async fn get_users_info_needs_user_ids() {
    let emu = Emu::start(V38).await;
    for body in ["{}", r#"{"userIDs":null}"#] {
        let r = admin_call(&emu, "/user/get_users_info", body).await;
        // Spec silent on errDlt here.
        assert_err_code(&r, 1001, "ArgsError");
    }
}

#[tokio::test]
async fn update_user_info_ex_writes_present_keys_only() {
    let emu = Emu::start(V38).await;
    emu.register(json!([{
        "userID": "upd", "nickname": "Old", "faceURL": "f0", "ex": "e0",
        "appMangerLevel": 1, "globalRecvMsgOpt": 0
    }]))
    .await;
    let created = emu.user_info("upd").await;
    let r = admin_call(
        &emu,
        "/user/update_user_info_ex",
        r#"{"userInfo":{"userID":"upd","nickname":"New"}}"#,
    )
    .await;
    assert_ok_empty(&r);
    let u = emu.user_info("upd").await;
    assert_eq!(u["nickname"], json!("New"));
    assert_eq!(u["faceURL"], json!("f0"));
    assert_eq!(u["ex"], json!("e0"));
    assert_eq!(u["globalRecvMsgOpt"], json!(0));
    // A present key is written even when empty.
    let r = admin_call(
        &emu,
        "/user/update_user_info_ex",
        r#"{"userInfo":{"userID":"upd","ex":"","globalRecvMsgOpt":2}}"#,
    )
    .await;
    assert_ok_empty(&r);
    let u = emu.user_info("upd").await;
    assert_eq!(u["nickname"], json!("New"));
    assert_eq!(u["faceURL"], json!("f0"));
    assert_eq!(u["ex"], json!(""));
    assert_eq!(u["globalRecvMsgOpt"], json!(2));
    assert_eq!(u["createTime"], created["createTime"]);
    assert_eq!(u["appMangerLevel"], json!(1));
}

#[tokio::test]
async fn update_user_info_ex_self_or_admin() {
    let emu = Emu::seeded(V38, 2).await;
    let me = emu.user_token("user000001", 1).await;
    let r = emu
        .call(
            "/user/update_user_info_ex",
            Some(&me),
            r#"{"userInfo":{"userID":"user000001","faceURL":"http://me"}}"#,
        )
        .await;
    assert_ok_empty(&r);
    assert_eq!(
        emu.user_info("user000001").await["faceURL"],
        json!("http://me")
    );
    let r = emu
        .call(
            "/user/update_user_info_ex",
            Some(&me),
            r#"{"userInfo":{"userID":"user000002","nickname":"hacked"}}"#,
        )
        .await;
    // Spec silent on errDlt here.
    assert_err_code(&r, 1002, "NoPermissionError");
    assert_eq!(
        emu.user_info("user000002").await["nickname"],
        json!("User 2")
    );
}

// ---------------------------------------------------------------------------------------------
// §8 seeds
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn seeded_user_ids_nicknames_and_level_zero() {
    let emu = Emu::seeded(V38, 12).await;
    let d = emu.get_users(serde_json::from_str(PAGE_ALL).unwrap()).await;
    assert_eq!(d["total"], json!(12));
    let got: BTreeSet<(String, String, i64)> = d["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["userID"].as_str().unwrap().to_string(),
                u["nickname"].as_str().unwrap().to_string(),
                u["appMangerLevel"].as_i64().unwrap(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, i64)> = (1..=12)
        .map(|n| (format!("user{n:06}"), format!("User {n}"), 0))
        .collect();
    assert_eq!(got, want);
}
