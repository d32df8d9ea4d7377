//! Honest termination: iteration limits, failed line searches, observers, invalid settings.

use linmod_optim::testfns::{Quadratic, Rosenbrock};
use linmod_optim::{
    Control, Criterion, ElasticNet, Fista, FnObjective, GradientDescent, Lbfgs, LineSearchFailure,
    Newton, Objective, Observer, OptimError, Penalized, Progress, ProxNewton, Report, Sgd,
    Stopping, SumOfTerms, Termination,
};

#[test]
fn iteration_limit_never_reports_converged() {
    let start = [-1.2, 1.0];
    let reports = [
        GradientDescent::new(1e-4)
            .max_iter(5)
            .minimize(&mut Rosenbrock::default(), &start)
            .unwrap(),
        Lbfgs::default()
            .max_iter(3)
            .minimize(&mut Rosenbrock::default(), &start)
            .unwrap(),
        Newton::default()
            .max_iter(2)
            .minimize(&mut Rosenbrock::default(), &start)
            .unwrap(),
    ];
    for r in reports {
        assert_eq!(r.termination, Termination::MaxIterations, "{}", r.summary());
        assert!(!r.converged());
        assert!(r.summary().contains("iteration limit"));
    }
}

#[test]
fn zero_iterations_evaluate_the_start_only() {
    let r = Lbfgs::default()
        .max_iter(0)
        .minimize(&mut Rosenbrock::default(), &[0.0, 0.0])
        .unwrap();
    assert_eq!(r.iterations, 0);
    assert_eq!(r.termination, Termination::MaxIterations);
    assert_eq!(r.x, vec![0.0, 0.0]);
    // but a start that already satisfies the gradient test is converged
    let mut q = Quadratic::new(vec![1.0], vec![-1.0]).unwrap();
    let r = Lbfgs::default()
        .max_iter(0)
        .minimize(&mut q, &[1.0])
        .unwrap();
    assert_eq!(
        r.termination,
        Termination::Converged {
            criterion: Criterion::GradientNorm
        }
    );
}

#[test]
fn a_wrong_gradient_makes_the_line_search_fail_not_converge() {
    // the gradient has the wrong sign: -grad is an ascent direction
    let mut obj = FnObjective::new(
        2,
        |x: &[f64]| x[0] * x[0] + x[1] * x[1],
        |x: &[f64], g: &mut [f64]| {
            g[0] = -2.0 * x[0];
            g[1] = -2.0 * x[1];
        },
    );
    let r = Lbfgs::default().minimize(&mut obj, &[1.0, 1.0]).unwrap();
    assert!(!r.converged());
    match r.termination {
        Termination::LineSearchFailed { reason } => {
            assert_ne!(reason, LineSearchFailure::NotDescentDirection)
        }
        other => panic!("expected a line-search failure, got {other:?}"),
    }
    assert_eq!(r.x, vec![1.0, 1.0]);
}

#[test]
fn observer_can_stop_the_run() {
    let mut count = 0;
    let mut obs = |p: &Progress<'_>| {
        count += 1;
        if p.iteration >= 3 {
            Control::Stop
        } else {
            Control::Continue
        }
    };
    let r = GradientDescent::new(1e-4)
        .minimize_observed(&mut Rosenbrock::default(), &[-1.2, 1.0], &mut obs)
        .unwrap();
    assert_eq!(r.termination, Termination::StoppedByObserver);
    assert_eq!(r.iterations, 3);
    assert_eq!(count, 3);
}

#[test]
fn invalid_settings_are_typed_errors() {
    let mut q = Quadratic::new(vec![1.0], vec![0.0]).unwrap();
    let cases: Vec<(OptimError, &str)> = vec![
        (
            GradientDescent::new(-0.1)
                .minimize(&mut q, &[0.0])
                .unwrap_err(),
            "learning_rate",
        ),
        (
            GradientDescent::new(f64::NAN)
                .minimize(&mut q, &[0.0])
                .unwrap_err(),
            "learning_rate",
        ),
        (
            Lbfgs::default()
                .memory(0)
                .minimize(&mut q, &[0.0])
                .unwrap_err(),
            "memory",
        ),
        (
            Lbfgs::default()
                .gradient_tol(-1.0)
                .minimize(&mut q, &[0.0])
                .unwrap_err(),
            "gradient_tol",
        ),
        (
            Lbfgs::default()
                .stopping(Stopping::default().param_tol(f64::INFINITY))
                .minimize(&mut q, &[0.0])
                .unwrap_err(),
            "param_tol",
        ),
        (
            Newton::default()
                .value_tol(f64::NAN)
                .minimize(&mut q, &[0.0])
                .unwrap_err(),
            "value_tol",
        ),
        (
            Sgd::default().batch_size(0).check().unwrap_err(),
            "batch_size",
        ),
        (
            Sgd::default().momentum(1.0).check().unwrap_err(),
            "momentum",
        ),
    ];
    for (err, name) in cases {
        assert!(
            matches!(err, OptimError::InvalidParameter { name: n, .. } if n == name),
            "{err:?}"
        );
        assert!(err.to_string().contains(name), "{err}");
    }
}

#[test]
fn bad_starting_points_are_typed_errors() {
    let mut q = Quadratic::new(vec![1.0, 0.0, 0.0, 1.0], vec![0.0, 0.0]).unwrap();
    let e = Lbfgs::default().minimize(&mut q, &[0.0]).unwrap_err();
    assert_eq!(
        e,
        OptimError::DimensionMismatch {
            expected: 2,
            found: 1
        }
    );
    let e = Lbfgs::default()
        .minimize(&mut q, &[0.0, f64::NAN])
        .unwrap_err();
    assert!(
        e.to_string().contains("starting point") && e.to_string().contains("entry 1"),
        "{e}"
    );
    let mut log = FnObjective::new(
        1,
        |x: &[f64]| x[0].ln(),
        |x: &[f64], g: &mut [f64]| g[0] = 1.0 / x[0],
    );
    let e = Lbfgs::default().minimize(&mut log, &[-1.0]).unwrap_err();
    assert!(
        e.to_string().contains("objective value is not finite"),
        "{e}"
    );
}

#[test]
fn history_records_every_iteration() {
    let r = Lbfgs::default()
        .record_history(true)
        .minimize(&mut Rosenbrock::default(), &[-1.2, 1.0])
        .unwrap();
    assert_eq!(r.history.len(), r.iterations + 1);
    assert_eq!(r.history.last().unwrap().value.to_bits(), r.value.to_bits());
    assert!(r.history.iter().skip(1).all(|h| h.step > 0.0));
}

/// `f(x) = 1/N sum_i (x - a_i)^2 / 2` over `a_i = 0, ..., 99`, for SGD.
struct Mean;

impl Objective for Mean {
    fn dim(&self) -> usize {
        1
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        (0..100)
            .map(|a| 0.5 * (x[0] - a as f64).powi(2))
            .sum::<f64>()
            / 100.0
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        g[0] = x[0] - 49.5;
    }
}

impl SumOfTerms for Mean {
    fn n_terms(&self) -> usize {
        100
    }

    fn batch_value_and_gradient(&mut self, x: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        let m = batch.len() as f64;
        g[0] = batch.iter().map(|&i| x[0] - i as f64).sum::<f64>() / m;
        batch
            .iter()
            .map(|&i| 0.5 * (x[0] - i as f64).powi(2))
            .sum::<f64>()
            / m
    }
}

#[test]
fn every_solver_calls_the_observer_and_stops_when_asked() {
    let start = [-1.2, 1.0];
    let pen = || ElasticNet::new(1e-3, 0.0).unwrap();
    type Run<'a> = Box<dyn Fn(&mut dyn Observer) -> Report + 'a>;
    let runs: Vec<(&str, Run<'_>)> = vec![
        (
            "gd",
            Box::new(|o| {
                GradientDescent::new(1e-4)
                    .minimize_observed(&mut Rosenbrock::default(), &start, o)
                    .unwrap()
            }),
        ),
        (
            "newton",
            Box::new(|o| {
                Newton::default()
                    .minimize_observed(&mut Rosenbrock::default(), &start, o)
                    .unwrap()
            }),
        ),
        (
            "lbfgs",
            Box::new(|o| {
                Lbfgs::default()
                    .minimize_observed(&mut Rosenbrock::default(), &start, o)
                    .unwrap()
            }),
        ),
        (
            "fista",
            Box::new(|o| {
                let mut obj = Penalized::new(Rosenbrock::default(), pen());
                Fista::default()
                    .minimize_observed(&mut obj, &start, o)
                    .unwrap()
            }),
        ),
        (
            "prox-newton",
            Box::new(|o| {
                ProxNewton::new(pen())
                    .minimize_observed(&mut Rosenbrock::default(), &start, o)
                    .unwrap()
            }),
        ),
        (
            "sgd",
            Box::new(|o| {
                Sgd::default()
                    .learning_rate(0.01)
                    .minimize_observed(&mut Mean, &[0.0], o)
                    .unwrap()
            }),
        ),
    ];
    for (name, run) in runs {
        let mut seen = Vec::new();
        let mut stop_at_two = |p: &Progress<'_>| {
            seen.push(p.iteration);
            if p.iteration >= 2 {
                Control::Stop
            } else {
                Control::Continue
            }
        };
        let r = run(&mut stop_at_two);
        assert_eq!(r.termination, Termination::StoppedByObserver, "{name}");
        assert_eq!(r.iterations, 2, "{name}");
        assert_eq!(seen, [1, 2], "{name}");
    }
}
