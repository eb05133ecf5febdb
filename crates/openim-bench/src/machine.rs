//! The machine a run measured: cores, CPU, memory, how busy it was, and the browser and web
//! server versions, so that two reports can be told apart.

use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::process::Command;
use std::time::Instant;

use serde::Serialize;

#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    pub nproc: usize,
    pub cpu_model: String,
    pub memory: String,
    pub kernel: String,
    /// /proc/loadavg's 1, 5 and 15 minute averages when the run started and ended.
    pub load_average_start: String,
    pub load_average_end: String,
    /// [`wakeup_round_trip_us`] when the run started and ended.
    pub wakeup_round_trip_us_start: f64,
    pub wakeup_round_trip_us_end: f64,
    pub chromium: String,
    pub nginx: String,
}

impl Machine {
    pub fn read() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let cpu_model = cpuinfo
            .lines()
            .find_map(|l| l.strip_prefix("model name")?.split_once(':'))
            .map(|(_, v)| v.trim().to_string())
            .unwrap_or_else(|| "unknown".into());
        let memory = std::fs::read_to_string("/proc/meminfo")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l.strip_prefix("MemTotal:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .map(|kb| format!("{:.1} GiB RAM", kb as f64 / 1024.0 / 1024.0))
            .unwrap_or_else(|| "RAM unknown".into());
        let chrome = std::env::var("CHROME").unwrap_or_else(|_| "/usr/bin/chromium".into());
        Machine {
            nproc: std::thread::available_parallelism().map_or(1, |n| n.get()),
            cpu_model,
            memory,
            kernel: first_line(&std::fs::read_to_string("/proc/sys/kernel/osrelease").ok()),
            load_average_start: load_average(),
            load_average_end: String::new(),
            wakeup_round_trip_us_start: wakeup_round_trip_us(),
            wakeup_round_trip_us_end: f64::NAN,
            chromium: command_output(&chrome, &["--version"]),
            nginx: command_output("nginx", &["-v"]),
        }
    }
}

pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// How long one thread takes to wake another and be woken back, in microseconds: the median
/// of 5 batches of 2,000 one-byte round trips over a Unix socket pair. Chromium's processes and
/// threads hand every request, frame and storage access to each other, so a cold load follows
/// this figure more than the CPU's speed. On a quiet VM it is the cost of waking an idle
/// virtual CPU, which the host decides: seen here about 65 us in an hour whose cold loads took
/// twice the usual. Other work keeping the CPUs awake makes it small (about 5 us), so it says
/// most when read on a quiet machine, as at the start of a run.
pub fn wakeup_round_trip_us() -> f64 {
    const TRIPS: u32 = 2_000;
    let Ok((mut here, mut there)) = UnixStream::pair() else {
        return f64::NAN;
    };
    let echo = std::thread::spawn(move || {
        let mut byte = [0u8; 1];
        while there.read_exact(&mut byte).is_ok() {
            if there.write_all(&byte).is_err() {
                break;
            }
        }
    });
    let mut batches = Vec::new();
    let mut byte = [0u8; 1];
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..TRIPS {
            if here.write_all(&byte).is_err() || here.read_exact(&mut byte).is_err() {
                return f64::NAN;
            }
        }
        batches.push(start.elapsed().as_secs_f64() * 1e6 / f64::from(TRIPS));
    }
    drop(here);
    let _ = echo.join();
    batches.sort_by(f64::total_cmp);
    batches[batches.len() / 2]
}

/// The first line a command prints (on either stream: `nginx -v` writes to stderr).
fn command_output(program: &str, args: &[&str]) -> String {
    match Command::new(program).args(args).output() {
        Ok(out) => {
            let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
            let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
            let text = if stdout.trim().is_empty() {
                stderr
            } else {
                stdout
            };
            first_line(&Some(text))
        }
        Err(e) => format!("{program}: {e}"),
    }
}

fn first_line(text: &Option<String>) -> String {
    text.as_deref()
        .and_then(|t| t.lines().next())
        .unwrap_or("unknown")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_a_wake_up_round_trip() {
        let us = wakeup_round_trip_us();
        // 10,000 round trips take between a fraction of a microsecond and a second each.
        assert!(us.is_finite() && us > 0.0 && us < 1e6, "{us}");
    }
}
