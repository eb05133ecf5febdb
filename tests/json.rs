//! JSON in the browser (src/json.rs reads and writes it with the browser's own JSON): the text
//! the console sends, stores and shows is the text serde_json writes, byte for byte, and answers
//! decode as they do natively.

#![cfg(target_arch = "wasm32")]

use openim_admin::api::probe::{classify, Probe};
use openim_admin::api::{decode_answer, decode_large_answer, log, ApiError};
use openim_admin::json;
use openim_admin::session::{Settings, SignInMode, SignedIn};
use openim_protocol::auth::{GetAdminTokenReq, TokenResp, UserTokenReq};
use openim_protocol::chat::LoginReq;
use openim_protocol::user::{
    AccountCheckReq, GetUsersReq, GetUsersResp, NewUser, RequestPagination, UserInfo,
    UserRegisterReq,
};
use openim_protocol::{ApiVersion, ErrCode};
use serde::Serialize;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn same_text<T: Serialize>(value: &T) {
    assert_eq!(
        json::to_string(value).unwrap(),
        serde_json::to_string(value).unwrap()
    );
}

#[wasm_bindgen_test]
fn writes_what_serde_json_writes() {
    let user = UserInfo {
        user_id: "u\"1\\\n\t\u{1}\u{7f}张😀".into(),
        nickname: "</script>".into(),
        face_url: String::new(),
        ex: "{\"a\":1}".into(),
        create_time: 1_699_600_000_000,
        app_manger_level: -2,
        global_recv_msg_opt: 0,
    };
    let empty = UserInfo::default();
    same_text(&UserRegisterReq {
        secret: Some("openIM123"),
        users: vec![NewUser::from(&user), NewUser::from(&empty)],
    });
    same_text(&UserRegisterReq {
        secret: None,
        users: vec![NewUser::from(&user)],
    });
    same_text(&GetUsersReq {
        pagination: RequestPagination {
            page_number: 1,
            show_number: 2000,
        },
        user_id: None,
        nick_name: Some("n".into()),
    });
    same_text(&AccountCheckReq {
        check_user_ids: vec!["a".into(), "b".into()],
    });
    same_text(&UserTokenReq {
        secret: "s".into(),
        platform_id: 10,
        user_id: "imAdmin".into(),
    });
    same_text(&GetAdminTokenReq {
        secret: "s".into(),
        user_id: "imAdmin".into(),
    });
    same_text(&LoginReq::new("chatAdmin", "pw"));
    let settings = Settings {
        version: Some(ApiVersion::V3_8),
        mode: SignInMode::Chat,
        ..Settings::default()
    };
    same_text(&settings);
    same_text(&Settings::default());
    let signed_in = SignedIn {
        base: "/api".into(),
        version: ApiVersion::V3_4,
        admin_id: "imAdmin".into(),
        token: "t".into(),
        expires_at: 1_700_000_000,
        via_chat: None,
    };
    same_text(&signed_in);
    let stored = serde_json::to_string(&settings).unwrap();
    assert_eq!(json::from_str::<Settings>(&stored).unwrap(), settings);
    let stored = serde_json::to_string(&signed_in).unwrap();
    assert_eq!(json::from_str::<SignedIn>(&stored).unwrap(), signed_in);
    assert!(json::from_str::<Settings>("{").is_err());
}

#[wasm_bindgen_test]
fn decodes_answers() {
    let ok: Option<TokenResp> = decode_answer(
        200,
        r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":"t","expireTimeSeconds":7776000}}"#,
    )
    .unwrap();
    assert_eq!(ok.unwrap().expire_time_seconds, 7776000);
    for body in [
        r#"{"errCode":0,"errMsg":"","errDlt":""}"#,
        r#"{"errCode":0,"errMsg":"","errDlt":"","data":null}"#,
    ] {
        assert_eq!(decode_answer::<TokenResp>(200, body).unwrap(), None);
        assert_eq!(decode_large_answer::<TokenResp>(200, body).unwrap(), None);
    }
    let any: Option<serde::de::IgnoredAny> = decode_answer(
        200,
        r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"x":[1]}}"#,
    )
    .unwrap();
    assert!(any.is_some());
    assert!(matches!(
        decode_answer::<TokenResp>(
            200,
            r#"{"errCode":1002,"errMsg":"NoPermissionError","errDlt":"x"}"#
        ),
        Err(ApiError::OpenIm {
            code: ErrCode::NO_PERMISSION,
            ..
        })
    ));
    assert!(matches!(
        decode_answer::<TokenResp>(
            400,
            r#"{"errCode":1001,"errMsg":"ArgsError","errDlt":"EOF"}"#
        ),
        Err(ApiError::OpenIm {
            code: ErrCode::ARGS,
            ..
        })
    ));
    assert!(matches!(
        decode_answer::<TokenResp>(502, "<html>Bad Gateway</html>"),
        Err(ApiError::Http { status: 502, .. })
    ));
    for body in [
        "not json",
        r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"token":7}}"#,
        r#"{"errMsg":""}"#,
        "[]",
    ] {
        assert!(
            matches!(
                decode_answer::<TokenResp>(200, body),
                Err(ApiError::Decode(_))
            ),
            "{body}"
        );
        assert!(
            matches!(
                decode_large_answer::<TokenResp>(200, body),
                Err(ApiError::Decode(_))
            ),
            "{body}"
        );
    }
    let page: GetUsersResp = decode_large_answer(
        200,
        r#"{"errCode":0,"errMsg":"","errDlt":"","data":{"total":4,"users":[{"userID":"openIM123456","nickname":"system1","faceURL":"","ex":"","createTime":1699600000000,"appMangerLevel":2,"globalRecvMsgOpt":0}]}}"#,
    )
    .unwrap()
    .unwrap();
    let users = page.users.unwrap();
    assert_eq!(
        (page.total, users[0].user_id.as_str(), users[0].create_time),
        (4, "openIM123456", 1699600000000)
    );
}

#[wasm_bindgen_test]
fn reads_err_codes_and_generations() {
    assert_eq!(
        log::err_code(r#"{"errCode":1501,"errMsg":"TokenExpiredError","errDlt":""}"#),
        Some(1501)
    );
    assert_eq!(log::err_code(r#"{"errCode":null}"#), None);
    assert_eq!(log::err_code(r#"{"errCode":"1"}"#), None);
    assert_eq!(log::err_code("404 page not found"), None);
    assert_eq!(
        classify(404, "404 page not found"),
        Ok(Probe::Detected(ApiVersion::V3_4))
    );
    assert_eq!(
        classify(200, r#"{"errCode":1001,"errMsg":"ArgsError","errDlt":""}"#),
        Ok(Probe::Detected(ApiVersion::V3_8))
    );
    assert!(matches!(
        classify(200, "<html>index</html>"),
        Ok(Probe::Unrecognised(_))
    ));
}

#[wasm_bindgen_test]
fn reads_token_claims_as_the_protocol_crate_does() {
    let tokens = [
        // A v3.4 token's claims (§2.1).
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJVc2VySUQiOiJvcGVuSU0xMjM0NTYiLCJQbGF0Zm9ybUlEIjoxMCwiZXhwIjoxNzA3MzczMjE3LCJuYmYiOjE2OTk1OTY5MTcsImlhdCI6MTY5OTU5NzIxN30.x",
        "a.e30.b",
        "a.bm90IGpzb24.b",
        "a.!.b",
        "a.b",
    ];
    for token in tokens {
        let ours = json::decode_claims(token);
        let theirs = openim_protocol::claims::decode_claims(token);
        assert_eq!(ours.is_ok(), theirs.is_ok(), "{token}");
        if let (Ok(ours), Ok(theirs)) = (&ours, &theirs) {
            assert_eq!(ours, theirs);
        }
    }
    assert_eq!(
        json::decode_claims(tokens[0]).unwrap().user_id,
        "openIM123456"
    );
}
