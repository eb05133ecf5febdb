//! The machine a run measured: cores, CPU, memory, how busy it was, and the browser and web
//! server versions, so that two reports can be told apart.

use std::process::Command;

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
