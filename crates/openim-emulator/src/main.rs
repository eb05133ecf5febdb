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
            let chat = e
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<openim_emulator::ChatListenError>());
            match chat {
                Some(chat) => eprintln!(
                    "openim-emulator: {chat}; choose another address with --chat-listen ADDR or turn it off with --no-chat"
                ),
                None => eprintln!("openim-emulator: cannot listen on {}: {e}", config.listen),
            }
            return ExitCode::from(1);
        }
    };
    eprintln!("{summary}, listening on http://{}", running.addr);
    if let Some(chat) = running.chat_addr {
        eprintln!(
            "chat {} admin sign-in (POST /account/login) on http://{chat}",
            openim_emulator::chat_version(config.api)
        );
    }
    let _ = tokio::signal::ctrl_c().await;
    drop(running);
    ExitCode::SUCCESS
}
