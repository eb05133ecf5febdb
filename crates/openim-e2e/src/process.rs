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

    /// The process's ID, which is also its process group's ([`group_cpu_time`]).
    pub fn id(&self) -> u32 {
        self.child.id()
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

/// How long [`wait_until_quiet`] waited, and what it saw.
#[derive(Clone, Copy, Debug)]
pub struct Settled {
    pub waited: Duration,
    /// False when the group was still busy at the limit (and the wait ended there).
    pub quiet: bool,
    /// How many processes the group had at the end.
    pub processes: usize,
}

/// [`wait_until_quiet`]'s quiet: the group used at most this much CPU time in the last
/// [`QUIET_WINDOW`] (a tenth of one CPU).
pub const QUIET_CPU: Duration = Duration::from_millis(30);
pub const QUIET_WINDOW: Duration = Duration::from_millis(300);

/// Waits until process group `group` is quiet ([`QUIET_CPU`] over [`QUIET_WINDOW`], sampled
/// from /proc every 50 ms), or until `limit` has passed.
pub async fn wait_until_quiet(group: u32, limit: Duration) -> Settled {
    let start = Instant::now();
    let mut samples = std::collections::VecDeque::new();
    loop {
        let now = Instant::now();
        let (used, processes) = group_cpu_time(group);
        samples.push_back((now, used));
        // The newest sample at least a window old starts the window.
        while samples.len() > 1 && now - samples[1].0 >= QUIET_WINDOW {
            samples.pop_front();
        }
        let (then, used_then) = samples[0];
        let quiet = now - then >= QUIET_WINDOW && used.saturating_sub(used_then) <= QUIET_CPU;
        if quiet || now - start >= limit {
            return Settled {
                waited: now - start,
                quiet,
                processes,
            };
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// CPU time, user and system, used so far by the live processes of process group `group`
/// (read from /proc; a process that has ended takes its share with it), and how many there are.
pub fn group_cpu_time(group: u32) -> (Duration, usize) {
    // SAFETY: sysconf(3) reads a constant of the system and touches no memory of ours.
    let ticks_per_second = match unsafe { libc::sysconf(libc::_SC_CLK_TCK) } {
        t if t > 0 => t as u64,
        _ => 100,
    };
    let (mut ticks, mut processes) = (0, 0);
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
            continue;
        };
        // proc(5): after the command's closing parenthesis come state, ppid, pgrp (the 3rd
        // field here), and later utime and stime (the 12th and 13th), in clock ticks.
        let Some((_, rest)) = stat.rsplit_once(") ") else {
            continue;
        };
        let fields: Vec<&str> = rest.split(' ').collect();
        let field = |i: usize| fields.get(i).and_then(|v| v.parse::<u64>().ok());
        if field(2) == Some(u64::from(group)) {
            ticks += field(11).unwrap_or(0) + field(12).unwrap_or(0);
            processes += 1;
        }
    }
    (
        Duration::from_millis(ticks * 1000 / ticks_per_second),
        processes,
    )
}

/// A port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("bind 127.0.0.1:0 to find a free port")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn group_running(script: &str) -> Owned {
        let mut command = Command::new("sh");
        command.args(["-c", script]);
        Owned::spawn("sh", command, None)
    }

    #[tokio::test]
    async fn a_group_that_keeps_a_cpu_busy_is_never_quiet_and_its_time_is_counted() {
        // Two busy processes in one group: the leader and a child it starts.
        let busy = group_running("(while :; do :; done) & while :; do :; done");
        let before = group_cpu_time(busy.id()).0;
        let settled = wait_until_quiet(busy.id(), Duration::from_millis(800)).await;
        let (after, processes) = group_cpu_time(busy.id());
        assert!(!settled.quiet, "{settled:?}");
        assert!(settled.waited >= Duration::from_millis(800), "{settled:?}");
        assert_eq!(processes, 2, "the shell and its child");
        assert!(
            after - before >= Duration::from_millis(400),
            "two spinning processes used only {:?} in {:?}",
            after - before,
            settled.waited
        );
    }

    #[tokio::test]
    async fn a_group_that_sleeps_is_quiet_after_one_window() {
        let idle = group_running("exec sleep 30");
        let settled = wait_until_quiet(idle.id(), Duration::from_secs(10)).await;
        assert!(settled.quiet, "{settled:?}");
        assert!(settled.waited >= QUIET_WINDOW, "{settled:?}");
        assert!(settled.waited < Duration::from_secs(2), "{settled:?}");
        assert_eq!(settled.processes, 1);
    }

    #[tokio::test]
    async fn a_group_goes_quiet_only_once_its_busy_start_is_over() {
        // Busy in the shell itself (no child to take its CPU time away when it ends), as a new
        // browser is busy launching, then it writes when it stopped and sleeps.
        let stopped = tempfile::NamedTempFile::new().expect("a temp file");
        let starting = group_running(&format!(
            "i=0; while [ $i -lt 1500000 ]; do i=$((i+1)); done; date +%s%N > {}; sleep 30",
            stopped.path().display()
        ));
        let settled = wait_until_quiet(starting.id(), Duration::from_secs(30)).await;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("after 1970");
        let stopped_at = std::fs::read_to_string(stopped.path()).expect("read the stop time");
        let stopped_at = Duration::from_nanos(
            stopped_at
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("quiet before the busy part ended: {settled:?}")),
        );
        assert!(settled.quiet, "{settled:?}");
        assert!(
            stopped_at <= now,
            "quiet before the busy part ended: {settled:?}"
        );
        assert!(
            now - stopped_at < Duration::from_secs(2),
            "quiet {:?} after the busy part ended: {settled:?}",
            now - stopped_at
        );
    }
}
