//! Seeded random inputs and naive reference implementations shared by the kernel tests.
#![allow(dead_code)]

use linmod_linalg_core::Mat;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// A proptest configuration with `default` cases, or `PROPTEST_CASES` when set
/// (`ProptestConfig::with_cases` alone ignores the variable).
pub fn cases(default: u32) -> proptest::test_runner::Config {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    proptest::test_runner::Config::with_cases(n)
}

pub fn rng(seed: u64) -> ChaCha8Rng {
    ChaCha8Rng::seed_from_u64(seed)
}

pub fn random_mat(rng: &mut ChaCha8Rng, n: usize, p: usize) -> Mat<f64> {
    Mat::from_fn(n, p, |_, _| rng.random_range(-2.0..2.0))
}

pub fn random_vec(rng: &mut ChaCha8Rng, n: usize, lo: f64, hi: f64) -> Vec<f64> {
    (0..n).map(|_| rng.random_range(lo..hi)).collect()
}

/// z[i, c] = sum_j x[i, j] w[j, c] + b[c], column-major n x k.
pub fn naive_xw(x: &Mat<f64>, w: &Mat<f64>, b: &[f64]) -> Vec<f64> {
    let (n, p, k) = (x.nrows(), x.ncols(), w.ncols());
    let mut z = vec![0.0; n * k];
    for c in 0..k {
        for i in 0..n {
            let mut s = b[c];
            for j in 0..p {
                s += x[(i, j)] * w[(j, c)];
            }
            z[c * n + i] = s;
        }
    }
    z
}

/// g[j, c] = sum_i x[i, j] r[i, c], column-major p x k.
pub fn naive_xtr(x: &Mat<f64>, r: &[f64], k: usize) -> Vec<f64> {
    let (n, p) = (x.nrows(), x.ncols());
    let mut g = vec![0.0; p * k];
    for c in 0..k {
        for j in 0..p {
            g[c * p + j] = (0..n).map(|i| x[(i, j)] * r[c * n + i]).sum();
        }
    }
    g
}

/// Lower triangle of X^T (d * X) as a full matrix.
pub fn naive_gram(x: &Mat<f64>, d: &[f64]) -> Mat<f64> {
    let (n, p) = (x.nrows(), x.ncols());
    Mat::from_fn(p, p, |a, b| {
        (0..n).map(|i| x[(i, a)] * d[i] * x[(i, b)]).sum()
    })
}

/// Solves a small dense system by Gaussian elimination with partial pivoting.
pub fn naive_solve(a: &Mat<f64>, b: &[f64]) -> Vec<f64> {
    let n = b.len();
    let mut m: Vec<Vec<f64>> = (0..n)
        .map(|i| (0..n).map(|j| a[(i, j)]).chain([b[i]]).collect())
        .collect();
    for col in 0..n {
        let piv = (col..n)
            .max_by(|&r, &s| m[r][col].abs().total_cmp(&m[s][col].abs()))
            .unwrap();
        m.swap(col, piv);
        let pivot_row = m[col].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let f = row[col] / pivot_row[col];
                for (v, pv) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                    *v -= f * pv;
                }
            }
        }
    }
    (0..n).map(|i| m[i][n] / m[i][i]).collect()
}

pub fn assert_close(actual: &[f64], expected: &[f64], tol: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths differ");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        let scale = 1.0 + e.abs();
        assert!(
            (a - e).abs() <= tol * scale,
            "{what}[{i}]: got {a}, expected {e} (tolerance {tol} x {scale})"
        );
    }
}

pub fn mat_to_vec(m: &Mat<f64>) -> Vec<f64> {
    (0..m.ncols())
        .flat_map(|j| (0..m.nrows()).map(move |i| (i, j)))
        .map(|(i, j)| m[(i, j)])
        .collect()
}
