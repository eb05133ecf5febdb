//! The chat v1.4 admin sign-in beside OpenIM v3.4 (shared/chat-admin-api.md §1, §2, §3), over
//! real HTTP on its own port: raw JSON in, raw JSON compared.

mod common;

use common::*;
use openim_emulator::{md5_hex, spawn, ChatListenError, Config};
use openim_protocol::ApiVersion;
use reqwest::Method;
use serde_json::json;

const V34: ApiVersion = ApiVersion::V3_4;

/// The seeded chat v1.4 admins: account, nickname, adminUserID (= imUserID) (§1, §3.4).
const ADMINS: [(&str, &str, &str); 3] = [
    ("admin1", "chat1", "openIM123456"),
    ("admin2", "chat2", "openIM654321"),
    ("admin3", "chat3", "openIMAdmin"),
];

/// The request of §3.2, verbatim.
const ADMIN1_LOGIN: &str = r#"{"account":"admin1","password":"e00cf25ad42683b3df678c61f42c6bda"}"#;

/// The success envelope of §3.4 with the two tokens filled in, in Go's field order.
fn login_body(account: &str, nickname: &str, user_id: &str, admin: &str, im: &str) -> String {
    format!(
        r#"{{"errCode":0,"errMsg":"","errDlt":"","data":{{"adminAccount":"{account}","adminToken":"{admin}","nickname":"{nickname}","faceURL":"","level":100,"adminUserID":"{user_id}","imUserID":"{user_id}","imToken":"{im}"}}}}"#
    )
}

fn tokens(r: &Reply) -> (String, String) {
    let data = r.data();
    (
        data["adminToken"].as_str().expect("adminToken").to_string(),
        data["imToken"].as_str().expect("imToken").to_string(),
    )
}

/// adminToken (§3.5): HS256 with the OpenIM secret, `{UserID, UserType:2, PlatformID:0, exp,
/// nbf: iat-300, iat}`, exp = iat + the OpenIM token lifetime.
fn assert_admin_token(token: &str, user_id: &str, secret: &str, days: i64, window: (i64, i64)) {
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
            r#"{{"UserID":"{user_id}","UserType":2,"PlatformID":0,"exp":{},"nbf":{},"iat":{iat}}}"#,
            iat + days * 86_400,
            iat - 300
        )
    );
    assert!(
        signed_hs256_with(token, secret),
        "signed with {secret}: {token}"
    );
}

/// imToken (§3.6): what OpenIM v3.4 `/auth/user_token` issues for platform 10.
fn assert_im_token(token: &str, user_id: &str, secret: &str, days: i64, window: (i64, i64)) {
    let jwt = decode_jwt(token);
    assert_eq!(jwt.header_raw, r#"{"alg":"HS256","typ":"JWT"}"#);
    let iat = jwt.payload["iat"].as_i64().expect("iat");
    assert!(
        iat >= window.0 && iat <= window.1,
        "iat {iat} not in {window:?}"
    );
    assert_eq!(
        jwt.payload_raw,
        claims(user_id, 10, iat + days * 86_400, Some(iat - 300), iat)
    );
    assert!(
        signed_hs256_with(token, secret),
        "signed with {secret}: {token}"
    );
}

// ---------------------------------------------------------------------------------------------
// Success and the imToken on the OpenIM port
// ---------------------------------------------------------------------------------------------

#[test]
fn documented_passwords_are_the_md5_of_the_account() {
    assert_eq!(md5_hex("admin1"), "e00cf25ad42683b3df678c61f42c6bda");
    assert_eq!(md5_hex("chatAdmin"), "625031fc4e4f2de6b187e6bfa3697784");
    assert!(ADMIN1_LOGIN.contains(&md5_hex("admin1")));
}

#[tokio::test]
async fn the_documented_request_signs_in() {
    let emu = Emu::with_chat(V34).await;
    let before = now_secs();
    let r = emu.chat_login_raw(ADMIN1_LOGIN).await;
    let after = now_secs();
    let (admin, im) = tokens(&r);
    assert_eq!(
        r.body,
        login_body("admin1", "chat1", "openIM123456", &admin, &im)
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_admin_token(&admin, "openIM123456", SECRET, 90, (before, after));
    assert_im_token(&im, "openIM123456", SECRET, 90, (before, after));
}

#[tokio::test]
async fn every_seeded_admin_signs_in_with_md5_of_its_name() {
    let emu = Emu::with_chat(V34).await;
    for (account, nickname, user_id) in ADMINS {
        let before = now_secs();
        let r = emu.chat_login(account, account).await;
        let after = now_secs();
        let (admin, im) = tokens(&r);
        assert_eq!(r.body, login_body(account, nickname, user_id, &admin, &im));
        assert_admin_token(&admin, user_id, SECRET, 90, (before, after));
        assert_im_token(&im, user_id, SECRET, 90, (before, after));
    }
}

#[tokio::test]
async fn the_im_token_is_an_admin_token_on_the_openim_port() {
    let emu = Emu::with_chat(V34).await;
    for (account, _, user_id) in ADMINS {
        let (_, im) = tokens(&emu.chat_login(account, account).await);
        let r = emu
            .call(
                "/user/account_check",
                Some(&im),
                r#"{"checkUserIDs":["openIM123456","nobody"]}"#,
            )
            .await;
        assert_eq!(
            r.body,
            r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"results":[{"userID":"openIM123456","accountStatus":"registered"},{"userID":"nobody","accountStatus":"unregistered"}]}}"#,
            "account_check with the imToken of {account}"
        );
        // Stored as if issued through /auth/user_token: parse_token looks it up (§3.6).
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
                r#"{{"errCode":0,"errMsg":"","errDlt":"","data":{{"userID":"{user_id}","platform":"Admin","expireTimeSeconds":{exp}}}}}"#
            )
        );
    }
}

#[tokio::test]
async fn an_earlier_im_token_stays_valid_after_another_sign_in() {
    let emu = Emu::with_chat(V34).await;
    let (_, first) = tokens(&emu.chat_login("admin1", "admin1").await);
    let (_, second) = tokens(&emu.chat_login("admin1", "admin1").await);
    for im in [first, second] {
        let r = emu
            .call(
                "/user/get_users",
                Some(&im),
                r#"{"pagination":{"pageNumber":1,"showNumber":1}}"#,
            )
            .await;
        assert_eq!(r.code(), 0, "{}", r.body);
    }
}

#[tokio::test]
async fn configured_secret_and_lifetime_are_chat_v14_s_too() {
    // chat v1.4 copies `secret` and `tokenPolicy.expire` from the OpenIM config (§3.5).
    let emu = Emu::start_with(Config {
        secret: "s3cret".into(),
        token_expire_days: 7,
        ..config_with_chat(V34)
    })
    .await;
    let before = now_secs();
    let r = emu.chat_login("admin2", "admin2").await;
    let after = now_secs();
    let (admin, im) = tokens(&r);
    assert_admin_token(&admin, "openIM654321", "s3cret", 7, (before, after));
    assert_im_token(&im, "openIM654321", "s3cret", 7, (before, after));
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
async fn keys_match_case_insensitively_and_extra_fields_are_ignored() {
    let emu = Emu::with_chat(V34).await;
    let r = emu
        .chat_login_raw(
            r#"{"ACCOUNT":"admin3","Password":"32cacb2f994f6b42183a1300d9a3e8d6","version":"3.8.3"}"#,
        )
        .await;
    let (admin, im) = tokens(&r);
    assert_eq!(
        r.body,
        login_body("admin3", "chat3", "openIMAdmin", &admin, &im)
    );
}

#[tokio::test]
async fn the_body_is_json_whatever_the_content_type() {
    let emu = Emu::with_chat(V34).await;
    let r = emu
        .chat_post(
            "/account/login",
            &[("operationID", "x"), ("content-type", "text/plain")],
            ADMIN1_LOGIN,
        )
        .await;
    assert_eq!(r.data()["adminAccount"], "admin1");
}

#[tokio::test]
async fn only_the_first_json_value_is_read() {
    // gin's BindJSON is a json.Decoder: data after the value is never read.
    let emu = Emu::with_chat(V34).await;
    let r = emu
        .chat_login_raw(&format!("{ADMIN1_LOGIN} trailing"))
        .await;
    assert_eq!(r.data()["adminUserID"], "openIM123456");
}

#[tokio::test]
async fn the_account_matches_without_regard_to_case() {
    // MySQL's case-insensitive collation on the `account` key (§10): the stored name answers.
    let emu = Emu::with_chat(V34).await;
    let r = emu
        .chat_login_raw(r#"{"account":"ADMIN1","password":"e00cf25ad42683b3df678c61f42c6bda"}"#)
        .await;
    assert_eq!(r.data()["adminAccount"], "admin1");
}

// ---------------------------------------------------------------------------------------------
// Errors (§3.7)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn wrong_password_is_20001() {
    let emu = Emu::with_chat(V34).await;
    for body in [
        r#"{"account":"admin1","password":"e00cf25ad42683b3df678c61f42c6bdb"}"#,
        // The plaintext and upper-case hex are wrong too: the compare is byte for byte (§3.2).
        r#"{"account":"admin1","password":"admin1"}"#,
        r#"{"account":"admin1","password":"E00CF25AD42683B3DF678C61F42C6BDA"}"#,
        // Another admin's password.
        r#"{"account":"admin2","password":"e00cf25ad42683b3df678c61f42c6bda"}"#,
    ] {
        let r = emu.chat_login_raw(body).await;
        assert_err(&r, 20001, "PasswordError", ": 20001 PasswordError");
    }
}

#[tokio::test]
async fn unknown_account_is_20002() {
    let emu = Emu::with_chat(V34).await;
    for body in [
        r#"{"account":"admin4","password":"e00cf25ad42683b3df678c61f42c6bda"}"#,
        r#"{"account":"chatAdmin","password":"625031fc4e4f2de6b187e6bfa3697784"}"#,
        r#"{"account":"openIM123456","password":"x"}"#,
    ] {
        let r = emu.chat_login_raw(body).await;
        assert_err(&r, 20002, "AccountNotFound", ": 20002 AccountNotFound");
    }
}

#[tokio::test]
async fn empty_account_is_1001_before_the_password() {
    let emu = Emu::with_chat(V34).await;
    for body in [
        r#"{"account":"","password":"e00cf25ad42683b3df678c61f42c6bda"}"#,
        r#"{"password":"e00cf25ad42683b3df678c61f42c6bda"}"#,
        r#"{"account":null,"password":""}"#,
        "{}",
        "null",
    ] {
        let r = emu.chat_login_raw(body).await;
        assert_err(&r, 1001, "ArgsError", "account is empty: 1001 ArgsError");
    }
}

#[tokio::test]
async fn empty_password_is_1001() {
    let emu = Emu::with_chat(V34).await;
    for body in [
        r#"{"account":"admin1","password":""}"#,
        r#"{"account":"admin1"}"#,
        r#"{"account":"nobody"}"#,
    ] {
        let r = emu.chat_login_raw(body).await;
        assert_err(&r, 1001, "ArgsError", "password is empty: 1001 ArgsError");
    }
}

#[tokio::test]
async fn bad_json_is_http_400_with_the_go_error_as_a_500() {
    let emu = Emu::with_chat(V34).await;
    let cases = [
        ("", "EOF"),
        ("  ", "EOF"),
        (
            "xyz",
            "invalid character 'x' looking for beginning of value",
        ),
        (r#"{"account":"#, "unexpected EOF"),
        (
            r#"{"account":"admin1" "password":"x"}"#,
            "invalid character '\"' after object key:value pair",
        ),
        (
            r#"{"account":1,"password":"x"}"#,
            "json: cannot unmarshal number into Go struct field LoginReq.account of type string",
        ),
        (
            "[]",
            "json: cannot unmarshal array into Go value of type admin.LoginReq",
        ),
    ];
    for (body, go_error) in cases {
        let r = emu.chat_login_raw(body).await;
        assert_err_status(&r, 400, 500, go_error, "");
    }
}

#[tokio::test]
async fn missing_operation_id_is_1001_on_every_post() {
    let emu = Emu::with_chat(V34).await;
    for path in ["/account/login", "/account/info", "/nope", "/"] {
        for headers in [&[][..], &[("operationID", "")][..]] {
            let r = emu.chat_post(path, headers, ADMIN1_LOGIN).await;
            assert_err(
                &r,
                1001,
                "ArgsError",
                "header must have operationID: 1001 ArgsError",
            );
        }
    }
}

#[tokio::test]
async fn the_operation_id_header_name_is_case_insensitive() {
    let emu = Emu::with_chat(V34).await;
    let r = emu
        .chat_post("/account/login", &[("OPERATIONID", "1")], ADMIN1_LOGIN)
        .await;
    assert_eq!(r.data()["adminAccount"], "admin1");
}

// ---------------------------------------------------------------------------------------------
// Middleware: CORS, OPTIONS, 404 (§2.3)
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn options_is_answered_on_any_path_without_headers() {
    let emu = Emu::with_chat(V34).await;
    for path in ["/account/login", "/account/info", "/nope"] {
        let r = emu.chat_request(Method::OPTIONS, path, &[], "").await;
        assert_options(&r);
    }
}

#[tokio::test]
async fn cors_headers_on_success_and_error_answers() {
    let emu = Emu::with_chat(V34).await;
    assert_cors(&emu.chat_login_raw(ADMIN1_LOGIN).await);
    assert_cors(&emu.chat_login_raw("{}").await);
    assert_cors(&emu.chat_login_raw("").await);
}

#[tokio::test]
async fn unknown_routes_and_other_methods_are_gin_s_404() {
    let emu = Emu::with_chat(V34).await;
    let with_id = [("operationID", "x")];
    // Only the sign-in is served; the other admin routes (§6.1) are not.
    for path in [
        "/account/info",
        "/user/search/full",
        "/nope",
        "/",
        "/account/login/x",
    ] {
        assert_404(&emu.chat_post(path, &with_id, "{}").await);
    }
    for method in [Method::GET, Method::PUT, Method::DELETE, Method::PATCH] {
        assert_404(
            &emu.chat_request(method.clone(), "/account/login", &[], "")
                .await,
        );
        assert_404(
            &emu.chat_request(method, "/account/login", &with_id, ADMIN1_LOGIN)
                .await,
        );
    }
}

#[tokio::test]
async fn a_trailing_slash_is_redirected_before_any_middleware() {
    // gin's RedirectTrailingSlash: 307 for a POST, no CORS headers, no operationID check.
    let emu = Emu::with_chat(V34).await;
    let r = emu
        .chat_post("/account/login/?a=1", &[], ADMIN1_LOGIN)
        .await;
    assert_eq!(r.status, 307);
    assert_eq!(r.header("location"), Some("/account/login?a=1"));
    assert_eq!(r.body, "");
    assert_eq!(r.header("access-control-allow-origin"), None);
}

#[tokio::test]
async fn the_two_ports_serve_their_own_routes() {
    let emu = Emu::with_chat(V34).await;
    assert_404(&emu.call("/account/login", None, ADMIN1_LOGIN).await);
    let r = emu
        .chat_post(
            "/auth/user_token",
            &[("operationID", "x")],
            r#"{"secret":"openIM123","platformID":10,"userID":"openIM123456"}"#,
        )
        .await;
    assert_404(&r);
}

// ---------------------------------------------------------------------------------------------
// Starting it
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn no_chat_port_unless_configured() {
    let emu = Emu::start(V34).await;
    assert_eq!(emu.running.chat_addr, None);
    let emu = Emu::with_chat(V34).await;
    let chat = emu.running.chat_addr.expect("a chat address");
    assert_ne!(chat, emu.running.addr);
    assert_ne!(chat.port(), 0);
}

#[tokio::test]
async fn a_busy_chat_port_fails_the_start_and_says_so() {
    let busy = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = busy.local_addr().unwrap();
    let err = match spawn(Config {
        chat_listen: Some(addr),
        ..config(V34)
    })
    .await
    {
        Ok(_) => panic!("the emulator started on a busy chat port"),
        Err(e) => e,
    };
    assert_eq!(err.kind(), std::io::ErrorKind::AddrInUse);
    let chat = err
        .get_ref()
        .and_then(|e| e.downcast_ref::<ChatListenError>())
        .expect("a ChatListenError inside");
    assert_eq!(chat.addr, addr);
    assert!(err.to_string().contains(&addr.to_string()), "{err}");
}

#[tokio::test]
async fn dropping_the_emulator_stops_both_ports() {
    let emu = Emu::with_chat(V34).await;
    let (openim, chat) = (emu.running.addr, emu.running.chat_addr.unwrap());
    drop(emu);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    for addr in [openim, chat] {
        while tokio::net::TcpStream::connect(addr).await.is_ok() {
            assert!(std::time::Instant::now() < deadline, "{addr} still accepts");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }
}
