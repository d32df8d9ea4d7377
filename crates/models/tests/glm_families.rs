//! The GLM families as losses: each objective's value against the unit deviance of the
//! family (a different function from the loss), its gradient and Hessian against central
//! differences, with prior weights, an offset and an L2 penalty; the validation of targets,
//! weights, offsets, exposures and trials, each error naming the row and the value.

#![allow(clippy::float_cmp)] // counts of rows and exact zeros are exact

mod support;

use linalg_core::Mat;
use linmod_models::glm::{Glm, GlmData, GlmFamily};
use linmod_models::loss::{Binomial, Family, Gamma, GammaLink, Loss, Poisson, Tweedie};
use linmod_models::objective::LinearObjective;
use linmod_models::{ModelError, Penalty, mat, normalize_weights};
use optim::{Objective, SecondOrder, central_hessian, check_objective_gradient};
use proptest::prelude::*;
use support::cases;

/// `(x, y, weights, offset, theta)` of one generated problem.
type Problem = (Mat<f64>, Vec<f64>, Vec<f64>, Vec<f64>, Vec<f64>);

/// `(x, y, weights, offset, theta)` with targets in every family's domain (`y > 0`, and in
/// `(0, 1)` after the binomial's division by `1 + y`).
fn problem() -> impl Strategy<Value = Problem> {
    (3usize..=12, 1usize..=3).prop_flat_map(|(n, p)| {
        (
            proptest::collection::vec(-1.0f64..1.0, n * p),
            proptest::collection::vec(0.1f64..5.0, n),
            proptest::collection::vec(0.0f64..2.0, n),
            proptest::collection::vec(-0.5f64..0.5, n),
            proptest::collection::vec(-0.5f64..0.5, p + 1),
        )
            .prop_map(move |(xv, y, w, o, theta)| {
                (Mat::from_fn(n, p, |i, j| xv[i * p + j]), y, w, o, theta)
            })
    })
}

/// Checks one family on one problem.
fn check_family<F: Family + Copy>(
    family: F,
    exact_hessian: bool,
    (x, y, w, o, theta): &Problem,
) -> Result<(), TestCaseError> {
    let mut raw = w.clone();
    raw[0] += 0.5; // never all zero
    let l2 = 0.03;
    let mut obj = LinearObjective::new(x.as_ref(), y, family)
        .unwrap()
        .weights(Some(&raw))
        .unwrap()
        .offset(o)
        .unwrap()
        .penalty(Penalty::l2(l2).unwrap())
        .unwrap();
    let theta = if family.link_name() == "inverse" {
        // keep every linear predictor positive
        let mut t = theta.clone();
        *t.last_mut().unwrap() = 10.0;
        t
    } else {
        theta.clone()
    };
    let (n, p) = (x.nrows(), x.ncols());
    let s = normalize_weights(Some(&raw), n).unwrap().unwrap();
    let naive: f64 = (0..n)
        .map(|i| {
            let z = theta[p] + o[i] + (0..p).map(|j| x[(i, j)] * theta[j]).sum::<f64>();
            s[i] * family.unit_deviance(y[i], family.mean(z)) / 2.0
        })
        .sum::<f64>()
        / n as f64
        + l2 * theta[..p].iter().map(|v| v * v).sum::<f64>();
    let value = obj.value(&theta);
    prop_assert!(
        (value - naive).abs() <= 1e-12 * (1.0 + naive.abs()),
        "{}: value {} vs deviance formula {}",
        family.name(),
        value,
        naive
    );
    let err = check_objective_gradient(&mut obj, &theta);
    prop_assert!(
        err < 1e-7,
        "{}: gradient relative error {}",
        family.name(),
        err
    );
    if exact_hessian {
        let d = obj.dim();
        let mut h = Mat::<f64>::zeros(d, d);
        obj.hessian(&theta, h.as_mut());
        let h_fd = central_hessian(|t, g| obj.gradient(t, g), &theta);
        for i in 0..d {
            for j in 0..=i {
                let (a, b) = (h[(i, j)], h_fd[i * d + j]);
                prop_assert!(
                    (a - b).abs() <= 1e-6 * (1.0 + a.abs()),
                    "{}: H[{},{}] = {} vs differences {}",
                    family.name(),
                    i,
                    j,
                    a,
                    b
                );
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(24))]

    #[test]
    fn every_family_is_its_half_deviance_with_exact_derivatives(case in problem()) {
        check_family(Poisson, true, &case)?;
        check_family(Gamma::new(GammaLink::Log), true, &case)?;
        check_family(Gamma::new(GammaLink::Inverse), true, &case)?;
        check_family(Tweedie::new(1.5).unwrap(), true, &case)?;
        check_family(Tweedie::new(2.0).unwrap(), true, &case)?;
        // p > 2: the curvature is the expected information, only the gradient is exact
        check_family(Tweedie::new(3.0).unwrap(), false, &case)?;
        let (x, y, w, o, t) = case;
        let proportions: Vec<f64> = y.iter().map(|v| v / (1.0 + v)).collect();
        check_family(Binomial, true, &(x, proportions, w, o, t))?;
    }
}

#[test]
fn the_expected_information_is_the_mean_observed_one() {
    // E[d2l/dz2] over y ~ family at mu: the observed curvature is linear in y, so its value
    // at y = mu is the expectation
    let z = 0.7_f64;
    type Curvatures<'a> = (&'a dyn Fn(f64, f64) -> f64, &'a dyn Fn(f64) -> f64, f64);
    let families: [Curvatures<'_>; 3] = [
        (
            &|z, y| Poisson.curvature(z, y),
            &|z| Poisson.fisher_weight(z),
            z.exp(),
        ),
        (
            &|z, y| Gamma::new(GammaLink::Log).curvature(z, y),
            &|z| Gamma::new(GammaLink::Log).fisher_weight(z),
            z.exp(),
        ),
        (
            &|z, y| Tweedie::new(1.5).unwrap().curvature(z, y),
            &|z| Tweedie::new(1.5).unwrap().fisher_weight(z),
            z.exp(),
        ),
    ];
    for (observed, expected, mu) in families {
        assert!((observed(z, mu) - expected(z)).abs() <= 1e-14 * expected(z));
    }
}

fn invalid(e: ModelError) -> (&'static str, usize, f64) {
    match e {
        ModelError::InvalidValue {
            what, row, value, ..
        } => (what, row, value),
        other => panic!("expected InvalidValue, got {other:?}"),
    }
}

#[test]
fn invalid_inputs_are_named_by_row_and_value() {
    let x = mat![[0.0], [1.0], [2.0], [3.0]];
    let fit = |family: GlmFamily, data: &GlmData<'_>| Glm::new(family).fit(x.as_ref(), data);
    let gamma = GlmFamily::Gamma {
        link: GammaLink::Log,
    };
    let e = fit(GlmFamily::Poisson, &GlmData::new(&[1.0, 2.0, -1.0, 0.0])).unwrap_err();
    assert_eq!(invalid(e.clone()), ("target", 2, -1.0));
    assert!(
        e.to_string().contains("row 2") && e.to_string().contains(">= 0"),
        "{e}"
    );
    assert_eq!(
        invalid(fit(gamma, &GlmData::new(&[1.0, 0.0, 2.0, 3.0])).unwrap_err()),
        ("target", 1, 0.0)
    );
    // Tweedie: zeros are allowed below p = 2 only
    let zeros = [0.0, 1.0, 2.0, 0.0];
    assert!(fit(GlmFamily::Tweedie { power: 1.5 }, &GlmData::new(&zeros)).is_ok());
    assert_eq!(
        invalid(fit(GlmFamily::Tweedie { power: 2.5 }, &GlmData::new(&zeros)).unwrap_err()),
        ("target", 0, 0.0)
    );
    assert_eq!(
        invalid(fit(GlmFamily::Binomial, &GlmData::new(&[0.0, 1.5, 1.0, 0.0])).unwrap_err()),
        ("target", 1, 1.5)
    );
    let trials = [2.0, 2.0, 3.0, 1.0];
    let e = fit(
        GlmFamily::Binomial,
        &GlmData::new(&[1.0, 0.0, 4.0, 1.0]).trials(&trials),
    )
    .unwrap_err();
    assert_eq!(invalid(e.clone()), ("target", 2, 4.0));
    assert!(e.to_string().contains("trials = 3"), "{e}");
    let y = [1.0, 2.0, 3.0, 4.0];
    assert_eq!(
        invalid(
            fit(
                GlmFamily::Poisson,
                &GlmData::new(&y).exposure(&[1.0, 0.0, 1.0, 1.0])
            )
            .unwrap_err()
        ),
        ("exposure", 1, 0.0)
    );
    let (what, row, value) = invalid(
        fit(
            GlmFamily::Poisson,
            &GlmData::new(&y).offset(&[0.0, 0.0, 0.0, f64::NAN]),
        )
        .unwrap_err(),
    );
    assert_eq!((what, row), ("offset", 3));
    assert!(value.is_nan());
    assert!(matches!(
        fit(
            GlmFamily::Poisson,
            &GlmData::new(&y).weights(&[1.0, -2.0, 1.0, 1.0])
        ),
        Err(ModelError::InvalidWeight { row: 1, .. })
    ));
    assert!(matches!(
        fit(GlmFamily::Poisson, &GlmData::new(&y).offset(&[0.0; 3])),
        Err(ModelError::LengthMismatch { .. })
    ));
    assert!(matches!(
        GlmFamily::from_names("tweedie", Some(1.0), None),
        Err(ModelError::InvalidParameter { name: "power", .. })
    ));
}

#[test]
fn zero_weight_rows_do_not_count() {
    let x = mat![[0.0], [1.0], [2.0], [3.0], [4.0], [9.0]];
    let y = [1.0, 3.0, 2.0, 6.0, 7.0, 100.0];
    let w = [1.0, 1.0, 1.0, 1.0, 1.0, 0.0];
    let weighted = Glm::new(GlmFamily::Poisson)
        .fit(x.as_ref(), &GlmData::new(&y).weights(&w))
        .unwrap();
    let x5 = mat![[0.0], [1.0], [2.0], [3.0], [4.0]];
    let dropped = Glm::new(GlmFamily::Poisson)
        .fit(x5.as_ref(), &GlmData::new(&y[..5]))
        .unwrap();
    assert!((weighted.coef()[0] - dropped.coef()[0]).abs() < 1e-10);
    assert_eq!(weighted.statistics().n_obs, 5.0);
    assert_eq!(weighted.statistics().df_resid, 3.0);
    assert!((weighted.statistics().deviance - dropped.statistics().deviance).abs() < 1e-9);
}
