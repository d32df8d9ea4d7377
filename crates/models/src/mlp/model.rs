//! The network's configuration and its training by minibatch SGD.

use linalg_core::MatRef;
use optim::{Observer, Sgd};

use crate::data::{check_design, check_target};
use crate::error::Result;
use crate::labels::training_classes;
use crate::mlp::activation::{Activation, Init};
use crate::mlp::architecture::Architecture;
use crate::mlp::fitted::FittedMlp;
use crate::mlp::objective::MlpObjective;
use crate::penalty::Penalty;

/// A classifier with one hidden layer, `p -> h -> K`, trained by minibatch SGD:
///
/// `P(y = c | x) = softmax_c(W2^T g(W1^T x + b1) + b2)`,
///
/// minimizing the mean cross-entropy plus `l2 (|W1|^2 + |W2|^2)` ([`MlpObjective`]) with
/// `optim`'s [`Sgd`]. Labels are `0, 1, ..., K-1` as `f64`, every class present, `K >= 2`.
///
/// Defaults (the ten-digit exercise): 32 hidden units, ReLU, He initialization (Glorot for
/// tanh), no penalty, learning rate 0.01, batches of 32, 100 epochs, no momentum, seed 0.
/// Standardize the features first (fit the scaler on the training rows only): SGD with one
/// learning rate for every weight needs features of comparable scale.
///
/// One seed fixes the whole fit: the initialization draws from stream 1 of ChaCha8 seeded
/// with it and the SGD shuffles with stream 0, so the same seed gives the same weights bit
/// for bit. Setters never fail; [`check`](Self::check) (called by `fit`) validates.
///
/// # Examples
/// XOR, which no linear model separates:
/// ```
/// use linmod_models::Mat;
/// use linmod_models::mlp::{Activation, Mlp};
/// let corners = [(0.0, 0.0, 0.0), (0.0, 1.0, 1.0), (1.0, 0.0, 1.0), (1.0, 1.0, 0.0)];
/// let x = Mat::from_fn(40, 2, |i, j| {
///     let (a, b, _) = corners[i % 4];
///     let jitter = 0.05 * ((i * 7 + j * 3) % 5) as f64 - 0.1;
///     if j == 0 { a + jitter } else { b - jitter }
/// });
/// let y: Vec<f64> = (0..40).map(|i| corners[i % 4].2).collect();
/// let fit = Mlp::new()
///     .hidden(8)
///     .activation(Activation::Tanh)
///     .learning_rate(0.1)
///     .batch_size(8)
///     .epochs(400)
///     .seed(1)
///     .fit(x.as_ref(), &y)
///     .unwrap();
/// assert_eq!(fit.score(x.as_ref(), &y).unwrap(), 1.0);
/// let losses = fit.loss_history();
/// assert_eq!(losses.len(), 401); // epoch 0 is the initial loss
/// assert!(losses[400] < 0.2 * losses[0]);
/// assert!(!fit.converged()); // plain SGD runs all its epochs: no convergence test held
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct Mlp {
    hidden: usize,
    activation: Activation,
    init: Option<Init>,
    l2: f64,
    seed: u64,
    /// Learning rate, batch size, epochs, momentum and the shuffling seed (= `seed`).
    sgd: Sgd,
}

impl Default for Mlp {
    fn default() -> Self {
        Self {
            hidden: 32,
            activation: Activation::Relu,
            init: None,
            l2: 0.0,
            seed: 0,
            // optim's defaults are the exercise's: rate 0.01, batches of 32, 100 epochs
            sgd: Sgd::default().record_history(true),
        }
    }
}

impl Mlp {
    /// The default configuration (see the type's documentation).
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mlp::Mlp;
    /// assert_eq!(Mlp::new(), Mlp::default());
    /// ```
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of hidden units (default 32; at least 1).
    #[must_use]
    pub fn hidden(mut self, hidden: usize) -> Self {
        self.hidden = hidden;
        self
    }

    /// Activation of the hidden layer (default ReLU).
    #[must_use]
    pub fn activation(mut self, activation: Activation) -> Self {
        self.activation = activation;
        self
    }

    /// Weight initialization (default: [`Activation::default_init`] of the activation).
    #[must_use]
    pub fn init(mut self, init: Init) -> Self {
        self.init = Some(init);
        self
    }

    /// Strength of the penalty `l2 (|W1|^2 + |W2|^2)` (default 0; finite and `>= 0`).
    #[must_use]
    pub fn l2(mut self, l2: f64) -> Self {
        self.l2 = l2;
        self
    }

    /// Constant learning rate of SGD (default 0.01; finite and `> 0`).
    #[must_use]
    pub fn learning_rate(mut self, learning_rate: f64) -> Self {
        self.sgd = self.sgd.learning_rate(learning_rate);
        self
    }

    /// Rows per SGD batch (default 32; at least 1).
    #[must_use]
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.sgd = self.sgd.batch_size(batch_size);
        self
    }

    /// Number of epochs (default 100).
    #[must_use]
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.sgd = self.sgd.epochs(epochs);
        self
    }

    /// Momentum coefficient of SGD (default 0: plain SGD; in `[0, 1)`).
    #[must_use]
    pub fn momentum(mut self, momentum: f64) -> Self {
        self.sgd = self.sgd.momentum(momentum);
        self
    }

    /// Seed of the initialization and of the shuffling (default 0).
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self.sgd = self.sgd.seed(seed);
        self
    }

    /// The initialization in effect: the one set, or the activation's default.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mlp::{Activation, Init, Mlp};
    /// assert_eq!(Mlp::new().activation(Activation::Tanh).effective_init(), Init::Glorot);
    /// assert_eq!(Mlp::new().init(Init::Glorot).effective_init(), Init::Glorot);
    /// ```
    #[must_use]
    pub fn effective_init(&self) -> Init {
        self.init.unwrap_or(self.activation.default_init())
    }

    /// The SGD solver this configuration trains with (per-epoch history on), for running
    /// [`MlpObjective`] by hand.
    ///
    /// # Errors
    /// As [`check`](Self::check).
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mlp::Mlp;
    /// use optim::Sgd;
    /// let sgd = Mlp::new().epochs(5).solver().unwrap();
    /// assert_eq!(sgd, Sgd::default().epochs(5).record_history(true));
    /// ```
    pub fn solver(&self) -> Result<Sgd> {
        self.check()?;
        Ok(self.sgd)
    }

    /// Validates the configuration.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`](crate::ModelError::InvalidParameter) for `hidden = 0`
    /// or a negative or non-finite `l2`; [`ModelError::Optim`](crate::ModelError::Optim) for a
    /// learning rate that is not finite and positive, a batch size of 0 or a momentum outside
    /// `[0, 1)`.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mlp::Mlp;
    /// assert!(Mlp::new().check().is_ok());
    /// assert!(Mlp::new().hidden(0).check().is_err());
    /// assert!(Mlp::new().learning_rate(-1.0).check().is_err());
    /// assert!(Mlp::new().momentum(1.0).check().is_err());
    /// ```
    pub fn check(&self) -> Result<()> {
        // any valid feature and class counts: only `hidden` is checked here
        Architecture::new(1, self.hidden, 2)?;
        Penalty::l2(self.l2)?;
        self.sgd.check()?;
        Ok(())
    }

    /// Trains the network on features `x` (`n x p`) and labels `y`.
    ///
    /// A learning rate so large that the loss overflows is not an error: training stops with
    /// [`Termination::Diverged`](optim::Termination::Diverged) in
    /// [`FittedMlp::report`] and the weights of the last finite iterate. Divergence is
    /// detected only as overflow: with tanh, whose activations saturate, a too-large rate
    /// makes the loss grow roughly linearly and stay finite, so the run ends at its epoch
    /// limit with a loss far above the initial one; compare the ends of
    /// [`FittedMlp::loss_history`].
    ///
    /// # Errors
    /// An invalid configuration (as [`check`](Self::check)); [`ModelError::Empty`],
    /// [`ModelError::NonFiniteFeature`], [`ModelError::LengthMismatch`],
    /// [`ModelError::NonFinite`] for bad data; [`ModelError::InvalidLabel`] unless the labels
    /// are whole numbers, [`ModelError::MissingClass`] unless every class `0..K-1` occurs,
    /// [`ModelError::SingleClass`]; [`ModelError::OutOfMemory`] when the network's buffers
    /// cannot be allocated; [`ModelError::Optim`] when the loss is not finite at the initial
    /// weights.
    ///
    /// [`ModelError::Empty`]: crate::ModelError::Empty
    /// [`ModelError::NonFiniteFeature`]: crate::ModelError::NonFiniteFeature
    /// [`ModelError::LengthMismatch`]: crate::ModelError::LengthMismatch
    /// [`ModelError::NonFinite`]: crate::ModelError::NonFinite
    /// [`ModelError::InvalidLabel`]: crate::ModelError::InvalidLabel
    /// [`ModelError::MissingClass`]: crate::ModelError::MissingClass
    /// [`ModelError::OutOfMemory`]: crate::ModelError::OutOfMemory
    /// [`ModelError::SingleClass`]: crate::ModelError::SingleClass
    /// [`ModelError::Optim`]: crate::ModelError::Optim
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::ModelError;
    /// use linmod_models::mlp::Mlp;
    /// let x = mat![[0.0], [1.0], [2.0]];
    /// let err = Mlp::new().fit(x.as_ref(), &[0.0, 2.0, 2.0]).unwrap_err();
    /// assert!(matches!(err, ModelError::MissingClass { class: 1, .. }));
    /// ```
    pub fn fit(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<FittedMlp> {
        self.fit_with(x, y, None)
    }

    /// As [`fit`](Self::fit), calling `observer` after every epoch (for a progress bar or a
    /// loss printed every few epochs; returning [`Control::Stop`](optim::Control::Stop) ends
    /// training early).
    ///
    /// # Errors
    /// As [`fit`](Self::fit).
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::mlp::Mlp;
    /// use optim::{Control, Progress};
    /// let x = mat![[0.0], [1.0], [2.0], [3.0]];
    /// let mut printed = Vec::new();
    /// let mut every_10 = |p: &Progress<'_>| {
    ///     if p.iteration.is_multiple_of(10) {
    ///         printed.push(format!("epoch {:3}: loss {:.4}", p.iteration, p.value));
    ///     }
    ///     Control::Continue
    /// };
    /// Mlp::new().epochs(30).fit_observed(x.as_ref(), &[0.0, 0.0, 1.0, 1.0], &mut every_10).unwrap();
    /// assert_eq!(printed.len(), 3);
    /// ```
    pub fn fit_observed(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        observer: &mut dyn Observer,
    ) -> Result<FittedMlp> {
        self.fit_with(x, y, Some(observer))
    }

    fn fit_with(
        &self,
        x: MatRef<'_, f64>,
        y: &[f64],
        observer: Option<&mut dyn Observer>,
    ) -> Result<FittedMlp> {
        let sgd = self.solver()?;
        check_design(x)?;
        check_target(y, x.nrows())?;
        let (k, labels) = training_classes(y)?;
        let arch = Architecture::new(x.ncols(), self.hidden, k)?;
        // parameters, gradient, SGD's velocity and its best iterate
        crate::memory::ensure_f64s(
            arch.dim().checked_mul(4),
            "the network's parameters and SGD's buffers (4 ((p + K + 1) h + K) values)",
        )?;
        let mut objective = MlpObjective::from_checked(x, labels, arch, self.activation, self.l2);
        let theta0 = arch.initial_parameters(self.effective_init(), self.seed);
        let report = match observer {
            Some(observer) => sgd.minimize_observed(&mut objective, &theta0, observer)?,
            None => sgd.minimize(&mut objective, &theta0)?,
        };
        Ok(FittedMlp::from_report(
            arch,
            self.activation,
            self.l2,
            report,
        ))
    }
}
