//! Cyclic coordinate descent for a smooth function plus an elastic-net penalty.

use crate::driver::{Iteration, Move, Solver, Start, Step};
use crate::elastic_net::{ElasticNet, soft_threshold};
use crate::error::{Result, check_range};
use crate::monitor::RunOptions;
use crate::objective::{Certificate, Coordinates};
use crate::report::Evaluations;
use crate::run::{common_setters, entry_points};
use crate::stopping::{Criterion, Stopping};

/// Cyclic coordinate descent on `F = f + h`, `f` given coordinate-wise ([`Coordinates`]) and
/// `h` the elastic-net penalty given to [`new`](Self::new), with active-set sweeps,
/// screening and a duality-gap stopping rule for problems that have one (Friedman, Hastie &
/// Tibshirani, "Regularization paths for generalized linear models via coordinate descent",
/// J. Stat. Softw. 33, 2010; the glmnet algorithm).
///
/// With `a_j` the curvature and `g_j` the partial derivative of `f` along coordinate `j`, and
/// `(l1, l2)` the penalty on it, the update is
/// `x_j <- S(a_j x_j - g_j, l1) / (a_j + 2 l2)` (`S` the soft-thresholding), the exact
/// minimizer along `j` when `f` is quadratic. A coordinate with `a_j + 2 l2 <= 0` (a direction
/// `f` does not depend on, such as a constant column) is left where it is. A step is worth
/// `(a_j + 2 l2) dx_j^2`, twice the decrease it brings for a quadratic.
///
/// An iteration is a sweep. A round is a full sweep over the candidate coordinates (all those
/// not screened out), then, when the non-zero and unpenalized coordinates are fewer, sweeps
/// over those (the active set) until no step is worth more than `tol`. After a round the
/// [certificate](Coordinates::certificate) is computed (after every round when
/// [cheap](Coordinates::cheap_certificate), else once the full sweep's largest step is worth
/// at most `tol`), [screening](Coordinates::screen) is applied, and the driver records the
/// iteration. The run converges when the duality gap is at most `tol`
/// ([`Criterion::DualityGap`]) or, for problems without a gap, when no step of the last full
/// sweep was worth more than `tol` ([`Criterion::CoordinateChange`]): both in the units of
/// the objective. The report's `value` is `F`, its `grad_norm` the norm of the minimum-norm
/// subgradient of `F`, its `iterations` the sweeps.
///
/// Defaults: `tol = 1e-10`, `max_iter = 1000` sweeps, no gradient test.
///
/// # Examples
/// The lasso on two correlated features, `f(x) = |A x - b|^2 / 2` with `A^T A = Q`, tracked
/// through `Q x`:
/// ```
/// use linmod_optim::{Coordinates, CoordinateDescent, Criterion, ElasticNet, Termination};
/// struct Gram { q: [[f64; 2]; 2], c: [f64; 2], qx: [f64; 2] }
/// impl Coordinates for Gram {
///     fn dim(&self) -> usize { 2 }
///     fn value(&mut self, x: &[f64]) -> f64 {
///         (0..2).map(|j| 0.5 * x[j] * self.qx[j] + self.c[j] * x[j]).sum()
///     }
///     fn partial(&mut self, _x: &[f64], j: usize) -> f64 { self.qx[j] + self.c[j] }
///     fn curvature(&self, j: usize) -> f64 { self.q[j][j] }
///     fn update(&mut self, j: usize, delta: f64) {
///         for k in 0..2 { self.qx[k] += delta * self.q[k][j]; }
///     }
/// }
/// let mut f = Gram { q: [[1.0, 0.5], [0.5, 1.0]], c: [-2.0, -0.5], qx: [0.0; 2] };
/// let r = CoordinateDescent::new(ElasticNet::new(0.5, 0.0).unwrap())
///     .tol(1e-14)
///     .minimize(&mut f, &[0.0, 0.0])
///     .unwrap();
/// assert_eq!(r.termination, Termination::Converged { criterion: Criterion::CoordinateChange });
/// assert!((r.x[0] - 1.5).abs() < 1e-6 && r.x[1] == 0.0);
/// assert!(r.grad_norm < 1e-6);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct CoordinateDescent {
    penalty: ElasticNet,
    tol: f64,
    stopping: Stopping,
    options: RunOptions,
}

impl CoordinateDescent {
    /// Coordinate descent on `f + penalty`.
    #[must_use]
    pub fn new(penalty: ElasticNet) -> Self {
        Self {
            penalty,
            tol: 1e-10,
            stopping: Stopping::default().max_iter(1000).gradient_tol(None),
            options: RunOptions::default(),
        }
    }

    /// Sets the tolerance on the duality gap, or on the worth of the largest coordinate step
    /// of a full sweep for problems without a gap (default `1e-10`, in the units of the
    /// objective).
    #[must_use]
    pub fn tol(mut self, tol: f64) -> Self {
        self.tol = tol;
        self
    }

    common_setters!();

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for a negative or
    /// non-finite `tol`, or invalid stopping rules.
    pub fn check(&self) -> Result<()> {
        check_range("tol", self.tol, 0.0, f64::MAX, false, "finite and >= 0")?;
        self.stopping.check()
    }

    entry_points!(Coordinates, "sweeps");

    /// The certificate at `x` after screening, counted as one gradient evaluation.
    fn checkpoint<C: Coordinates + ?Sized>(
        &self,
        problem: &mut C,
        x: &mut [f64],
        candidates: &mut Vec<usize>,
        evaluations: &mut Evaluations,
    ) -> Certificate {
        let certificate = problem.certificate(x, &self.penalty);
        evaluations.gradient += 1;
        if problem.screen(x, &self.penalty, candidates) {
            problem.certificate(x, &self.penalty)
        } else {
            certificate
        }
    }

    /// One pass of coordinate updates over `coords`; returns the worth of the largest step.
    fn sweep<C: Coordinates + ?Sized>(
        &self,
        problem: &mut C,
        x: &mut [f64],
        coords: &[usize],
    ) -> f64 {
        let mut largest = 0.0f64;
        for &j in coords {
            let (l1, l2) = self.penalty.strengths(j);
            let a = problem.curvature(j);
            let denom = a + 2.0 * l2;
            if denom <= 0.0 {
                continue;
            }
            let old = x[j];
            let g = problem.partial(x, j);
            let new = soft_threshold(a * old - g, l1) / denom;
            let delta = new - old;
            if delta != 0.0 {
                x[j] = new;
                problem.update(j, delta);
                largest = largest.max(denom * delta * delta);
            }
        }
        largest
    }
}

/// The state of a coordinate-descent run.
#[derive(Clone, Debug)]
pub struct CdState {
    /// Coordinates not screened out.
    candidates: Vec<usize>,
    /// Candidates that are non-zero or unpenalized.
    active: Vec<usize>,
    cheap: bool,
}

impl<C: Coordinates + ?Sized> Solver<C> for CoordinateDescent {
    type State = CdState;

    fn init(&self, problem: &mut C, x: &mut [f64]) -> Result<(CdState, Start)> {
        let mut candidates: Vec<usize> = (0..x.len()).collect();
        let mut evaluations = Evaluations::default();
        let certificate = self.checkpoint(problem, x, &mut candidates, &mut evaluations);
        let start = Start {
            evaluations,
            converged: certificate
                .gap
                .is_some_and(|gap| gap <= self.tol)
                .then_some(Criterion::DualityGap),
            ..Start::new(certificate.value, certificate.optimality)
        };
        let state = CdState {
            active: Vec::with_capacity(x.len()),
            candidates,
            cheap: problem.cheap_certificate(),
        };
        Ok((state, start))
    }

    /// One round of sweeps (several while the certificate is not yet worth computing).
    fn step(&self, problem: &mut C, st: &mut CdState, it: &mut Iteration<'_>) -> Step {
        let budget = it.remaining();
        let next = &mut **it.next;
        next.copy_from_slice(it.x);
        let mut sweeps = 0;
        let full_change = loop {
            let full = self.sweep(problem, next, &st.candidates);
            sweeps += 1;
            st.active.clear();
            st.active.extend(
                st.candidates
                    .iter()
                    .copied()
                    .filter(|&j| next[j] != 0.0 || !self.penalty.penalizes(j)),
            );
            if !st.active.is_empty() && st.active.len() < st.candidates.len() {
                while sweeps < budget {
                    let change = self.sweep(problem, next, &st.active);
                    sweeps += 1;
                    if change <= self.tol {
                        break;
                    }
                }
            }
            // an expensive certificate waits until the full sweep has settled
            if st.cheap || full <= self.tol || sweeps >= budget {
                break full;
            }
        };
        let certificate = self.checkpoint(problem, next, &mut st.candidates, it.evaluations);
        let converged = match certificate.gap {
            Some(gap) => (gap <= self.tol).then_some(Criterion::DualityGap),
            None => (full_change <= self.tol).then_some(Criterion::CoordinateChange),
        };
        Step::Moved(Move {
            iterations: sweeps,
            converged,
            ..Move::new(certificate.value, certificate.optimality, 1.0)
        })
    }
}
