//! Property tests of the linear-regression objective: its gradient, Hessian and
//! Hessian-vector products agree with central differences, with and without intercept,
//! sample weights and penalties; the prox-gradient optimality and the composite value are
//! consistent. `PROPTEST_CASES=N` runs more cases.

mod support;

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::objective::LeastSquaresObjective;
use optim::{Composite, Objective, SecondOrder, SumOfTerms, central_hessian, check_gradient};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Case {
    x: Mat<f64>,
    y: Vec<f64>,
    weights: Option<Vec<f64>>,
    fit_intercept: bool,
    penalty: Penalty,
    theta: Vec<f64>,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=15, 1usize..=5).prop_flat_map(|(n, p)| {
        (
            proptest::collection::vec(-3.0f64..3.0, n * p),
            proptest::collection::vec(-5.0f64..5.0, n),
            proptest::option::of(proptest::collection::vec(0.0f64..3.0, n)),
            any::<bool>(),
            (
                prop_oneof![Just(0.0), 0.0f64..2.0],
                prop_oneof![Just(0.0), 0.0f64..2.0],
            ),
            proptest::collection::vec(-2.0f64..2.0, p + 1),
        )
            .prop_map(
                move |(xv, y, weights, fit_intercept, (l1, l2), mut theta)| {
                    if !fit_intercept {
                        theta.pop();
                    }
                    // all-zero weights are invalid input, tested elsewhere
                    let weights = weights.filter(|w| w.iter().sum::<f64>() > 0.1);
                    Case {
                        x: Mat::from_fn(n, p, |i, j| xv[i + j * n]),
                        y,
                        weights,
                        fit_intercept,
                        penalty: Penalty { l1, l2 },
                        theta,
                    }
                },
            )
    })
}

fn objective(c: &Case) -> LeastSquaresObjective<'_> {
    LeastSquaresObjective::least_squares(
        c.x.as_ref(),
        &c.y,
        c.weights.as_deref(),
        c.fit_intercept,
        c.penalty,
    )
    .unwrap()
}

/// The objective written out loop by loop, as a second opinion on the fused kernels.
fn naive_value(c: &Case) -> f64 {
    let (n, p) = (c.x.nrows(), c.x.ncols());
    let total_w: f64 = c.weights.as_ref().map_or(n as f64, |w| w.iter().sum());
    let b = if c.fit_intercept { c.theta[p] } else { 0.0 };
    let mut loss = 0.0;
    for i in 0..n {
        let s = c
            .weights
            .as_ref()
            .map_or(1.0, |w| w[i] * n as f64 / total_w);
        let z: f64 = (0..p).map(|j| c.x[(i, j)] * c.theta[j]).sum::<f64>() + b;
        loss += s * (c.y[i] - z) * (c.y[i] - z);
    }
    loss / (2.0 * n as f64) + c.penalty.l2 * c.theta[..p].iter().map(|w| w * w).sum::<f64>()
}

proptest! {
    #![proptest_config(support::cases(48))]

    #[test]
    fn value_matches_the_definition(c in case()) {
        let v = objective(&c).value(&c.theta);
        let expect = naive_value(&c);
        prop_assert!((v - expect).abs() <= 1e-12 * (1.0 + expect.abs()), "{} vs {}", v, expect);
    }

    #[test]
    fn gradient_matches_central_differences(c in case()) {
        let mut f = objective(&c);
        let mut probe = objective(&c);
        let err = check_gradient(|t| probe.value(t), |t, g| { f.gradient(t, g); }, &c.theta);
        prop_assert!(err < 1e-7, "relative error {}", err);
        // the fused value-and-gradient agrees with the separate calls
        let d = f.dim();
        let (mut g1, mut g2) = (vec![0.0; d], vec![0.0; d]);
        let v = f.value_and_gradient(&c.theta, &mut g1);
        f.gradient(&c.theta, &mut g2);
        prop_assert!((v - f.value(&c.theta)).abs() <= 1e-14 * (1.0 + v.abs()));
        prop_assert_eq!(g1, g2);
    }

    #[test]
    fn hessian_and_products_match_differences_of_the_gradient(c in case()) {
        let mut f = objective(&c);
        let d = f.dim();
        let mut h = Mat::<f64>::zeros(d, d);
        f.hessian(&c.theta, h.as_mut());
        let full = |i: usize, j: usize| if i >= j { h[(i, j)] } else { h[(j, i)] };
        let mut g = objective(&c);
        let h_fd = central_hessian(|t, out| g.gradient(t, out), &c.theta);
        for i in 0..d {
            for j in 0..d {
                let (a, b) = (full(i, j), h_fd[i * d + j]);
                prop_assert!((a - b).abs() <= 1e-6 * (1.0 + a.abs()), "H[{},{}] {} vs {}", i, j, a, b);
            }
        }
        let v: Vec<f64> = (0..d).map(|k| (k as f64 * 0.7).sin()).collect();
        let mut hv = vec![0.0; d];
        f.hessian_vector_product(&c.theta, &v, &mut hv);
        for (i, hvi) in hv.iter().enumerate() {
            let expect: f64 = (0..d).map(|k| full(i, k) * v[k]).sum();
            prop_assert!((hvi - expect).abs() <= 1e-10 * (1.0 + expect.abs()));
        }
    }

    #[test]
    fn the_full_batch_is_the_full_objective(c in case()) {
        let mut f = objective(&c);
        let d = f.dim();
        let all: Vec<usize> = (0..f.n_terms()).collect();
        let (mut gb, mut g) = (vec![0.0; d], vec![0.0; d]);
        let vb = f.batch_value_and_gradient(&c.theta, &all, &mut gb);
        let v = f.value_and_gradient(&c.theta, &mut g);
        prop_assert!((vb - v).abs() <= 1e-12 * (1.0 + v.abs()));
        for (a, b) in gb.iter().zip(&g) {
            prop_assert!((a - b).abs() <= 1e-12 * (1.0 + b.abs()));
        }
    }

    #[test]
    fn the_nonsmooth_part_is_the_l1_penalty_without_the_intercept(c in case()) {
        let f = objective(&c);
        let p = c.x.ncols();
        let expect = c.penalty.l1 * c.theta[..p].iter().map(|w| w.abs()).sum::<f64>();
        prop_assert!((f.nonsmooth_value(&c.theta) - expect).abs() <= 1e-12 * (1.0 + expect));
        let mut t = c.theta.clone();
        f.prox(0.5, &mut t);
        if c.fit_intercept {
            prop_assert_eq!(t[p].to_bits(), c.theta[p].to_bits());
        }
        for (new, old) in t.iter().zip(&c.theta).take(p) {
            let shrunk = new.abs() <= old.abs() && new * old >= 0.0;
            prop_assert!(shrunk);
        }
    }
}
