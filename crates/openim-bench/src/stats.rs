//! Median, minimum and maximum of a figure's runs, and a budget to hold them against.

use serde::Serialize;

/// The middle of the runs and their spread. With an even number of runs the median is the mean
/// of the two middle ones.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Summary {
    pub median: f64,
    pub min: f64,
    pub max: f64,
}

impl Summary {
    /// `None` for no runs.
    pub fn of(samples: &[f64]) -> Option<Summary> {
        if samples.is_empty() {
            return None;
        }
        let mut sorted = samples.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = if n % 2 == 1 {
            sorted[n / 2]
        } else {
            (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
        };
        Some(Summary {
            median,
            min: sorted[0],
            max: sorted[n - 1],
        })
    }
}

/// The limit a figure's median must keep to.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum Budget {
    AtMost(f64),
    AtLeast(f64),
}

impl Budget {
    pub fn holds(self, median: f64) -> bool {
        match self {
            Budget::AtMost(limit) => median <= limit,
            Budget::AtLeast(limit) => median >= limit,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_runs() {
        let s = Summary::of(&[5.0, 1.0, 3.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.0, 1.0, 5.0));
        let s = Summary::of(&[4.0, 1.0, 3.0, 10.0]).unwrap();
        assert_eq!((s.median, s.min, s.max), (3.5, 1.0, 10.0));
        assert_eq!(Summary::of(&[]), None);
    }

    #[test]
    fn budgets_hold_at_the_limit() {
        assert!(Budget::AtMost(150.0).holds(150.0));
        assert!(!Budget::AtMost(150.0).holds(150.1));
        assert!(Budget::AtLeast(20.0).holds(20.0));
        assert!(!Budget::AtLeast(20.0).holds(19.9));
    }
}
