//! The settings every estimator shares: tolerances, limits, learning rates, minibatches,
//! seeds, history and parallelism, with one set of builder setters.

use linalg_core::Parallelism;
use optim::{Schedule, Stopping};

/// Iterative-solver settings shared by the estimators. `None` means the estimator's default
/// (each estimator's documentation lists its defaults and what its tolerance measures; the
/// fitted model's report names the test that stopped the run).
///
/// Iterations and epochs are distinct: `max_iter` limits the iterations of Newton, L-BFGS,
/// gradient descent, FISTA and the sweeps of coordinate descent; `epochs` the passes of
/// minibatch SGD over the data.
///
/// # Examples
/// ```
/// use linmod_models::FitSettings;
/// use linmod_models::logistic::LogisticRegression;
/// let model = LogisticRegression::new().tol(1e-10).max_iter(50).epochs(20);
/// let s: &FitSettings = model.settings();
/// assert_eq!((s.tol, s.max_iter, s.epochs), (Some(1e-10), Some(50), Some(20)));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FitSettings {
    /// Convergence tolerance (the estimator says what it measures).
    pub tol: Option<f64>,
    /// Iteration limit of the iterative solvers (sweeps for coordinate descent).
    pub max_iter: Option<usize>,
    /// Epochs of minibatch SGD.
    pub epochs: Option<usize>,
    /// Every stopping rule at once, for logistic models (the course's IRLS rule
    /// `Stopping::default().gradient_tol(None).param_tol(1e-8)`); overrides `tol` and
    /// `max_iter`.
    pub stopping: Option<Stopping>,
    /// Learning rate of gradient descent and constant-rate SGD.
    pub learning_rate: Option<f64>,
    /// Learning-rate schedule of SGD (overrides `learning_rate`).
    pub schedule: Option<Schedule>,
    /// SGD batch size (default 32).
    pub batch_size: Option<usize>,
    /// SGD momentum (default 0).
    pub momentum: Option<f64>,
    /// Seed of SGD's shuffling (default 0).
    pub seed: u64,
    /// Keep the per-iteration history (the loss curve) in the report.
    pub record_history: bool,
    /// How passes over `X` run (default rayon; results do not depend on it).
    pub parallelism: Parallelism,
}

impl FitSettings {
    /// The SGD batch size (default 32).
    #[must_use]
    pub fn batch_size_or_default(&self) -> usize {
        self.batch_size.unwrap_or(32)
    }

    /// The SGD momentum (default 0).
    #[must_use]
    pub fn momentum_or_default(&self) -> f64 {
        self.momentum.unwrap_or(0.0)
    }
}

/// The builder setters of [`FitSettings`] on an estimator with a `settings: FitSettings` field.
macro_rules! settings_setters {
    () => {
        /// The shared solver settings.
        #[must_use]
        pub fn settings(&self) -> &$crate::FitSettings {
            &self.settings
        }

        /// Replaces all shared solver settings.
        #[must_use]
        pub fn with_settings(mut self, settings: $crate::FitSettings) -> Self {
            self.settings = settings;
            self
        }

        /// Sets the convergence tolerance (see the estimator's documentation for what it
        /// measures; validated by `fit`).
        #[must_use]
        pub fn tol(mut self, tol: f64) -> Self {
            self.settings.tol = Some(tol);
            self
        }

        /// Sets the iteration limit of the iterative solvers (sweeps for coordinate descent;
        /// SGD counts [`epochs`](Self::epochs) instead).
        #[must_use]
        pub fn max_iter(mut self, max_iter: usize) -> Self {
            self.settings.max_iter = Some(max_iter);
            self
        }

        /// Sets the number of SGD epochs.
        #[must_use]
        pub fn epochs(mut self, epochs: usize) -> Self {
            self.settings.epochs = Some(epochs);
            self
        }

        /// Sets the learning rate of gradient descent and constant-rate SGD.
        #[must_use]
        pub fn learning_rate(mut self, eta: f64) -> Self {
            self.settings.learning_rate = Some(eta);
            self
        }

        /// Sets a learning-rate schedule for SGD (overrides
        /// [`learning_rate`](Self::learning_rate)).
        #[must_use]
        pub fn sgd_schedule(mut self, schedule: optim::Schedule) -> Self {
            self.settings.schedule = Some(schedule);
            self
        }

        /// Sets the SGD batch size (default 32).
        #[must_use]
        pub fn batch_size(mut self, batch_size: usize) -> Self {
            self.settings.batch_size = Some(batch_size);
            self
        }

        /// Sets the SGD momentum (default 0).
        #[must_use]
        pub fn momentum(mut self, momentum: f64) -> Self {
            self.settings.momentum = Some(momentum);
            self
        }

        /// Sets the seed of SGD's shuffling (default 0).
        #[must_use]
        pub fn seed(mut self, seed: u64) -> Self {
            self.settings.seed = seed;
            self
        }

        /// Keeps the per-iteration history (the loss curve) in the report (default off).
        #[must_use]
        pub fn record_history(mut self, on: bool) -> Self {
            self.settings.record_history = on;
            self
        }

        /// Sets how passes over `X` run (default rayon; results do not depend on it).
        #[must_use]
        pub fn parallelism(mut self, par: linalg_core::Parallelism) -> Self {
            self.settings.parallelism = par;
            self
        }
    };
}

pub(crate) use settings_setters;
