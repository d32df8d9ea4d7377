//! Invariances of fitted models, on random problems solved to tight tolerances (the policy is
//! in `support/mod.rs`):
//! * permuting the rows leaves the fit unchanged;
//! * duplicating a subset of rows equals weight 2 on those rows, and duplicating every row
//!   leaves the fit unchanged (the objectives are means, so the same penalty strengths apply);
//! * rescaling a feature by `c` divides its coefficient by `c` (unpenalized fits);
//! * adding a constant to a linear target shifts only the intercept (any penalty: the
//!   intercept is never penalized);
//! * relabelling the classes permutes the multinomial coefficient columns (with an L2
//!   penalty, so that the symmetric parametrization has a unique solution).
//!
//! `PROPTEST_CASES=N` runs more cases.

mod support;

use linalg_core::{Mat, MatRef};
use linmod_models::linear::{LinearRegression, LinearSolver};
use linmod_models::logistic::LogisticRegression;
use linmod_models::{ModelError, Penalty};
use proptest::prelude::*;
use support::{
    FIT_TOL, binary_problem, cases, multiclass_problem, regression_problem, rel_diff, take_rows,
};

/// The models under test.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Model {
    /// Unpenalized binary logistic regression (Newton).
    Logistic,
    /// L1-penalized binary logistic regression (proximal Newton).
    LogisticL1,
    /// Softmax regression with three classes and a small L2 penalty (Newton).
    Multinomial,
    /// Ordinary least squares (closed form).
    Ols,
    /// The lasso (coordinate descent).
    Lasso,
}

const MODELS: [Model; 5] = [
    Model::Logistic,
    Model::LogisticL1,
    Model::Multinomial,
    Model::Ols,
    Model::Lasso,
];

/// Coefficients (`p x K` column-major) and intercepts of a fit.
#[derive(Debug)]
struct Fit {
    coef: Vec<f64>,
    intercepts: Vec<f64>,
}

impl Model {
    fn data(self, n: usize, p: usize, seed: u64) -> (Mat<f64>, Vec<f64>) {
        match self {
            Model::Logistic | Model::LogisticL1 => binary_problem(n, p, seed),
            Model::Multinomial => multiclass_problem(n, p, 3, seed),
            Model::Ols | Model::Lasso => regression_problem(n, p, seed),
        }
    }

    fn fit(self, x: MatRef<'_, f64>, y: &[f64], w: Option<&[f64]>) -> Result<Fit, ModelError> {
        // every configuration type has `fit` and `fit_weighted` with the same signatures
        macro_rules! fit {
            ($cfg:expr) => {
                match w {
                    Some(w) => $cfg.fit_weighted(x, y, w)?,
                    None => $cfg.fit(x, y)?,
                }
            };
        }
        let logistic = LogisticRegression::new().tol(1e-10);
        let fit = match self {
            Model::Logistic | Model::LogisticL1 => {
                let l1 = if self == Model::LogisticL1 { 0.02 } else { 0.0 };
                let f = fit!(logistic.l1(l1));
                assert!(f.converged(), "{}", f.report().summary());
                Fit {
                    coef: f.coef().to_vec(),
                    intercepts: vec![f.intercept()],
                }
            }
            Model::Multinomial => {
                let f = fit!(logistic.l2(1e-3).multinomial());
                assert!(f.converged());
                Fit {
                    coef: f.coef().to_vec(),
                    intercepts: f.intercepts().to_vec(),
                }
            }
            Model::Ols => {
                let f = fit!(LinearRegression::new());
                Fit {
                    coef: f.coef().to_vec(),
                    intercepts: vec![f.intercept()],
                }
            }
            Model::Lasso => {
                let f = fit!(
                    LinearRegression::new()
                        .penalty(Penalty::l1(0.05).unwrap())
                        .solver(LinearSolver::CoordinateDescent)
                        .tol(1e-14)
                );
                assert!(f.converged());
                Fit {
                    coef: f.coef().to_vec(),
                    intercepts: vec![f.intercept()],
                }
            }
        };
        Ok(fit)
    }
}

/// Fails unless two fits agree to `FIT_TOL`.
fn same_fit(model: Model, a: &Fit, b: &Fit) -> Result<(), TestCaseError> {
    let dc = rel_diff(&a.coef, &b.coef);
    let di = rel_diff(&a.intercepts, &b.intercepts);
    prop_assert!(
        dc <= FIT_TOL && di <= FIT_TOL,
        "{:?}: coefficients differ by {:e}, intercepts by {:e}\n{:?}\n{:?}",
        model,
        dc,
        di,
        a,
        b
    );
    Ok(())
}

/// The reference fit, or a rejected case when the random problem happens to be one the model
/// refuses (separation of an unpenalized fit), which the catalogue tests separately.
fn reference(model: Model, x: &Mat<f64>, y: &[f64]) -> Result<Fit, TestCaseError> {
    model
        .fit(x.as_ref(), y, None)
        .map_err(|e| TestCaseError::reject(format!("{model:?}: {e}")))
}

/// A problem: size, seed, and a permutation / subset / scale drawn for it.
#[derive(Clone, Debug)]
struct Draw {
    n: usize,
    p: usize,
    seed: u64,
    order: Vec<usize>,
    subset: Vec<bool>,
    column: usize,
    log_scale: f64,
    shift: f64,
}

fn draw() -> impl Strategy<Value = Draw> {
    (40usize..=80, 1usize..=3, any::<u64>()).prop_flat_map(|(n, p, seed)| {
        (
            Just((0..n).collect::<Vec<_>>()).prop_shuffle(),
            proptest::collection::vec(any::<bool>(), n),
            0..p,
            -2.0f64..2.0,
            -100.0f64..100.0,
        )
            .prop_map(move |(order, subset, column, log_scale, shift)| Draw {
                n,
                p,
                seed,
                order,
                subset,
                column,
                log_scale,
                shift,
            })
    })
}

proptest! {
    #![proptest_config(cases(32))]

    #[test]
    fn permuting_rows_leaves_the_fit_unchanged(d in draw()) {
        for model in MODELS {
            let (x, y) = model.data(d.n, d.p, d.seed);
            let base = reference(model, &x, &y)?;
            let yp: Vec<f64> = d.order.iter().map(|&i| y[i]).collect();
            let permuted = model.fit(take_rows(&x, &d.order).as_ref(), &yp, None).unwrap();
            same_fit(model, &base, &permuted)?;
        }
    }

    #[test]
    fn duplicating_rows_equals_weight_two(d in draw()) {
        for model in MODELS {
            let (x, y) = model.data(d.n, d.p, d.seed);
            let twice: Vec<usize> = (0..d.n).filter(|&i| d.subset[i]).collect();
            let rows: Vec<usize> = (0..d.n).chain(twice.iter().copied()).collect();
            let yd: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
            let weights: Vec<f64> = d.subset.iter().map(|&s| if s { 2.0 } else { 1.0 }).collect();
            let duplicated = model.fit(take_rows(&x, &rows).as_ref(), &yd, None);
            let weighted = model.fit(x.as_ref(), &y, Some(&weights));
            match (duplicated, weighted) {
                (Ok(a), Ok(b)) => same_fit(model, &a, &b)?,
                (Err(a), Err(b)) => prop_assert_eq!(a.to_string(), b.to_string()),
                (a, b) => prop_assert!(false, "{:?}: {:?} vs {:?}", model, a, b),
            }
        }
    }

    #[test]
    fn duplicating_every_row_leaves_the_fit_unchanged(d in draw()) {
        for model in MODELS {
            let (x, y) = model.data(d.n, d.p, d.seed);
            let base = reference(model, &x, &y)?;
            let rows: Vec<usize> = (0..2 * d.n).map(|i| i % d.n).collect();
            let yd: Vec<f64> = rows.iter().map(|&i| y[i]).collect();
            let doubled = model.fit(take_rows(&x, &rows).as_ref(), &yd, None).unwrap();
            same_fit(model, &base, &doubled)?;
        }
    }

    #[test]
    fn rescaling_a_feature_rescales_its_coefficient(d in draw()) {
        let c = 10f64.powf(d.log_scale);
        for model in [Model::Logistic, Model::Ols] {
            let (x, y) = model.data(d.n, d.p, d.seed);
            let base = reference(model, &x, &y)?;
            let mut xs = x.clone();
            xs.col_mut(d.column).iter_mut().for_each(|v| *v *= c);
            let mut scaled = model.fit(xs.as_ref(), &y, None).unwrap();
            // back on the original scale, the fits must coincide
            scaled.coef[d.column] *= c;
            same_fit(model, &base, &scaled)?;
        }
    }

    #[test]
    fn adding_a_constant_to_a_linear_target_shifts_only_the_intercept(d in draw()) {
        for model in [Model::Ols, Model::Lasso] {
            let (x, y) = model.data(d.n, d.p, d.seed);
            let base = model.fit(x.as_ref(), &y, None).unwrap();
            let ys: Vec<f64> = y.iter().map(|v| v + d.shift).collect();
            let mut shifted = model.fit(x.as_ref(), &ys, None).unwrap();
            shifted.intercepts[0] -= d.shift;
            // the shift is exact only up to rounding of |shift|
            let scale = 1.0 + d.shift.abs();
            let di = (shifted.intercepts[0] - base.intercepts[0]).abs() / scale;
            prop_assert!(di <= FIT_TOL, "{:?}: intercept off by {:e}", model, di);
            let dc = rel_diff(&base.coef, &shifted.coef) / scale;
            prop_assert!(dc <= FIT_TOL, "{:?}: coefficients moved by {:e}", model, dc);
        }
    }

    #[test]
    fn relabelling_classes_permutes_the_multinomial_coefficients(
        d in draw(),
        relabel in Just(vec![0usize, 1, 2]).prop_shuffle(),
    ) {
        let (x, y) = Model::Multinomial.data(d.n, d.p, d.seed);
        let base = Model::Multinomial.fit(x.as_ref(), &y, None).unwrap();
        let yr: Vec<f64> = y.iter().map(|&v| relabel[v as usize] as f64).collect();
        let moved = Model::Multinomial.fit(x.as_ref(), &yr, None).unwrap();
        // class c of the original fit is class relabel[c] of the relabelled one
        let p = d.p;
        let mut coef = vec![0.0; 3 * p];
        let mut intercepts = vec![0.0; 3];
        for c in 0..3 {
            let to = relabel[c];
            coef[c * p..(c + 1) * p].copy_from_slice(&moved.coef[to * p..(to + 1) * p]);
            intercepts[c] = moved.intercepts[to];
        }
        same_fit(Model::Multinomial, &base, &Fit { coef, intercepts })?;
    }
}
