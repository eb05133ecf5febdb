//! The chat v1.8 admin sign-in beside OpenIM v3.8 (shared/chat-admin-api.md §1, §2, §4), over
//! real HTTP on its own port: raw JSON in, raw JSON compared. Error texts are chat v1.8.4's.

mod common;

use std::time::{Duration, Instant};

use common::*;
use openim_emulator::{Config, CHAT_V18_ADMIN_SECRET};
use openim_protocol::ApiVersion;
use reqwest::Method;
use serde_json::json;

const V38: ApiVersion = ApiVersion::V3_8;

/// The request of §4.2, verbatim.
const LOGIN: &str = r#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#;

/// The success envelope of §4.8 with the two tokens filled in, in Go's field order.
fn login_body(admin: &str, im: &str) -> String {
    format!(
        r#"{{"errCode":0,"errMsg":"","errDlt":"","data":{{"adminAccount":"chatAdmin","adminToken":"{admin}","nickname":"","faceURL":"","level":100,"adminUserID":"imAdmin","imUserID":"imAdmin","imToken":"{im}"}}}}"#
    )
}

fn tokens(r: &Reply) -> (String, String) {
    let data = r.data();
    (
        data["adminToken"].as_str().expect("adminToken").to_string(),
        data["imToken"].as_str().expect("imToken").to_string(),
    )
}

/// adminToken (§4.5): HS256 with `chat123`, `{UserID, UserType:2, PlatformID:0, exp: iat+90d,
/// nbf: iat-60, iat}`.
fn assert_admin_token(token: &str, window: (i64, i64)) {
    let jwt = decode_jwt(token);
    assert_eq!(jwt.header_raw, r#"{"alg":"HS256","typ":"JWT"}"#);
    let iat = jwt.payload["iat"].as_i64().expect("iat");
    assert!(
        iat >= window.0 && iat <= window.1,
        "iat {iat} not in {window:?}"
    );
    assert_eq!(
        jwt.payload_raw,
        format!(
            r#"{{"UserID":"imAdmin","UserType":2,"PlatformID":0,"exp":{},"nbf":{},"iat":{iat}}}"#,
            iat + 90 * 86_400,
            iat - 60
        )
    );
    assert!(
        signed_hs256_with(token, "chat123"),
        "signed with chat123: {token}"
    );
    assert_eq!(CHAT_V18_ADMIN_SECRET, "chat123");
}

/// imToken (§4.7): what OpenIM v3.8 `/auth/get_admin_token` issues for imAdmin: platform 10,
/// signed with the OpenIM secret, no nbf, iat five seconds back.
fn assert_im_token(token: &str, secret: &str, days: i64, window: (i64, i64)) {
    let jwt = decode_jwt(token);
    assert_eq!(jwt.header_raw, r#"{"alg":"HS256","typ":"JWT"}"#);
    let iat = jwt.payload["iat"].as_i64().expect("iat");
    assert!(
        iat >= window.0 - 5 && iat <= window.1,
        "iat {iat} not in {window:?}"
    );
    assert_eq!(
        jwt.payload_raw,
        claims("imAdmin", 10, iat + 5 + days * 86_400, None, iat)
    );
    assert!(
        signed_hs256_with(token, secret),
        "signed with {secret}: {token}"
    );
}

/// v1.8.4 stack texts (§4.6): the shape is fixed, the frames name build paths.
fn assert_stack(text: &str, inner: &str) {
    let head = format!("Error: {inner} | -> ");
    assert!(
        text.starts_with(&head),
        "{text:?} does not start with {head:?}"
    );
    assert!(text.contains("() "), "{text:?} has no frames");
}

// ---------------------------------------------------------------------------------------------
// Success and the imToken on the OpenIM port
// ---------------------------------------------------------------------------------------------

#[test]
fn the_documented_password_is_the_md5_of_chat_admin() {
    assert_eq!(
        openim_emulator::md5_hex("chatAdmin"),
        "625031fc4e4f2de6b187e6bfa3697784"
    );
}

#[tokio::test]
async fn the_documented_request_signs_in() {
    let emu = Emu::with_chat(V38).await;
    let before = now_secs();
    let r = emu.chat_login_raw(LOGIN).await;
    let after = now_secs();
    let (admin, im) = tokens(&r);
    assert_eq!(r.body, login_body(&admin, &im));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_admin_token(&admin, (before, after));
    assert_im_token(&im, SECRET, 90, (before, after));
}

#[tokio::test]
async fn the_plaintext_password_hashed_like_the_front_signs_in() {
    let emu = Emu::with_chat(V38).await;
    let r = emu.chat_login("chatAdmin", "chatAdmin").await;
    let (admin, im) = tokens(&r);
    assert_eq!(r.body, login_body(&admin, &im));
}

#[tokio::test]
async fn the_im_token_is_an_admin_token_on_the_openim_port() {
    let emu = Emu::with_chat(V38).await;
    let (_, im) = tokens(&emu.chat_login_raw(LOGIN).await);
    let r = emu
        .call(
            "/user/account_check",
            Some(&im),
            r#"{"checkUserIDs":["imAdmin","nobody"]}"#,
        )
        .await;
    assert_eq!(
        r.body,
        r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"results":[{"userID":"imAdmin","accountStatus":1},{"userID":"nobody","accountStatus":0}]}}"#
    );
    // It registers users too, which needs an admin in v3.8.
    let r = emu
        .call(
            "/user/user_register",
            Some(&im),
            r#"{"users":[{"userID":"via_chat","nickname":"Via chat"}]}"#,
        )
        .await;
    assert_ok_empty(&r);
    let exp = decode_jwt(&im).payload["exp"].as_i64().unwrap();
    let r = emu
        .call(
            "/auth/parse_token",
            None,
            &json!({ "token": im }).to_string(),
        )
        .await;
    assert_eq!(
        r.body,
        format!(
            r#"{{"errCode":0,"errMsg":"","errDlt":"","data":{{"userID":"imAdmin","platformID":10,"expireTimeSeconds":{exp}}}}}"#
        )
    );
}

#[tokio::test]
async fn the_im_token_is_cached_across_sign_ins() {
    // chat v1.8.3+ reuses the imToken it fetched for five minutes (§4.7): sign in again once
    // the clock has moved to another second, so a fresh token would differ.
    let emu = Emu::with_chat(V38).await;
    let (admin1, im1) = tokens(&emu.chat_login_raw(LOGIN).await);
    let iat1 = decode_jwt(&admin1).payload["iat"].as_i64().unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (admin2, im2) = tokens(&emu.chat_login_raw(LOGIN).await);
        if decode_jwt(&admin2).payload["iat"].as_i64().unwrap() > iat1 {
            assert_eq!(im2, im1, "a new second, the same imToken");
            break;
        }
        assert!(Instant::now() < deadline, "the clock did not move");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_openim_secret_and_lifetime_shape_the_im_token_only() {
    // chat's `openIM.secret` is set to the server's (openim-docker does); the adminToken keeps
    // chat's own key and 90 days (§4.3).
    let emu = Emu::start_with(Config {
        secret: "s3cret".into(),
        token_expire_days: 7,
        ..config_with_chat(V38)
    })
    .await;
    let before = now_secs();
    let r = emu.chat_login_raw(LOGIN).await;
    let after = now_secs();
    let (admin, im) = tokens(&r);
    assert_admin_token(&admin, (before, after));
    assert_im_token(&im, "s3cret", 7, (before, after));
    let r = emu
        .call(
            "/user/account_check",
            Some(&im),
            r#"{"checkUserIDs":["x"]}"#,
        )
        .await;
    assert_eq!(r.code(), 0, "{}", r.body);
}

#[tokio::test]
async fn keys_match_case_insensitively_and_version_is_ignored() {
    let emu = Emu::with_chat(V38).await;
    let r = emu
        .chat_login_raw(
            r#"{"Account":"chatAdmin","PASSWORD":"625031fc4e4f2de6b187e6bfa3697784","version":"v1.0.0"}"#,
        )
        .await;
    let (admin, im) = tokens(&r);
    assert_eq!(r.body, login_body(&admin, &im));
}

#[tokio::test]
async fn no_gzip_on_the_chat_port() {
    // The v3.8 OpenIM port gzips; chat's gin engine has no such middleware (§2.2).
    let emu = Emu::with_chat(V38).await;
    let r = emu
        .chat_post(
            "/account/login",
            &[("operationID", "x"), ("accept-encoding", "gzip")],
            LOGIN,
        )
        .await;
    assert_eq!(r.header("content-encoding"), None);
    assert_eq!(r.data()["adminAccount"], "chatAdmin");
}

// ---------------------------------------------------------------------------------------------
// Errors (§4.6)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn wrong_password_is_20001() {
    let emu = Emu::with_chat(V38).await;
    for body in [
        r#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697785"}"#,
        r#"{"account":"chatAdmin","password":"chatAdmin"}"#,
        r#"{"account":"chatAdmin","password":"625031FC4E4F2DE6B187E6BFA3697784"}"#,
    ] {
        let r = emu.chat_login_raw(body).await;
        assert_err(&r, 20001, "PasswordError", "PasswordError");
    }
}

#[tokio::test]
async fn unknown_account_is_20002() {
    let emu = Emu::with_chat(V38).await;
    for body in [
        // Mongo matches the account exactly.
        r#"{"account":"chatadmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#,
        r#"{"account":"admin1","password":"e00cf25ad42683b3df678c61f42c6bda"}"#,
        r#"{"account":"imAdmin","password":"x"}"#,
    ] {
        let r = emu.chat_login_raw(body).await;
        assert_err(&r, 20002, "AccountNotFound", "AccountNotFound");
    }
}

#[tokio::test]
async fn empty_account_or_password_is_1001_without_its_message() {
    let emu = Emu::with_chat(V38).await;
    for body in [
        r#"{"account":"","password":"625031fc4e4f2de6b187e6bfa3697784"}"#,
        r#"{"password":"x"}"#,
        r#"{"account":"chatAdmin","password":""}"#,
        r#"{"account":"chatAdmin"}"#,
        "{}",
        "null",
    ] {
        let r = emu.chat_login_raw(body).await;
        assert_err(&r, 1001, "ArgsError", "ArgsError");
    }
}

#[tokio::test]
async fn bad_json_is_http_200_args_error_with_stack_text() {
    let emu = Emu::with_chat(V38).await;
    let cases = [
        ("", "unexpected end of JSON input"),
        (r#"{"account":"#, "unexpected end of JSON input"),
        (
            "xyz",
            "invalid character 'x' looking for beginning of value",
        ),
        // json.Unmarshal reads the whole body.
        (
            &format!("{LOGIN} trailing"),
            "invalid character 't' after top-level value",
        ),
        (
            r#"{"account":["chatAdmin"],"password":"x"}"#,
            "json: cannot unmarshal array into Go struct field LoginReq.account of type string",
        ),
    ];
    for (body, go_error) in cases {
        let r = emu.chat_login_raw(body).await;
        assert_code_only(&r, 200, 1001);
        let v = r.json();
        let msg = v["errMsg"].as_str().unwrap();
        assert!(
            msg.starts_with(&format!("Error: Error: {go_error} | -> ")),
            "errMsg of {body:?}: {msg:?}"
        );
        assert!(msg.contains(" | -> "), "two stacks in {msg:?}");
        assert_eq!(
            v["errDlt"],
            json!(format!("1001 {msg}")),
            "errDlt of {body:?}"
        );
        assert_eq!(r.header("content-type"), Some("application/json"));
    }
}

#[tokio::test]
async fn missing_operation_id_is_1001_with_stack_text() {
    let emu = Emu::with_chat(V38).await;
    for path in ["/account/login", "/account/info", "/nope"] {
        for headers in [&[][..], &[("operationID", "")][..]] {
            let r = emu.chat_post(path, headers, LOGIN).await;
            assert_err_code(&r, 1001, "ArgsError");
            let dlt = r.json()["errDlt"].as_str().unwrap().to_string();
            assert_stack(&dlt, "1001 ArgsError: header must have operationID");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Middleware: CORS, OPTIONS, 404 (§2.3)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn options_is_answered_on_any_path_without_headers() {
    let emu = Emu::with_chat(V38).await;
    for path in ["/account/login", "/account/add_admin", "/nope"] {
        let r = emu.chat_request(Method::OPTIONS, path, &[], "").await;
        assert_options(&r);
    }
}

#[tokio::test]
async fn cors_headers_on_success_and_error_answers() {
    let emu = Emu::with_chat(V38).await;
    assert_cors(&emu.chat_login_raw(LOGIN).await);
    assert_cors(&emu.chat_login_raw("{}").await);
    assert_cors(&emu.chat_login_raw("").await);
    assert_cors(&emu.chat_post("/account/login", &[], LOGIN).await);
}

#[tokio::test]
async fn unknown_routes_and_other_methods_are_gin_s_404() {
    let emu = Emu::with_chat(V38).await;
    let with_id = [("operationID", "x")];
    for path in ["/account/info", "/account/add_admin", "/nope", "/"] {
        assert_404(&emu.chat_post(path, &with_id, "{}").await);
    }
    for method in [Method::GET, Method::PUT, Method::DELETE] {
        assert_404(&emu.chat_request(method, "/account/login", &[], "").await);
    }
}

#[tokio::test]
async fn a_trailing_slash_is_redirected_before_any_middleware() {
    let emu = Emu::with_chat(V38).await;
    let r = emu.chat_post("/account/login/", &[], LOGIN).await;
    assert_eq!(r.status, 307);
    assert_eq!(r.header("location"), Some("/account/login"));
    assert_eq!(r.body, "");
}

#[tokio::test]
async fn the_two_ports_serve_their_own_routes() {
    let emu = Emu::with_chat(V38).await;
    // The OpenIM port's v3.8 token middleware runs before its 404.
    let r = emu.call("/account/login", None, LOGIN).await;
    assert_err_code(&r, 1001, "ArgsError");
    let r = emu
        .chat_post(
            "/auth/get_admin_token",
            &[("operationID", "x")],
            r#"{"secret":"openIM123","userID":"imAdmin"}"#,
        )
        .await;
    assert_404(&r);
}
