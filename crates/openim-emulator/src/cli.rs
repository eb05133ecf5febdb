//! The command line: `openim-emulator [--listen ADDR] [--api v3.4|v3.8] [--secret S]
//! [--token-expire-days N] [--seed-users N] [--quiet]`.

use std::net::SocketAddr;

use crate::Config;

pub const USAGE: &str = "usage: openim-emulator [--listen ADDR] [--api v3.4|v3.8] [--secret S] \
[--token-expire-days N] [--seed-users N] [--quiet]

  --listen ADDR           address to listen on (default 127.0.0.1:10002)
  --api v3.4|v3.8         OpenIM API generation to answer as (default v3.4)
  --secret S              the server secret (default openIM123)
  --token-expire-days N   token lifetime in days, 1 or more (default 90)
  --seed-users N          add N ordinary users user000001.. (default 0)
  --quiet                 do not log one line per request";

/// Parses the arguments after the program name. `Err` holds a message for the operator.
pub fn parse_args<I: IntoIterator<Item = String>>(args: I) -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        if flag == "--quiet" {
            config.quiet = true;
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
            _ => unreachable!("flag list checked above"),
        }
    }
    Ok(config)
}
