//! Every solver on test functions with known minimizers.

#![allow(clippy::float_cmp)] // exact zeros of the lasso solution are the point

use linmod_optim::testfns::{Quadratic, Quartic, Rosenbrock};
use linmod_optim::{
    Criterion, Divergence, ElasticNet, Fista, GradientDescent, Lbfgs, LineSearch, Newton,
    Objective, Penalized, StrongWolfe, Termination,
};

mod problems;

fn max_err(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).fold(0.0, |m, (x, y)| m.max((x - y).abs()))
}

fn ill_conditioned() -> Quadratic {
    // eigenvalues 0.27 to 10.8, condition number about 40
    Quadratic::new(
        vec![
            10.0, 2.0, 0.0, 1.0, //
            2.0, 5.0, 1.0, 0.0, //
            0.0, 1.0, 1.0, 0.2, //
            1.0, 0.0, 0.2, 0.5,
        ],
        vec![1.0, -2.0, 0.5, 0.3],
    )
    .unwrap()
}

#[test]
fn rosenbrock_newton_and_lbfgs() {
    let start = [-1.2, 1.0];
    let newton = Newton::default()
        .minimize(&mut Rosenbrock::default(), &start)
        .unwrap();
    assert!(newton.converged(), "{}", newton.summary());
    assert!(max_err(&newton.x, &[1.0, 1.0]) < 1e-6, "{:?}", newton.x);
    let lbfgs = Lbfgs::default()
        .minimize(&mut Rosenbrock::default(), &start)
        .unwrap();
    assert!(lbfgs.converged(), "{}", lbfgs.summary());
    assert!(max_err(&lbfgs.x, &[1.0, 1.0]) < 1e-6, "{:?}", lbfgs.x);
    assert!(lbfgs.evaluations.gradient < 200, "{:?}", lbfgs.evaluations);
}

#[test]
fn quadratics_to_1e_10_with_every_smooth_solver() {
    let q = ill_conditioned();
    let xstar = q.minimizer();
    let l = q.lipschitz();
    let x0 = [0.0; 4];
    let tight = 1e-13;
    let runs = [
        (
            "newton",
            Newton::default()
                .gradient_tol(tight)
                .minimize(&mut q.clone(), &x0)
                .unwrap(),
        ),
        (
            "lbfgs",
            Lbfgs::default()
                .gradient_tol(tight)
                .minimize(&mut q.clone(), &x0)
                .unwrap(),
        ),
        (
            "gd 1/L",
            GradientDescent::new(1.0 / l)
                .gradient_tol(tight)
                .max_iter(200_000)
                .minimize(&mut q.clone(), &x0)
                .unwrap(),
        ),
        (
            "gd armijo",
            GradientDescent::with_backtracking()
                .gradient_tol(tight)
                .max_iter(200_000)
                .minimize(&mut q.clone(), &x0)
                .unwrap(),
        ),
        (
            "gd wolfe",
            GradientDescent::with_line_search(LineSearch::StrongWolfe(StrongWolfe::default()))
                .gradient_tol(tight)
                .max_iter(200_000)
                .minimize(&mut q.clone(), &x0)
                .unwrap(),
        ),
        (
            "fista",
            Fista::default()
                .gradient_tol(tight)
                .max_iter(200_000)
                .minimize(
                    &mut Penalized::new(q.clone(), ElasticNet::new(0.0, 0.0).unwrap()),
                    &x0,
                )
                .unwrap(),
        ),
    ];
    for (name, r) in runs {
        assert!(r.converged(), "{name}: {}", r.summary());
        assert!(
            max_err(&r.x, &xstar) < 1e-10,
            "{name}: {:?} vs {:?}",
            r.x,
            xstar
        );
    }
}

#[test]
fn newton_solves_a_strictly_convex_quadratic_in_one_step() {
    let mut q = ill_conditioned();
    let r = Newton::default()
        .gradient_tol(1e-12)
        .minimize(&mut q, &[5.0, -3.0, 2.0, 1.0])
        .unwrap();
    assert_eq!(r.iterations, 1, "{}", r.summary());
    assert!(r.converged());
    assert!(max_err(&r.x, &q.minimizer()) < 1e-10);
    assert_eq!(r.evaluations.hessian, 1);
}

#[test]
fn gd_learning_rate_above_two_over_l_diverges_and_one_over_l_converges() {
    let q = Quadratic::new(vec![4.0, 1.0, 1.0, 3.0], vec![1.0, 1.0]).unwrap();
    let l = q.lipschitz();
    let good = GradientDescent::new(1.0 / l)
        .minimize(&mut q.clone(), &[3.0, 3.0])
        .unwrap();
    assert!(good.converged(), "{}", good.summary());
    let bad = GradientDescent::new(2.2 / l)
        .minimize(&mut q.clone(), &[3.0, 3.0])
        .unwrap();
    assert!(!bad.converged());
    match bad.termination {
        // the iterates bounce out from the start: the objective soon exceeds its start
        Termination::Diverged { cause, .. } => assert!(
            matches!(
                cause,
                Divergence::AboveStart | Divergence::Increasing { iterations: 10 }
            ),
            "{cause:?}"
        ),
        other => panic!("expected divergence, got {other:?}"),
    }
    assert!(bad.to_string_lossy().contains("lower the learning rate"));
    assert!(bad.x.iter().all(|v| v.is_finite()));
}

trait Lossy {
    fn to_string_lossy(&self) -> String;
}
impl Lossy for linmod_optim::Report {
    fn to_string_lossy(&self) -> String {
        self.termination.to_string()
    }
}

#[test]
fn overflow_is_reported_as_divergence_with_the_last_finite_iterate() {
    let mut q = Quadratic::new(vec![1.0], vec![0.0]).unwrap();
    // x <- x - 1e200 x: the value overflows to infinity at the second step
    let r = GradientDescent::new(1e200)
        .divergence_patience(1000)
        .minimize(&mut q, &[1.0])
        .unwrap();
    assert!(matches!(
        r.termination,
        Termination::Diverged {
            cause: Divergence::NonFinite,
            ..
        }
    ));
    assert!(r.x[0].is_finite() && r.value.is_finite());
    assert!(!r.converged());
}

#[test]
fn course_quartic_by_gradient_descent() {
    let r = GradientDescent::new(0.01)
        .record_history(true)
        .minimize(&mut Quartic, &[6.0])
        .unwrap();
    assert!(r.converged());
    assert!((r.x[0] - Quartic::MINIMIZER).abs() < 1e-6);
    assert!((r.value - Quartic::MINIMUM).abs() < 1e-10);
    // the history starts at iteration 0 and the value decreases monotonically (up to rounding)
    assert_eq!(r.history[0].iteration, 0);
    assert!(
        r.history
            .windows(2)
            .all(|w| w[1].value <= w[0].value + 1e-14)
    );
    let newton = Newton::default().minimize(&mut Quartic, &[6.0]).unwrap();
    assert!(newton.converged() && (newton.x[0] - 2.25).abs() < 1e-8);
}

/// Lasso: f(w) = 1/(2n) |A w - y|^2 + l1 |w|_1. FISTA's solution must satisfy the
/// coordinate-wise optimality conditions: grad_j = -l1 sign(w_j) where w_j != 0, and
/// |grad_j| <= l1 where w_j = 0. A cyclic coordinate-descent solve agrees with it.
#[test]
fn fista_lasso_satisfies_optimality_conditions() {
    let p = 6;
    let (ata, aty) = problems::lasso_quadratic();
    let l1 = 0.05;
    let q = Quadratic::new(ata.clone(), aty.clone()).unwrap();
    let mut obj = Penalized::new(q.clone(), ElasticNet::new(l1, 0.0).unwrap());
    let r = Fista::default()
        .gradient_tol(1e-12)
        .minimize(&mut obj, &[0.0; 6])
        .unwrap();
    assert!(r.converged(), "{}", r.summary());
    let mut g = vec![0.0; p];
    q.clone().gradient(&r.x, &mut g);
    let mut zeros = 0;
    for (j, (&xj, &gj)) in r.x.iter().zip(&g).enumerate() {
        if xj == 0.0 {
            zeros += 1;
            assert!(
                gj.abs() <= l1 + 1e-9,
                "KKT at zero coordinate {j}: |g| = {}",
                gj.abs()
            );
        } else {
            assert!(
                (gj + l1 * xj.signum()).abs() < 1e-9,
                "KKT at coordinate {j}"
            );
        }
    }
    assert!(zeros >= 1, "the lasso solution should be sparse: {:?}", r.x);
    // cyclic coordinate descent on the same problem
    let mut w = vec![0.0; p];
    for _ in 0..10_000 {
        for j in 0..p {
            let rest: f64 = (0..p)
                .filter(|&k| k != j)
                .map(|k| ata[j * p + k] * w[k])
                .sum();
            let z = -(aty[j] + rest);
            w[j] = linmod_optim::soft_threshold(z, l1) / ata[j * p + j];
        }
    }
    assert!(max_err(&w, &r.x) < 1e-8, "{w:?} vs {:?}", r.x);
}

#[test]
fn parameter_change_rule_is_named() {
    let mut q = ill_conditioned();
    let r = Newton::default()
        .gradient_tol(None)
        .param_tol(1e-8)
        .minimize(&mut q, &[0.0; 4])
        .unwrap();
    assert_eq!(
        r.termination,
        Termination::Converged {
            criterion: Criterion::ParameterChange
        }
    );
    // one step reaches the optimum, the second moves by rounding only
    assert_eq!(r.iterations, 2);
}
