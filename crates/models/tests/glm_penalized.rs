//! Penalized GLMs against scikit-learn's PoissonRegressor / GammaRegressor / TweedieRegressor
//! (L2) and glum's GeneralizedLinearRegressor (L1, elastic net) on the diabetes data
//! (features standardized with the population standard deviation, raw target).
//!
//! Reference numbers: `reference/glm_reference.py` (scikit-learn 1.9.1 with `tol = 1e-14`, glum
//! 3.4.1 with `gradient_tol = 1e-13`). Conversions: scikit-learn's `alpha` is `l2 = alpha / 2`;
//! glum's `alpha`, `l1_ratio = r` are `l1 = alpha r`, `l2 = alpha (1 - r) / 2`.
//!
//! Each fit's objective, evaluated by the same code as the reference coefficients', is at most
//! the reference's plus 1e-8 relative (the requirement); coefficients agree to 1e-6.

#![allow(clippy::float_cmp)] // the lasso's exact zeros are the point

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::glm::{FittedGlm, Glm, GlmData, GlmFamily};
use linmod_models::logistic::LogisticSolver;
use linmod_models::loss::{Gamma, GammaLink, Loss, Poisson, Tweedie};

// SK_POISSON: l1 = 0.0, l2 = 0.005
const SK_POISSON_COEF: [f64; 10] = [
    0.0009524822916637802,
    -0.07556931701385773,
    0.1416478369643561,
    0.09900203212773297,
    -0.42226014988379457,
    0.33782895766154303,
    0.05857831858077632,
    0.008022725482869409,
    0.3269194827606726,
    0.017105658475552937,
];
const SK_POISSON_INTERCEPT: f64 = 4.957040274544778;
const SK_POISSON_OBJECTIVE: f64 = 9.579921246916424;
// SK_GAMMA: l1 = 0.0, l2 = 0.05
const SK_GAMMA_COEF: [f64; 10] = [
    0.0012898594808891327,
    -0.07912044929185283,
    0.1381122696014133,
    0.09761630847569137,
    -0.029657452028203482,
    0.005445198782773963,
    -0.09337563780468296,
    0.00958824160608929,
    0.15851663682761377,
    0.017060799942952586,
];
const SK_GAMMA_INTERCEPT: f64 = 4.957315965270009;
const SK_GAMMA_OBJECTIVE: f64 = 0.07949326139263244;
// SK_TWEEDIE: l1 = 0.0, l2 = 0.05
const SK_TWEEDIE_COEF: [f64; 10] = [
    5.543455167326072e-05,
    -0.08196241873768494,
    0.14409025244124993,
    0.10092172607876487,
    -0.20124336823163438,
    0.1607933977102129,
    -0.04552316473369339,
    -0.016446468227356244,
    0.23967957442471316,
    0.014339575758895988,
];
const SK_TWEEDIE_INTERCEPT: f64 = 4.957370572320024;
const SK_TWEEDIE_OBJECTIVE: f64 = 0.8426627225731224;
// GLUM_POISSON_EN: l1 = 0.025, l2 = 0.0125
const GLUM_POISSON_EN_COEF: [f64; 10] = [
    0.0008898384974607324,
    -0.07512284849715968,
    0.14202027856740043,
    0.09878450476921015,
    -0.39197068622753334,
    0.3147646315228435,
    0.04374906011509645,
    0.002752049255859209,
    0.3148288792461911,
    0.017076685989313917,
];
const GLUM_POISSON_EN_INTERCEPT: f64 = 4.9573998665592685;
const GLUM_POISSON_EN_OBJECTIVE: f64 = 9.619142326091232;
// GLUM_GAMMA_L1: l1 = 0.02, l2 = 0.0
const GLUM_GAMMA_L1_COEF: [f64; 10] = [
    0.0,
    -0.05496906177374232,
    0.14239931370576053,
    0.08396247579082351,
    0.0,
    0.0,
    -0.09004623768756888,
    0.0,
    0.15517829099448874,
    0.0,
];
const GLUM_GAMMA_L1_INTERCEPT: f64 = 4.9582957444950475;
const GLUM_GAMMA_L1_OBJECTIVE: f64 = 0.08750392792984585;
// GLUM_TWEEDIE_EN: l1 = 0.025, l2 = 0.0125
const GLUM_TWEEDIE_EN_COEF: [f64; 10] = [
    0.0,
    -0.07879664782398516,
    0.14567676982195576,
    0.09987241012448174,
    -0.16120107507214085,
    0.11854534576826092,
    -0.04777582438453346,
    0.0,
    0.2201844349926138,
    0.011757194775692495,
];
const GLUM_TWEEDIE_EN_INTERCEPT: f64 = 4.958049653058051;
const GLUM_TWEEDIE_EN_OBJECTIVE: f64 = 0.8608097200351447;

/// The diabetes features standardized as numpy does, `(x - mean) / std` with `ddof = 0`.
fn standardized() -> Mat<f64> {
    let d = datasets::diabetes();
    let (n, p) = (d.x.nrows(), d.x.ncols());
    let mut out = Mat::zeros(n, p);
    for j in 0..p {
        let mean = (0..n).map(|i| d.x[(i, j)]).sum::<f64>() / n as f64;
        let var = (0..n).map(|i| (d.x[(i, j)] - mean).powi(2)).sum::<f64>() / n as f64;
        for i in 0..n {
            out[(i, j)] = (d.x[(i, j)] - mean) / var.sqrt();
        }
    }
    out
}

/// `1/n sum l(z_i; y_i) + l1 |w|_1 + l2 |w|^2` (the half-deviance mean plus the penalty).
fn objective(loss: &impl Loss, x: &Mat<f64>, y: &[f64], coef: &[f64], b: f64, pen: Penalty) -> f64 {
    let n = x.nrows();
    let data: f64 = (0..n)
        .map(|i| {
            let z = b + (0..x.ncols()).map(|j| x[(i, j)] * coef[j]).sum::<f64>();
            loss.loss(z, y[i])
        })
        .sum::<f64>()
        / n as f64;
    data + pen.value(coef)
}

#[allow(clippy::too_many_arguments)]
fn check(
    loss: &impl Loss,
    family: GlmFamily,
    pen: Penalty,
    solvers: &[LogisticSolver],
    coef: &[f64],
    intercept: f64,
    reference_objective: f64,
) {
    let x = standardized();
    let y = datasets::diabetes().y;
    let at_reference = objective(loss, &x, &y, coef, intercept, pen);
    // the script's formula and ours agree on the reference point
    assert!(
        (at_reference - reference_objective).abs() <= 1e-12 * reference_objective,
        "{at_reference} vs {reference_objective}"
    );
    for &solver in solvers {
        let fit: FittedGlm = Glm::new(family)
            .penalty(pen)
            .solver(solver)
            .fit(x.as_ref(), &GlmData::new(&y))
            .unwrap();
        assert!(fit.converged(), "{solver}: {:?}", fit.report().termination);
        let ours = objective(loss, &x, &y, fit.coef(), fit.intercept(), pen);
        assert!(
            ours <= at_reference * (1.0 + 1e-8),
            "{solver}: objective {ours} above the reference {at_reference}"
        );
        assert!(
            ours >= at_reference * (1.0 - 1e-8),
            "{solver}: {ours} far below {at_reference}"
        );
        for (j, (a, b)) in fit.coef().iter().zip(coef).enumerate() {
            assert!(
                (a - b).abs() <= 1e-6 * (1.0 + b.abs()),
                "{solver}: coef {j}: {a} vs {b}"
            );
            if *b == 0.0 {
                assert_eq!(*a, 0.0, "{solver}: coef {j} should be exactly zero");
            }
        }
        assert!((fit.intercept() - intercept).abs() <= 1e-6 * intercept.abs());
    }
}

const SMOOTH: [LogisticSolver; 3] = [
    LogisticSolver::Auto,
    LogisticSolver::Newton,
    LogisticSolver::Lbfgs,
];
const L1: [LogisticSolver; 2] = [LogisticSolver::Auto, LogisticSolver::ProxNewton];

#[test]
fn poisson_l2_matches_scikit_learn() {
    let pen = Penalty::l2(0.01 / 2.0).unwrap();
    check(
        &Poisson,
        GlmFamily::Poisson,
        pen,
        &SMOOTH,
        &SK_POISSON_COEF,
        SK_POISSON_INTERCEPT,
        SK_POISSON_OBJECTIVE,
    );
}

#[test]
fn gamma_l2_matches_scikit_learn() {
    let pen = Penalty::l2(0.1 / 2.0).unwrap();
    let fam = GlmFamily::Gamma {
        link: GammaLink::Log,
    };
    check(
        &Gamma::new(GammaLink::Log),
        fam,
        pen,
        &SMOOTH,
        &SK_GAMMA_COEF,
        SK_GAMMA_INTERCEPT,
        SK_GAMMA_OBJECTIVE,
    );
}

#[test]
fn tweedie_l2_matches_scikit_learn() {
    let pen = Penalty::l2(0.1 / 2.0).unwrap();
    let t = Tweedie::new(1.5).unwrap();
    check(
        &t,
        GlmFamily::Tweedie { power: 1.5 },
        pen,
        &SMOOTH,
        &SK_TWEEDIE_COEF,
        SK_TWEEDIE_INTERCEPT,
        SK_TWEEDIE_OBJECTIVE,
    );
}

#[test]
fn poisson_elastic_net_matches_glum() {
    let pen = Penalty::elastic_net(0.05 * 0.5, 0.05 * 0.5 / 2.0).unwrap();
    check(
        &Poisson,
        GlmFamily::Poisson,
        pen,
        &L1,
        &GLUM_POISSON_EN_COEF,
        GLUM_POISSON_EN_INTERCEPT,
        GLUM_POISSON_EN_OBJECTIVE,
    );
}

#[test]
fn gamma_lasso_matches_glum() {
    let pen = Penalty::l1(0.02).unwrap();
    let fam = GlmFamily::Gamma {
        link: GammaLink::Log,
    };
    check(
        &Gamma::new(GammaLink::Log),
        fam,
        pen,
        &L1,
        &GLUM_GAMMA_L1_COEF,
        GLUM_GAMMA_L1_INTERCEPT,
        GLUM_GAMMA_L1_OBJECTIVE,
    );
}

#[test]
fn tweedie_elastic_net_matches_glum() {
    let pen = Penalty::elastic_net(0.05 * 0.5, 0.05 * 0.5 / 2.0).unwrap();
    let t = Tweedie::new(1.5).unwrap();
    check(
        &t,
        GlmFamily::Tweedie { power: 1.5 },
        pen,
        &L1,
        &GLUM_TWEEDIE_EN_COEF,
        GLUM_TWEEDIE_EN_INTERCEPT,
        GLUM_TWEEDIE_EN_OBJECTIVE,
    );
}

#[test]
fn lasso_on_raw_uncentered_features_converges() {
    // raw diabetes columns have means of several standard deviations: without the centered
    // parametrization coordinate descent crawls (no convergence in 10000 iterations)
    let d = datasets::diabetes();
    let fit = Glm::new(GlmFamily::Gamma {
        link: GammaLink::Log,
    })
    .penalty(Penalty::l1(0.01).unwrap())
    .fit(d.x.as_ref(), &GlmData::new(&d.y))
    .unwrap();
    assert!(fit.converged(), "{:?}", fit.report().termination);
    assert!(fit.report().iterations < 100, "{}", fit.report().iterations);
}
