//! Minibatch stochastic gradient descent.

use rand::SeedableRng;
use rand::seq::SliceRandom;
use rand_chacha::ChaCha8Rng;

use crate::driver::{Iteration, Move, Solver, Start, Step, smooth_start};
use crate::error::{Result, check_range};
use crate::monitor::RunOptions;
use crate::objective::SumOfTerms;
use crate::report::Divergence;
use crate::run::entry_points;
use crate::stopping::{Criterion, Stopping};
use crate::vecops::{first_non_finite, grad_norm};

/// How the learning rate changes over the run.
///
/// # Examples
/// ```
/// use linmod_optim::Schedule;
/// assert_eq!(Schedule::Constant(0.1).rate(5, 100), 0.1);
/// assert_eq!(Schedule::InverseScaling { eta0: 1.0, power_t: 0.5 }.rate(0, 3), 0.5);
/// assert_eq!(Schedule::StepDecay { eta0: 1.0, factor: 0.5, every: 10 }.rate(25, 0), 0.25);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Schedule {
    /// `eta_t = eta`.
    Constant(f64),
    /// `eta_t = eta0 / (t + 1)^power_t`, `t` the number of updates made so far
    /// (scikit-learn's `invscaling`).
    InverseScaling {
        /// Initial rate.
        eta0: f64,
        /// Exponent (0.25 in scikit-learn; 1 gives the classic `1/t` decay).
        power_t: f64,
    },
    /// `eta = eta0 * factor^floor(epoch / every)`.
    StepDecay {
        /// Initial rate.
        eta0: f64,
        /// Multiplier applied every `every` epochs, in (0, 1].
        factor: f64,
        /// Epochs between decays.
        every: usize,
    },
}

impl Schedule {
    /// The rate for `epoch` (0-based) after `updates` updates.
    #[must_use]
    pub fn rate(&self, epoch: usize, updates: usize) -> f64 {
        match *self {
            Schedule::Constant(eta) => eta,
            Schedule::InverseScaling { eta0, power_t } => {
                eta0 / ((updates + 1) as f64).powf(power_t)
            }
            Schedule::StepDecay {
                eta0,
                factor,
                every,
            } => eta0 * factor.powi((epoch / every.max(1)) as i32),
        }
    }

    fn check(&self) -> Result<()> {
        let positive = |name, v| check_range(name, v, 0.0, f64::MAX, true, "finite and > 0");
        match *self {
            Schedule::Constant(eta) => positive("learning_rate", eta),
            Schedule::InverseScaling { eta0, power_t } => {
                positive("eta0", eta0)?;
                check_range("power_t", power_t, 0.0, f64::MAX, false, "finite and >= 0")
            }
            Schedule::StepDecay {
                eta0,
                factor,
                every,
            } => {
                positive("eta0", eta0)?;
                check_range("factor", factor, 0.0, 1.0, true, "in (0, 1]")?;
                check_range("every", every as f64, 1.0, f64::MAX, false, ">= 1")
            }
        }
    }
}

/// Minibatch stochastic gradient descent over a [`SumOfTerms`] objective.
///
/// Each epoch shuffles the terms (ChaCha8 seeded with `seed`, so runs are reproducible bit for
/// bit), splits them into batches of `batch_size` (the last one shorter) and updates
/// `v <- momentum v - eta grad f_B(x)`, `x <- x + v` per batch (plain SGD for `momentum = 0`).
/// After every epoch the full objective and gradient are evaluated: they are the epoch's
/// history record and the report's final value, and the gradient tests of [`Stopping`] are
/// checked on them.
///
/// A batch or epoch whose value or gradient is not finite ends the run with
/// [`Termination::Diverged`](crate::Termination::Diverged) and the iterate of the start of
/// that epoch (the learning rate is too large); so does an epoch whose objective exceeds the
/// starting value by more than the starting value's magnitude (`Divergence::AboveStart`:
/// iterates bouncing ever further out without overflowing), with the iterate it reached.
/// With `tol`, the run ends as converged ([`Criterion::ValueChange`]) when the
/// epoch loss failed to improve on the best one by more than `tol` for `n_iter_no_change`
/// consecutive epochs (scikit-learn's rule); without it, all epochs run and the report says
/// [`Termination::MaxIterations`](crate::Termination::MaxIterations).
///
/// Defaults: 100 epochs, batches of 32, constant rate 0.01, no momentum, seed 0, no `tol`,
/// `n_iter_no_change = 5`. Reference: Bottou, Curtis & Nocedal, "Optimization methods for
/// large-scale machine learning", SIAM Review 60, 2018.
///
/// # Examples
/// ```
/// use linmod_optim::{Objective, Sgd, SumOfTerms};
/// /// f(x) = 1/N sum_i (x - a_i)^2 / 2: minimized by the mean of the a_i
/// struct Mean(Vec<f64>);
/// impl Objective for Mean {
///     fn dim(&self) -> usize { 1 }
///     fn value(&mut self, x: &[f64]) -> f64 {
///         self.0.iter().map(|a| 0.5 * (x[0] - a).powi(2)).sum::<f64>() / self.0.len() as f64
///     }
///     fn gradient(&mut self, x: &[f64], g: &mut [f64]) {
///         g[0] = self.0.iter().map(|a| x[0] - a).sum::<f64>() / self.0.len() as f64;
///     }
/// }
/// impl SumOfTerms for Mean {
///     fn n_terms(&self) -> usize { self.0.len() }
///     fn batch_value_and_gradient(&mut self, x: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
///         let m = batch.len() as f64;
///         g[0] = batch.iter().map(|&i| x[0] - self.0[i]).sum::<f64>() / m;
///         batch.iter().map(|&i| 0.5 * (x[0] - self.0[i]).powi(2)).sum::<f64>() / m
///     }
/// }
/// let mut obj = Mean((0..100).map(|i| i as f64).collect());
/// let r = Sgd::default().learning_rate(0.1).epochs(50).minimize(&mut obj, &[0.0]).unwrap();
/// assert!((r.x[0] - 49.5).abs() < 5.0);
/// assert_eq!(r.iterations, 50);
/// ```
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sgd {
    schedule: Schedule,
    batch_size: usize,
    momentum: f64,
    seed: u64,
    tol: Option<f64>,
    n_iter_no_change: usize,
    stopping: Stopping,
    options: RunOptions,
}

impl Default for Sgd {
    fn default() -> Self {
        Self {
            schedule: Schedule::Constant(0.01),
            batch_size: 32,
            momentum: 0.0,
            seed: 0,
            tol: None,
            n_iter_no_change: 5,
            stopping: Stopping::default().max_iter(100).gradient_tol(None),
            options: RunOptions::default(),
        }
    }
}

impl Sgd {
    /// Sets a constant learning rate.
    #[must_use]
    pub fn learning_rate(mut self, eta: f64) -> Self {
        self.schedule = Schedule::Constant(eta);
        self
    }

    /// Sets the learning-rate schedule.
    #[must_use]
    pub fn schedule(mut self, schedule: Schedule) -> Self {
        self.schedule = schedule;
        self
    }

    /// Sets the number of epochs (the iteration limit).
    #[must_use]
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.stopping.max_iter = epochs;
        self
    }

    /// Sets the batch size.
    #[must_use]
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }

    /// Sets the momentum coefficient in `[0, 1)` (0: plain SGD).
    #[must_use]
    pub fn momentum(mut self, momentum: f64) -> Self {
        self.momentum = momentum;
        self
    }

    /// Sets the seed of the shuffling.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Stops when the epoch loss has not improved by more than `tol` for `n_iter_no_change`
    /// epochs (`None`: run every epoch).
    #[must_use]
    pub fn tol(mut self, tol: impl Into<Option<f64>>, n_iter_no_change: usize) -> Self {
        self.tol = tol.into();
        self.n_iter_no_change = n_iter_no_change;
        self
    }

    /// Sets (or disables) the test `max |g| <= tol` on the full gradient after each epoch.
    #[must_use]
    pub fn gradient_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
        self.stopping.gradient_tol = tol.into();
        self
    }

    /// Keeps one history record per epoch in the report.
    #[must_use]
    pub fn record_history(mut self, on: bool) -> Self {
        self.options.record_history = on;
        self
    }

    /// Calls the observer every `k` epochs.
    #[must_use]
    pub fn observe_every(mut self, k: usize) -> Self {
        self.options.observe_every = k.max(1);
        self
    }

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for a rate that
    /// is not finite and positive, a batch size of 0, momentum outside `[0, 1)`, a negative
    /// `tol` or `n_iter_no_change = 0`.
    pub fn check(&self) -> Result<()> {
        self.schedule.check()?;
        check_range(
            "batch_size",
            self.batch_size as f64,
            1.0,
            f64::MAX,
            false,
            ">= 1",
        )?;
        check_range(
            "momentum",
            self.momentum,
            0.0,
            1.0 - f64::EPSILON,
            false,
            "in [0, 1)",
        )?;
        if let Some(t) = self.tol {
            check_range("tol", t, 0.0, f64::MAX, false, "finite and >= 0")?;
            check_range(
                "n_iter_no_change",
                self.n_iter_no_change as f64,
                1.0,
                f64::MAX,
                false,
                ">= 1",
            )?;
        }
        self.stopping.check()
    }

    entry_points!(SumOfTerms, "epochs");
}

/// The state of an SGD run.
#[derive(Clone, Debug)]
pub struct SgdState {
    rng: ChaCha8Rng,
    /// The order of the terms in the current epoch.
    order: Vec<usize>,
    velocity: Vec<f64>,
    /// The full gradient at the current iterate, and a batch gradient.
    g: Vec<f64>,
    gb: Vec<f64>,
    /// Updates made so far (the `t` of the schedules).
    updates: usize,
    /// The lowest epoch loss so far, and the epochs since it last improved by `tol`.
    best: f64,
    no_improvement: usize,
}

impl<O: SumOfTerms + ?Sized> Solver<O> for Sgd {
    type State = SgdState;

    /// A stochastic run fluctuates, but not to twice its distance above the start: an epoch
    /// whose objective exceeds the start by more than the start's magnitude is divergence.
    fn above_start_margin(&self, start: f64) -> Option<f64> {
        Some(start.abs().max(f64::MIN_POSITIVE))
    }

    fn init(&self, obj: &mut O, x: &mut [f64]) -> Result<(SgdState, Start)> {
        let n = x.len();
        let (g, start) = smooth_start(obj, x)?;
        let state = SgdState {
            rng: ChaCha8Rng::seed_from_u64(self.seed),
            order: (0..obj.n_terms()).collect(),
            velocity: vec![0.0; n],
            g,
            gb: vec![0.0; n],
            updates: 0,
            best: start.value,
            no_improvement: 0,
        };
        Ok((state, start))
    }

    /// One epoch.
    fn step(&self, obj: &mut O, st: &mut SgdState, it: &mut Iteration<'_>) -> Step {
        let epoch = it.completed();
        it.next.copy_from_slice(it.x);
        st.order.shuffle(&mut st.rng);
        let eta_epoch = self.schedule.rate(epoch, st.updates);
        for batch in st.order.chunks(self.batch_size) {
            let eta = self.schedule.rate(epoch, st.updates);
            let fb = obj.batch_value_and_gradient(it.next, batch, &mut st.gb);
            it.evaluations.gradient += 1;
            if !fb.is_finite() || first_non_finite(&st.gb).is_some() {
                return Step::Diverged(Divergence::NonFinite);
            }
            for ((v, xi), gi) in st.velocity.iter_mut().zip(it.next.iter_mut()).zip(&st.gb) {
                *v = self.momentum * *v - eta * gi;
                *xi += *v;
            }
            st.updates += 1;
        }
        let f = obj.value_and_gradient(it.next, &mut st.g);
        it.evaluations.value += 1;
        it.evaluations.gradient += 1;
        let converged = self.tol.and_then(|tol| {
            st.no_improvement = if f > st.best - tol {
                st.no_improvement + 1
            } else {
                0
            };
            st.best = st.best.min(f);
            (st.no_improvement >= self.n_iter_no_change).then_some(Criterion::ValueChange)
        });
        Step::Moved(Move {
            converged,
            ..Move::new(f, grad_norm(&st.g), eta_epoch)
        })
    }
}
