//! Child processes the harness owns (nginx, chromedriver), each in its own process group so that
//! stopping one also stops what it started (nginx workers, Chromium), and free local ports.

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The process group of every [`Owned`] not yet stopped, for [`kill_every_group`].
static GROUPS: Mutex<Vec<u32>> = Mutex::new(Vec::new());

fn groups() -> std::sync::MutexGuard<'static, Vec<u32>> {
    GROUPS.lock().unwrap_or_else(PoisonError::into_inner)
}

/// SIGKILL to the process group of every [`Owned`] not yet stopped, Chromium and nginx workers
/// included. For a program built with `panic = "abort"` (the workspace's release profile, which
/// openim-bench runs in): a panic there runs no `Drop`, and would leave them all running, to
/// share the CPUs with every later measurement. Its panic hook calls this.
pub fn kill_every_group() {
    for pid in groups().iter() {
        signal_group(*pid, libc::SIGKILL);
    }
}

/// A child process in a process group of its own, stopped when dropped.
pub struct Owned {
    name: &'static str,
    child: Child,
}

impl Owned {
    /// Starts `command` in a new process group. Its output goes to `log` when given, else nowhere.
    pub fn spawn(name: &'static str, mut command: Command, log: Option<&std::path::Path>) -> Owned {
        command.process_group(0).stdin(Stdio::null());
        match log {
            Some(path) => {
                let file = std::fs::File::create(path)
                    .unwrap_or_else(|e| panic!("cannot create {}: {e}", path.display()));
                let copy = file.try_clone().expect("clone log file handle");
                command.stdout(file).stderr(copy);
            }
            None => {
                command.stdout(Stdio::null()).stderr(Stdio::null());
            }
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {name} ({:?}): {e}", command.get_program()));
        groups().push(child.id());
        Owned { name, child }
    }

    /// The exit status if the process has ended.
    pub fn exited(&mut self) -> Option<ExitStatus> {
        self.child.try_wait().ok().flatten()
    }

    /// SIGTERM to the group (nginx and chromedriver shut down cleanly on it), SIGKILL to the
    /// group if the leader is still there after five seconds.
    pub fn stop(&mut self) {
        if self.exited().is_some() {
            signal_group(self.child.id(), libc::SIGKILL);
            return;
        }
        signal_group(self.child.id(), libc::SIGTERM);
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if self.exited().is_some() {
                // Leftovers of the group (an orphaned worker or renderer) go too.
                signal_group(self.child.id(), libc::SIGKILL);
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        eprintln!(
            "{} did not stop on SIGTERM within 5 s; killing it",
            self.name
        );
        signal_group(self.child.id(), libc::SIGKILL);
        let _ = self.child.wait();
    }
}

impl Drop for Owned {
    fn drop(&mut self) {
        self.stop();
        let pid = self.child.id();
        groups().retain(|p| *p != pid);
    }
}

fn signal_group(pid: u32, signal: libc::c_int) {
    // The group ID equals the leader's PID (process_group(0)).
    // SAFETY: kill(2) with a negative PID signals that process group and touches no memory.
    unsafe {
        libc::kill(-(pid as libc::pid_t), signal);
    }
}

/// A port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0 to find a free port")
}
