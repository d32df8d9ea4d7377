//! The linear-regression family on the diabetes data (442 x 10, features standardized with the
//! population standard deviation, raw target) against published values, scikit-learn and an
//! independent normal-equations solve.
//!
//! Reference numbers: scikit-learn 1.9.1 (numpy 2.4.6), from `reference/linear_diabetes.py`,
//! with `tol = 1e-14`, `max_iter = 1e7` so that they are accurate far beyond the tested
//! tolerances.

#![allow(clippy::float_cmp)] // exact zeros of lasso fits and lambda_max's zero path are the point

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::linear::{
    CdMode, CrossValidation, FittedLinear, LinearRegression, LinearSolver, RegularizationPath,
    lambda_max,
};

mod linear_support;
use linear_support::{OBJECTIVE_TOL, normal_equations_ols, objective, relative_diff};

// scikit-learn 1.9.1: LinearRegression
const OLS_COEF: [f64; 10] = [
    -0.47612078617915987,
    -11.406866923440969,
    24.726548860402186,
    15.429404131395604,
    -37.67995261101581,
    22.676162766290027,
    4.806138136897862,
    8.422039355820857,
    35.73444577133106,
    3.2166737181905174,
];
// scikit-learn 1.9.1: Ridge(alpha=100, solver="cholesky")
const RIDGE_COEF: [f64; 10] = [
    0.4361491309147144,
    -8.433067987951674,
    21.376606299061592,
    13.336895705428777,
    -2.0664972550847116,
    -3.7073300201716686,
    -8.975943264764245,
    5.72282519376866,
    18.65143252806747,
    4.730399241064948,
];
// RIDGE_INTERCEPT is also the intercept of the unweighted Lasso and ElasticNet fits
const RIDGE_INTERCEPT: f64 = 152.13348416289602;
// scikit-learn 1.9.1: Lasso(alpha=1)
const LASSO_COEF: [f64; 10] = [
    -0.0,
    -9.319329544910676,
    24.831503728185925,
    14.088985512287877,
    -4.838946192436295,
    -0.0,
    -10.622756297300437,
    0.0,
    24.420933398189465,
    2.5618755134433653,
];
// scikit-learn 1.9.1: ElasticNet(alpha=0.5, l1_ratio=0.7)
const ENET_COEF: [f64; 10] = [
    0.0,
    -8.687486773948358,
    22.399719075041578,
    13.676771801405218,
    -2.2963782558230523,
    -3.348145350774967,
    -9.241539726470027,
    4.792385362502444,
    19.826949790174577,
    4.212682702474147,
];
// scikit-learn 1.9.1: Ridge(alpha=100) and Lasso(alpha=1) with sample_weight 0.5 + (i % 5)/2
// (normalized to sum to n)
const RIDGE_W_COEF: [f64; 10] = [
    0.07728478834188533,
    -7.3162979652829945,
    21.254703243323497,
    12.923061054795777,
    -2.1961188325461416,
    -3.806303115055462,
    -8.352690166691685,
    4.776502616038309,
    19.66987027074824,
    5.468927536977042,
];
const RIDGE_W_INTERCEPT: f64 = 152.28046107055204;
const LASSO_W_COEF: [f64; 10] = [
    -0.0,
    -7.801025484782616,
    25.056729619303464,
    13.505230397935279,
    -6.083514047362386,
    -0.0,
    -8.950867486575675,
    0.0,
    25.97125801263137,
    3.278217941497492,
];
const LASSO_W_INTERCEPT: f64 = 152.29227751064806;
// scikit-learn 1.9.1: lasso_path(alphas=100, eps=1e-3) on centered y: alphas[0]
const LAMBDA_MAX: f64 = 45.160030020462905;

const FEATURES: [&str; 10] = [
    "age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6",
];

fn diabetes() -> (Mat<f64>, Vec<f64>) {
    let d = datasets::diabetes();
    let (_, x) = datasets::StandardScaler::fit_transform(d.x.as_ref()).unwrap();
    (x, d.y)
}

fn sample_weights(n: usize) -> Vec<f64> {
    (0..n).map(|i| 0.5 + (i % 5) as f64 / 2.0).collect()
}

fn max_abs_diff(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}

#[test]
fn ols_reproduces_the_published_fit_and_an_independent_solve() {
    let (x, y) = diabetes();
    assert_eq!((x.nrows(), x.ncols()), (442, 10));
    let (b_ne, w_ne) = normal_equations_ols(&x, &y);
    for solver in [LinearSolver::Auto, LinearSolver::Qr, LinearSolver::Cholesky] {
        let fit = LinearRegression::new()
            .solver(solver)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!((fit.intercept() - 152.1335).abs() < 1e-4, "{solver}");
        let r2 = fit.score(x.as_ref(), &y).unwrap();
        assert!((r2 - 0.5177).abs() < 1e-4, "{solver}: R^2 = {r2}");
        assert!(
            relative_diff(fit.coef(), &w_ne) < 1e-9,
            "{solver}: {:?} vs {w_ne:?}",
            fit.coef()
        );
        assert!((fit.intercept() - b_ne).abs() < 1e-9 * b_ne);
        assert!(max_abs_diff(fit.coef(), &OLS_COEF) < 1e-8, "{solver}");
    }
    let auto = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    assert_eq!(auto.solver(), LinearSolver::Cholesky, "well conditioned");
}

#[test]
fn a_duplicated_column_splits_its_weight_between_the_twins() {
    let (x, y) = diabetes();
    let bmi = 2;
    let twin = Mat::from_fn(442, 11, |i, j| x[(i, if j == 10 { bmi } else { j })]);
    let full = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let fit = LinearRegression::new().fit(twin.as_ref(), &y).unwrap();
    assert_eq!(fit.solver(), LinearSolver::Qr);
    assert_eq!(fit.rank(), Some(10));
    let w = fit.coef();
    assert!((w[bmi] - w[10]).abs() < 1e-9, "{} vs {}", w[bmi], w[10]);
    assert!((w[bmi] - OLS_COEF[bmi] / 2.0).abs() < 1e-8);
    let yhat = fit.predict(twin.as_ref()).unwrap();
    let yhat_full = full.predict(x.as_ref()).unwrap();
    assert!(max_abs_diff(&yhat, &yhat_full) < 1e-9);
}

/// A scikit-learn fit to reproduce.
struct Reference<'a> {
    name: &'static str,
    penalty: Penalty,
    weights: Option<&'a [f64]>,
    coef: &'a [f64; 10],
    intercept: f64,
}

#[test]
fn ridge_lasso_and_elastic_net_match_scikit_learn() {
    let (x, y) = diabetes();
    let n = y.len();
    let s = sample_weights(n);
    let case = |name, penalty, weights, coef, intercept| Reference {
        name,
        penalty,
        weights,
        coef,
        intercept,
    };
    // with standardized features the intercept is the (weighted) mean of y for every penalty
    let cases = [
        case(
            "Ridge(100)",
            Penalty::sklearn_ridge(100.0, n).unwrap(),
            None,
            &RIDGE_COEF,
            RIDGE_INTERCEPT,
        ),
        case(
            "Lasso(1)",
            Penalty::sklearn_lasso(1.0).unwrap(),
            None,
            &LASSO_COEF,
            RIDGE_INTERCEPT,
        ),
        case(
            "ElasticNet(0.5, 0.7)",
            Penalty::sklearn_elastic_net(0.5, 0.7).unwrap(),
            None,
            &ENET_COEF,
            RIDGE_INTERCEPT,
        ),
        case(
            "weighted Ridge(100)",
            Penalty::sklearn_ridge(100.0, n).unwrap(),
            Some(&s),
            &RIDGE_W_COEF,
            RIDGE_W_INTERCEPT,
        ),
        case(
            "weighted Lasso(1)",
            Penalty::sklearn_lasso(1.0).unwrap(),
            Some(&s),
            &LASSO_W_COEF,
            LASSO_W_INTERCEPT,
        ),
    ];
    for Reference {
        name,
        penalty,
        weights,
        coef,
        intercept,
    } in cases
    {
        let config = LinearRegression::new().penalty(penalty).tol(1e-13);
        let fit = match weights {
            Some(w) => config.fit_weighted(x.as_ref(), &y, w),
            None => config.fit(x.as_ref(), &y),
        }
        .unwrap();
        assert!(fit.converged(), "{name}");
        let diff = max_abs_diff(fit.coef(), coef);
        assert!(diff < 1e-6, "{name}: {:?} differs by {diff:e}", fit.coef());
        // the zeros of scikit-learn's solution are exact zeros here too
        for (w, w_ref) in fit.coef().iter().zip(coef.iter()) {
            assert_eq!(*w == 0.0, *w_ref == 0.0, "{name}: {:?}", fit.coef());
        }
        assert!((fit.intercept() - intercept).abs() < 1e-6, "{name}");
        if penalty.has_l1() {
            assert_eq!(fit.solver(), LinearSolver::CoordinateDescent);
            assert_eq!(fit.cd_mode(), Some(CdMode::Gram), "n >> p");
        }
    }
}

#[test]
fn coordinate_descent_fista_and_the_path_agree_on_the_objective() {
    let (x, y) = diabetes();
    let lambda = 1.0;
    for (l1_ratio, penalty) in [
        (1.0, Penalty::sklearn_lasso(lambda).unwrap()),
        (0.7, Penalty::sklearn_elastic_net(lambda, 0.7).unwrap()),
    ] {
        let cd = LinearRegression::new()
            .penalty(penalty)
            .tol(1e-14)
            .fit(x.as_ref(), &y)
            .unwrap();
        let residual = LinearRegression::new()
            .penalty(penalty)
            .cd_mode(CdMode::Residual)
            .tol(1e-14)
            .fit(x.as_ref(), &y)
            .unwrap();
        let fista = LinearRegression::new()
            .penalty(penalty)
            .solver(LinearSolver::Fista)
            .tol(1e-13)
            .max_iter(100_000)
            .fit(x.as_ref(), &y)
            .unwrap();
        let path = RegularizationPath::new()
            .l1_ratio(l1_ratio)
            .lambdas(vec![40.0, 10.0, 3.0, lambda])
            .tol(1e-14)
            .fit(x.as_ref(), &y)
            .unwrap();
        assert!(fista.converged(), "{}", fista.report().unwrap().summary());
        assert!(path.converged.iter().all(|c| *c));
        let f = |w: &[f64], b: f64| objective(&x, &y, None, penalty, w, b);
        let f_cd = f(cd.coef(), cd.intercept());
        let others = [
            ("residual", f(residual.coef(), residual.intercept())),
            ("fista", f(fista.coef(), fista.intercept())),
            ("path", f(&path.coefs[3], path.intercepts[3])),
        ];
        for (name, value) in others {
            let rel = (value - f_cd).abs() / f_cd;
            assert!(rel < OBJECTIVE_TOL, "r={l1_ratio} {name}: {rel:e}");
        }
        // the duality gap is below the tolerance and bounds the suboptimality
        let var_y = {
            let m = y.iter().sum::<f64>() / y.len() as f64;
            y.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / y.len() as f64
        };
        let gap = cd.duality_gap().unwrap();
        assert!(gap <= 1e-14 * var_y * (1.0 + 1e-9), "gap {gap}");
        assert!(path.duality_gaps[3] <= 1e-14 * var_y * (1.0 + 1e-9));
        assert!(f_cd - others[1].1 <= gap + 1e-12 * f_cd);
    }
}

#[test]
fn the_lasso_path_follows_the_published_analysis() {
    let (x, y) = diabetes();
    let lmax = lambda_max(x.as_ref(), &y, None, true, 1.0).unwrap();
    assert!((lmax - LAMBDA_MAX).abs() < 1e-9 * LAMBDA_MAX, "{lmax}");
    let path = RegularizationPath::new().fit(x.as_ref(), &y).unwrap();
    assert_eq!(path.len(), 100);
    assert!((path.lambdas[0] - LAMBDA_MAX).abs() < 1e-9 * LAMBDA_MAX);
    assert!(path.coefs[0].iter().all(|w| *w == 0.0));
    assert!(path.converged.iter().all(|c| *c));
    assert_eq!(path.cd_mode, CdMode::Gram);
    // entry order: Efron, Hastie, Johnstone & Tibshirani (2004), "Least angle regression",
    // figure 1: bmi, then s5 (ltg), then bp
    let mut order: Vec<&str> = Vec::new();
    for w in &path.coefs {
        for (j, v) in w.iter().enumerate() {
            if *v != 0.0 && !order.contains(&FEATURES[j]) {
                order.push(FEATURES[j]);
            }
        }
    }
    assert_eq!(&order[..3], &["bmi", "s5", "bp"], "{order:?}");
    // at the end of the default grid the fit is as good as least squares
    let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let r2_ols = ols.score(x.as_ref(), &y).unwrap();
    let last = path.len() - 1;
    let yhat = path.predict(last, x.as_ref()).unwrap();
    let r2_last = linmod_models::metrics::regression::r2_score(&y, &yhat).unwrap();
    assert!(r2_ols - r2_last < 1e-3 && r2_last <= r2_ols);
    // and a path continued to tiny penalties reaches the least-squares coefficients
    let long = RegularizationPath::new()
        .n_lambdas(60)
        .eps(1e-9)
        .tol(1e-14)
        .fit(x.as_ref(), &y)
        .unwrap();
    let end = long.coefs.last().unwrap();
    assert!(max_abs_diff(end, ols.coef()) < 1e-4, "{end:?}");
}

#[test]
fn gradient_descent_and_sgd_reach_least_squares() {
    let (x, y) = diabetes();
    let ols = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
    let gd = LinearRegression::new()
        .solver(LinearSolver::GradientDescent)
        .learning_rate(0.2)
        .tol(1e-12)
        .max_iter(100_000)
        .record_history(true)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(gd.converged(), "{}", gd.report().unwrap().summary());
    let diff = max_abs_diff(gd.coef(), ols.coef());
    assert!(diff < 1e-6, "{diff:e}");
    assert!((gd.intercept() - ols.intercept()).abs() < 1e-6);
    // the loss history runs from mean(y^2)/2 at zero to the least-squares MSE/2
    let history = gd.loss_history();
    let mean_sq = y.iter().map(|v| v * v).sum::<f64>() / y.len() as f64;
    assert!((history[0] - mean_sq / 2.0).abs() < 1e-9 * mean_sq);
    let ols_loss = {
        let yhat = ols.predict(x.as_ref()).unwrap();
        linmod_models::metrics::mean_squared_error(&y, &yhat).unwrap() / 2.0
    };
    assert!((history[history.len() - 1] - ols_loss).abs() < 1e-10 * ols_loss);
    let sgd = LinearRegression::new()
        .solver(LinearSolver::Sgd)
        .learning_rate(0.01)
        .batch_size(32)
        .epochs(300)
        .seed(7)
        .fit(x.as_ref(), &y)
        .unwrap();
    let mse = |f: &FittedLinear| {
        linmod_models::metrics::mean_squared_error(&y, &f.predict(x.as_ref()).unwrap()).unwrap()
    };
    let (m_ols, m_sgd) = (mse(&ols), mse(&sgd));
    assert!(m_sgd >= m_ols && m_sgd < 1.01 * m_ols, "{m_sgd} vs {m_ols}");
}

#[test]
fn cross_validation_chooses_a_penalty_inside_the_grid() {
    let (x, y) = diabetes();
    let cv = CrossValidation::new(RegularizationPath::new())
        .folds(5)
        .seed(0)
        .fit(x.as_ref(), &y)
        .unwrap();
    assert!(cv.index_min > 0 && cv.index_min < 99, "{}", cv.index_min);
    assert!(cv.lambda_1se > cv.lambda_min);
    // the chosen models keep the three strongest predictors
    for model in [&cv.model_min, &cv.model_1se] {
        for j in [2, 3, 8] {
            assert!(model.coef()[j] != 0.0, "{} is dropped", FEATURES[j]);
        }
    }
    // held-out error close to the residual variance of least squares (about 2860 in-sample)
    let best = cv.mse_mean[cv.index_min];
    assert!((2800.0..3200.0).contains(&best), "{best}");
}
