//! Cholesky and least squares against naive references and known solutions.

#![allow(clippy::float_cmp)] // exact values at the extremes are the point of these tests

mod common;

use common::*;
use linmod_linalg_core::{
    Cholesky, LinalgError, LstsqMethod, Mat, factor_with_shift, lstsq, mat, solve_spd,
};

fn spd(rng: &mut rand_chacha::ChaCha8Rng, p: usize) -> Mat<f64> {
    let b = random_mat(rng, p + 3, p);
    let mut a = naive_gram(&b, &vec![1.0; p + 3]);
    for i in 0..p {
        a[(i, i)] += 0.1;
    }
    a
}

#[test]
fn cholesky_solves_random_spd_systems() {
    let mut rng = rng(10);
    for p in [1, 2, 5, 30, 120] {
        let a = spd(&mut rng, p);
        let b = random_vec(&mut rng, p, -1.0, 1.0);
        let x = solve_spd(a.as_ref(), &b).unwrap();
        assert_close(&x, &naive_solve(&a, &b), 1e-9, &format!("spd solve p={p}"));
        let chol = Cholesky::new(a.as_ref()).unwrap();
        let inv = chol.inverse();
        for i in 0..p {
            for j in 0..p {
                let e: f64 = (0..p).map(|k| a[(i, k)] * inv[(k, j)]).sum();
                let target = if i == j { 1.0 } else { 0.0 };
                assert!((e - target).abs() < 1e-8, "A A^-1 at ({i},{j}) = {e}");
            }
        }
    }
}

#[test]
fn cholesky_reads_only_the_lower_triangle() {
    let a = mat![[4.0, f64::NAN], [2.0, 3.0]];
    let x = solve_spd(a.as_ref(), &[6.0, 5.0]).unwrap();
    assert_close(&x, &[1.0, 1.0], 1e-15, "lower-triangle solve");
}

#[test]
fn cholesky_names_the_failing_pivot() {
    let indefinite = mat![[1.0, 2.0, 0.0], [2.0, 1.0, 0.0], [0.0, 0.0, 1.0]];
    let err = Cholesky::new(indefinite.as_ref()).unwrap_err();
    assert_eq!(err, LinalgError::NotPositiveDefinite { index: 1 });
    assert!(err.to_string().contains("pivot 1"), "{err}");
    let negative_first = mat![[-1.0, 0.0], [0.0, 1.0]];
    assert_eq!(
        Cholesky::new(negative_first.as_ref()).unwrap_err(),
        LinalgError::NotPositiveDefinite { index: 0 }
    );
}

#[test]
fn cholesky_rejects_non_finite_entries() {
    let a = mat![[1.0, 0.0], [f64::INFINITY, 1.0]];
    let err = Cholesky::new(a.as_ref()).unwrap_err();
    assert!(
        matches!(err, LinalgError::NonFinite { row: 1, col: 0, .. }),
        "{err:?}"
    );
    let mut chol = Cholesky::with_dim(2);
    assert!(matches!(
        factor_with_shift(&mut chol, a.as_ref()),
        Err(LinalgError::NonFinite { .. })
    ));
}

#[test]
fn shifted_cholesky_makes_indefinite_matrices_definite() {
    let a = mat![[1.0, 2.0], [2.0, 1.0]]; // eigenvalues 3 and -1
    let mut chol = Cholesky::with_dim(2);
    let tau = factor_with_shift(&mut chol, a.as_ref()).unwrap();
    assert!(
        tau > 1.0,
        "the shift must exceed the most negative eigenvalue, got {tau}"
    );
    let b = [1.0, -1.0];
    let mut x = b.to_vec();
    chol.solve_in_place(&mut x);
    let shifted = mat![[1.0 + tau, 2.0], [2.0, 1.0 + tau]];
    assert_close(&x, &naive_solve(&shifted, &b), 1e-12, "shifted solve");
    let log_det = chol.log_det();
    let det = (1.0 + tau) * (1.0 + tau) - 4.0;
    assert!((log_det - det.ln()).abs() < 1e-12);
}

#[test]
fn lstsq_full_rank_matches_normal_equations() {
    let mut rng = rng(11);
    for (n, p) in [(1, 1), (10, 3), (500, 20), (50, 50)] {
        let x = random_mat(&mut rng, n, p);
        let y = random_vec(&mut rng, n, -1.0, 1.0);
        let sol = lstsq(x.as_ref(), &y, None).unwrap();
        assert_eq!(sol.method, LstsqMethod::Qr);
        assert_eq!(sol.rank, p);
        let gram = naive_gram(&x, &vec![1.0; n]);
        let xty = naive_xtr(&x, &y, 1);
        assert_close(
            &sol.coef,
            &naive_solve(&gram, &xty),
            1e-8,
            &format!("lstsq {n}x{p}"),
        );
    }
}

#[test]
fn lstsq_duplicate_column_splits_weight_equally() {
    let mut rng = rng(12);
    let n = 200;
    let base = random_mat(&mut rng, n, 3);
    let y: Vec<f64> = (0..n)
        .map(|i| {
            1.0 * base[(i, 0)] - 2.0 * base[(i, 1)] + 0.5 * base[(i, 2)] + 0.01 * (i as f64).sin()
        })
        .collect();
    // columns: b0, b1, b2, b0 again
    let x = Mat::from_fn(n, 4, |i, j| base[(i, if j == 3 { 0 } else { j })]);
    let full = lstsq(base.as_ref(), &y, None).unwrap();
    let sol = lstsq(x.as_ref(), &y, None).unwrap();
    assert_eq!(sol.method, LstsqMethod::Svd);
    assert_eq!(sol.rank, 3);
    assert_close(
        &[sol.coef[0], sol.coef[3]],
        &[full.coef[0] / 2.0, full.coef[0] / 2.0],
        1e-10,
        "twins",
    );
    assert_close(
        &sol.coef[1..3],
        &full.coef[1..3],
        1e-10,
        "other coefficients",
    );
    assert_eq!(sol.singular_values.len(), 4);
}

#[test]
fn lstsq_zero_and_constant_columns() {
    // a zero column gets coefficient 0; a column proportional to another shares the weight
    // in proportion to its scale (minimum norm: w = c / (1 + s^2) * (1, s))
    let x = mat![
        [1.0, 0.0, 2.0],
        [2.0, 0.0, 4.0],
        [3.0, 0.0, 6.0],
        [4.0, 0.0, 8.0]
    ];
    let y = [1.0, 2.0, 3.0, 4.0];
    let sol = lstsq(x.as_ref(), &y, None).unwrap();
    assert_eq!(sol.rank, 1);
    assert_close(&sol.coef, &[0.2, 0.0, 0.4], 1e-12, "proportional columns");
    let zeros = Mat::<f64>::zeros(3, 2);
    let sol = lstsq(zeros.as_ref(), &[1.0, 2.0, 3.0], None).unwrap();
    assert_eq!(sol.rank, 0, "{sol:?}");
    assert_eq!(sol.coef, vec![0.0, 0.0]);
}

#[test]
fn lstsq_wide_matrix_gives_minimum_norm_interpolant() {
    let mut rng = rng(13);
    for (n, p) in [(1, 3), (3, 7), (10, 40)] {
        let a = random_mat(&mut rng, n, p);
        let y = random_vec(&mut rng, n, -1.0, 1.0);
        let sol = lstsq(a.as_ref(), &y, None).unwrap();
        assert_eq!(sol.rank, n);
        // x = A^T (A A^T)^{-1} y
        let aat = Mat::from_fn(n, n, |i, j| (0..p).map(|k| a[(i, k)] * a[(j, k)]).sum());
        let alpha = naive_solve(&aat, &y);
        let expected: Vec<f64> = (0..p)
            .map(|k| (0..n).map(|i| a[(i, k)] * alpha[i]).sum())
            .collect();
        assert_close(&sol.coef, &expected, 1e-9, &format!("wide {n}x{p}"));
    }
}

#[test]
fn lstsq_reports_non_finite_input_with_position() {
    let x = mat![[1.0, 2.0], [3.0, f64::NAN], [5.0, 6.0]];
    let err = lstsq(x.as_ref(), &[1.0, 2.0, 3.0], None).unwrap_err();
    assert!(
        matches!(err, LinalgError::NonFinite { row: 1, col: 1, .. }),
        "{err:?}"
    );
    assert!(err.to_string().contains("row 1, column 1"), "{err}");
    let ok = mat![[1.0], [2.0]];
    let err = lstsq(ok.as_ref(), &[1.0, f64::INFINITY], None).unwrap_err();
    assert!(err.to_string().contains("right-hand side"), "{err}");
}
