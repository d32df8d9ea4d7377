//! Shared helpers of the verification tests (`properties_*`, `bad_input_catalogue`,
//! `determinism_threads`): seeded problems and comparisons.
//!
//! # Tolerance policy
//! Invariance tests compare two fits of the same strictly convex problem, each solved to a
//! gradient tolerance of `1e-10` (or exactly, for closed-form solvers). Their coefficients
//! agree to `FIT_TOL` relative to `max(1, |w|_inf)`: the error of an approximate minimizer is
//! about the gradient norm divided by the smallest Hessian eigenvalue, which the generated
//! problems keep above `1e-3`.

#![allow(dead_code)] // each test file uses a different subset

use linalg_core::{Mat, sigmoid};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Two fits of the same problem agree to this, relative to `max(1, |w|_inf)`.
pub const FIT_TOL: f64 = 1e-7;

/// `n x p` features `U(-2, 2)` and binary labels `y ~ Bernoulli(sigma(x.beta + b))` with
/// `beta_j = (-1)^j (0.5 + 0.25 j)` and `b = 0.3`: moderate effects, so that classes overlap
/// (no separation) for `n >= 20 p`.
pub fn binary_problem(n: usize, p: usize, seed: u64) -> (Mat<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Mat::from_fn(n, p, |_, _| rng.random_range(-2.0..2.0));
    let beta = effects(p);
    let y = (0..n)
        .map(|i| {
            let z = 0.3 + (0..p).map(|j| x[(i, j)] * beta[j]).sum::<f64>();
            f64::from(u8::from(rng.random::<f64>() < sigmoid(z)))
        })
        .collect();
    (x, y)
}

/// `n x p` features `U(-2, 2)` and labels `0..k` drawn from a softmax model whose class `c`
/// has coefficients `beta_j cos(c + j)`; every class occurs (the first `k` rows are
/// relabelled `0..k` if needed).
pub fn multiclass_problem(n: usize, p: usize, k: usize, seed: u64) -> (Mat<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Mat::from_fn(n, p, |_, _| rng.random_range(-2.0..2.0));
    let beta = effects(p);
    let mut y: Vec<f64> = (0..n)
        .map(|i| {
            let z: Vec<f64> = (0..k)
                .map(|c| {
                    (0..p)
                        .map(|j| x[(i, j)] * beta[j] * ((c + j) as f64).cos())
                        .sum()
                })
                .collect();
            let m = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let total: f64 = z.iter().map(|v| (v - m).exp()).sum();
            let u: f64 = rng.random::<f64>() * total;
            let mut acc = 0.0;
            z.iter()
                .position(|v| {
                    acc += (v - m).exp();
                    u < acc
                })
                .unwrap_or(k - 1) as f64
        })
        .collect();
    for c in 0..k {
        if !y.contains(&(c as f64)) {
            y[c] = c as f64;
        }
    }
    (x, y)
}

/// `n x p` features `U(-2, 2) + j` and `y = x.beta + 1 + N(0, 0.5^2)`-like noise (uniform).
pub fn regression_problem(n: usize, p: usize, seed: u64) -> (Mat<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Mat::from_fn(n, p, |_, j| rng.random_range(-2.0..2.0) + j as f64);
    let beta = effects(p);
    let y = (0..n)
        .map(|i| {
            1.0 + (0..p).map(|j| x[(i, j)] * beta[j]).sum::<f64>() + rng.random_range(-0.8..0.8)
        })
        .collect();
    (x, y)
}

fn effects(p: usize) -> Vec<f64> {
    (0..p)
        .map(|j| if j % 2 == 0 { 1.0 } else { -1.0 } * (0.5 + 0.25 * j as f64))
        .collect()
}

/// `max_j |a_j - b_j| / max(1, |a|_inf)`.
pub fn rel_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len(), "compared vectors differ in length");
    let scale = a.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

/// The rows of `x` in the order `rows` (rows may repeat).
pub fn take_rows(x: &Mat<f64>, rows: &[usize]) -> Mat<f64> {
    Mat::from_fn(rows.len(), x.ncols(), |i, j| x[(rows[i], j)])
}

/// The bit patterns of `v`, for exact comparisons.
pub fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// A proptest configuration with `default` cases, or `PROPTEST_CASES` cases when that
/// variable is set (for long local runs). `ProptestConfig::with_cases` alone would ignore the
/// variable: proptest reads it only for its own default count.
pub fn cases(default: u32) -> proptest::test_runner::Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config::with_cases(n)
}
