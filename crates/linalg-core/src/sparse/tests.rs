use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::*;
use crate::{
    Design, GramScratch, LinalgError, Mat, MatRef, Parallelism, PassScratch, column_sums,
    fused_gradient, mul_xw, weighted_gram,
};

/// A seeded random `n x p` matrix with about `density` of its entries non-zero (some rows and
/// columns empty).
fn random_dense(n: usize, p: usize, density: f64, seed: u64) -> Mat<f64> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    Mat::from_fn(n, p, |_, _| {
        if rng.random::<f64>() < density {
            rng.random_range(-2.0..2.0)
        } else {
            0.0
        }
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * (1.0 + a.abs().max(b.abs()))
}

fn assert_close(a: &[f64], b: &[f64]) {
    assert_eq!(a.len(), b.len());
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        assert!(close(*x, *y), "entry {i}: {x} vs {y}");
    }
}

/// The fused gradient of a least-squares loss on `x`, for comparing storages.
fn gradient<D: Design>(x: D, w: MatRef<'_, f64>, b: &[f64], par: Parallelism) -> (f64, Vec<f64>) {
    let (p, k) = (x.ncols(), w.ncols());
    let mut scratch = PassScratch::for_matrix(&x, k);
    let mut g = Mat::<f64>::zeros(p, k);
    let mut gb = vec![0.0; k];
    let value = fused_gradient(
        &x,
        w,
        b,
        &mut scratch,
        par,
        |rows, z| {
            let mut s = 0.0;
            for (zi, i) in z.iter_mut().zip(rows.cycle()) {
                *zi -= (i % 3) as f64;
                s += 0.5 * *zi * *zi;
            }
            s
        },
        g.as_mut(),
        &mut gb,
    );
    let mut out: Vec<f64> = (0..k)
        .flat_map(|c| (0..p).map(move |j| (j, c)))
        .map(|(j, c)| g[(j, c)])
        .collect();
    out.extend(gb);
    (value, out)
}

#[test]
#[allow(clippy::needless_range_loop)]
fn every_kernel_agrees_with_the_dense_matrix() {
    let dense = random_dense(700, 13, 0.2, 1);
    let csr = CsrMatrix::from_dense(dense.as_ref()).unwrap();
    let csc = csr.to_csc().unwrap();
    assert_eq!(csr.to_dense(), dense);
    assert_eq!(csc.to_dense(), dense);
    assert_eq!(csc.to_csr().unwrap(), csr);
    let w = Mat::from_fn(13, 2, |j, c| (j as f64 - 6.0) * 0.1 + c as f64);
    let b = [0.3, -0.7];

    let (vd, gd) = gradient(dense.as_ref(), w.as_ref(), &b, Parallelism::Rayon);
    for (vs, gs) in [
        gradient(&csr, w.as_ref(), &b, Parallelism::Rayon),
        gradient(&csc, w.as_ref(), &b, Parallelism::Rayon),
    ] {
        assert!(close(vd, vs));
        assert_close(&gd, &gs);
    }

    let mut zd = vec![0.0; 1400];
    let mut zs = vec![0.0; 1400];
    mul_xw(dense.as_ref(), w.as_ref(), &b, &mut zd, Parallelism::Rayon);
    mul_xw(&csr, w.as_ref(), &b, &mut zs, Parallelism::Rayon);
    assert_close(&zd, &zs);
    mul_xw(&csc, w.as_ref(), &b, &mut zs, Parallelism::Rayon);
    assert_close(&zd, &zs);

    let d: Vec<f64> = (0..700).map(|i| 0.5 + (i % 7) as f64).collect();
    let gram = |x: &dyn Fn(&mut Mat<f64>, &mut [f64]) -> f64| {
        let mut g = Mat::<f64>::zeros(13, 13);
        let mut xtd = vec![0.0; 13];
        let s = x(&mut g, &mut xtd);
        (s, g, xtd)
    };
    let (sd, gd, xd) = gram(&|g, xtd| {
        let mut scratch = GramScratch::for_matrix(dense.as_ref());
        weighted_gram(
            dense.as_ref(),
            &d,
            &mut scratch,
            Parallelism::Rayon,
            g.as_mut(),
            Some(xtd),
        )
    });
    let (ss, gs, xs) = gram(&|g, xtd| {
        let mut scratch = GramScratch::for_matrix(&csr);
        weighted_gram(
            &csr,
            &d,
            &mut scratch,
            Parallelism::Rayon,
            g.as_mut(),
            Some(xtd),
        )
    });
    let (sc, gc, xc) = gram(&|g, xtd| {
        let mut scratch = GramScratch::for_matrix(&csc);
        weighted_gram(
            &csc,
            &d,
            &mut scratch,
            Parallelism::Rayon,
            g.as_mut(),
            Some(xtd),
        )
    });
    assert!(close(sd, ss) && close(sd, sc));
    assert_close(&xd, &xs);
    assert_close(&xd, &xc);
    for j in 0..13 {
        for i in j..13 {
            assert!(close(gd[(i, j)], gs[(i, j)]), "csr gram ({i}, {j})");
            assert!(close(gd[(i, j)], gc[(i, j)]), "csc gram ({i}, {j})");
        }
    }

    let v: Vec<f64> = (0..700).map(|i| (i as f64).sin()).collect();
    let u: Vec<f64> = (0..13).map(|j| (j as f64).cos()).collect();
    let sums = column_sums(dense.as_ref(), Parallelism::Rayon);
    assert_close(&sums, &column_sums(&csr, Parallelism::Rayon));
    assert_close(&sums, &column_sums(&csc, Parallelism::Rayon));
    for j in 0..13 {
        let dd = dense.as_ref().column_dot(j, &v);
        assert!(close(dd, csr.column_dot(j, &v)) && close(dd, csc.column_dot(j, &v)));
        assert!(close(sums[j], csr.column_sum(j)));
        let (mut a, mut bb, mut c) = (v.clone(), v.clone(), v.clone());
        dense.as_ref().column_axpy(j, 0.7, &mut a);
        csr.column_axpy(j, 0.7, &mut bb);
        csc.column_axpy(j, 0.7, &mut c);
        assert_close(&a, &bb);
        assert_close(&a, &c);
    }
    let (mut sq_d, mut sq_r, mut sq_c) = (vec![0.0; 13], vec![0.0; 13], vec![0.0; 13]);
    dense.as_ref().column_weighted_squares(Some(&d), &mut sq_d);
    csr.column_weighted_squares(Some(&d), &mut sq_r);
    csc.column_weighted_squares(Some(&d), &mut sq_c);
    assert_close(&sq_d, &sq_r);
    assert_close(&sq_d, &sq_c);
    assert!(!csr.has_fast_columns() && csc.has_fast_columns());
    for i in [0, 1, 350, 699] {
        let dd = dense.as_ref().row_dot(i, &u);
        assert!(close(dd, csr.row_dot(i, &u)) && close(dd, csc.row_dot(i, &u)));
        let (mut a, mut bb, mut c) = (u.clone(), u.clone(), u.clone());
        dense.as_ref().row_axpy(i, -1.5, &mut a);
        csr.row_axpy(i, -1.5, &mut bb);
        csc.row_axpy(i, -1.5, &mut c);
        assert_close(&a, &bb);
        assert_close(&a, &c);
    }
}

#[test]
fn passes_are_bit_identical_for_any_thread_count() {
    let dense = random_dense(20_000, 40, 0.05, 2);
    let csr = CsrMatrix::from_dense(dense.as_ref()).unwrap();
    assert!(csr.pass_partition().n_tasks() > 1);
    let w = Mat::from_fn(40, 1, |j, _| (j as f64 * 0.37).sin());
    let run = |threads: usize, par: Parallelism| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap()
            .install(|| gradient(&csr, w.as_ref(), &[0.1], par))
    };
    let reference = run(1, Parallelism::Sequential);
    for threads in [1, 2, 3] {
        let (v, g) = run(threads, Parallelism::Rayon);
        assert_eq!(v.to_bits(), reference.0.to_bits());
        assert!(
            g.iter()
                .zip(&reference.1)
                .all(|(a, b)| a.to_bits() == b.to_bits())
        );
    }
}

#[test]
fn the_partition_keeps_per_task_buffers_small() {
    // news20-like width: one task per 2 p entries at most
    let part = csr::sparse_pass_partition(20_000, 1_300_000, 9_000_000);
    assert_eq!(part.n_tasks(), 3);
    let part = csr::sparse_pass_partition(200_000, 50_000, 12_000_000);
    assert_eq!(part.n_tasks(), 16);
    assert_eq!(csr::sparse_pass_partition(0, 5, 0).n_tasks(), 0);
}

#[test]
fn invalid_arrays_are_refused_with_the_line_and_index() {
    let msg = |r: crate::Result<CsrMatrix>| r.unwrap_err().to_string();
    assert!(
        msg(CsrMatrix::new(2, 3, vec![0, 1], vec![0], vec![1.0])).contains("indptr has 2 entries")
    );
    assert!(msg(CsrMatrix::new(1, 3, vec![1, 1], vec![0], vec![1.0])).contains("starts at 1"));
    assert!(
        msg(CsrMatrix::new(1, 3, vec![0, 2], vec![0, 1], vec![1.0]))
            .contains("2 indices but 1 values")
    );
    assert!(msg(CsrMatrix::new(2, 3, vec![0, 1, 0], vec![0], vec![1.0])).contains("ends at 0"));
    assert!(
        msg(CsrMatrix::new(2, 3, vec![0, 2, 1], vec![0], vec![1.0]))
            .contains("indptr decreases at row 1")
    );
    assert_eq!(
        msg(CsrMatrix::new(1, 3, vec![0, 1], vec![3], vec![1.0])),
        "invalid sparse matrix: row 0 has column index 3, beyond the 3 columns"
    );
    assert!(
        msg(CsrMatrix::new(1, 3, vec![0, 2], vec![1, 1], vec![1.0, 1.0]))
            .contains("repeats column index 1")
    );
    assert!(
        msg(CsrMatrix::new(1, 3, vec![0, 2], vec![2, 1], vec![1.0, 1.0])).contains("not sorted")
    );
    let nan = CsrMatrix::new(2, 3, vec![0, 0, 1], vec![2], vec![f64::NAN]).unwrap_err();
    assert!(matches!(nan, LinalgError::NonFinite { row: 1, col: 2, .. }));
    let csc = CscMatrix::new(3, 2, vec![0, 0, 1], vec![1], vec![f64::INFINITY]).unwrap_err();
    assert!(matches!(csc, LinalgError::NonFinite { row: 1, col: 1, .. }));
    let csc = CscMatrix::new(3, 2, vec![0, 1, 1], vec![5], vec![1.0]).unwrap_err();
    assert!(
        csc.to_string()
            .contains("column 0 has row index 5, beyond the 3 rows")
    );
    // widening keeps the entries, narrowing below a stored index fails
    let x = CsrMatrix::new(1, 3, vec![0, 1], vec![2], vec![1.0]).unwrap();
    assert_eq!(x.clone().with_ncols(10).unwrap().ncols(), 10);
    assert!(x.with_ncols(2).is_err());
}
