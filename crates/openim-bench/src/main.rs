//! `openim-bench`: the figures of the "Performance" issue, measured on the release build in
//! dist/ served by nginx with deploy/nginx.conf in front of the OpenIM emulator, in headless
//! Chromium over WebDriver (openim-e2e's harness). Writes target/bench/report.json and
//! target/bench/report.txt (`--quick`: target/bench/quick/) and prints the tables.
//! `make bench` (scripts/bench.sh) builds everything first; this binary measures only.
//!
//! Each figure is the median of its runs, with min and max beside it; a comparison is a ratio of
//! runs interleaved in this one process. `--quick` runs every figure on tiny inputs, twice, to
//! show that the harness still works (`make test`); its numbers mean nothing.

mod big_page;
mod bulk_import;
mod cold_load;
mod console;
mod emulator_load;
mod export;
mod machine;
mod report;
mod stats;
mod stopwatch;
mod transfer;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use openim_e2e::{ApiVersion, Config, Stack};
use serde_json::json;

use crate::report::{Figure, Report, Unit};
use crate::stats::Budget;

const USAGE: &str =
    "usage: openim-bench [--quick] [--runs N] [--emulator-bin PATH] [--only FIGURES]

  --quick             every figure on tiny inputs, 2 runs: checks the harness, times nothing;
                      writes target/bench/quick/ instead of target/bench/
  --runs N            runs per figure (default 10; --quick: 2)
  --emulator-bin PATH the emulator binary to load in its own process for the emulator figures
                      (default: the emulator inside this process)
  --only FIGURES      comma-separated subset of: cold-load,big-page,export,import,emulator
                      (transfer sizes are always measured)

Needs dist/ (make build), nginx, chromium and chromedriver (make bootstrap).";

const FIGURE_GROUPS: [&str; 5] = ["cold-load", "big-page", "export", "import", "emulator"];
/// The budget for what the first page loads, gzip: 150 KB, taken as 150,000 bytes.
const FIRST_PAGE_BUDGET_BYTES: f64 = 150_000.0;

/// The inputs of a run.
#[derive(Clone, Debug)]
struct Params {
    quick: bool,
    runs: usize,
    /// Users seeded for the cold load, big page, export and emulator figures.
    users: u32,
    /// Rows of the big page.
    page_rows: usize,
    import_rows: usize,
    load: emulator_load::Load,
    emulator_bin: Option<PathBuf>,
    only: Vec<String>,
}

impl Params {
    fn parse(args: impl Iterator<Item = String>) -> Result<Params, String> {
        let mut quick = false;
        let mut runs = None;
        let mut emulator_bin = None;
        let mut only: Vec<String> = FIGURE_GROUPS.iter().map(|s| s.to_string()).collect();
        let mut args = args;
        while let Some(arg) = args.next() {
            let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
            match arg.as_str() {
                "--quick" => quick = true,
                "--runs" => {
                    let v = value("--runs")?;
                    runs = Some(
                        v.parse::<usize>()
                            .ok()
                            .filter(|n| *n >= 1)
                            .ok_or(format!("--runs {v:?}: a whole number, 1 or more"))?,
                    );
                }
                "--emulator-bin" => emulator_bin = Some(PathBuf::from(value("--emulator-bin")?)),
                "--only" => {
                    only = value("--only")?.split(',').map(str::to_string).collect();
                    if let Some(bad) = only.iter().find(|g| !FIGURE_GROUPS.contains(&g.as_str())) {
                        return Err(format!("--only: no figure {bad:?}"));
                    }
                }
                "-h" | "--help" => return Err(USAGE.into()),
                other => return Err(format!("unknown argument {other:?}\n\n{USAGE}")),
            }
        }
        let load = if quick {
            emulator_load::Load {
                clients: 4,
                get_small: 40,
                get_large: 8,
                register: 8,
                time_cap: Duration::from_secs(5),
                register_batch: 10,
            }
        } else {
            emulator_load::Load {
                clients: 16,
                get_small: 4000,
                get_large: 400,
                register: 40,
                time_cap: Duration::from_secs(10),
                register_batch: 1000,
            }
        };
        Ok(Params {
            quick,
            runs: runs.unwrap_or(if quick { 2 } else { 10 }),
            users: if quick { 1000 } else { 100_000 },
            page_rows: if quick { 100 } else { 1000 },
            import_rows: if quick { 200 } else { 10_000 },
            load,
            emulator_bin,
            only,
        })
    }

    fn wants(&self, group: &str) -> bool {
        self.only.iter().any(|g| g == group)
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    // Built in release, where a panic aborts without unwinding: stop the browsers and nginx
    // before that, or they would run on beside every later measurement.
    let report_panic = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        report_panic(info);
        openim_e2e::kill_every_group();
    }));
    let params = match Params::parse(std::env::args().skip(1)) {
        Ok(p) => p,
        Err(msg) if msg == USAGE => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(msg) => {
            eprintln!("openim-bench: {msg}");
            return ExitCode::from(2);
        }
    };
    let root = openim_e2e::repo_root();
    let dist = root.join("dist");
    // A --quick run (make test) must not replace the measurement of the last make bench.
    let out_dir = root.join(if params.quick {
        "target/bench/quick"
    } else {
        "target/bench"
    });
    let mut machine = machine::Machine::read();
    let dist_files = match transfer::dist_files(&dist) {
        Ok(files) if files.iter().any(|f| f.file == "index.html") => files,
        _ => {
            eprintln!(
                "openim-bench: {} holds no release build; run make build (scripts/build.sh) first",
                dist.display()
            );
            return ExitCode::FAILURE;
        }
    };
    let mode = if params.quick { "quick" } else { "full" };
    eprintln!(
        "openim-bench: {mode} run, {} runs per figure, {} users seeded",
        params.runs, params.users
    );

    let mut figures: Vec<Figure> = Vec::new();
    let mut fetched = Vec::new();
    if ["cold-load", "big-page", "export"]
        .iter()
        .any(|g| params.wants(g))
    {
        let stack = Stack::start_with(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            api: ApiVersion::V3_8,
            quiet: true,
            seed_users: params.users,
            ..Default::default()
        })
        .await;
        if params.wants("cold-load") {
            progress("cold load");
            let cold = cold_load::run(&stack, params.users, params.runs).await;
            figures.push(cold.figure);
            figures.push(cold.floor);
            figures.push(cold.at_launch);
            figures.push(cold.at_launch_floor);
            fetched = cold.fetched;
        }
        if params.wants("big-page") {
            progress("big page");
            figures.push(big_page::run(&stack, params.page_rows, params.runs).await);
        }
        if params.wants("export") {
            progress("export");
            figures.extend(export::run(&stack, params.users, params.runs).await);
        }
    }
    if params.wants("import") {
        progress("bulk import and its baseline");
        let stack = Stack::start_with(Config {
            listen: "127.0.0.1:0".parse().unwrap(),
            api: ApiVersion::V3_8,
            quiet: true,
            ..Default::default()
        })
        .await;
        figures.extend(bulk_import::run(&stack, params.import_rows, params.runs).await);
    }
    if params.wants("emulator") {
        progress("emulator under load");
        figures.extend(
            emulator_load::run(
                params.emulator_bin.as_deref(),
                params.users,
                params.load,
                params.runs,
            )
            .await,
        );
    }

    let first_page = transfer::first_page(&dist_files, &fetched);
    if !first_page.files.is_empty() {
        figures.insert(
            0,
            Figure::new(
                "first_page_gzip",
                "transfer size of the first page, gzip -9",
                Unit::Bytes,
                "The sum of the .gz siblings (gzip -9, as nginx's gzip_static serves them) of \
                 every dist/ file the first cold-load run asked for before the users table was \
                 drawn (its users-rendered mark): the document, which carries the stylesheet and \
                 both scripts, and the wasm's first module. The second module, fetched once the \
                 table is drawn (static/boot.js), is listed in dist_files, not counted. The size \
                 does not vary between runs; brotli and raw totals and every file are in \
                 first_page and dist_files.",
                vec![first_page.gzip as f64],
                Some(Budget::AtMost(FIRST_PAGE_BUDGET_BYTES)),
            )
            .with_detail(json!({
                "budget_note": "150 KB taken as 150,000 bytes",
                "brotli": first_page.brotli,
                "raw": first_page.raw,
            })),
        );
    }
    machine.load_average_end = machine::load_average();
    machine.wakeup_round_trip_us_end = machine::wakeup_round_trip_us();
    let report = Report {
        mode,
        unix_time: SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs()),
        machine,
        parameters: json!({
            "runs": params.runs,
            "seeded_users": params.users,
            "big_page_rows": params.page_rows,
            "import_rows": params.import_rows,
            "emulator_load": {
                "clients": params.load.clients,
                "get_users_20_per_burst": params.load.get_small,
                "get_users_1000_per_burst": params.load.get_large,
                "user_register_per_burst": params.load.register,
                "register_batch": params.load.register_batch,
                "burst_time_cap_s": params.load.time_cap.as_secs_f64(),
            },
            "emulator": params.emulator_bin.as_ref().map_or("in-process".to_string(), |p| p.display().to_string()),
            "figures": params.only,
        }),
        figures,
        first_page,
        dist_files,
    };
    let text = report::tables(&report);
    let json = serde_json::to_string_pretty(&report).expect("the report is JSON");
    if let Err(e) = std::fs::create_dir_all(&out_dir)
        .and_then(|()| std::fs::write(out_dir.join("report.json"), json + "\n"))
        .and_then(|()| std::fs::write(out_dir.join("report.txt"), &text))
    {
        eprintln!("openim-bench: cannot write {}: {e}", out_dir.display());
        return ExitCode::FAILURE;
    }
    println!("{text}");
    println!(
        "report: {} and report.txt",
        out_dir.join("report.json").display()
    );
    if params.quick {
        println!("(--quick: tiny inputs and 2 runs; these numbers mean nothing)");
    }
    ExitCode::SUCCESS
}

fn progress(what: &str) {
    eprintln!("openim-bench: {what} ({})", machine::load_average());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Params, String> {
        Params::parse(args.iter().map(|s| s.to_string()))
    }

    #[test]
    fn quick_is_small_and_full_is_the_issue_sizes() {
        let full = parse(&[]).unwrap();
        assert_eq!(
            (full.runs, full.users, full.page_rows, full.import_rows),
            (10, 100_000, 1000, 10_000)
        );
        let quick = parse(&["--quick"]).unwrap();
        assert_eq!((quick.runs, quick.users, quick.import_rows), (2, 1000, 200));
        assert!(
            quick.users as usize / quick.page_rows > quick.runs,
            "big page needs a next page for every run"
        );
        assert!(full.users as usize / full.page_rows > full.runs);
    }

    #[test]
    fn rejects_what_it_does_not_know() {
        assert!(parse(&["--runs", "0"]).is_err());
        assert!(parse(&["--only", "cold-load,nope"]).is_err());
        assert!(parse(&["--fast"]).is_err());
        let p = parse(&["--only", "export", "--runs", "3"]).unwrap();
        assert!(p.wants("export") && !p.wants("import"));
        assert_eq!(p.runs, 3);
    }
}
