//! Property tests of coordinate descent's duality gap: at any iterate, even one stopped early,
//! the reported gap bounds the distance of the objective from its minimum, in Gram and
//! residual mode, with weights and with or without an intercept. `PROPTEST_CASES=N` runs
//! more cases.

mod support;

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::linear::{CdMode, FittedLinear, LinearRegression, LinearSolver};
use linmod_models::objective::LeastSquaresObjective;
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Case {
    x: Mat<f64>,
    y: Vec<f64>,
    weights: Option<Vec<f64>>,
    fit_intercept: bool,
    penalty: Penalty,
    sweeps: usize,
}

fn case() -> impl Strategy<Value = Case> {
    (2usize..=25, 1usize..=6).prop_flat_map(|(n, p)| {
        (
            proptest::collection::vec(-3.0f64..3.0, n * p),
            proptest::collection::vec(-5.0f64..5.0, n),
            proptest::option::of(proptest::collection::vec(0.2f64..3.0, n)),
            any::<bool>(),
            (0.0f64..1.0, prop_oneof![Just(0.0), 0.01f64..1.0]),
            1usize..4,
        )
            .prop_map(
                move |(xv, y, weights, fit_intercept, (l1, l2), sweeps)| Case {
                    x: Mat::from_fn(n, p, |i, j| xv[i + j * n]),
                    y,
                    weights,
                    fit_intercept,
                    // keep a penalty: coordinate descent needs one
                    penalty: Penalty {
                        l1: l1.max(1e-3),
                        l2,
                    },
                    sweeps,
                },
            )
    })
}

fn fit(c: &Case, config: LinearRegression) -> FittedLinear {
    let config = config.penalty(c.penalty).fit_intercept(c.fit_intercept);
    match &c.weights {
        Some(w) => config.fit_weighted(c.x.as_ref(), &c.y, w),
        None => config.fit(c.x.as_ref(), &c.y),
    }
    .unwrap()
}

fn objective(c: &Case, f: &FittedLinear) -> f64 {
    let mut loss = LeastSquaresObjective::least_squares(
        c.x.as_ref(),
        &c.y,
        c.weights.as_deref(),
        c.fit_intercept,
        c.penalty,
    )
    .unwrap();
    let mut theta = f.coef().to_vec();
    if c.fit_intercept {
        theta.push(f.intercept());
    }
    loss.total_value(&theta)
}

proptest! {
    #![proptest_config(support::cases(32))]

    #[test]
    fn the_gap_bounds_the_suboptimality_of_any_iterate(c in case()) {
        // the optimum, from FISTA run to convergence on the same objective
        let best = fit(&c, LinearRegression::new().solver(LinearSolver::Fista).tol(1e-13).max_iter(200_000));
        let f_best = objective(&c, &best);
        for mode in [CdMode::Gram, CdMode::Residual] {
            let early = fit(
                &c,
                LinearRegression::new()
                    .solver(LinearSolver::CoordinateDescent)
                    .cd_mode(mode)
                    .tol(1e-15)
                    .max_iter(c.sweeps),
            );
            let gap = early.duality_gap().unwrap();
            let f_early = objective(&c, &early);
            let slack = 1e-10 * (1.0 + f_best.abs());
            prop_assert!(gap >= 0.0);
            prop_assert!(
                f_early - f_best <= gap + slack,
                "{:?}: P(w) - P* = {} > gap {}", mode, f_early - f_best, gap
            );
            // the report's value is the objective at the returned coefficients
            let reported = early.report().unwrap().value;
            prop_assert!((reported - f_early).abs() <= 1e-9 * (1.0 + f_early.abs()));
            prop_assert!(early.converged() || early.n_iter() == c.sweeps);
        }
    }
}
