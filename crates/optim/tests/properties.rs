//! Property tests: random convex quadratics are solved by every smooth solver, and every
//! analytic derivative in the crate agrees with central differences.
//!
//! `PROPTEST_CASES=N` overrides the case counts for longer local runs.

use linalg_core::Mat;
use linmod_optim::testfns::{Quadratic, Quartic, Rosenbrock};
use linmod_optim::{
    ElasticNet, Fista, GradientDescent, Lbfgs, Newton, Objective, Penalized, SecondOrder,
    TrustRegion, central_hessian, check_gradient,
};
use proptest::prelude::*;

/// A random symmetric positive-definite matrix `B^T B + 0.5 I` (row-major) and vector.
fn quadratic() -> impl Strategy<Value = Quadratic> {
    (1usize..=8).prop_flat_map(|n| {
        (
            proptest::collection::vec(-1.0f64..1.0, n * n),
            proptest::collection::vec(-3.0f64..3.0, n),
        )
            .prop_map(move |(b, lin)| {
                let a: Vec<f64> = (0..n * n)
                    .map(|k| {
                        let (i, j) = (k / n, k % n);
                        let s: f64 = (0..n).map(|r| b[r * n + i] * b[r * n + j]).sum();
                        s + if i == j { 0.5 } else { 0.0 }
                    })
                    .collect();
                Quadratic::new(a, lin).unwrap()
            })
    })
}

/// `default` cases, or `PROPTEST_CASES` when set (`with_cases` alone ignores the variable:
/// proptest reads it only for its own default count).
fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

proptest! {
    #![proptest_config(cases(48))]

    #[test]
    fn every_smooth_solver_solves_random_quadratics(q in quadratic()) {
        let n = q.dim();
        let xstar = q.minimizer();
        let l = q.lipschitz();
        let x0 = vec![1.0; n];
        let tol = 1e-11;
        let reports = vec![
            ("newton", Newton::default().gradient_tol(tol).minimize(&mut q.clone(), &x0).unwrap()),
            ("lbfgs", Lbfgs::default().gradient_tol(tol).minimize(&mut q.clone(), &x0).unwrap()),
            ("trust-region", TrustRegion::default().gradient_tol(tol).minimize(&mut q.clone(), &x0).unwrap()),
            ("gd", GradientDescent::new(1.0 / l).gradient_tol(tol).max_iter(1_000_000).minimize(&mut q.clone(), &x0).unwrap()),
            ("gd-armijo", GradientDescent::with_backtracking().gradient_tol(tol).max_iter(1_000_000).minimize(&mut q.clone(), &x0).unwrap()),
            ("fista", Fista::default().gradient_tol(tol).max_iter(1_000_000)
                .minimize(&mut Penalized::new(q.clone(), ElasticNet::new(0.0, 0.0).unwrap()), &x0).unwrap()),
        ];
        // |x - x*| <= |g| / lambda_min and lambda_min >= 0.5
        for (name, r) in reports {
            prop_assert!(r.converged(), "{}: {}", name, r.summary());
            for (a, b) in r.x.iter().zip(&xstar) {
                prop_assert!((a - b).abs() <= 2.0 * tol * 10.0, "{}: {:?} vs {:?}", name, r.x, xstar);
            }
        }
    }

    #[test]
    fn quadratic_derivatives_match_differences(q in quadratic(), shift in -2.0f64..2.0) {
        let n = q.dim();
        let x: Vec<f64> = (0..n).map(|i| shift + 0.3 * i as f64).collect();
        check_derivatives(q, &x)?;
    }

    #[test]
    fn rosenbrock_derivatives_match_differences(x0 in -2.0f64..2.0, x1 in -1.0f64..3.0, b in 1.0f64..100.0) {
        check_derivatives(Rosenbrock { a: 1.0, b }, &[x0, x1])?;
    }

    #[test]
    fn quartic_derivatives_match_differences(x in -3.0f64..5.0) {
        check_derivatives(Quartic, &[x])?;
    }

    /// The elastic-net proximal operator is the minimizer of h(u) + |u - v|^2 / (2t):
    /// no nearby point does better.
    #[test]
    fn prox_minimizes_its_definition(v in -5.0f64..5.0, t in 0.01f64..3.0, l1 in 0.0f64..2.0, l2 in 0.0f64..2.0) {
        let pen = ElasticNet::new(l1, l2).unwrap();
        let mut u = [v];
        pen.prox(t, &mut u);
        let obj = |w: f64| pen.value(&[w]) + (w - v) * (w - v) / (2.0 * t);
        let best = obj(u[0]);
        for d in [-1e-3, -1e-6, 1e-6, 1e-3] {
            prop_assert!(best <= obj(u[0] + d) + 1e-12);
        }
    }
}

fn check_derivatives<O: SecondOrder + Clone>(obj: O, x: &[f64]) -> Result<(), TestCaseError> {
    let n = obj.dim();
    let mut vf = obj.clone();
    let mut gf = obj.clone();
    let err = check_gradient(|y| vf.value(y), |y, g| gf.gradient(y, g), x);
    prop_assert!(err < 1e-7, "gradient relative error {}", err);
    let mut hg = obj.clone();
    let h_fd = central_hessian(|y, g| hg.gradient(y, g), x);
    let mut h = Mat::<f64>::zeros(n, n);
    let mut ho = obj.clone();
    ho.hessian(x, h.as_mut());
    for i in 0..n {
        for j in 0..=i {
            let (a, b) = (h[(i, j)], h_fd[i * n + j]);
            prop_assert!(
                (a - b).abs() <= 1e-6 * (1.0 + a.abs()),
                "H[{},{}] = {} vs {}",
                i,
                j,
                a,
                b
            );
        }
    }
    // Hessian-vector product against the (symmetric) Hessian
    let v: Vec<f64> = (0..n).map(|i| 1.0 - 0.4 * i as f64).collect();
    let mut hv = vec![0.0; n];
    ho.hessian_vector_product(x, &v, &mut hv);
    for i in 0..n {
        let expected: f64 = (0..n)
            .map(|j| if j <= i { h[(i, j)] } else { h[(j, i)] } * v[j])
            .sum();
        prop_assert!((hv[i] - expected).abs() <= 1e-9 * (1.0 + expected.abs()));
    }
    Ok(())
}
