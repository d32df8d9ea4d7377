//! Blocked kernels give bit-identical results for 1 and 2 threads and for sequential runs.

#![allow(clippy::float_cmp)] // exact values at the extremes are the point of these tests

mod common;

use common::*;
use linmod_linalg_core::{
    GramScratch, Mat, Parallelism, PassScratch, RowBlocks, column_sums, fused_gradient,
    gram_matrix, mul_xtr, mul_xw, sigmoid, softplus, weighted_gram,
};

struct Outputs {
    loss: f64,
    grad: Vec<f64>,
    grad_b: f64,
    xtr: Vec<f64>,
    z: Vec<f64>,
    gram: Vec<f64>,
    xtd: Vec<f64>,
    plain_gram: Vec<f64>,
    sums: Vec<f64>,
}

fn run(x: &Mat<f64>, y: &[f64], par: Parallelism, part: RowBlocks) -> Outputs {
    let (n, p) = (x.nrows(), x.ncols());
    let w = Mat::from_fn(p, 1, |j, _| 0.1 * j as f64 - 0.5);
    let mut scratch = PassScratch::new(part, p, 1);
    let mut g = Mat::<f64>::zeros(p, 1);
    let mut gb = [0.0];
    let loss = fused_gradient(
        x.as_ref(),
        w.as_ref(),
        &[0.25],
        &mut scratch,
        par,
        |rows, z| {
            let mut s = 0.0;
            for (zi, yi) in z.iter_mut().zip(&y[rows]) {
                s += softplus(*zi) - yi * *zi;
                *zi = sigmoid(*zi) - yi;
            }
            s
        },
        g.as_mut(),
        &mut gb,
    );
    let mut xtr = Mat::<f64>::zeros(p, 1);
    mul_xtr(x.as_ref(), y, &mut scratch, par, xtr.as_mut());
    let mut z = vec![0.0; n];
    mul_xw(x.as_ref(), w.as_ref(), &[0.25], &mut z, par);
    let d: Vec<f64> = z
        .iter()
        .map(|&zi| sigmoid(zi) * (1.0 - sigmoid(zi)))
        .collect();
    let mut gs = GramScratch::for_matrix(x.as_ref());
    let mut gram = Mat::<f64>::zeros(p, p);
    let mut xtd = vec![0.0; p];
    weighted_gram(x.as_ref(), &d, &mut gs, par, gram.as_mut(), Some(&mut xtd));
    let mut plain_gram = Mat::<f64>::zeros(p, p);
    gram_matrix(x.as_ref(), &mut gs, par, plain_gram.as_mut());
    Outputs {
        loss,
        grad: mat_to_vec(&g),
        grad_b: gb[0],
        xtr: mat_to_vec(&xtr),
        z,
        gram: mat_to_vec(&gram),
        xtd,
        plain_gram: mat_to_vec(&plain_gram),
        sums: column_sums(x.as_ref(), par),
    }
}

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

fn assert_identical(a: &Outputs, b: &Outputs, what: &str) {
    assert_eq!(a.loss.to_bits(), b.loss.to_bits(), "{what}: loss");
    assert_eq!(bits(&a.grad), bits(&b.grad), "{what}: gradient");
    assert_eq!(
        a.grad_b.to_bits(),
        b.grad_b.to_bits(),
        "{what}: intercept gradient"
    );
    assert_eq!(bits(&a.xtr), bits(&b.xtr), "{what}: X^T r");
    assert_eq!(bits(&a.z), bits(&b.z), "{what}: X w");
    assert_eq!(bits(&a.gram), bits(&b.gram), "{what}: Gram");
    assert_eq!(bits(&a.xtd), bits(&b.xtd), "{what}: X^T d");
    assert_eq!(bits(&a.plain_gram), bits(&b.plain_gram), "{what}: X^T X");
    assert_eq!(bits(&a.sums), bits(&b.sums), "{what}: column sums");
}

#[test]
fn one_and_two_threads_give_identical_bits() {
    let mut rng = rng(20);
    let (n, p) = (40_000, 100);
    let x = random_mat(&mut rng, n, p);
    let y: Vec<f64> = (0..n).map(|i| (i % 3 == 0) as u8 as f64).collect();
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .unwrap();
    let two = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    for part in [RowBlocks::for_pass(n, p), RowBlocks::new(n, 512, 3)] {
        assert!(part.n_tasks() > 1, "the partition must have several tasks");
        let seq = run(&x, &y, Parallelism::Sequential, part);
        let r1 = one.install(|| run(&x, &y, Parallelism::Rayon, part));
        let r2 = two.install(|| run(&x, &y, Parallelism::Rayon, part));
        assert_identical(&seq, &r1, "sequential vs 1 thread");
        assert_identical(&r1, &r2, "1 vs 2 threads");
    }
}
