//! The command line: `openim-emulator [--listen ADDR] [--api v3.4|v3.8] [--secret S]
//! [--token-expire-days N] [--seed-users N] [--chat-listen ADDR | --no-chat] [--quiet]`.

use std::net::SocketAddr;

use crate::{Config, DEFAULT_CHAT_PORT};

pub const USAGE: &str = "usage: openim-emulator [--listen ADDR] [--api v3.4|v3.8] [--secret S] \
[--token-expire-days N] [--seed-users N] [--chat-listen ADDR | --no-chat] [--quiet]

  --listen ADDR           address to listen on (default 127.0.0.1:10002)
  --api v3.4|v3.8         OpenIM API generation to answer as (default v3.4)
  --secret S              the server secret (default openIM123)
  --token-expire-days N   token lifetime in days, 1 or more (default 90)
  --seed-users N          add N ordinary users user000001.. (default 0)
  --chat-listen ADDR      address of the chat admin sign-in, chat v1.4 with v3.4 and
                          v1.8 with v3.8 (default 127.0.0.1:10009)
  --no-chat               do not serve the chat admin sign-in
  --quiet                 do not log one line per request";

/// Parses the arguments after the program name. `Err` holds a message for the operator.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
    // The binary serves chat's sign-in on chat's own port unless told otherwise; the library's
    // `Config::default()` leaves it off.
    let mut config = Config {
        chat_listen: Some(SocketAddr::from(([127, 0, 0, 1], DEFAULT_CHAT_PORT))),
        ..Config::default()
    };
    let (mut chat_listen_given, mut no_chat) = (false, false);
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--quiet" || flag == "--no-chat" {
            if inline.is_some() {
                return Err(format!("{flag} takes no value, got {arg:?}\n{USAGE}"));
            }
            match flag.as_str() {
                "--quiet" => config.quiet = true,
                _ => no_chat = true,
            }
            continue;
        }
        if flag == "-h" || flag == "--help" {
            return Err(USAGE.to_string());
        }
        if ![
            "--listen",
            "--api",
            "--secret",
            "--token-expire-days",
            "--seed-users",
            "--chat-listen",
        ]
        .contains(&flag.as_str())
        {
            return Err(format!("unknown option {arg:?}\n{USAGE}"));
        }
        let value = match inline.or_else(|| args.next()) {
            Some(v) => v,
            None => return Err(format!("{flag} needs a value\n{USAGE}")),
        };
        match flag.as_str() {
            "--listen" => {
                config.listen = value.parse::<SocketAddr>().map_err(|_| {
                    format!("--listen {value:?} is not an address: write IP:PORT, for example 127.0.0.1:10002")
                })?
            }
            "--api" => config.api = value.parse().map_err(|e| format!("--api: {e}"))?,
            "--secret" => {
                if value.is_empty() {
                    return Err("--secret must not be empty".into());
                }
                config.secret = value
            }
            "--token-expire-days" => {
                config.token_expire_days = match value.parse::<u32>() {
                    Ok(n) if (1..=36500).contains(&n) => n,
                    _ => return Err(format!("--token-expire-days {value:?} must be a whole number of days from 1 to 36500")),
                }
            }
            "--seed-users" => {
                config.seed_users = value
                    .parse::<u32>()
                    .map_err(|_| format!("--seed-users {value:?} must be a whole number, 0 or more"))?
            }
            "--chat-listen" => {
                chat_listen_given = true;
                config.chat_listen = Some(value.parse::<SocketAddr>().map_err(|_| {
                    format!("--chat-listen {value:?} is not an address: write IP:PORT, for example 127.0.0.1:10009")
                })?)
            }
            _ => unreachable!("flag list checked above"),
        }
    }
    if no_chat {
        if chat_listen_given {
            return Err(format!(
                "--no-chat and --chat-listen contradict each other: give one\n{USAGE}"
            ));
        }
        config.chat_listen = None;
    }
    if let Some(chat) = config.chat_listen {
        if chat == config.listen && chat.port() != 0 {
            return Err(format!(
                "--chat-listen {chat} is the address of --listen: the chat admin API needs a port of its own"
            ));
        }
    }
    Ok(config)
}
