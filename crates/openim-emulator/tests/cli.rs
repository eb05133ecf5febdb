//! Command-line parsing of the emulator (`openim-emulator [flags]`).

use std::net::SocketAddr;

use openim_emulator::{parse_args, Config};
use openim_protocol::ApiVersion;

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn ok(list: &[&str]) -> Config {
    match parse_args(args(list)) {
        Ok(c) => c,
        Err(e) => panic!("{list:?} rejected: {e}"),
    }
}

fn err(list: &[&str]) -> String {
    match parse_args(args(list)) {
        Ok(_) => panic!("{list:?} accepted"),
        Err(e) => {
            assert!(!e.trim().is_empty(), "{list:?}: empty message");
            e
        }
    }
}

fn assert_defaults_except(c: &Config, what: &str) {
    if what != "listen" {
        assert_eq!(c.listen, "127.0.0.1:10002".parse::<SocketAddr>().unwrap());
    }
    if what != "api" {
        assert_eq!(c.api, ApiVersion::V3_4);
    }
    if what != "secret" {
        assert_eq!(c.secret, "openIM123");
    }
    if what != "days" {
        assert_eq!(c.token_expire_days, 90);
    }
    if what != "seed" {
        assert_eq!(c.seed_users, 0);
    }
}

#[test]
fn defaults() {
    assert_defaults_except(&ok(&[]), "");
    assert_defaults_except(&Config::default(), "");
}

#[test]
fn the_binary_serves_chat_on_10009_the_library_only_when_asked() {
    assert_eq!(
        ok(&[]).chat_listen,
        Some("127.0.0.1:10009".parse::<SocketAddr>().unwrap())
    );
    assert_eq!(Config::default().chat_listen, None);
    assert_eq!(openim_emulator::DEFAULT_CHAT_PORT, 10009);
}

#[test]
fn chat_listen() {
    let c = ok(&["--chat-listen", "0.0.0.0:19009"]);
    assert_eq!(
        c.chat_listen,
        Some("0.0.0.0:19009".parse::<SocketAddr>().unwrap())
    );
    assert_defaults_except(&c, "");
    let c = ok(&["--chat-listen=[::1]:10009", "--api", "v3.8"]);
    assert_eq!(c.chat_listen, Some("[::1]:10009".parse().unwrap()));
    assert_eq!(c.api, ApiVersion::V3_8);
    // Ephemeral ports on both are fine.
    let c = ok(&["--listen", "127.0.0.1:0", "--chat-listen", "127.0.0.1:0"]);
    assert_eq!(c.chat_listen.unwrap().port(), 0);
}

#[test]
fn no_chat() {
    let c = ok(&["--no-chat"]);
    assert_eq!(c.chat_listen, None);
    assert_defaults_except(&c, "");
    let c = ok(&["--api", "v3.8", "--no-chat", "--quiet"]);
    assert_eq!(c.chat_listen, None);
    assert!(c.quiet);
}

#[test]
fn chat_flag_conflicts_are_rejected() {
    for list in [
        &["--no-chat", "--chat-listen", "127.0.0.1:1"][..],
        &["--chat-listen", "127.0.0.1:1", "--no-chat"][..],
    ] {
        let msg = err(list);
        assert!(
            msg.contains("--no-chat") && msg.contains("--chat-listen"),
            "{msg:?}"
        );
    }
    let msg = err(&[
        "--listen",
        "127.0.0.1:7000",
        "--chat-listen",
        "127.0.0.1:7000",
    ]);
    assert!(
        msg.contains("--chat-listen") && msg.contains("--listen"),
        "{msg:?}"
    );
    let msg = err(&["--chat-listen", "127.0.0.1:10002"]);
    assert!(msg.contains("127.0.0.1:10002"), "{msg:?}");
}

#[test]
fn switches_take_no_value() {
    for flag in ["--no-chat=true", "--quiet=1"] {
        let msg = err(&[flag]);
        assert!(msg.contains(flag), "{msg:?}");
    }
}

#[test]
fn usage_names_the_chat_flags() {
    for flag in ["--chat-listen", "--no-chat", "10009"] {
        assert!(openim_emulator::USAGE.contains(flag), "{flag}");
    }
}

#[test]
fn listen() {
    let c = ok(&["--listen", "0.0.0.0:9999"]);
    assert_eq!(c.listen, "0.0.0.0:9999".parse::<SocketAddr>().unwrap());
    assert_defaults_except(&c, "listen");
    let c = ok(&["--listen", "[::1]:8080"]);
    assert_eq!(c.listen, "[::1]:8080".parse::<SocketAddr>().unwrap());
    let c = ok(&["--listen", "127.0.0.1:0"]);
    assert_eq!(c.listen.port(), 0);
}

#[test]
fn api() {
    let c = ok(&["--api", "v3.8"]);
    assert_eq!(c.api, ApiVersion::V3_8);
    assert_defaults_except(&c, "api");
    let c = ok(&["--api", "v3.4"]);
    assert_eq!(c.api, ApiVersion::V3_4);
}

#[test]
fn secret() {
    let c = ok(&["--secret", "s3cret with spaces"]);
    assert_eq!(c.secret, "s3cret with spaces");
    assert_defaults_except(&c, "secret");
}

#[test]
fn token_expire_days() {
    let c = ok(&["--token-expire-days", "7"]);
    assert_eq!(c.token_expire_days, 7);
    assert_defaults_except(&c, "days");
    assert_eq!(ok(&["--token-expire-days", "3650"]).token_expire_days, 3650);
}

#[test]
fn seed_users() {
    let c = ok(&["--seed-users", "100000"]);
    assert_eq!(c.seed_users, 100_000);
    assert_defaults_except(&c, "seed");
    assert_eq!(ok(&["--seed-users", "0"]).seed_users, 0);
}

#[test]
fn all_flags_in_any_order() {
    let c = ok(&[
        "--seed-users",
        "12",
        "--api",
        "v3.8",
        "--token-expire-days",
        "30",
        "--secret",
        "x",
        "--listen",
        "127.0.0.1:4000",
    ]);
    assert_eq!(c.seed_users, 12);
    assert_eq!(c.api, ApiVersion::V3_8);
    assert_eq!(c.token_expire_days, 30);
    assert_eq!(c.secret, "x");
    assert_eq!(c.listen, "127.0.0.1:4000".parse::<SocketAddr>().unwrap());
}

#[test]
fn unknown_flags_are_rejected_by_name() {
    for flag in ["--bogus", "--port", "-x", "--API"] {
        let msg = err(&[flag, "1"]);
        assert!(msg.contains(flag), "message for {flag}: {msg:?}");
    }
    let msg = err(&["--api", "v3.8", "--verbose"]);
    assert!(msg.contains("--verbose"), "{msg:?}");
}

#[test]
fn flags_without_a_value_are_rejected() {
    for flag in [
        "--listen",
        "--api",
        "--secret",
        "--token-expire-days",
        "--seed-users",
        "--chat-listen",
    ] {
        let msg = err(&[flag]);
        assert!(msg.contains(flag), "message for a bare {flag}: {msg:?}");
    }
}

#[test]
fn bad_values_are_rejected_with_the_flag_or_value_named() {
    let cases = [
        ("--listen", "notanaddr"),
        ("--listen", "127.0.0.1"),
        ("--listen", "127.0.0.1:99999"),
        ("--api", "v9"),
        ("--api", "v3.6"),
        ("--api", ""),
        ("--token-expire-days", "abc"),
        ("--token-expire-days", "-1"),
        ("--token-expire-days", "1.5"),
        ("--seed-users", "x"),
        ("--seed-users", "-5"),
        ("--seed-users", "99999999999"),
        ("--chat-listen", "notanaddr"),
        ("--chat-listen", "10009"),
        ("--chat-listen", ""),
    ];
    for (flag, value) in cases {
        let msg = err(&[flag, value]);
        assert!(
            msg.contains(flag) || (!value.is_empty() && msg.contains(value)),
            "message for {flag} {value:?}: {msg:?}"
        );
    }
}

#[test]
fn api_error_names_the_choices() {
    let msg = err(&["--api", "v9"]);
    assert!(msg.contains("v3.4") && msg.contains("v3.8"), "{msg:?}");
}
