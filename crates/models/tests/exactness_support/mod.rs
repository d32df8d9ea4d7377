//! Shared helpers of the exactness tests: the NIST StRD linear-regression files
//! (`tests/data/nist/`, provenance in the README there) and the measure of accuracy.
//!
//! # Accuracy policy
//! Accuracy is counted in correct significant digits, `-log10(|estimate - truth| / |truth|)`
//! (NIST's "log relative error", capped at 15 for agreement to rounding), per coefficient and
//! per standard error; a test asserts the smallest over all of them.

#![allow(dead_code)] // each test file uses a different subset

use std::path::PathBuf;

use linalg_core::{Mat, pow_compensated};

/// One NIST StRD linear least-squares problem with its certified values.
#[derive(Clone, Debug)]
pub struct Nist {
    pub name: &'static str,
    /// The design without an intercept column (polynomial terms expanded).
    pub x: Mat<f64>,
    pub y: Vec<f64>,
    /// Whether the model has an intercept (`B0`).
    pub intercept: bool,
    /// Certified estimates, intercept first when there is one.
    pub estimate: Vec<f64>,
    /// Certified standard deviations of the estimates, in the same order.
    pub std_err: Vec<f64>,
    /// Certified residual standard deviation.
    pub residual_sd: f64,
}

/// The directory of the NIST files.
pub fn nist_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/nist")
}

fn number(token: &str) -> f64 {
    token
        .parse()
        .unwrap_or_else(|_| panic!("not a number: {token}"))
}

/// Parses `<name>.dat`: the certified `B0 .. Bk` lines (estimate and standard deviation), the
/// residual standard deviation, and the data rows after the second `Data:` line (line 60 in
/// every file). A model with more parameters than predictor columns is the polynomial
/// `B0 + B1 x + ... + Bk x^k` in the single predictor; parameters numbered from `B1` mean no
/// intercept.
pub fn load(name: &'static str) -> Nist {
    let text = std::fs::read_to_string(nist_dir().join(format!("{name}.dat")))
        .unwrap_or_else(|e| panic!("{name}.dat: {e}"));
    let lines: Vec<&str> = text.lines().collect();
    let mut params: Vec<(usize, f64, f64)> = Vec::new();
    let mut residual_sd = f64::NAN;
    for line in &lines {
        let tokens: Vec<&str> = line.split_whitespace().collect();
        match tokens.as_slice() {
            [b, est, sd] if b.starts_with('B') && b[1..].parse::<usize>().is_ok() => {
                params.push((b[1..].parse().unwrap(), number(est), number(sd)));
            }
            ["Standard", "Deviation", sd] => residual_sd = number(sd),
            _ => {}
        }
    }
    let data_header = lines
        .iter()
        .rposition(|l| l.starts_with("Data:"))
        .expect("a Data: line");
    let rows: Vec<Vec<f64>> = lines[data_header + 1..]
        .iter()
        .map(|l| l.split_whitespace().map(number).collect::<Vec<f64>>())
        .filter(|r| !r.is_empty())
        .collect();
    let n = rows.len();
    let columns = rows[0].len() - 1;
    let intercept = params[0].0 == 0;
    let slopes = params.len() - usize::from(intercept);
    let x = if slopes > columns {
        assert_eq!(columns, 1, "{name}: a polynomial needs one predictor");
        Mat::from_fn(n, slopes, |i, j| pow_compensated(rows[i][1], j + 1))
    } else {
        Mat::from_fn(n, columns, |i, j| rows[i][j + 1])
    };
    Nist {
        name,
        x,
        y: rows.iter().map(|r| r[0]).collect(),
        intercept,
        estimate: params.iter().map(|p| p.1).collect(),
        std_err: params.iter().map(|p| p.2).collect(),
        residual_sd,
    }
}

/// Every NIST StRD linear-regression problem, in NIST's order of difficulty.
pub const ALL: [&str; 11] = [
    "Norris", "Pontius", "NoInt1", "NoInt2", "Filip", "Longley", "Wampler1", "Wampler2",
    "Wampler3", "Wampler4", "Wampler5",
];

/// Correct significant digits of `estimate` against `truth`: `-log10` of the relative error,
/// capped at 15; against a true 0, digits of the absolute error relative to `scale`.
pub fn digits(estimate: f64, truth: f64, scale: f64) -> f64 {
    let err = (estimate - truth).abs();
    let reference = if truth == 0.0 { scale } else { truth.abs() };
    if err == 0.0 {
        15.0
    } else {
        (-(err / reference).log10()).min(15.0)
    }
}

/// The smallest number of correct digits over a vector (`scale` as in [`digits`]).
pub fn min_digits(estimate: &[f64], truth: &[f64], scale: f64) -> f64 {
    assert_eq!(estimate.len(), truth.len());
    estimate
        .iter()
        .zip(truth)
        .map(|(e, t)| digits(*e, *t, scale))
        .fold(f64::INFINITY, f64::min)
}
