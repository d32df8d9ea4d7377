//! The solvers of the logistic models, the `auto` rule, and the dispatch onto `optim`.

use std::fmt;
use std::str::FromStr;

use optim::{
    ElasticNet, Fista, GradientDescent, Lbfgs, Newton, Observer, Penalized, ProxNewton, Report,
    SecondOrder, Sgd, Stopping, SumOfTerms, TrustRegion,
};
use serde::{Deserialize, Serialize};

use crate::error::{ModelError, Result};
use crate::penalty::Penalty;
use crate::settings::FitSettings;

/// The algorithm that fits a logistic model.
///
/// | solver | penalties | per iteration | notes |
/// |---|---|---|---|
/// | `Newton` | none, L2 | one pass for `z`, one weighted Gram `X^T D X` (`O(n p^2)`), a Cholesky solve | IRLS; quadratic convergence; the course algorithm |
/// | `Lbfgs` | none, L2 | one fused pass per line-search trial | memory `O(m p)`; best for large `p` |
/// | `TrustRegion` | none, L2 | one fused pass, plus one Hessian-vector pass per CG step | LIBLINEAR's TRON; memory `O(p)`; large sparse problems |
/// | `GradientDescent` | none, L2 | one fused pass | fixed learning rate: the course algorithm, with the loss history |
/// | `Sgd` | none, L2 | minibatches | epochs, batch size, seeded shuffling |
/// | `Fista` | any | one to two passes | accelerated proximal gradient |
/// | `ProxNewton` | any | as Newton, plus coordinate descent on the quadratic model | glmnet / glum's method for L1 |
///
/// `Auto` picks, with `d` the number of parameters (`(p + 1) K`, `K = 1` for binary):
/// with an L1 part, `ProxNewton` if `d <= 1000` else `Fista`; otherwise `Newton` if
/// `d <= 100`, else `TrustRegion` for a sparse design (at most 10% of the entries stored)
/// and `Lbfgs` for a dense one. Newton's `O(n d^2)` Gram pass pays for itself in few
/// iterations while `d` is small; beyond, passes of `O(n d)` (`O(nnz)` when sparse) win. On
/// the rcv1-shaped benchmark (`docs/benchmarks.md`) the trust-region method reached a lower
/// objective than L-BFGS in 60% of its time.
///
/// # Examples
/// ```
/// use linmod_models::logistic::LogisticSolver;
/// assert_eq!("lbfgs".parse::<LogisticSolver>().unwrap(), LogisticSolver::Lbfgs);
/// assert_eq!("cd".parse::<LogisticSolver>().unwrap(), LogisticSolver::ProxNewton);
/// assert_eq!(LogisticSolver::GradientDescent.to_string(), "gd");
/// assert!("simplex".parse::<LogisticSolver>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LogisticSolver {
    /// Choose by problem size and penalty (see above).
    #[default]
    Auto,
    /// Newton's method (IRLS) with backtracking.
    Newton,
    /// Limited-memory BFGS.
    Lbfgs,
    /// Trust-region Newton with conjugate gradients on Hessian-vector products (TRON).
    TrustRegion,
    /// Gradient descent with a fixed learning rate.
    GradientDescent,
    /// Minibatch stochastic gradient descent.
    Sgd,
    /// Accelerated proximal gradient.
    Fista,
    /// Proximal Newton with a coordinate-descent inner solver.
    ProxNewton,
}

impl fmt::Display for LogisticSolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogisticSolver::Auto => "auto",
            LogisticSolver::Newton => "newton",
            LogisticSolver::Lbfgs => "lbfgs",
            LogisticSolver::TrustRegion => "trust-region",
            LogisticSolver::GradientDescent => "gd",
            LogisticSolver::Sgd => "sgd",
            LogisticSolver::Fista => "fista",
            LogisticSolver::ProxNewton => "prox-newton",
        })
    }
}

impl FromStr for LogisticSolver {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self> {
        Ok(match s {
            "auto" => LogisticSolver::Auto,
            "newton" | "irls" => LogisticSolver::Newton,
            "lbfgs" | "l-bfgs" => LogisticSolver::Lbfgs,
            "trust-region" | "tron" => LogisticSolver::TrustRegion,
            "gd" | "gradient-descent" => LogisticSolver::GradientDescent,
            "sgd" => LogisticSolver::Sgd,
            "fista" => LogisticSolver::Fista,
            "prox-newton" | "cd" => LogisticSolver::ProxNewton,
            other => {
                return Err(ModelError::Unsupported(format!(
                    "unknown solver `{other}` for logistic models and GLMs \
                     (expected auto, newton, lbfgs, trust-region (tron), gd, sgd, fista, prox-newton or cd)"
                )));
            }
        })
    }
}

impl LogisticSolver {
    /// The solver `Auto` resolves to for `dim` parameters and `penalty` on a dense design;
    /// other solvers are returned unchanged.
    #[must_use]
    pub fn resolve(self, dim: usize, penalty: Penalty) -> Self {
        self.resolve_for(dim, penalty, 1.0)
    }

    /// The solver `Auto` resolves to for `dim` parameters and `penalty` on a design with the
    /// given `density` (stored entries over `n p`); other solvers are returned unchanged.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::Penalty;
    /// use linmod_models::logistic::LogisticSolver;
    /// let l2 = Penalty::l2(1e-4).unwrap();
    /// assert_eq!(LogisticSolver::Auto.resolve_for(5_000, l2, 0.001), LogisticSolver::TrustRegion);
    /// assert_eq!(LogisticSolver::Auto.resolve_for(5_000, l2, 1.0), LogisticSolver::Lbfgs);
    /// assert_eq!(LogisticSolver::Auto.resolve_for(50, l2, 0.001), LogisticSolver::Newton);
    /// ```
    #[must_use]
    pub fn resolve_for(self, dim: usize, penalty: Penalty, density: f64) -> Self {
        match self {
            LogisticSolver::Auto if penalty.has_l1() => {
                if dim <= 1000 {
                    LogisticSolver::ProxNewton
                } else {
                    LogisticSolver::Fista
                }
            }
            LogisticSolver::Auto if dim <= 100 => LogisticSolver::Newton,
            LogisticSolver::Auto if density <= 0.1 => LogisticSolver::TrustRegion,
            LogisticSolver::Auto => LogisticSolver::Lbfgs,
            other => other,
        }
    }

    /// Fails with [`ModelError::OutOfMemory`] when the solver keeps `dim x dim` matrices
    /// (Newton, proximal Newton: the Hessian and its factor) that cannot be allocated.
    pub(crate) fn check_memory(self, dim: usize) -> Result<()> {
        if matches!(self, LogisticSolver::Newton | LogisticSolver::ProxNewton) {
            crate::memory::ensure_square(
                dim,
                2,
                "the Hessian of a Newton solver and its factor (dim x dim, dim = the number \
                 of coefficients; choose the lbfgs or fista solver for this many features)",
            )?;
        }
        Ok(())
    }

    /// Fails when the solver cannot minimize a non-smooth (L1) objective.
    pub(crate) fn check_penalty(self, penalty: Penalty) -> Result<()> {
        let smooth_only = matches!(
            self,
            LogisticSolver::Newton
                | LogisticSolver::Lbfgs
                | LogisticSolver::TrustRegion
                | LogisticSolver::GradientDescent
                | LogisticSolver::Sgd
        );
        if smooth_only && penalty.has_l1() {
            return Err(ModelError::Unsupported(format!(
                "solver `{self}` needs a smooth objective, but the penalty has l1 = {}; \
                 use fista, prox-newton (cd) or auto",
                penalty.l1
            )));
        }
        Ok(())
    }
}

/// The shared [`FitSettings`] resolved with the logistic models' defaults.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct SolverSettings {
    /// Stopping rules (default: gradient infinity norm `<= 1e-8`, 1000 iterations).
    pub stopping: Stopping,
    /// Epochs of `sgd` (default 1000).
    pub epochs: usize,
    /// Learning rate of `gd` and `sgd` (default 0.1).
    pub learning_rate: f64,
    /// Batch size of `sgd` (default 32).
    pub batch_size: usize,
    /// Momentum of `sgd` (default 0).
    pub momentum: f64,
    /// Seed of `sgd`'s shuffling (default 0).
    pub seed: u64,
    /// Record the per-iteration history in the report (default false).
    pub record_history: bool,
}

impl SolverSettings {
    /// `settings` with the logistic defaults filled in: the stopping rules (replaced by
    /// `settings.stopping`, then adjusted by `tol`, the gradient test, and `max_iter`). The
    /// solvers validate the values (an invalid `tol` is reported as `gradient_tol`).
    pub(crate) fn resolve(settings: &FitSettings) -> Self {
        let mut stopping = settings.stopping.unwrap_or_default();
        if let Some(t) = settings.tol {
            stopping.gradient_tol = Some(t);
        }
        if let Some(m) = settings.max_iter {
            stopping.max_iter = m;
        }
        Self {
            stopping,
            epochs: settings.epochs.unwrap_or(1000),
            learning_rate: settings.learning_rate.unwrap_or(0.1),
            batch_size: settings.batch_size_or_default(),
            momentum: settings.momentum_or_default(),
            seed: settings.seed,
            record_history: settings.record_history,
        }
    }
}

/// Minimizes the smooth objective `obj` with Newton's method, L-BFGS or the trust-region
/// method (`solver`) from `x0`.
pub(crate) fn minimize_smooth<O: SecondOrder + ?Sized>(
    obj: &mut O,
    solver: LogisticSolver,
    settings: &SolverSettings,
    x0: &[f64],
    observer: Option<&mut dyn Observer>,
) -> Result<Report> {
    let s = settings.stopping;
    Ok(match solver {
        LogisticSolver::Lbfgs => Lbfgs::default()
            .stopping(s)
            .record_history(settings.record_history)
            .minimize_with(obj, x0, observer)?,
        LogisticSolver::TrustRegion => TrustRegion::default()
            .stopping(s)
            .record_history(settings.record_history)
            .minimize_with(obj, x0, observer)?,
        _ => Newton::default()
            .stopping(s)
            .record_history(settings.record_history)
            .minimize_with(obj, x0, observer)?,
    })
}

/// Minimizes `obj` (its smooth part already includes the L2 penalty) plus `l1 |theta_J|_1`,
/// `J = penalized`, with `solver` (resolved, not `Auto`) from `x0`, calling `observer` (when
/// given) after every iteration (every epoch for `Sgd`).
pub(crate) fn minimize<O: SecondOrder + SumOfTerms>(
    obj: &mut O,
    solver: LogisticSolver,
    (l1, penalized): (f64, std::ops::Range<usize>),
    settings: &SolverSettings,
    x0: &[f64],
    observer: Option<&mut dyn Observer>,
) -> Result<Report> {
    let pen = ElasticNet::new(l1, 0.0)?.on(penalized);
    let s = settings.stopping;
    let history = settings.record_history;
    let report = match solver {
        LogisticSolver::Auto
        | LogisticSolver::Newton
        | LogisticSolver::Lbfgs
        | LogisticSolver::TrustRegion => minimize_smooth(obj, solver, settings, x0, observer)?,
        LogisticSolver::GradientDescent => GradientDescent::new(settings.learning_rate)
            .stopping(s)
            .record_history(history)
            .minimize_with(obj, x0, observer)?,
        LogisticSolver::Sgd => Sgd::default()
            .learning_rate(settings.learning_rate)
            .epochs(settings.epochs)
            .gradient_tol(s.gradient_tol)
            .batch_size(settings.batch_size)
            .momentum(settings.momentum)
            .seed(settings.seed)
            .record_history(history)
            .minimize_with(obj, x0, observer)?,
        LogisticSolver::Fista => Fista::default()
            .stopping(s)
            .record_history(history)
            .minimize_with(&mut Penalized::new(obj, pen), x0, observer)?,
        LogisticSolver::ProxNewton => ProxNewton::new(pen)
            .stopping(s)
            .record_history(history)
            .minimize_with(obj, x0, observer)?,
    };
    Ok(report)
}
