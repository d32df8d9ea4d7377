//! Minibatch SGD on a least-squares sum of terms.

use linmod_optim::{Divergence, Objective, Schedule, Sgd, SumOfTerms, Termination};

/// f(w) = 1/N sum_i (a_i . w - y_i)^2 / 2 for a small fixed data set.
#[derive(Clone)]
struct LeastSquares {
    a: Vec<[f64; 2]>,
    y: Vec<f64>,
}

impl LeastSquares {
    fn new() -> Self {
        let a: Vec<[f64; 2]> = (0..200)
            .map(|i| {
                let t = i as f64 / 200.0;
                [1.0, 4.0 * t - 2.0]
            })
            .collect();
        // y = 1 + 2 u + small deterministic noise
        let y = a
            .iter()
            .enumerate()
            .map(|(i, r)| 1.0 + 2.0 * r[1] + 0.1 * ((i * 37 % 11) as f64 - 5.0) / 5.0)
            .collect();
        Self { a, y }
    }

    fn solution(&self) -> [f64; 2] {
        // normal equations of the 2 x 2 problem
        let (mut s00, mut s01, mut s11, mut b0, mut b1) = (0.0, 0.0, 0.0, 0.0, 0.0);
        for (r, y) in self.a.iter().zip(&self.y) {
            s00 += r[0] * r[0];
            s01 += r[0] * r[1];
            s11 += r[1] * r[1];
            b0 += r[0] * y;
            b1 += r[1] * y;
        }
        let det = s00 * s11 - s01 * s01;
        [(s11 * b0 - s01 * b1) / det, (s00 * b1 - s01 * b0) / det]
    }

    fn term(&self, i: usize, w: &[f64], g: &mut [f64]) -> f64 {
        let r = self.a[i][0] * w[0] + self.a[i][1] * w[1] - self.y[i];
        g[0] += r * self.a[i][0];
        g[1] += r * self.a[i][1];
        0.5 * r * r
    }
}

impl Objective for LeastSquares {
    fn dim(&self) -> usize {
        2
    }
    fn value(&mut self, w: &[f64]) -> f64 {
        let mut g = [0.0; 2];
        self.value_and_gradient(w, &mut g)
    }
    fn gradient(&mut self, w: &[f64], g: &mut [f64]) {
        self.value_and_gradient(w, g);
    }
    fn value_and_gradient(&mut self, w: &[f64], g: &mut [f64]) -> f64 {
        let all: Vec<usize> = (0..self.y.len()).collect();
        self.batch_value_and_gradient(w, &all, g)
    }
}

impl SumOfTerms for LeastSquares {
    fn n_terms(&self) -> usize {
        self.y.len()
    }
    fn batch_value_and_gradient(&mut self, w: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        g.fill(0.0);
        let f: f64 = batch.iter().map(|&i| self.term(i, w, g)).sum();
        let m = batch.len() as f64;
        g.iter_mut().for_each(|v| *v /= m);
        f / m
    }
}

#[test]
fn sgd_approaches_the_least_squares_solution() {
    let mut obj = LeastSquares::new();
    let exact = obj.solution();
    let r = Sgd::default()
        .schedule(Schedule::InverseScaling {
            eta0: 0.2,
            power_t: 0.5,
        })
        .batch_size(8)
        .epochs(200)
        .seed(7)
        .record_history(true)
        .minimize(&mut obj, &[0.0, 0.0])
        .unwrap();
    assert_eq!(r.termination, Termination::MaxIterations);
    assert!(!r.converged());
    assert_eq!(r.history.len(), 201);
    assert!(
        (r.x[0] - exact[0]).abs() < 1e-2 && (r.x[1] - exact[1]).abs() < 1e-2,
        "{:?} vs {exact:?}",
        r.x
    );
    assert!(r.history[200].value < r.history[0].value);
}

#[test]
fn same_seed_same_bits_other_seed_other_path() {
    let run = |seed| {
        Sgd::default()
            .learning_rate(0.05)
            .momentum(0.9)
            .epochs(5)
            .seed(seed)
            .minimize(&mut LeastSquares::new(), &[0.0, 0.0])
            .unwrap()
            .x
    };
    let (a, b, c) = (run(3), run(3), run(4));
    assert_eq!(a[0].to_bits(), b[0].to_bits());
    assert_eq!(a[1].to_bits(), b[1].to_bits());
    assert_ne!(a[0].to_bits(), c[0].to_bits());
}

#[test]
fn a_huge_learning_rate_is_reported_as_divergence() {
    let r = Sgd::default()
        .learning_rate(1e6)
        .epochs(50)
        .minimize(&mut LeastSquares::new(), &[0.0, 0.0])
        .unwrap();
    assert!(
        matches!(
            r.termination,
            Termination::Diverged {
                cause: Divergence::NonFinite | Divergence::AboveStart,
                ..
            }
        ),
        "{:?}",
        r.termination
    );
    assert!(r.x.iter().all(|v| v.is_finite()));
    assert!(r.value.is_finite());
}

#[test]
fn iterates_that_bounce_without_overflowing_are_divergence_not_convergence() {
    // a learning rate twice 2 / L (L = 4/3): the loss grows geometrically but stays finite for
    // many epochs, and the no-improvement rule must not call that convergence
    let r = Sgd::default()
        .learning_rate(3.0)
        .batch_size(100)
        .epochs(20)
        .tol(1e-3, 3)
        .minimize(&mut LeastSquares::new(), &[0.0, 0.0])
        .unwrap();
    assert!(
        matches!(
            r.termination,
            Termination::Diverged {
                cause: Divergence::AboveStart,
                ..
            }
        ),
        "{:?}",
        r.termination
    );
    assert!(!r.converged() && r.value.is_finite());
}

#[test]
fn tolerance_rule_stops_early_as_value_change() {
    let r = Sgd::default()
        .learning_rate(0.05)
        .epochs(500)
        .tol(1e-3, 3)
        .minimize(&mut LeastSquares::new(), &[0.0, 0.0])
        .unwrap();
    assert!(r.converged(), "{:?}", r.termination);
    assert!(r.iterations < 500);
}
