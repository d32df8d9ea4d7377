//! A new loss is one `impl Loss`: the squared hinge loss of a linear support-vector machine,
//! defined here and nowhere in the library, gets a checked gradient, Hessian and
//! Hessian-vector product and runs with every solver through the generic objective: L-BFGS,
//! Newton, and under an L1 penalty proximal Newton (coordinate descent on its quadratic
//! models) and FISTA.
//!
//! `l(z; y) = max(0, 1 - t z)^2` with `t = 2 y - 1 in {-1, 1}` (LIBLINEAR's L2-loss SVM,
//! `-s 2`): `dl/dz = -2 t max(0, 1 - t z)`, `d2l/dz2 = 2 [t z < 1]`.

mod support;

use linalg_core::{Mat, MatRef};
use linmod_models::Penalty;
use linmod_models::loss::Loss;
use linmod_models::objective::LinearObjective;
use optim::{Lbfgs, Newton, Objective, SecondOrder, central_hessian, check_objective_gradient};

/// The squared hinge loss (see the module documentation).
struct SquaredHinge;

impl Loss for SquaredHinge {
    fn derivatives(&self, z: f64, y: f64) -> (f64, f64, f64) {
        let t = 2.0 * y - 1.0;
        let margin = (1.0 - t * z).max(0.0);
        let curvature = if margin > 0.0 { 2.0 } else { 0.0 };
        (margin * margin, -2.0 * t * margin, curvature)
    }
}

fn objective<'a>(
    x: MatRef<'a, f64>,
    y: &'a [f64],
    weights: Option<&[f64]>,
    l2: f64,
) -> LinearObjective<'a, MatRef<'a, f64>, SquaredHinge> {
    LinearObjective::new(x, y, SquaredHinge)
        .unwrap()
        .weights(weights)
        .unwrap()
        .penalty(Penalty::l2(l2).unwrap())
        .unwrap()
}

#[test]
fn derivatives_match_central_differences() {
    let (x, y) = support::binary_problem(40, 3, 7);
    let w: Vec<f64> = (0..40).map(|i| 0.5 + (i % 4) as f64 * 0.25).collect();
    let mut f = objective(x.as_ref(), &y, Some(&w), 0.05);
    // a point where no row sits exactly on the kink t z = 1
    let theta = [0.31, -0.27, 0.19, 0.05];
    assert!(check_objective_gradient(&mut f, &theta) < 1e-7);
    let d = f.dim();
    let mut h = Mat::<f64>::zeros(d, d);
    f.hessian(&theta, h.as_mut());
    let h_fd = central_hessian(|t, g| f.gradient(t, g), &theta);
    for i in 0..d {
        for j in 0..=i {
            let diff = (h[(i, j)] - h_fd[i * d + j]).abs();
            assert!(
                diff <= 1e-6 * (1.0 + h[(i, j)].abs()),
                "H[{i},{j}]: {} vs {}",
                h[(i, j)],
                h_fd[i * d + j]
            );
        }
    }
    let v = [1.0, -0.5, 0.25, 2.0];
    let mut hv = [0.0; 4];
    f.hessian_vector_product(&theta, &v, &mut hv);
    for i in 0..d {
        let expect: f64 = (0..d)
            .map(|j| if i >= j { h[(i, j)] } else { h[(j, i)] } * v[j])
            .sum();
        assert!((hv[i] - expect).abs() <= 1e-12 * (1.0 + expect.abs()));
    }
}

#[test]
fn lbfgs_and_newton_reach_the_same_minimum() {
    let (x, y) = support::binary_problem(300, 4, 11);
    let mut f = objective(x.as_ref(), &y, None, 1e-3);
    let start = vec![0.0; f.dim()];
    let lbfgs = Lbfgs::default()
        .gradient_tol(1e-10)
        .minimize(&mut f, &start)
        .unwrap();
    let newton = Newton::default()
        .gradient_tol(1e-10)
        .minimize(&mut f, &start)
        .unwrap();
    assert!(
        lbfgs.converged() && newton.converged(),
        "{} / {}",
        lbfgs.summary(),
        newton.summary()
    );
    // the objective is strongly convex (l2 > 0): one minimizer, which both find
    for (a, b) in lbfgs.x.iter().zip(&newton.x) {
        assert!((a - b).abs() < 1e-7, "{:?} vs {:?}", lbfgs.x, newton.x);
    }
    assert!((lbfgs.value - newton.value).abs() <= 1e-14 * lbfgs.value.abs().max(1.0));
    // a classifier: the fitted margins separate most rows the right way
    let correct = (0..300)
        .filter(|&i| {
            let z = newton.x[4] + (0..4).map(|j| x[(i, j)] * newton.x[j]).sum::<f64>();
            (z > 0.0) == (y[i] > 0.5)
        })
        .count();
    assert!(correct >= 200, "{correct} of 300");
}

#[test]
fn proximal_newton_with_coordinate_descent_and_fista_agree_under_an_l1_penalty() {
    let (x, y) = support::binary_problem(300, 4, 11);
    let mut f = objective(x.as_ref(), &y, None, 1e-3);
    let start = vec![0.0; f.dim()];
    // an L1 strength large enough to move the minimizer; the intercept is not penalized
    let l1 = optim::ElasticNet::new(0.05, 0.0).unwrap().on(0..4);
    let cd = optim::ProxNewton::new(l1.clone())
        .gradient_tol(1e-10)
        .minimize(&mut f, &start)
        .unwrap();
    let fista = optim::Fista::default()
        .gradient_tol(1e-10)
        .max_iter(100_000)
        .minimize(&mut optim::Penalized::new(&mut f, l1.clone()), &start)
        .unwrap();
    assert!(
        cd.converged() && fista.converged(),
        "{} / {}",
        cd.summary(),
        fista.summary()
    );
    for (a, b) in cd.x.iter().zip(&fista.x) {
        assert!((a - b).abs() < 1e-6, "{:?} vs {:?}", cd.x, fista.x);
    }
    // the penalty moved the minimizer away from the L2-only one
    let smooth = Newton::default()
        .gradient_tol(1e-10)
        .minimize(&mut f, &start)
        .unwrap();
    let moved =
        cd.x.iter()
            .zip(&smooth.x)
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
    assert!(moved > 1e-3, "{moved}");
    let mut g = vec![0.0; f.dim()];
    f.gradient(&cd.x, &mut g);
    assert!(l1.optimality(&cd.x, &g) < 1e-8);
}
