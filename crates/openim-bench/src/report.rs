//! What a bench run found: each figure with its runs, summary and budget, the sizes of every
//! file in dist/, and the machine it ran on; written as JSON and as plain-text tables.

use serde::Serialize;
use serde_json::Value as Json;

use crate::machine::Machine;
use crate::stats::{Budget, Summary};
use crate::transfer::{DistFile, FirstPage};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Unit {
    #[serde(rename = "ms")]
    Ms,
    #[serde(rename = "bytes")]
    Bytes,
    #[serde(rename = "users/s")]
    UsersPerSec,
    #[serde(rename = "requests/s")]
    RequestsPerSec,
    /// A ratio of two rates measured in the same runs.
    #[serde(rename = "ratio")]
    Ratio,
}

impl Unit {
    /// `v` as the table shows it.
    pub fn format(self, v: f64) -> String {
        match self {
            Unit::Ms if v >= 100.0 => format!("{v:.0} ms"),
            Unit::Ms => format!("{v:.1} ms"),
            Unit::Bytes => format!("{} B", grouped(v.round() as u64)),
            Unit::UsersPerSec => format!("{} users/s", grouped(v.round() as u64)),
            Unit::RequestsPerSec => format!("{} req/s", grouped(v.round() as u64)),
            Unit::Ratio => format!("{v:.2}x"),
        }
    }
}

/// One figure: every run's value, their summary, and the budget if the issue sets one.
#[derive(Clone, Debug, Serialize)]
pub struct Figure {
    pub id: &'static str,
    pub name: String,
    pub unit: Unit,
    /// Exactly what one run measures.
    pub measures: String,
    pub runs: usize,
    #[serde(flatten)]
    pub summary: Summary,
    pub samples: Vec<f64>,
    pub budget: Option<Budget>,
    /// Whether the median keeps to the budget; `None` without a budget.
    pub within_budget: Option<bool>,
    /// Breakdowns and cross-checks, per figure.
    pub detail: Json,
}

impl Figure {
    /// Panics without samples: a figure that never ran is a bug in the bench.
    pub fn new(
        id: &'static str,
        name: impl Into<String>,
        unit: Unit,
        measures: impl Into<String>,
        samples: Vec<f64>,
        budget: Option<Budget>,
    ) -> Figure {
        // Microseconds are more than any figure here resolves.
        let samples: Vec<f64> = samples
            .iter()
            .map(|v| (v * 1000.0).round() / 1000.0)
            .collect();
        let summary = Summary::of(&samples).unwrap_or_else(|| panic!("{id}: no runs"));
        Figure {
            id,
            name: name.into(),
            unit,
            measures: measures.into(),
            runs: samples.len(),
            summary,
            within_budget: budget.map(|b| b.holds(summary.median)),
            samples,
            budget,
            detail: Json::Null,
        }
    }

    pub fn with_detail(mut self, detail: Json) -> Figure {
        self.detail = detail;
        self
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    /// `full` or `quick` (tiny inputs, timings meaningless).
    pub mode: &'static str,
    pub unix_time: u64,
    pub machine: Machine,
    /// Users seeded, rows imported, runs per figure, and the like.
    pub parameters: Json,
    pub figures: Vec<Figure>,
    pub first_page: FirstPage,
    pub dist_files: Vec<DistFile>,
}

/// The readable form of the report: the figures, then the files, then the machine.
pub fn tables(report: &Report) -> String {
    let mut rows = vec![[
        "figure".to_string(),
        "median".into(),
        "min".into(),
        "max".into(),
        "budget".into(),
        "within budget".into(),
    ]];
    for f in &report.figures {
        let budget = match f.budget {
            Some(Budget::AtMost(v)) => format!("<= {}", f.unit.format(v)),
            Some(Budget::AtLeast(v)) => format!(">= {}", f.unit.format(v)),
            None => "-".into(),
        };
        let within = match f.within_budget {
            Some(true) => "yes",
            Some(false) => "no",
            None => "-",
        };
        rows.push([
            format!(
                "{} ({} run{})",
                f.name,
                f.runs,
                if f.runs == 1 { "" } else { "s" }
            ),
            f.unit.format(f.summary.median),
            f.unit.format(f.summary.min),
            f.unit.format(f.summary.max),
            budget,
            within.into(),
        ]);
    }
    let mut out = render(&rows, &[false, true, true, true, false, false]);

    let mut files = vec![[
        "file in dist/".to_string(),
        "raw".into(),
        "gzip -9".into(),
        "brotli".into(),
        "first page".into(),
    ]];
    let loaded = |name: &str| report.first_page.files.iter().any(|f| f == name);
    let opt = |n: Option<u64>| n.map_or("-".to_string(), grouped);
    for f in &report.dist_files {
        files.push([
            f.file.clone(),
            grouped(f.raw),
            opt(f.gzip),
            opt(f.brotli),
            if loaded(&f.file) { "yes" } else { "" }.into(),
        ]);
    }
    let first = &report.first_page;
    files.push([
        "first page total".into(),
        grouped(first.raw),
        grouped(first.gzip),
        grouped(first.brotli),
        String::new(),
    ]);
    out.push('\n');
    out.push_str(&render(&files, &[false, true, true, true, false]));
    out.push_str(&format!(
        "first page as Chromium received it (encodedBodySize): {} bytes, {}\n",
        grouped(first.served_encoded),
        first.served_encoding
    ));
    let m = &report.machine;
    out.push_str(&format!(
        "\nmachine: {} cores ({}), {}; load average {} at start, {} at end; thread wake-up round \
         trip {:.1} us at start, {:.1} us at end; {}; {}\nmode: {}\n",
        m.nproc,
        m.cpu_model,
        m.memory,
        m.load_average_start,
        m.load_average_end,
        m.wakeup_round_trip_us_start,
        m.wakeup_round_trip_us_end,
        m.chromium,
        m.nginx,
        report.mode
    ));
    out
}

/// Columns padded to their widest cell, right-aligned where `right` says, with a rule under
/// the header row.
fn render<const N: usize>(rows: &[[String; N]], right: &[bool; N]) -> String {
    let mut widths = [0usize; N];
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |row: &[String; N]| -> String {
        let cells: Vec<String> = row
            .iter()
            .zip(widths)
            .zip(right)
            .map(|((cell, w), &r)| {
                if r {
                    format!("{cell:>w$}")
                } else {
                    format!("{cell:<w$}")
                }
            })
            .collect();
        cells.join("  ").trim_end().to_string() + "\n"
    };
    let mut out = String::new();
    for (i, row) in rows.iter().enumerate() {
        out.push_str(&line(row));
        if i == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            out.push_str(&(rule.join("  ") + "\n"));
        }
    }
    out
}

/// `278534` as `278,534`.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(278_534), "278,534");
        assert_eq!(grouped(1_234_567), "1,234,567");
    }

    #[test]
    fn formats_by_unit() {
        assert_eq!(Unit::Ms.format(12.345), "12.3 ms");
        assert_eq!(Unit::Ms.format(1234.6), "1235 ms");
        assert_eq!(Unit::Bytes.format(153_600.0), "153,600 B");
        assert_eq!(Unit::UsersPerSec.format(2500.4), "2,500 users/s");
        assert_eq!(Unit::Ratio.format(19.996), "20.00x");
    }

    #[test]
    fn a_figure_is_judged_by_its_median() {
        let f = Figure::new(
            "x",
            "x",
            Unit::Ms,
            "",
            vec![100.0, 200.0, 160.0],
            Some(Budget::AtMost(150.0)),
        );
        assert_eq!(f.summary.median, 160.0);
        assert_eq!(f.within_budget, Some(false));
        let json = serde_json::to_value(&f).unwrap();
        assert_eq!(json["median"], 160.0);
        assert_eq!(
            json["budget"],
            serde_json::json!({"kind": "at_most", "value": 150.0})
        );
    }

    #[test]
    fn tables_align_columns() {
        let rows = [
            ["name".to_string(), "value".to_string()],
            ["a".to_string(), "1,000".to_string()],
        ];
        assert_eq!(
            render(&rows, &[false, true]),
            "name  value\n----  -----\na     1,000\n"
        );
    }
}
