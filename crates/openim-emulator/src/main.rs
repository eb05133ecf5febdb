//! `openim-emulator`: runs the local OpenIM-compatible server until Ctrl-C.

use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    let config = match openim_emulator::parse_args(std::env::args().skip(1)) {
        Ok(c) => c,
        Err(msg) if msg == openim_emulator::USAGE => {
            println!("{msg}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("openim-emulator: {msg}");
            return ExitCode::from(2);
        }
    };
    let summary = format!(
        "OpenIM {} emulator, secret {:?}, {} seeded users",
        config.api,
        "*".repeat(config.secret.len()),
        config.seed_users
    );
    let running = match openim_emulator::spawn(config.clone()).await {
        Ok(r) => r,
        Err(e) => {
            eprintln!("openim-emulator: cannot listen on {}: {e}", config.listen);
            return ExitCode::from(1);
        }
    };
    eprintln!("{summary}, listening on http://{}", running.addr);
    let _ = tokio::signal::ctrl_c().await;
    drop(running);
    ExitCode::SUCCESS
}
