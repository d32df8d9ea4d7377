//! Regularization paths and cross-validation for GLM families, logistic and multinomial
//! regression: `lambda_max` and points of the path against glum (`reference/glm_path_reference.py`,
//! glum 3.4.1 fitted at the same penalties to `gradient_tol = 1e-13`), and the properties
//! of warm-started paths and of the one-standard-error rule.
//!
//! Each path fit's objective is at most glum's plus 1e-8 relative (and within 1e-6 below it:
//! glum's line search stops short at some of these penalties).

#![allow(clippy::float_cmp)] // exact zeros at lambda_max are the point

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::glm::{GlmData, GlmFamily, GlmPath, GlmPathFit, PathModel};
use linmod_models::loss::{Binomial, Loss, Poisson};

const POISSON_LAMBDA_MAX: f64 = 45.16003002046289;
const POISSON_OBJECTIVE_10: f64 = 17.513890796162727;
const POISSON_NONZERO_10: usize = 2;
const POISSON_OBJECTIVE_50: f64 = 10.631999154914647;
const POISSON_NONZERO_50: usize = 7;
const POISSON_OBJECTIVE_99: f64 = 9.642268743683687;
const POISSON_NONZERO_99: usize = 9;
const POISSON_EN_LAMBDA_MAX: f64 = 90.32006004092578;
const POISSON_EN_OBJECTIVE_10: f64 = 17.70771108962235;
const POISSON_EN_NONZERO_10: usize = 3;
const POISSON_EN_OBJECTIVE_50: f64 = 10.674942030789254;
const POISSON_EN_NONZERO_50: usize = 7;
const POISSON_EN_OBJECTIVE_99: f64 = 9.650412480620572;
const POISSON_EN_NONZERO_99: usize = 9;
const LOGISTIC_LAMBDA_MAX: f64 = 0.38368324447763896;
const LOGISTIC_OBJECTIVE_10: f64 = 0.5718693181440505;
const LOGISTIC_NONZERO_10: usize = 3;
const LOGISTIC_OBJECTIVE_50: f64 = 0.17068800202547124;
const LOGISTIC_NONZERO_50: usize = 9;
const LOGISTIC_OBJECTIVE_99: f64 = 0.05320770583064467;
const LOGISTIC_NONZERO_99: usize = 22;

fn standardized(x: &Mat<f64>) -> Mat<f64> {
    let (n, p) = (x.nrows(), x.ncols());
    let mut out = Mat::zeros(n, p);
    for j in 0..p {
        let mean = (0..n).map(|i| x[(i, j)]).sum::<f64>() / n as f64;
        let var = (0..n).map(|i| (x[(i, j)] - mean).powi(2)).sum::<f64>() / n as f64;
        for i in 0..n {
            out[(i, j)] = (x[(i, j)] - mean) / var.sqrt();
        }
    }
    out
}

/// The path's objective at index `l`: mean half deviance plus the penalty.
fn objective(loss: &impl Loss, x: &Mat<f64>, y: &[f64], path: &GlmPathFit, l: usize) -> f64 {
    let (w, b) = (&path.coefs[l], path.intercepts[l][0]);
    let r = path.l1_ratio;
    let lambda = path.lambdas[l];
    let pen = Penalty::elastic_net(lambda * r, lambda * (1.0 - r) / 2.0).unwrap();
    let n = x.nrows();
    let data: f64 = (0..n)
        .map(|i| {
            loss.loss(
                b + (0..x.ncols()).map(|j| x[(i, j)] * w[j]).sum::<f64>(),
                y[i],
            )
        })
        .sum::<f64>()
        / n as f64;
    data + pen.value(w)
}

fn check_points(
    loss: &impl Loss,
    x: &Mat<f64>,
    y: &[f64],
    path: &GlmPathFit,
    lambda_max: f64,
    points: [(usize, f64, usize); 3],
) {
    assert!(
        (path.lambdas[0] - lambda_max).abs() <= 1e-10 * lambda_max,
        "{} vs {lambda_max}",
        path.lambdas[0]
    );
    assert!(path.coefs[0].iter().all(|w| *w == 0.0));
    assert!(path.converged.iter().all(|c| *c));
    for (l, glum, nonzero) in points {
        let ours = objective(loss, x, y, path, l);
        assert!(
            ours <= glum * (1.0 + 1e-8),
            "lambda {l}: {ours} above glum's {glum}"
        );
        assert!(
            ours >= glum * (1.0 - 1e-6),
            "lambda {l}: {ours} far below glum's {glum}"
        );
        assert_eq!(path.nonzero(l), nonzero, "lambda {l}");
    }
    // the training deviance falls as the penalty does
    assert!(
        path.deviance
            .windows(2)
            .all(|d| d[1] <= d[0] * (1.0 + 1e-12))
    );
}

#[test]
fn poisson_lasso_and_elastic_net_paths_match_glum() {
    let d = datasets::diabetes();
    let x = standardized(&d.x);
    let data = GlmData::new(&d.y);
    let path = GlmPath::new(PathModel::Glm(GlmFamily::Poisson))
        .fit(x.as_ref(), &data)
        .unwrap();
    check_points(
        &Poisson,
        &x,
        &d.y,
        &path,
        POISSON_LAMBDA_MAX,
        [
            (10, POISSON_OBJECTIVE_10, POISSON_NONZERO_10),
            (50, POISSON_OBJECTIVE_50, POISSON_NONZERO_50),
            (99, POISSON_OBJECTIVE_99, POISSON_NONZERO_99),
        ],
    );
    let path = GlmPath::new(PathModel::Glm(GlmFamily::Poisson))
        .l1_ratio(0.5)
        .fit(x.as_ref(), &data)
        .unwrap();
    check_points(
        &Poisson,
        &x,
        &d.y,
        &path,
        POISSON_EN_LAMBDA_MAX,
        [
            (10, POISSON_EN_OBJECTIVE_10, POISSON_EN_NONZERO_10),
            (50, POISSON_EN_OBJECTIVE_50, POISSON_EN_NONZERO_50),
            (99, POISSON_EN_OBJECTIVE_99, POISSON_EN_NONZERO_99),
        ],
    );
}

#[test]
fn logistic_path_matches_glum_and_cross_validates() {
    let d = datasets::breast_cancer();
    let x = standardized(&d.x);
    let data = GlmData::new(&d.y);
    let cfg = GlmPath::new(PathModel::Logistic);
    let path = cfg.fit(x.as_ref(), &data).unwrap();
    check_points(
        &Binomial,
        &x,
        &d.y,
        &path,
        LOGISTIC_LAMBDA_MAX,
        [
            (10, LOGISTIC_OBJECTIVE_10, LOGISTIC_NONZERO_10),
            (50, LOGISTIC_OBJECTIVE_50, LOGISTIC_NONZERO_50),
            (99, LOGISTIC_OBJECTIVE_99, LOGISTIC_NONZERO_99),
        ],
    );
    let cv = cfg
        .clone()
        .n_lambdas(30)
        .cross_validate(x.as_ref(), &data, 5, 0)
        .unwrap();
    check_cv(&cv);
    // seeded: the same folds give the same choice
    let again = cfg
        .n_lambdas(30)
        .cross_validate(x.as_ref(), &data, 5, 0)
        .unwrap();
    assert_eq!(cv.fold_deviance, again.fold_deviance);
}

fn check_cv(cv: &linmod_models::glm::GlmCv) {
    let m = &cv.deviance_mean;
    assert!(cv.lambda_1se >= cv.lambda_min);
    assert!(m.iter().all(|v| *v >= m[cv.index_min]));
    assert!(m[cv.index_1se] <= m[cv.index_min] + cv.deviance_std_error[cv.index_min]);
    // the largest such penalty
    assert!(
        (0..cv.index_1se).all(|l| m[l] > m[cv.index_min] + cv.deviance_std_error[cv.index_min])
    );
    assert!(
        cv.deviance_std_error
            .iter()
            .all(|s| s.is_finite() && *s >= 0.0)
    );
    // held-out deviance at lambda_max is that of the null model: worse than at lambda_min
    assert!(m[0] > m[cv.index_min]);
}

#[test]
fn gamma_and_tweedie_paths_with_exposure_cross_validate() {
    let d = datasets::diabetes();
    let x = standardized(&d.x);
    let exposure: Vec<f64> = (0..d.x.nrows()).map(|i| 1.0 + (i % 5) as f64).collect();
    let data = GlmData::new(&d.y).exposure(&exposure);
    for family in [
        GlmFamily::Gamma {
            link: linmod_models::loss::GammaLink::Log,
        },
        GlmFamily::Tweedie { power: 1.5 },
    ] {
        let cv = GlmPath::new(PathModel::Glm(family))
            .n_lambdas(25)
            .cross_validate(x.as_ref(), &data, 4, 3)
            .unwrap();
        assert!(cv.path.converged.iter().all(|c| *c), "{family}");
        check_cv(&cv);
    }
}

#[test]
fn multinomial_path_starts_at_zero_and_cross_validates() {
    let d = datasets::iris();
    let x = standardized(&d.x);
    let data = GlmData::new(&d.y);
    let cfg = GlmPath::new(PathModel::Multinomial).n_lambdas(20);
    let cv = cfg.cross_validate(x.as_ref(), &data, 3, 1).unwrap();
    let path = &cv.path;
    assert_eq!(path.outputs, 3);
    assert_eq!(path.coefs[0].len(), 12);
    assert!(path.coefs[0].iter().all(|w| *w == 0.0));
    assert!(
        path.nonzero(1) > 0,
        "one step below lambda_max a coefficient enters"
    );
    assert!(path.converged.iter().all(|c| *c));
    // null deviance: 2 n ln 3 for three balanced classes
    let null = 2.0 * 150.0 * 3f64.ln();
    assert!(
        (path.deviance[0] - null).abs() <= 1e-8 * null,
        "{}",
        path.deviance[0]
    );
    check_cv(&cv);
}

#[test]
fn invalid_path_settings_are_refused() {
    let d = datasets::diabetes();
    let data = GlmData::new(&d.y);
    let path = GlmPath::new(PathModel::Glm(GlmFamily::Poisson));
    assert!(path.clone().l1_ratio(1.5).fit(d.x.as_ref(), &data).is_err());
    assert!(path.clone().eps(0.0).fit(d.x.as_ref(), &data).is_err());
    assert!(
        path.clone()
            .lambdas(vec![1.0, 2.0])
            .fit(d.x.as_ref(), &data)
            .is_err()
    );
    assert!(path.cross_validate(d.x.as_ref(), &data, 1, 0).is_err());
    let labels = [0.0, 1.0, 2.0];
    let x = Mat::from_fn(3, 1, |i, _| i as f64);
    assert!(
        GlmPath::new(PathModel::Logistic)
            .fit(x.as_ref(), &GlmData::new(&labels))
            .is_err()
    );
}
