//! Coordinate descent and proximal Newton: optimality on penalized quadratics, agreement with
//! FISTA, sweeps as iterations, duality gaps and screening, and honest ends (sweep limits,
//! observers, non-finite Hessians).

#![allow(clippy::float_cmp)] // exact zeros of L1 solutions are the point

use linalg_core::MatMut;
use linmod_optim::testfns::Quadratic;
use linmod_optim::{
    Certificate, Control, CoordinateDescent, Coordinates, Criterion, Divergence, ElasticNet, Fista,
    Newton, Objective, Penalized, Progress, ProxNewton, SecondOrder, Termination,
};
use proptest::prelude::*;

mod problems;

/// `f(x) = x^T Q x / 2 + c^T x` (`Q` row-major), tracked through `Q x`.
#[derive(Clone, Debug)]
struct Gram {
    q: Vec<f64>,
    c: Vec<f64>,
    qx: Vec<f64>,
    cheap: bool,
}

impl Gram {
    fn new(q: Vec<f64>, c: Vec<f64>) -> Self {
        let n = c.len();
        Self {
            q,
            c,
            qx: vec![0.0; n],
            cheap: false,
        }
    }

    fn quadratic(&self) -> Quadratic {
        Quadratic::new(self.q.clone(), self.c.clone()).unwrap()
    }
}

impl Coordinates for Gram {
    fn dim(&self) -> usize {
        self.c.len()
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        x.iter()
            .zip(&self.qx)
            .zip(&self.c)
            .map(|((x, qx), c)| 0.5 * x * qx + c * x)
            .sum()
    }

    fn partial(&mut self, _x: &[f64], j: usize) -> f64 {
        self.qx[j] + self.c[j]
    }

    fn curvature(&self, j: usize) -> f64 {
        self.q[j * self.c.len() + j]
    }

    fn update(&mut self, j: usize, delta: f64) {
        let n = self.c.len();
        for (k, v) in self.qx.iter_mut().enumerate() {
            *v += delta * self.q[k * n + j];
        }
    }

    fn cheap_certificate(&self) -> bool {
        self.cheap
    }
}

/// The worst violation of the optimality conditions of `x^T Q x / 2 + c^T x + h(x)`,
/// computed from scratch.
fn kkt_violation(g: &Gram, pen: &ElasticNet, x: &[f64]) -> f64 {
    let n = x.len();
    let grad: Vec<f64> = (0..n)
        .map(|j| (0..n).map(|k| g.q[j * n + k] * x[k]).sum::<f64>() + g.c[j])
        .collect();
    pen.optimality(x, &grad)
}

/// `B^T B / 12` for a fixed 12 x 5 `B`, and a linear term.
fn five_features() -> Gram {
    let b: Vec<f64> = (0..60)
        .map(|k| ((k * 37 % 17) as f64 - 8.0) / 8.0)
        .collect();
    let q = (0..25)
        .map(|k| {
            let (a, c) = (k / 5, k % 5);
            (0..12).map(|i| b[i * 5 + a] * b[i * 5 + c]).sum::<f64>() / 12.0
        })
        .collect();
    Gram::new(q, vec![0.3, -0.2, 0.05, 0.4, -0.6])
}

#[test]
fn coordinate_descent_solves_penalized_quadratics_to_their_optimality_conditions() {
    for (l1, l2) in [(0.0, 0.0), (0.05, 0.0), (0.05, 0.1), (10.0, 0.0)] {
        // the last coordinate is free, as an intercept is
        let pen = ElasticNet::new(l1, l2).unwrap().on(0..4);
        let mut g = five_features();
        let r = CoordinateDescent::new(pen.clone())
            .tol(1e-24)
            .max_iter(100_000)
            .minimize(&mut g, &[0.0; 5])
            .unwrap();
        assert_eq!(
            r.termination,
            Termination::Converged {
                criterion: Criterion::CoordinateChange
            },
            "l1={l1} l2={l2}"
        );
        let violation = kkt_violation(&five_features(), &pen, &r.x);
        assert!(violation < 1e-10, "l1={l1} l2={l2}: {:?}", r.x);
        assert!(
            (r.grad_norm - violation).abs() < 1e-10,
            "the report's measure is the violation"
        );
        if l1 >= 10.0 {
            assert!(
                r.x[..4].iter().all(|v| *v == 0.0),
                "a huge l1 zeroes every penalized coordinate"
            );
            assert!(r.x[4] != 0.0, "the free coordinate is not penalized");
        }
    }
}

/// The lasso of the solver tests.
fn lasso_problem() -> Gram {
    let (q, c) = problems::lasso_quadratic();
    Gram::new(q, c)
}

#[test]
fn coordinate_descent_prox_newton_and_fista_agree_on_the_lasso() {
    let g = lasso_problem();
    let pen = ElasticNet::new(0.05, 0.0).unwrap();
    let fista = Fista::default()
        .gradient_tol(1e-12)
        .minimize(&mut Penalized::new(g.quadratic(), pen.clone()), &[0.0; 6])
        .unwrap();
    let cd = CoordinateDescent::new(pen.clone())
        .tol(1e-26)
        .minimize(&mut g.clone(), &[0.0; 6])
        .unwrap();
    let pn = ProxNewton::new(pen.clone())
        .gradient_tol(1e-12)
        .minimize(&mut g.quadratic(), &[0.0; 6])
        .unwrap();
    for r in [&fista, &cd, &pn] {
        assert!(r.converged(), "{}", r.summary());
    }
    assert!(
        cd.x.iter().filter(|v| **v == 0.0).count() >= 1,
        "{:?}",
        cd.x
    );
    for (name, r) in [("cd", &cd), ("prox-newton", &pn)] {
        let err =
            r.x.iter()
                .zip(&fista.x)
                .fold(0.0f64, |m, (a, b)| m.max((a - b).abs()));
        assert!(err < 1e-8, "{name}: {:?} vs {:?}", r.x, fista.x);
        assert!((r.value - fista.value).abs() < 1e-12, "{name}");
    }
}

#[test]
fn sweeps_are_the_iterations_and_their_limit_is_not_convergence() {
    let pen = ElasticNet::new(0.01, 0.0).unwrap();
    let r = CoordinateDescent::new(pen.clone())
        .tol(0.0)
        .max_iter(3)
        .record_history(true)
        .minimize(&mut lasso_problem(), &[0.0; 6])
        .unwrap();
    assert_eq!(r.termination, Termination::MaxIterations);
    assert!(!r.converged());
    assert_eq!(r.iterations, 3, "a round of sweeps stays within the limit");
    assert_eq!(r.history.first().unwrap().iteration, 0);
    assert_eq!(r.history.last().unwrap().iteration, 3);
    assert_eq!(r.history.last().unwrap().value.to_bits(), r.value.to_bits());
}

#[test]
fn an_observer_sees_every_round_and_can_stop_the_run() {
    let mut g = lasso_problem();
    g.cheap = true;
    let cd = CoordinateDescent::new(ElasticNet::new(0.01, 0.0).unwrap()).tol(1e-30);
    let mut seen = Vec::new();
    let mut log = |p: &Progress<'_>| {
        seen.push(p.iteration);
        Control::Continue
    };
    let r = cd
        .clone()
        .record_history(true)
        .minimize_observed(&mut g.clone(), &[0.0; 6], &mut log)
        .unwrap();
    assert!(r.converged(), "{}", r.summary());
    // every round but the converging one, numbered by sweeps
    let rounds: Vec<usize> = r.history[1..].iter().map(|h| h.iteration).collect();
    assert!(seen.len() >= 2, "{seen:?}");
    assert_eq!(seen[..], rounds[..rounds.len() - 1]);
    assert_eq!(r.iterations, *rounds.last().unwrap());
    let mut stop = |_: &Progress<'_>| Control::Stop;
    let r = cd.minimize_observed(&mut g, &[0.0; 6], &mut stop).unwrap();
    assert_eq!(r.termination, Termination::StoppedByObserver);
    assert_eq!(r.iterations, seen[0]);
}

/// `f(x) = |x - a|^2 / 2` with `h = l1 |x|_1`: the solution soft-thresholds `a`, so the gap
/// `F(x) - F*` is known exactly and every `|a_j| <= l1` is provably zero.
struct Separable {
    a: Vec<f64>,
    partials: Vec<usize>,
}

impl Separable {
    fn optimum(&self, pen: &ElasticNet) -> f64 {
        let x: Vec<f64> = self
            .a
            .iter()
            .map(|&a| linmod_optim::soft_threshold(a, pen.l1()))
            .collect();
        let f: f64 = x
            .iter()
            .zip(&self.a)
            .map(|(x, a)| 0.5 * (x - a).powi(2))
            .sum();
        f + pen.value(&x)
    }
}

impl Coordinates for Separable {
    fn dim(&self) -> usize {
        self.a.len()
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        x.iter()
            .zip(&self.a)
            .map(|(x, a)| 0.5 * (x - a).powi(2))
            .sum()
    }

    fn partial(&mut self, x: &[f64], j: usize) -> f64 {
        self.partials[j] += 1;
        x[j] - self.a[j]
    }

    fn curvature(&self, _j: usize) -> f64 {
        1.0
    }

    fn update(&mut self, _j: usize, _delta: f64) {}

    fn certificate(&mut self, x: &[f64], pen: &ElasticNet) -> Certificate {
        let value = self.value(x) + pen.value(x);
        let g: Vec<f64> = x.iter().zip(&self.a).map(|(x, a)| x - a).collect();
        Certificate {
            value,
            optimality: pen.optimality(x, &g),
            gap: Some(value - self.optimum(pen)),
        }
    }

    fn screen(&mut self, x: &mut [f64], pen: &ElasticNet, candidates: &mut Vec<usize>) -> bool {
        let mut moved = false;
        candidates.retain(|&j| {
            let keep = self.a[j].abs() > pen.l1();
            if !keep && x[j] != 0.0 {
                x[j] = 0.0;
                moved = true;
            }
            keep
        });
        moved
    }
}

#[test]
fn the_duality_gap_ends_the_run_and_screened_coordinates_are_never_swept() {
    let mut f = Separable {
        a: vec![3.0, 0.5, -2.0, -0.2],
        partials: vec![0; 4],
    };
    let pen = ElasticNet::new(1.0, 0.0).unwrap();
    let r = CoordinateDescent::new(pen)
        .tol(1e-12)
        .minimize(&mut f, &[1.0, 1.0, 1.0, 1.0])
        .unwrap();
    assert_eq!(
        r.termination,
        Termination::Converged {
            criterion: Criterion::DualityGap
        }
    );
    assert_eq!(r.x, vec![2.0, 0.0, -1.0, 0.0]);
    assert_eq!(f.partials[1] + f.partials[3], 0, "{:?}", f.partials);
    assert!(f.partials[0] > 0 && f.partials[2] > 0);
}

/// `f(x) = (x - 3)^2` with a Hessian reported as 4 (so that Newton steps half way) up to
/// `x = 1`, and NaN beyond.
struct BadHessian;

impl Objective for BadHessian {
    fn dim(&self) -> usize {
        1
    }

    fn value(&mut self, x: &[f64]) -> f64 {
        (x[0] - 3.0).powi(2)
    }

    fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
        g[0] = 2.0 * (x[0] - 3.0);
    }
}

impl SecondOrder for BadHessian {
    fn hessian(&mut self, x: &[f64], mut h: MatMut<'_, f64>) {
        h[(0, 0)] = if x[0] <= 1.0 { 4.0 } else { f64::NAN };
    }

    fn hessian_vector_product(&mut self, x: &[f64], v: &[f64], out: &mut [f64]) {
        out[0] = if x[0] <= 1.0 { 4.0 * v[0] } else { f64::NAN };
    }
}

#[test]
fn a_non_finite_hessian_ends_the_run_with_the_last_finite_iterate() {
    let newton = Newton::default().minimize(&mut BadHessian, &[0.0]).unwrap();
    let prox_newton = ProxNewton::new(ElasticNet::new(0.0, 0.0).unwrap())
        .minimize(&mut BadHessian, &[0.0])
        .unwrap();
    for r in [newton, prox_newton] {
        assert_eq!(
            r.termination,
            Termination::Diverged {
                iteration: 2,
                cause: Divergence::NonFiniteHessian
            },
            "{}",
            r.summary()
        );
        assert!(!r.converged());
        assert_eq!(r.x, vec![1.5]);
        assert_eq!(r.value, 2.25);
        assert_eq!(r.iterations, 1);
        assert!(r.summary().contains("Hessian"), "{}", r.summary());
    }
}

/// A random symmetric positive-definite `B^T B + 0.5 I` (row-major) and a linear term.
fn gram() -> impl Strategy<Value = Gram> {
    (2usize..=7).prop_flat_map(|n| {
        (
            proptest::collection::vec(-1.0f64..1.0, n * n),
            proptest::collection::vec(-3.0f64..3.0, n),
        )
            .prop_map(move |(b, c)| {
                let q = (0..n * n)
                    .map(|k| {
                        let (i, j) = (k / n, k % n);
                        let s: f64 = (0..n).map(|r| b[r * n + i] * b[r * n + j]).sum();
                        s + if i == j { 0.5 } else { 0.0 }
                    })
                    .collect();
                Gram::new(q, c)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// With the first coordinate free: coordinate descent and proximal Newton reach the
    /// optimality conditions, and agree with FISTA.
    #[test]
    fn l1_solvers_agree_on_random_quadratics(g in gram(), l1 in 0.0f64..1.5, l2 in 0.0f64..0.5) {
        let n = g.c.len();
        let pen = ElasticNet::new(l1, l2).unwrap().on(1..n);
        let x0 = vec![0.5; n];
        let cd = {
            let mut start = g.clone();
            // the tracked Q x must describe the start
            for j in 0..n {
                start.update(j, 0.5);
            }
            CoordinateDescent::new(pen.clone()).tol(1e-28).max_iter(100_000)
                .minimize(&mut start, &x0).unwrap()
        };
        let pn = ProxNewton::new(pen.clone()).gradient_tol(1e-11).minimize(&mut g.quadratic(), &x0).unwrap();
        let fista = Fista::default().gradient_tol(1e-9).max_iter(100_000)
            .minimize(&mut Penalized::new(g.quadratic(), pen.clone()), &x0).unwrap();
        for (name, r, kkt) in [("cd", &cd, 1e-9), ("prox-newton", &pn, 1e-9), ("fista", &fista, 1e-7)] {
            prop_assert!(r.converged(), "{}: {}", name, r.summary());
            prop_assert!(kkt_violation(&g, &pen, &r.x) < kkt, "{}: {:?}", name, r.x);
        }
        // lambda_min >= 0.5: |x - x*| <= 2 |subgradient|
        for (a, (b, c)) in cd.x.iter().zip(pn.x.iter().zip(&fista.x)) {
            prop_assert!((a - b).abs() < 1e-8 && (a - c).abs() < 1e-6, "{:?} {:?} {:?}", cd.x, pn.x, fista.x);
        }
    }
}
