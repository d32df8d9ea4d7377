//! The derivative matrix: every objective (squared, logistic, multinomial) under every
//! combination of intercept (with, without) x sample weights (none, random) x penalty (none,
//! L1, L2, elastic net), on one random problem per case.
//!
//! For each combination:
//! * the smooth part's value agrees with a loop-by-loop evaluation of the formula in
//!   `docs/math.md`, its gradient with central differences of that value, its Hessian with
//!   central differences of the gradient, and its Hessian-vector product with the Hessian
//!   times the vector;
//! * the non-smooth part (the L1 term, as the solvers see it: the least-squares objective as a `Composite`,
//!   the logistic objectives wrapped in `optim::Penalized` exactly as `fista` runs them) is
//!   `l1 |w|_1` without the intercepts, and its prox is soft-thresholding of the coefficients
//!   that leaves the intercepts alone.
//!
//! The network's objective has no intercept option, weights or L1 penalty; its gradient is
//! checked in `mlp_objective.rs`. `PROPTEST_CASES=N` runs more cases.

mod support;

use linalg_core::{Mat, logsumexp};
use linmod_models::loss::{Logistic, MultiLoss, Softmax, Squared};
use linmod_models::objective::LinearObjective;
use linmod_models::{Penalty, normalize_weights};
use optim::{
    Composite, ElasticNet, Objective, Penalized, SecondOrder, central_hessian,
    check_objective_gradient, soft_threshold,
};
use proptest::prelude::*;
use support::cases;

#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    Squared,
    Logistic,
    Multinomial,
}

/// One random problem; the combinations are taken from it.
#[derive(Clone, Debug)]
struct Case {
    x: Mat<f64>,
    /// Class indices in `0..k` (the squared loss uses `target` instead).
    labels: Vec<usize>,
    k: usize,
    target: Vec<f64>,
    raw_weights: Vec<f64>,
    l1: f64,
    l2: f64,
    /// Enough entries for the largest parameter vector, `(p + 1) k`.
    theta: Vec<f64>,
    /// Prox step.
    t: f64,
}

fn case() -> impl Strategy<Value = Case> {
    (1usize..=10, 1usize..=3, 2usize..=3).prop_flat_map(|(n, p, k)| {
        (
            proptest::collection::vec(-2.0f64..2.0, n * p),
            proptest::collection::vec(0..k, n),
            proptest::collection::vec(-3.0f64..3.0, n),
            proptest::collection::vec(0.1f64..3.0, n),
            (0.01f64..1.0, 0.01f64..1.0, 0.05f64..2.0),
            proptest::collection::vec(-1.5f64..1.5, (p + 1) * k),
        )
            .prop_map(
                move |(xv, labels, target, raw_weights, (l1, l2, t), theta)| Case {
                    x: Mat::from_fn(n, p, |i, j| xv[i + j * n]),
                    labels,
                    k,
                    target,
                    raw_weights,
                    l1,
                    l2,
                    theta,
                    t,
                },
            )
    })
}

/// One cell of the matrix.
#[derive(Clone, Copy, Debug)]
struct Combo {
    fit_intercept: bool,
    weighted: bool,
    penalty: Penalty,
}

fn combos(c: &Case) -> Vec<Combo> {
    let penalties = [
        Penalty::none(),
        Penalty { l1: c.l1, l2: 0.0 },
        Penalty { l1: 0.0, l2: c.l2 },
        Penalty { l1: c.l1, l2: c.l2 },
    ];
    let mut out = Vec::new();
    for fit_intercept in [false, true] {
        for weighted in [false, true] {
            for penalty in penalties {
                out.push(Combo {
                    fit_intercept,
                    weighted,
                    penalty,
                });
            }
        }
    }
    out
}

/// The data of one cell: labels as `f64`, normalized weights, parameter layout.
struct Cell<'a> {
    case: &'a Case,
    combo: Combo,
    kind: Kind,
    y: Vec<f64>,
    weights: Option<Vec<f64>>,
}

impl<'a> Cell<'a> {
    fn new(case: &'a Case, combo: Combo, kind: Kind) -> Self {
        let y = match kind {
            Kind::Squared => case.target.clone(),
            Kind::Logistic => case.labels.iter().map(|&l| (l % 2) as f64).collect(),
            Kind::Multinomial => case.labels.iter().map(|&l| l as f64).collect(),
        };
        let weights = combo
            .weighted
            .then(|| normalize_weights(Some(&case.raw_weights), y.len()).unwrap())
            .flatten();
        Self {
            case,
            combo,
            kind,
            y,
            weights,
        }
    }

    fn p(&self) -> usize {
        self.case.x.ncols()
    }

    /// Output columns: 1, or `k` for the multinomial model.
    fn outputs(&self) -> usize {
        if self.kind == Kind::Multinomial {
            self.case.k
        } else {
            1
        }
    }

    /// Penalized coefficients come first: `0..p K`; the intercepts (if any) follow.
    fn n_coef(&self) -> usize {
        self.p() * self.outputs()
    }

    fn dim(&self) -> usize {
        self.n_coef()
            + if self.combo.fit_intercept {
                self.outputs()
            } else {
                0
            }
    }

    fn theta(&self) -> &[f64] {
        &self.case.theta[..self.dim()]
    }

    /// The objective of `loss` on this cell's data, with the L2 part of the penalty only
    /// (the L1 part is added as `fista` adds it, by [`penalized`]).
    fn objective<L: MultiLoss>(
        &self,
        loss: L,
        l2: f64,
    ) -> LinearObjective<'_, linalg_core::MatRef<'_, f64>, L> {
        LinearObjective::new(self.case.x.as_ref(), &self.y, loss)
            .unwrap()
            .weights(self.weights.as_deref())
            .unwrap()
            .intercept(self.combo.fit_intercept)
            .penalty(Penalty::l2(l2).unwrap())
            .unwrap()
    }

    /// The smooth part straight from the formula, one row at a time.
    fn naive_smooth_value(&self) -> f64 {
        let (x, th) = (&self.case.x, self.theta());
        let (n, p, k) = (x.nrows(), self.p(), self.outputs());
        let score = |i: usize, c: usize| {
            let b = if self.combo.fit_intercept {
                th[self.n_coef() + c]
            } else {
                0.0
            };
            b + (0..p).map(|j| x[(i, j)] * th[c * p + j]).sum::<f64>()
        };
        let mut loss = 0.0;
        for i in 0..n {
            let s = self.weights.as_ref().map_or(1.0, |w| w[i]);
            let row = match self.kind {
                Kind::Squared => 0.5 * (self.y[i] - score(i, 0)).powi(2),
                Kind::Logistic => {
                    let z = score(i, 0);
                    (1.0 + z.exp()).ln() - self.y[i] * z
                }
                Kind::Multinomial => {
                    let z: Vec<f64> = (0..k).map(|c| score(i, c)).collect();
                    logsumexp(&z) - z[self.y[i] as usize]
                }
            };
            loss += s * row;
        }
        let ridge: f64 = th[..self.n_coef()].iter().map(|w| w * w).sum();
        loss / n as f64 + self.combo.penalty.l2 * ridge
    }

    fn check<O: SecondOrder + Composite>(&self, obj: &mut O) -> Result<(), TestCaseError> {
        let theta = self.theta().to_vec();
        prop_assert_eq!(obj.dim(), self.dim());
        let (value, naive) = (obj.value(&theta), self.naive_smooth_value());
        prop_assert!(
            (value - naive).abs() <= 1e-12 * (1.0 + naive.abs()),
            "value {} vs formula {}",
            value,
            naive
        );
        check_derivatives(obj, &theta)?;
        self.check_nonsmooth(obj, &theta)
    }

    fn check_nonsmooth<O: Composite>(&self, obj: &O, theta: &[f64]) -> Result<(), TestCaseError> {
        let (l1, nc) = (self.combo.penalty.l1, self.n_coef());
        let expect = l1 * theta[..nc].iter().map(|w| w.abs()).sum::<f64>();
        let h = obj.nonsmooth_value(theta);
        prop_assert!(
            (h - expect).abs() <= 1e-14 * (1.0 + expect),
            "h {} vs {}",
            h,
            expect
        );
        let t = self.case.t;
        let mut u = theta.to_vec();
        obj.prox(t, &mut u);
        for (j, (&uj, &vj)) in u.iter().zip(theta).enumerate() {
            let expect = if j < nc {
                soft_threshold(vj, t * l1)
            } else {
                vj
            };
            prop_assert_eq!(uj.to_bits(), expect.to_bits(), "prox entry {}", j);
        }
        Ok(())
    }
}

/// Gradient, Hessian and Hessian-vector product of the smooth part against differences.
fn check_derivatives<O: SecondOrder>(obj: &mut O, theta: &[f64]) -> Result<(), TestCaseError> {
    let err = check_objective_gradient(obj, theta);
    prop_assert!(err < 1e-7, "gradient relative error {}", err);
    let d = obj.dim();
    let mut h = Mat::<f64>::zeros(d, d);
    obj.hessian(theta, h.as_mut());
    // only the lower triangle is written
    let full = |i: usize, j: usize| if i >= j { h[(i, j)] } else { h[(j, i)] };
    let h_fd = central_hessian(|t, g| obj.gradient(t, g), theta);
    for i in 0..d {
        for j in 0..d {
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
    let v: Vec<f64> = (0..d).map(|i| (1.3 * i as f64 + 0.4).sin()).collect();
    let mut hv = vec![0.0; d];
    obj.hessian_vector_product(theta, &v, &mut hv);
    for (i, &got) in hv.iter().enumerate() {
        let expect: f64 = (0..d).map(|j| full(i, j) * v[j]).sum();
        prop_assert!(
            (got - expect).abs() <= 1e-10 * (1.0 + expect.abs()),
            "Hv[{}] = {} vs H v = {}",
            i,
            got,
            expect
        );
    }
    Ok(())
}

/// The logistic objectives as `fista` runs them: the smooth part (with the L2 term) plus the
/// L1 term on the coefficients only.
fn penalized<O: Objective>(smooth: O, cell: &Cell<'_>) -> Penalized<O> {
    let l1 = ElasticNet::new(cell.combo.penalty.l1, 0.0)
        .unwrap()
        .on(0..cell.n_coef());
    Penalized::new(smooth, l1)
}

fn run(kind: Kind, c: &Case) -> Result<(), TestCaseError> {
    for combo in combos(c) {
        let cell = Cell::new(c, combo, kind);
        let l2 = combo.penalty.l2;
        let outcome = match kind {
            Kind::Squared => {
                let mut obj = LinearObjective::new(c.x.as_ref(), &cell.y, Squared)
                    .unwrap()
                    .weights(cell.weights.as_deref())
                    .unwrap()
                    .intercept(combo.fit_intercept)
                    .penalty(combo.penalty)
                    .unwrap();
                cell.check(&mut obj)
            }
            Kind::Logistic => {
                let smooth = cell.objective(Logistic, l2);
                cell.check(&mut penalized(smooth, &cell))
            }
            Kind::Multinomial => {
                let smooth = cell.objective(Softmax::new(c.k), l2);
                cell.check(&mut penalized(smooth, &cell))
            }
        };
        outcome.map_err(|e| TestCaseError::fail(format!("{kind:?} {combo:?}: {e}")))?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(cases(32))]

    #[test]
    fn squared_loss_derivatives_for_every_combination(c in case()) {
        run(Kind::Squared, &c)?;
    }

    #[test]
    fn logistic_derivatives_for_every_combination(c in case()) {
        run(Kind::Logistic, &c)?;
    }

    #[test]
    fn multinomial_derivatives_for_every_combination(c in case()) {
        run(Kind::Multinomial, &c)?;
    }
}
