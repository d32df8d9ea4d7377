//! A trained network: predictions, scores, weights and the training record.

use linalg_core::{Mat, MatRef, softmax_in_place};
use optim::Report;
use serde::{Deserialize, Serialize};

use crate::data::{OVERFLOW, check_prediction_input, check_target};
use crate::error::{ModelError, Result};
use crate::labels::class_indices;
use crate::loss::cross_entropy;
use crate::mlp::activation::Activation;
use crate::mlp::architecture::Architecture;
use crate::mlp::network::{BLOCK_ROWS, Network, Workspace};
use crate::persist::{check_finite_field, check_len};

/// A trained one-hidden-layer network (made by [`Mlp::fit`](crate::mlp::Mlp::fit)).
///
/// Holds the parameter vector (layout of [`Architecture`]) and the SGD [`Report`] with one
/// history record per epoch. Serializable; a saved model predicts bit for bit as the
/// original.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::mlp::Mlp;
/// let x = mat![[-2.0, 0.0], [-1.5, 0.5], [1.5, 0.0], [2.0, -0.5], [0.0, 2.0], [0.5, 1.5]];
/// let y = [0.0, 0.0, 1.0, 1.0, 2.0, 2.0];
/// let fit = Mlp::new().hidden(8).learning_rate(0.1).batch_size(2).epochs(200).fit(x.as_ref(), &y).unwrap();
/// assert_eq!(fit.n_classes(), 3);
/// assert_eq!(fit.predict(x.as_ref()).unwrap(), y.to_vec());
/// let proba = fit.predict_proba(x.as_ref()).unwrap();
/// assert!((proba[(0, 0)] + proba[(0, 1)] + proba[(0, 2)] - 1.0).abs() < 1e-12);
/// assert!(fit.log_loss(x.as_ref(), &y).unwrap() < 0.2);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FittedMlp {
    architecture: Architecture,
    activation: Activation,
    l2: f64,
    parameters: Vec<f64>,
    report: Report,
}

impl FittedMlp {
    /// The model whose parameters are the report's final iterate.
    pub(crate) fn from_report(
        architecture: Architecture,
        activation: Activation,
        l2: f64,
        report: Report,
    ) -> Self {
        Self {
            architecture,
            activation,
            l2,
            parameters: report.x.clone(),
            report,
        }
    }

    /// Checks a deserialized model: a valid shape, as many finite parameters as it needs, a
    /// valid penalty.
    pub(crate) fn validate(&self) -> Result<()> {
        let a = self.architecture;
        Architecture::new(a.n_features(), a.hidden(), a.n_classes())
            .map_err(|e| ModelError::Persistence(format!("corrupt model: {e}")))?;
        check_len(
            "parameters",
            self.parameters.len(),
            a.dim(),
            "(p + K + 1) h + K for p features, h hidden units and K classes",
        )?;
        check_finite_field("parameters", &self.parameters)?;
        check_finite_field("l2", &[self.l2])
    }

    /// The network's shape `p -> h -> K`.
    ///
    /// # Examples
    /// ```
    /// # let x = linmod_models::mat![[0.0], [1.0]];
    /// let fit = linmod_models::mlp::Mlp::new().hidden(4).epochs(1).fit(x.as_ref(), &[0.0, 1.0]).unwrap();
    /// assert_eq!(fit.architecture().hidden(), 4);
    /// ```
    #[must_use]
    pub fn architecture(&self) -> Architecture {
        self.architecture
    }

    /// Number of features `p`.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.architecture.n_features()
    }

    /// Number of hidden units `h`.
    #[must_use]
    pub fn hidden(&self) -> usize {
        self.architecture.hidden()
    }

    /// Number of classes `K`.
    #[must_use]
    pub fn n_classes(&self) -> usize {
        self.architecture.n_classes()
    }

    /// The hidden layer's activation.
    #[must_use]
    pub fn activation(&self) -> Activation {
        self.activation
    }

    /// The L2 strength the network was trained with.
    #[must_use]
    pub fn l2(&self) -> f64 {
        self.l2
    }

    /// All parameters, `[W1, b1, W2, b2]` in the layout of [`Architecture`].
    #[must_use]
    pub fn parameters(&self) -> &[f64] {
        &self.parameters
    }

    /// Input weights `W1` (`p x h`): column `u` feeds hidden unit `u`.
    ///
    /// # Examples
    /// ```
    /// # let x = linmod_models::mat![[0.0, 1.0], [1.0, 0.0]];
    /// let fit = linmod_models::mlp::Mlp::new().hidden(3).epochs(1).fit(x.as_ref(), &[0.0, 1.0]).unwrap();
    /// assert_eq!((fit.w1().nrows(), fit.w1().ncols()), (2, 3));
    /// assert_eq!(fit.w1()[(1, 2)], fit.parameters()[2 * 2 + 1]);
    /// assert_eq!((fit.b1().len(), fit.w2().nrows(), fit.w2().ncols(), fit.b2().len()), (3, 3, 2, 2));
    /// ```
    #[must_use]
    pub fn w1(&self) -> MatRef<'_, f64> {
        let a = self.architecture;
        MatRef::from_column_major_slice(&self.parameters[a.w1_range()], a.n_features(), a.hidden())
    }

    /// Hidden biases `b1` (`h`).
    #[must_use]
    pub fn b1(&self) -> &[f64] {
        &self.parameters[self.architecture.b1_range()]
    }

    /// Output weights `W2` (`h x K`): column `c` scores class `c`.
    #[must_use]
    pub fn w2(&self) -> MatRef<'_, f64> {
        let a = self.architecture;
        MatRef::from_column_major_slice(&self.parameters[a.w2_range()], a.hidden(), a.n_classes())
    }

    /// Output biases `b2` (`K`).
    #[must_use]
    pub fn b2(&self) -> &[f64] {
        &self.parameters[self.architecture.b2_range()]
    }

    /// The SGD report: termination, final objective, evaluations, time, and one history record
    /// per epoch (epoch 0 = the initial weights).
    #[must_use]
    pub fn report(&self) -> &Report {
        &self.report
    }

    /// The training objective (mean cross-entropy plus the L2 term) on the whole training set
    /// after each epoch, starting with the initial weights at index 0.
    ///
    /// # Examples
    /// ```
    /// # let x = linmod_models::mat![[0.0], [1.0], [2.0], [3.0]];
    /// let fit = linmod_models::mlp::Mlp::new().epochs(10).fit(x.as_ref(), &[0.0, 0.0, 1.0, 1.0]).unwrap();
    /// let losses = fit.loss_history();
    /// assert_eq!(losses.len(), 11);
    /// assert_eq!(losses[10], fit.report().value);
    /// ```
    #[must_use]
    pub fn loss_history(&self) -> Vec<f64> {
        self.report.history.iter().map(|r| r.value).collect()
    }

    /// True only when a convergence test held. Plain SGD has none (it runs all its epochs and
    /// ends with [`Termination::MaxIterations`](optim::Termination::MaxIterations)), so this
    /// is `false` for every fit made by [`Mlp`](crate::mlp::Mlp): look at
    /// [`loss_history`](Self::loss_history) and [`report`](Self::report) instead.
    #[must_use]
    pub fn converged(&self) -> bool {
        self.report.converged()
    }

    /// Runs the network on `x` by row blocks, handing every row's logits to `f` in row order.
    fn for_each_logits(
        &self,
        x: MatRef<'_, f64>,
        mut f: impl FnMut(usize, &mut [f64]),
    ) -> Result<()> {
        check_prediction_input(x, self.n_features())?;
        let net = Network::new(self.architecture, self.activation, &self.parameters);
        let (n, k) = (x.nrows(), self.n_classes());
        let mut work = Workspace::default();
        for start in (0..n).step_by(BLOCK_ROWS) {
            let m = BLOCK_ROWS.min(n - start);
            work.forward(&net, x.subrows(start, m));
            for (r, z) in work.logits_mut(m, k).chunks_exact_mut(k).enumerate() {
                if let Some(&value) = z.iter().find(|v| v.is_nan()) {
                    return Err(ModelError::NonFinite {
                        what: OVERFLOW,
                        index: start + r,
                        value,
                    });
                }
                f(start + r, z);
            }
        }
        Ok(())
    }

    /// The logits `z_i = W2^T g(W1^T x_i + b1) + b2`, `n x K`.
    ///
    /// # Errors
    /// [`ModelError::FeatureMismatch`] or [`ModelError::NonFiniteFeature`] for `x`;
    /// [`ModelError::NonFinite`] when a logit overflows to NaN.
    ///
    /// # Examples
    /// ```
    /// # let x = linmod_models::mat![[0.0], [1.0]];
    /// let fit = linmod_models::mlp::Mlp::new().epochs(1).fit(x.as_ref(), &[0.0, 1.0]).unwrap();
    /// let z = fit.decision_function(x.as_ref()).unwrap();
    /// assert_eq!((z.nrows(), z.ncols()), (2, 2));
    /// ```
    pub fn decision_function(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        let mut out = Mat::zeros(x.nrows(), self.n_classes());
        self.for_each_logits(x, |i, z| {
            z.iter().enumerate().for_each(|(c, &v)| out[(i, c)] = v);
        })?;
        Ok(out)
    }

    /// Class probabilities `softmax(z_i)`, `n x K`, rows summing to 1.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict_proba(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        let mut out = Mat::zeros(x.nrows(), self.n_classes());
        self.for_each_logits(x, |i, z| {
            softmax_in_place(z);
            z.iter().enumerate().for_each(|(c, &v)| out[(i, c)] = v);
        })?;
        Ok(out)
    }

    /// The most probable class of each row (the first on ties), as `f64` labels.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function).
    pub fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>> {
        let mut labels = vec![0.0; x.nrows()];
        self.for_each_logits(x, |i, z| {
            let best = (1..z.len()).fold(0, |best, c| if z[c] > z[best] { c } else { best });
            labels[i] = best as f64;
        })?;
        Ok(labels)
    }

    /// Accuracy on `(x, y)`.
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), and a `y` of the wrong length or
    /// with non-finite values.
    pub fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        crate::metrics::accuracy(y, &self.predict(x)?)
    }

    /// Mean cross-entropy `1/n sum_i [logsumexp(z_i) - z_{i,y_i}]` on `(x, y)`, without the
    /// penalty (computed from the logits: exact for any magnitude).
    ///
    /// # Errors
    /// As [`decision_function`](Self::decision_function), a `y` of the wrong length or empty,
    /// and [`ModelError::InvalidLabel`] for labels that are not whole numbers `0..K-1`.
    pub fn log_loss(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        check_target(y, x.nrows())?;
        if y.is_empty() {
            return Err(ModelError::Empty { what: "y" });
        }
        let labels = class_indices(y, self.n_classes())?;
        let mut total = 0.0;
        self.for_each_logits(x, |i, z| total += cross_entropy(z, labels[i]))?;
        Ok(total / y.len() as f64)
    }
}

impl crate::estimator::Fitted for FittedMlp {
    fn n_features(&self) -> usize {
        FittedMlp::n_features(self)
    }

    fn fit_report(&self) -> crate::estimator::FitReport {
        crate::estimator::FitReport::from_run("sgd", self.report(), "gradient infinity norm")
    }

    fn converged(&self) -> bool {
        FittedMlp::converged(self)
    }
}

impl crate::estimator::Classifier for FittedMlp {
    fn n_classes(&self) -> usize {
        FittedMlp::n_classes(self)
    }

    fn decision_function(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        FittedMlp::decision_function(self, x)
    }

    fn predict_proba(&self, x: MatRef<'_, f64>) -> Result<Mat<f64>> {
        FittedMlp::predict_proba(self, x)
    }

    fn predict(&self, x: MatRef<'_, f64>) -> Result<Vec<f64>> {
        FittedMlp::predict(self, x)
    }

    fn log_loss(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        FittedMlp::log_loss(self, x, y)
    }

    fn score(&self, x: MatRef<'_, f64>, y: &[f64]) -> Result<f64> {
        FittedMlp::score(self, x, y)
    }
}
