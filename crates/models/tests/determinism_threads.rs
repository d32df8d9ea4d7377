//! Same seed, same data: bit-identical fits in rayon pools of 1 and 2 threads, for every
//! solver family whose passes over `X` are blocked (`docs/architecture.md`: the row partition
//! depends on the shape only, and partial results are added in task order).
//!
//! The data are large enough that the passes split into several tasks; otherwise one thread
//! would do all the work in both pools and the test would prove nothing.

#![allow(clippy::float_cmp)] // bit-for-bit equality is the property under test

mod support;

use linalg_core::{Mat, RowBlocks};
use linmod_models::Penalty;
use linmod_models::linear::{LinearRegression, LinearSolver};
use linmod_models::logistic::{LogisticRegression, LogisticSolver};
use support::{binary_problem, bits, multiclass_problem, regression_problem};

const N: usize = 40_000;
const P: usize = 30;

/// Runs `fit` in a pool of `threads` threads.
fn in_pool<T: Send>(threads: usize, fit: impl FnOnce() -> T + Send) -> T {
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .expect("a thread pool")
        .install(fit)
}

/// Fits with 1 and 2 threads and compares every coefficient bit.
fn same_bits_for_1_and_2_threads(what: &str, fit: impl Fn() -> Vec<f64> + Sync) {
    let one = in_pool(1, &fit);
    let two = in_pool(2, &fit);
    assert!(one.iter().all(|v| v.is_finite()), "{what}: {one:?}");
    assert_eq!(bits(&one), bits(&two), "{what}: {one:?} vs {two:?}");
}

#[test]
fn the_problem_is_split_into_several_tasks() {
    assert!(RowBlocks::for_pass(N, P).n_tasks() >= 2);
    assert!(RowBlocks::for_gram(N, P).n_tasks() >= 2);
}

#[test]
fn binary_logistic_newton_and_lbfgs() {
    let (x, y) = binary_problem(N, P, 1);
    for solver in [LogisticSolver::Newton, LogisticSolver::Lbfgs] {
        same_bits_for_1_and_2_threads(&format!("logistic {solver}"), || {
            let f = LogisticRegression::new()
                .l2(1e-4)
                .solver(solver)
                .fit(x.as_ref(), &y)
                .unwrap();
            assert!(f.converged());
            let mut v = f.coef().to_vec();
            v.push(f.intercept());
            v
        });
    }
}

#[test]
fn multinomial_newton() {
    let (x, y) = multiclass_problem(N, P, 3, 2);
    same_bits_for_1_and_2_threads("multinomial", || {
        let f = LogisticRegression::new()
            .l2(1e-4)
            .multinomial()
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!(f.converged());
        [f.coef(), f.intercepts()].concat()
    });
}

#[test]
fn linear_cholesky_and_coordinate_descent() {
    let (x, y): (Mat<f64>, Vec<f64>) = regression_problem(N, P, 3);
    let configs = [
        (
            "cholesky",
            LinearRegression::new().solver(LinearSolver::Cholesky),
        ),
        (
            "cd",
            LinearRegression::new()
                .penalty(Penalty::elastic_net(0.01, 0.01).unwrap())
                .solver(LinearSolver::CoordinateDescent),
        ),
    ];
    for (name, cfg) in configs {
        same_bits_for_1_and_2_threads(name, || {
            let f = cfg.fit(x.as_ref(), &y).unwrap();
            assert!(f.converged());
            let mut v = f.coef().to_vec();
            v.push(f.intercept());
            v
        });
    }
}
