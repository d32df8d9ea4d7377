//! Shared helpers of the `linear_*` integration tests: seeded problems, the objective, an
//! independent normal-equations solver, and the tolerance policy.
//!
//! # Tolerance policy
//! * Closed-form solvers (QR, Cholesky, dual) agree with each other and with an independent
//!   solve to `DIRECT_TOL` relative to the size of the coefficients: they lose at most
//!   `log10(condition number)` of 16 digits and the test problems have condition numbers
//!   below `1e4`.
//! * Iterative solvers are compared through the objective value, whose error is quadratic in
//!   the coefficient error: `OBJECTIVE_TOL` relative, after solving with tolerances several
//!   orders tighter.
//! * Coefficients of iterative solvers agree to `ITERATIVE_TOL` relative, which the
//!   strong convexity of the test problems guarantees from the objective agreement.

#![allow(dead_code)] // each test file uses a different subset

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::objective::LeastSquaresObjective;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;

/// Closed-form solutions agree to this, relative to `max(1, max |w|)`.
pub const DIRECT_TOL: f64 = 1e-10;
/// Objective values of different solvers agree to this, relative.
pub const OBJECTIVE_TOL: f64 = 1e-9;
/// Coefficients of iterative solvers agree to this, relative to `max(1, max |w|)`.
pub const ITERATIVE_TOL: f64 = 1e-6;

/// `n x p` standard normal features with column `j` scaled by `1 + j` and shifted by `j`,
/// `y = X w + 1 + noise * N(0, 1)` with `w_j = (-1)^j (j + 1) / 2`.
pub fn regression_problem(n: usize, p: usize, noise: f64, seed: u64) -> (Mat<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let x = Mat::from_fn(n, p, |_, j| {
        let z: f64 = rng.sample(StandardNormal);
        (1.0 + j as f64) * z + j as f64
    });
    let w: Vec<f64> = (0..p)
        .map(|j| if j % 2 == 0 { 1.0 } else { -1.0 } * (j as f64 + 1.0) / 2.0)
        .collect();
    let y = (0..n)
        .map(|i| {
            let e: f64 = rng.sample(StandardNormal);
            1.0 + (0..p).map(|j| x[(i, j)] * w[j]).sum::<f64>() + noise * e
        })
        .collect();
    (x, y)
}

/// Positive weights in `[0.2, 3)`.
pub fn weights(n: usize, seed: u64) -> Vec<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    (0..n).map(|_| rng.random_range(0.2..3.0)).collect()
}

/// The full objective `1/(2n) sum s_i (y_i - x_i.w - b)^2 + l1 |w|_1 + l2 |w|^2`.
pub fn objective(
    x: &Mat<f64>,
    y: &[f64],
    s: Option<&[f64]>,
    penalty: Penalty,
    coef: &[f64],
    intercept: f64,
) -> f64 {
    let mut f = LeastSquaresObjective::least_squares(x.as_ref(), y, s, true, penalty).unwrap();
    let mut theta = coef.to_vec();
    theta.push(intercept);
    f.total_value(&theta)
}

/// `max_j |a_j - b_j| / max(1, max_j |b_j|)`.
pub fn relative_diff(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(a.len(), b.len());
    let scale = b.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    a.iter()
        .zip(b)
        .fold(0.0f64, |m, (x, y)| m.max((x - y).abs()))
        / scale
}

/// Ordinary least squares with an intercept by the textbook route, independent of the
/// library: the normal equations of `[1, X]` accumulated row by row and solved by Gaussian
/// elimination with partial pivoting. Returns `(intercept, coefficients)`.
pub fn normal_equations_ols(x: &Mat<f64>, y: &[f64]) -> (f64, Vec<f64>) {
    let (n, p) = (x.nrows(), x.ncols());
    let d = p + 1;
    // augmented matrix [A^T A | A^T y], A = [1, X]
    let mut m = vec![vec![0.0f64; d + 1]; d];
    let mut row = vec![0.0; d];
    for i in 0..n {
        row[0] = 1.0;
        for j in 0..p {
            row[j + 1] = x[(i, j)];
        }
        for a in 0..d {
            for b in 0..d {
                m[a][b] += row[a] * row[b];
            }
            m[a][d] += row[a] * y[i];
        }
    }
    for col in 0..d {
        let pivot = (col..d)
            .max_by(|&a, &b| m[a][col].abs().total_cmp(&m[b][col].abs()))
            .unwrap();
        m.swap(col, pivot);
        let pivot_row = m[col].clone();
        for (r, row) in m.iter_mut().enumerate() {
            if r != col {
                let factor = row[col] / pivot_row[col];
                for (a, b) in row[col..].iter_mut().zip(&pivot_row[col..]) {
                    *a -= factor * b;
                }
            }
        }
    }
    let sol: Vec<f64> = (0..d).map(|k| m[k][d] / m[k][k]).collect();
    (sol[0], sol[1..].to_vec())
}
