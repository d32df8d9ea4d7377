//! Property tests: the gradients, Hessians and Hessian-vector products of the binary and
//! multinomial objectives agree with central differences, with and without intercept, sample
//! weights and L2 penalty. `PROPTEST_CASES=N` runs more cases.

mod support;

use linalg_core::Mat;
use linmod_models::Penalty;
use linmod_models::loss::{Logistic, Softmax};
use linmod_models::objective::LinearObjective;
use optim::{Objective, SecondOrder, central_hessian, check_objective_gradient};
use proptest::prelude::*;

#[derive(Clone, Debug)]
struct Case {
    x: Mat<f64>,
    labels: Vec<usize>,
    weights: Option<Vec<f64>>,
    fit_intercept: bool,
    l2: f64,
    theta_seed: Vec<f64>,
}

fn case(max_classes: usize) -> impl Strategy<Value = Case> {
    (1usize..=12, 1usize..=4, 2usize..=max_classes).prop_flat_map(|(n, p, k)| {
        (
            proptest::collection::vec(-2.0f64..2.0, n * p),
            proptest::collection::vec(0..k, n),
            proptest::option::of(proptest::collection::vec(0.1f64..3.0, n)),
            any::<bool>(),
            prop_oneof![Just(0.0), 0.0f64..1.0],
            proptest::collection::vec(-1.5f64..1.5, (p + 1) * k),
        )
            .prop_map(
                move |(xv, labels, weights, fit_intercept, l2, theta_seed)| Case {
                    x: Mat::from_fn(n, p, |i, j| xv[i + j * n]),
                    labels,
                    weights: weights.map(|w| {
                        let s: f64 = w.iter().sum();
                        w.iter().map(|v| v * n as f64 / s).collect()
                    }),
                    fit_intercept,
                    l2,
                    theta_seed,
                },
            )
    })
}

fn check_second_order<O: SecondOrder>(obj: &mut O, theta: &[f64]) -> Result<(), TestCaseError> {
    let err = check_objective_gradient(obj, theta);
    prop_assert!(err < 1e-7, "gradient relative error {}", err);
    let d = obj.dim();
    let mut h = Mat::<f64>::zeros(d, d);
    obj.hessian(theta, h.as_mut());
    let h_fd = central_hessian(|t, g| obj.gradient(t, g), theta);
    let full = |i: usize, j: usize| if i >= j { h[(i, j)] } else { h[(j, i)] };
    for i in 0..d {
        for j in 0..=i {
            let (a, b) = (full(i, j), h_fd[i * d + j]);
            prop_assert!(
                (a - b).abs() <= 1e-6 * (1.0 + a.abs()),
                "H[{},{}] = {} vs differences {}",
                i,
                j,
                a,
                b
            );
        }
    }
    let v: Vec<f64> = (0..d).map(|i| ((i * 7 % 5) as f64 - 2.0) / 3.0).collect();
    let mut hv = vec![0.0; d];
    obj.hessian_vector_product(theta, &v, &mut hv);
    for (i, &hvi) in hv.iter().enumerate() {
        let expected: f64 = (0..d).map(|j| full(i, j) * v[j]).sum();
        let ok = (hvi - expected).abs() <= 1e-10 * (1.0 + expected.abs());
        prop_assert!(ok, "Hv[{}] = {} vs {}", i, hvi, expected);
    }
    Ok(())
}

proptest! {
    #![proptest_config(support::cases(48))]

    #[test]
    fn binary_derivatives_match_differences(c in case(2)) {
        let y: Vec<f64> = c.labels.iter().map(|&l| l as f64).collect();
        let mut obj = LinearObjective::new(c.x.as_ref(), &y, Logistic).unwrap()
            .weights(c.weights.as_deref()).unwrap()
            .intercept(c.fit_intercept)
            .penalty(Penalty::l2(c.l2).unwrap()).unwrap();
        let theta = &c.theta_seed[..obj.dim()];
        check_second_order(&mut obj, theta)?;
    }

    #[test]
    fn multinomial_derivatives_match_differences(c in case(4)) {
        let k = c.theta_seed.len() / (c.x.ncols() + 1);
        let y: Vec<f64> = c.labels.iter().map(|&l| l as f64).collect();
        let mut obj = LinearObjective::new(c.x.as_ref(), &y, Softmax::new(k)).unwrap()
            .weights(c.weights.as_deref()).unwrap()
            .intercept(c.fit_intercept)
            .penalty(Penalty::l2(c.l2).unwrap()).unwrap();
        let theta = &c.theta_seed[..obj.dim()];
        check_second_order(&mut obj, theta)?;
    }

    /// With two classes, the multinomial loss at (W, 0) equals the binary loss at the
    /// difference of the class coefficients: softmax of two scores is the sigmoid of their
    /// difference.
    #[test]
    fn two_class_softmax_is_the_sigmoid(c in case(2)) {
        let p = c.x.ncols();
        let y: Vec<f64> = c.labels.iter().map(|&l| (l.min(1)) as f64).collect();
        let mut multi = LinearObjective::new(c.x.as_ref(), &y, Softmax::new(2)).unwrap()
            .weights(c.weights.as_deref()).unwrap();
        let mut binary = LinearObjective::new(c.x.as_ref(), &y, Logistic).unwrap()
            .weights(c.weights.as_deref()).unwrap();
        let th = &c.theta_seed;
        // classes 0 and 1 with coefficients a and b: binary coefficients b - a
        let mut multi_theta = vec![0.0; 2 * p + 2];
        multi_theta[..2 * p].copy_from_slice(&th[..2 * p]);
        multi_theta[2 * p] = th[2 * p];
        multi_theta[2 * p + 1] = th[2 * p + 1];
        let mut bin_theta: Vec<f64> = (0..p).map(|j| th[p + j] - th[j]).collect();
        bin_theta.push(th[2 * p + 1] - th[2 * p]);
        let (a, b) = (multi.value(&multi_theta), binary.value(&bin_theta));
        prop_assert!((a - b).abs() <= 1e-12 * (1.0 + a.abs()), "{} vs {}", a, b);
    }
}

#[test]
fn loss_is_exact_for_huge_linear_predictors() {
    // z = +-1000: sigma saturates, but softplus(z) - y z stays exact (0 or 1000)
    let x = Mat::from_fn(2, 1, |i, _| if i == 0 { 1.0 } else { -1.0 });
    let y = [1.0, 1.0];
    let mut obj = LinearObjective::new(x.as_ref(), &y, Logistic)
        .unwrap()
        .intercept(false);
    let v = obj.value(&[1000.0]);
    assert!((v - 500.0).abs() < 1e-9, "{v}");
    let mut g = [0.0];
    obj.value_and_gradient(&[1000.0], &mut g);
    assert!((g[0] - 0.5).abs() < 1e-12 && g[0].is_finite());
}
