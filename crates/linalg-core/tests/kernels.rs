//! Every blocked kernel against a naive reference, on seeded random matrices of several
//! shapes: 1 x 1, n < p, n >> p, and partitions with many tasks.

#![allow(clippy::float_cmp)] // exact values at the extremes are the point of these tests

mod common;

use common::*;
use linmod_linalg_core::{
    GramScratch, Mat, Parallelism, PassScratch, RowBlocks, column_means, column_stds, column_sums,
    fused_gradient, fused_value, gram_matrix, log_sigmoid, mul_xtr, mul_xw, sigmoid,
    softmax_in_place, weighted_gram,
};

/// (n, p) shapes: scalar, wide, tall, and tall enough for several blocks and tasks.
const SHAPES: [(usize, usize); 6] = [(1, 1), (3, 7), (2, 5), (5000, 3), (3000, 40), (257, 1)];
const TOL: f64 = 1e-12;

fn partitions(n: usize, p: usize) -> Vec<RowBlocks> {
    // the default partition and a fine one with many small blocks and tasks
    vec![RowBlocks::for_pass(n, p), RowBlocks::new(n, 64, 3)]
}

#[test]
fn mul_xw_matches_naive() {
    let mut rng = rng(1);
    for (n, p) in SHAPES {
        for k in [1, 3] {
            let x = random_mat(&mut rng, n, p);
            let w = random_mat(&mut rng, p, k);
            let b = random_vec(&mut rng, k, -1.0, 1.0);
            let mut z = vec![f64::NAN; n * k];
            mul_xw(x.as_ref(), w.as_ref(), &b, &mut z, Parallelism::Rayon);
            assert_close(&z, &naive_xw(&x, &w, &b), TOL, &format!("Xw {n}x{p} k={k}"));
        }
    }
}

#[test]
fn mul_xtr_matches_naive() {
    let mut rng = rng(2);
    for (n, p) in SHAPES {
        for k in [1, 4] {
            let x = random_mat(&mut rng, n, p);
            let r = random_vec(&mut rng, n * k, -1.0, 1.0);
            for part in partitions(n, p) {
                let mut scratch = PassScratch::new(part, p, k);
                let mut g = Mat::<f64>::from_fn(p, k, |_, _| f64::NAN);
                mul_xtr(x.as_ref(), &r, &mut scratch, Parallelism::Rayon, g.as_mut());
                let tol = TOL * (n as f64).sqrt();
                assert_close(
                    &mat_to_vec(&g),
                    &naive_xtr(&x, &r, k),
                    tol,
                    &format!("X^T r {n}x{p}"),
                );
            }
        }
    }
}

/// The fused logistic pass: residuals sigma(z) - y and loss softplus(z) - y z.
#[test]
fn fused_gradient_matches_two_naive_passes_binary() {
    let mut rng = rng(3);
    for (n, p) in SHAPES {
        let x = random_mat(&mut rng, n, p);
        let w = random_mat(&mut rng, p, 1);
        let y: Vec<f64> = random_vec(&mut rng, n, 0.0, 1.0)
            .iter()
            .map(|u| (*u < 0.4) as u8 as f64)
            .collect();
        let b = [0.7];
        let z = naive_xw(&x, &w, &b);
        let r: Vec<f64> = z.iter().zip(&y).map(|(z, y)| sigmoid(*z) - y).collect();
        let loss: f64 = z
            .iter()
            .zip(&y)
            .map(|(z, y)| -log_sigmoid(*z) + (1.0 - y) * z)
            .sum();
        let g_ref = naive_xtr(&x, &r, 1);
        let gb_ref: f64 = r.iter().sum();
        for part in partitions(n, p) {
            for par in [Parallelism::Sequential, Parallelism::Rayon] {
                let mut scratch = PassScratch::new(part, p, 1);
                let mut g = Mat::<f64>::zeros(p, 1);
                let mut gb = [f64::NAN];
                let value = fused_gradient(
                    x.as_ref(),
                    w.as_ref(),
                    &b,
                    &mut scratch,
                    par,
                    |rows, z| {
                        let mut s = 0.0;
                        for (zi, yi) in z.iter_mut().zip(&y[rows]) {
                            s += linmod_linalg_core::softplus(*zi) - yi * *zi;
                            *zi = sigmoid(*zi) - yi;
                        }
                        s
                    },
                    g.as_mut(),
                    &mut gb,
                );
                let tol = TOL * (n as f64).sqrt();
                assert_close(&[value], &[loss], tol, "loss");
                assert_close(&mat_to_vec(&g), &g_ref, tol, &format!("gradient {n}x{p}"));
                assert_close(&gb, &[gb_ref], tol, "intercept gradient");
                let only_value =
                    fused_value(x.as_ref(), w.as_ref(), &b, &mut scratch, par, |rows, z| {
                        z.iter()
                            .zip(&y[rows])
                            .map(|(z, y)| linmod_linalg_core::softplus(*z) - y * z)
                            .sum()
                    });
                assert_close(&[only_value], &[loss], tol, "value-only pass");
            }
        }
    }
}

/// The fused multinomial pass with K = 3 columns: residuals softmax(z) - onehot(y).
#[test]
fn fused_gradient_matches_naive_multiclass() {
    let mut rng = rng(4);
    let k = 3;
    for (n, p) in SHAPES {
        let x = random_mat(&mut rng, n, p);
        let w = random_mat(&mut rng, p, k);
        let b = random_vec(&mut rng, k, -1.0, 1.0);
        let y: Vec<usize> = (0..n).map(|i| (i * 7 + 1) % k).collect();
        let z = naive_xw(&x, &w, &b);
        let mut r = vec![0.0; n * k];
        let mut loss = 0.0;
        for i in 0..n {
            let mut row: Vec<f64> = (0..k).map(|c| z[c * n + i]).collect();
            let lse = softmax_in_place(&mut row);
            loss += lse - z[y[i] * n + i];
            for c in 0..k {
                r[c * n + i] = row[c] - (y[i] == c) as u8 as f64;
            }
        }
        let g_ref = naive_xtr(&x, &r, k);
        for part in partitions(n, p) {
            let mut scratch = PassScratch::new(part, p, k);
            let mut g = Mat::<f64>::zeros(p, k);
            let mut gb = vec![0.0; k];
            let value = fused_gradient(
                x.as_ref(),
                w.as_ref(),
                &b,
                &mut scratch,
                Parallelism::Rayon,
                |rows, z| {
                    let len = rows.len();
                    let mut s = 0.0;
                    let mut row = vec![0.0; k];
                    for (local, i) in rows.enumerate() {
                        for c in 0..k {
                            row[c] = z[c * len + local];
                        }
                        let zy = row[y[i]];
                        s += softmax_in_place(&mut row) - zy;
                        for c in 0..k {
                            z[c * len + local] = row[c] - (y[i] == c) as u8 as f64;
                        }
                    }
                    s
                },
                g.as_mut(),
                &mut gb,
            );
            let tol = TOL * (n as f64).sqrt();
            assert_close(&[value], &[loss], tol, "multinomial loss");
            assert_close(&mat_to_vec(&g), &g_ref, tol, "multinomial gradient");
            let gb_ref: Vec<f64> = (0..k).map(|c| r[c * n..(c + 1) * n].iter().sum()).collect();
            assert_close(&gb, &gb_ref, tol, "multinomial intercept gradient");
        }
    }
}

/// The lower triangle of `g` matches `reference`; the strict upper triangle still holds the
/// fill value -7 (Gram kernels must not write it).
fn assert_lower_matches(g: &Mat<f64>, reference: &Mat<f64>, tol: f64) {
    let p = g.nrows();
    for j in 0..p {
        for i in 0..p {
            if i >= j {
                assert_close(
                    &[g[(i, j)]],
                    &[reference[(i, j)]],
                    tol,
                    &format!("gram ({i},{j})"),
                );
            } else {
                assert_eq!(g[(i, j)], -7.0, "strict upper triangle must not be written");
            }
        }
    }
}

#[test]
fn weighted_gram_matches_xt_d_x() {
    let mut rng = rng(5);
    for (n, p) in SHAPES {
        let x = random_mat(&mut rng, n, p);
        // weights of both signs: the kernel must not take square roots
        let d = random_vec(&mut rng, n, -0.5, 1.0);
        let reference = naive_gram(&x, &d);
        let xtd_ref = naive_xtr(&x, &d, 1);
        for part in [RowBlocks::for_gram(n, p), RowBlocks::new(n, 64, 2)] {
            let mut scratch = GramScratch::new(part, p);
            let mut g = Mat::<f64>::from_fn(p, p, |_, _| -7.0);
            let mut xtd = vec![0.0; p];
            let dsum = weighted_gram(
                x.as_ref(),
                &d,
                &mut scratch,
                Parallelism::Rayon,
                g.as_mut(),
                Some(&mut xtd),
            );
            let tol = TOL * (n as f64).sqrt();
            assert_lower_matches(&g, &reference, tol);
            assert_close(&xtd, &xtd_ref, tol, "X^T d");
            assert_close(&[dsum], &[d.iter().sum::<f64>()], tol, "sum d");
        }
    }
}

#[test]
fn gram_matrix_matches_xt_x() {
    let mut rng = rng(15);
    for (n, p) in SHAPES {
        let x = random_mat(&mut rng, n, p);
        let reference = naive_gram(&x, &vec![1.0; n]);
        for part in [RowBlocks::for_gram(n, p), RowBlocks::new(n, 64, 2)] {
            let mut scratch = GramScratch::new(part, p);
            let mut g = Mat::<f64>::from_fn(p, p, |_, _| -7.0);
            gram_matrix(x.as_ref(), &mut scratch, Parallelism::Rayon, g.as_mut());
            let tol = TOL * (n as f64).sqrt();
            assert_lower_matches(&g, &reference, tol);
        }
    }
}

#[test]
fn column_sums_match_naive_and_flag_non_finite_columns() {
    let mut rng = rng(16);
    for (n, p) in SHAPES {
        let x = random_mat(&mut rng, n, p);
        let naive: Vec<f64> = (0..p).map(|j| (0..n).map(|i| x[(i, j)]).sum()).collect();
        for par in [Parallelism::Sequential, Parallelism::Rayon] {
            let s = column_sums(x.as_ref(), par);
            assert_close(&s, &naive, TOL * (n as f64).sqrt(), "column sums");
        }
    }
    let mut x = Mat::<f64>::zeros(5, 3);
    x[(4, 1)] = f64::NAN;
    x[(0, 2)] = f64::INFINITY;
    x[(1, 2)] = f64::NEG_INFINITY;
    let s = column_sums(x.as_ref(), Parallelism::Rayon);
    assert!(s[0].is_finite() && s[1].is_nan() && s[2].is_nan(), "{s:?}");
}

#[test]
fn column_statistics_match_naive() {
    let mut rng = rng(6);
    for (n, p) in SHAPES {
        let mut x = random_mat(&mut rng, n, p);
        // a large offset: a one-pass variance formula would lose every digit here
        for i in 0..n {
            x[(i, 0)] += 1e9;
        }
        let means = column_means(x.as_ref(), None);
        for j in 0..p {
            let m: f64 = (0..n).map(|i| x[(i, j)]).sum::<f64>() / n as f64;
            assert_close(&[means[j]], &[m], 1e-14, "mean");
            let var: f64 = (0..n).map(|i| (x[(i, j)] - m).powi(2)).sum::<f64>() / n as f64;
            let stds = column_stds(x.as_ref(), &means, 0);
            assert_close(&[stds[j]], &[var.sqrt()], 1e-6, "std");
            assert!(stds[j].is_finite());
        }
        let w = random_vec(&mut rng, n, 0.1, 2.0);
        let wm = column_means(x.as_ref(), Some(&w));
        let wsum: f64 = w.iter().sum();
        for j in 0..p {
            let m: f64 = (0..n).map(|i| w[i] * x[(i, j)]).sum::<f64>() / wsum;
            assert_close(&[wm[j]], &[m], 1e-13, "weighted mean");
        }
    }
}

#[test]
fn empty_matrices_are_handled() {
    let x = Mat::<f64>::zeros(0, 3);
    let w = Mat::<f64>::zeros(3, 1);
    let mut z: Vec<f64> = Vec::new();
    mul_xw(x.as_ref(), w.as_ref(), &[0.0], &mut z, Parallelism::Rayon);
    let mut scratch = PassScratch::for_matrix(x.as_ref(), 1);
    let mut g = Mat::<f64>::from_fn(3, 1, |_, _| 1.0);
    let mut gb = [1.0];
    let v = fused_gradient(
        x.as_ref(),
        w.as_ref(),
        &[0.0],
        &mut scratch,
        Parallelism::Rayon,
        |_, _| 1.0,
        g.as_mut(),
        &mut gb,
    );
    assert_eq!(v, 0.0);
    assert_eq!(mat_to_vec(&g), vec![0.0; 3]);
    assert_eq!(gb, [0.0]);
    assert_eq!(column_means(x.as_ref(), None), vec![0.0; 3]);
}

/// The per-row outputs of the fused pass (here `z^2` and `sigma(z)`, two per row) land on the
/// right rows for every partition, and the gradient is the same as without them.
#[test]
fn fused_gradient_rows_writes_every_row() {
    let mut rng = rng(7);
    for (n, p) in SHAPES {
        let x = random_mat(&mut rng, n, p);
        let w = random_mat(&mut rng, p, 1);
        let z = naive_xw(&x, &w, &[0.5]);
        for part in partitions(n, p) {
            let mut scratch = PassScratch::new(part, p, 1);
            let mut g = Mat::<f64>::zeros(p, 1);
            let mut gb = [0.0];
            let mut out = vec![f64::NAN; 2 * n];
            linmod_linalg_core::fused_gradient_rows(
                x.as_ref(),
                w.as_ref(),
                &[0.5],
                &mut scratch,
                Parallelism::Rayon,
                |_, zb, o| {
                    for (zi, pair) in zb.iter_mut().zip(o.chunks_mut(2)) {
                        pair[0] = *zi * *zi;
                        pair[1] = sigmoid(*zi);
                        *zi = 1.0;
                    }
                    0.0
                },
                g.as_mut(),
                &mut gb,
                &mut out,
                2,
            );
            for i in 0..n {
                assert_close(
                    &out[2 * i..2 * i + 2],
                    &[z[i] * z[i], sigmoid(z[i])],
                    TOL,
                    &format!("row {i} of {n}x{p}"),
                );
            }
            // residual 1 on every row: the gradient is the column sums of X
            let sums: Vec<f64> = (0..p).map(|j| (0..n).map(|i| x[(i, j)]).sum()).collect();
            assert_close(&mat_to_vec(&g), &sums, TOL * (n as f64).sqrt(), "gradient");
            assert_eq!(gb[0], n as f64);
        }
    }
}
