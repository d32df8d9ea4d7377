//! The network's training loss as an `optim` objective: full-data passes by row blocks and
//! minibatch estimates for SGD.

use linalg_core::MatRef;
use optim::{Objective, SumOfTerms};

use crate::data::{check_design, check_target};
use crate::error::{ModelError, Result};
use crate::labels::class_indices;
use crate::mlp::activation::Activation;
use crate::mlp::architecture::Architecture;
use crate::mlp::network::{BLOCK_ROWS, Network, Workspace};
use crate::penalty::Penalty;

/// The mean cross-entropy of a one-hidden-layer network plus an L2 penalty on its weights:
///
/// `f(theta) = 1/n sum_i [logsumexp_c(z_ic) - z_{i,y_i}] + l2 (|W1|_F^2 + |W2|_F^2)`,
///
/// with `z_i = W2^T g(W1^T x_i + b1) + b2` and `g` the [`Activation`]; the biases are not
/// penalized. `theta` is laid out as described in [`Architecture`]. The gradient is computed
/// by backpropagation in matrix form on blocks of rows (`docs/math.md` has the derivation),
/// and the cross-entropy from the logits (`logsumexp(z) - z_y`), never from a logarithm of a
/// probability.
///
/// As a [`SumOfTerms`] with one term per row, a batch `B` gives
/// `1/|B| sum_{i in B} [logsumexp(z_i) - z_{i,y_i}] + l2 (|W1|^2 + |W2|^2)` (the penalty in
/// every batch, so that the expected batch objective is `f`): the batch rows are gathered into
/// a buffer kept in the objective and go through the same matrix code. Every product runs
/// sequentially in a fixed order, so equal inputs give equal bits.
///
/// # Panics
/// The `optim` methods panic when `theta` (or the gradient buffer) does not have
/// [`dim`](Objective::dim) entries, or a batch index is not below
/// [`n_terms`](SumOfTerms::n_terms): the solvers never pass such arguments.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::mlp::{Activation, Architecture, Init, MlpObjective};
/// use optim::{Objective, SumOfTerms, check_objective_gradient};
/// let x = mat![[0.5, 1.0], [-1.0, 2.0], [1.5, -0.5], [0.0, 0.3]];
/// let y = [0.0, 1.0, 2.0, 1.0];
/// let arch = Architecture::new(2, 4, 3).unwrap();
/// let mut f = MlpObjective::new(x.as_ref(), &y, arch, Activation::Tanh, 0.01).unwrap();
/// assert_eq!(f.dim(), 2 * 4 + 4 + 4 * 3 + 3);
/// // all weights zero: every class has probability 1/3
/// assert!((f.value(&vec![0.0; f.dim()]) - 3f64.ln()).abs() < 1e-15);
/// let theta = arch.initial_parameters(Init::Glorot, 1);
/// assert!(check_objective_gradient(&mut f, &theta) < 1e-7);
/// let mut g = vec![0.0; f.dim()];
/// let batch_loss = f.batch_value_and_gradient(&theta, &[3, 0], &mut g);
/// assert!(batch_loss.is_finite());
/// ```
#[derive(Clone, Debug)]
pub struct MlpObjective<'a> {
    x: MatRef<'a, f64>,
    y: Vec<usize>,
    arch: Architecture,
    activation: Activation,
    l2: f64,
    work: Workspace,
    /// The rows of the current batch, `|B| x p` column-major.
    batch_x: Vec<f64>,
    batch_y: Vec<usize>,
}

impl<'a> MlpObjective<'a> {
    /// The objective on features `x` (`n x p`) and labels `y` in `0..K`, for the network
    /// `arch` (`p` inputs, `K` classes) with hidden activation `activation` and L2 strength
    /// `l2`. Classes may be absent from `y`.
    ///
    /// # Errors
    /// [`ModelError::Empty`] or [`ModelError::NonFiniteFeature`] for `x`,
    /// [`ModelError::LengthMismatch`] or [`ModelError::NonFinite`] for `y`,
    /// [`ModelError::FeatureMismatch`] when `x` does not have `arch.n_features()` columns,
    /// [`ModelError::InvalidLabel`] for a label that is not a whole number in `0..K`,
    /// [`ModelError::InvalidParameter`] for a negative or non-finite `l2`.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::ModelError;
    /// use linmod_models::mlp::{Activation, Architecture, MlpObjective};
    /// let x = mat![[0.5, 1.0], [-1.0, 2.0]];
    /// let arch = Architecture::new(2, 3, 2).unwrap();
    /// let err = MlpObjective::new(x.as_ref(), &[0.0, 2.0], arch, Activation::Relu, 0.0).unwrap_err();
    /// assert!(matches!(err, ModelError::InvalidLabel { row: 1, .. }));
    /// ```
    pub fn new(
        x: MatRef<'a, f64>,
        y: &[f64],
        arch: Architecture,
        activation: Activation,
        l2: f64,
    ) -> Result<Self> {
        check_design(x)?;
        check_target(y, x.nrows())?;
        if x.ncols() != arch.n_features() {
            return Err(ModelError::FeatureMismatch {
                expected: arch.n_features(),
                found: x.ncols(),
            });
        }
        Penalty::l2(l2)?;
        let labels = class_indices(y, arch.n_classes())?;
        Ok(Self::from_checked(x, labels, arch, activation, l2))
    }

    /// The objective on data that has been checked: `x` non-empty and finite with
    /// `arch.n_features()` columns, one label below `arch.n_classes()` per row, `l2 >= 0`.
    pub(crate) fn from_checked(
        x: MatRef<'a, f64>,
        y: Vec<usize>,
        arch: Architecture,
        activation: Activation,
        l2: f64,
    ) -> Self {
        Self {
            x,
            y,
            arch,
            activation,
            l2,
            work: Workspace::default(),
            batch_x: Vec::new(),
            batch_y: Vec::new(),
        }
    }

    /// The network's shape.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::mlp::{Activation, Architecture, MlpObjective};
    /// let x = mat![[0.5], [-1.0]];
    /// let arch = Architecture::new(1, 2, 2).unwrap();
    /// let f = MlpObjective::new(x.as_ref(), &[0.0, 1.0], arch, Activation::Relu, 0.0).unwrap();
    /// assert_eq!(f.architecture(), arch);
    /// ```
    #[must_use]
    pub fn architecture(&self) -> Architecture {
        self.arch
    }

    /// `l2 (|W1|^2 + |W2|^2)`, adding its gradient `2 l2 W` into `grad` when given.
    fn penalty(&self, theta: &[f64], mut grad: Option<&mut [f64]>) -> f64 {
        // skipped without a penalty: SGD calls this for every batch
        if self.l2 == 0.0 {
            return 0.0;
        }
        let mut squares = 0.0;
        for range in [self.arch.w1_range(), self.arch.w2_range()] {
            let w = &theta[range.clone()];
            squares += w.iter().map(|v| v * v).sum::<f64>();
            if let Some(g) = grad.as_deref_mut() {
                g[range]
                    .iter_mut()
                    .zip(w)
                    .for_each(|(gi, wi)| *gi += 2.0 * self.l2 * wi);
            }
        }
        self.l2 * squares
    }

    /// The full objective, and its gradient into `grad` when given: one pass over `X` by
    /// blocks of [`BLOCK_ROWS`] rows, each viewed in place (no copy).
    fn full_pass(&mut self, theta: &[f64], mut grad: Option<&mut [f64]>) -> f64 {
        let net = Network::new(self.arch, self.activation, theta);
        let n = self.x.nrows();
        let scale = 1.0 / n as f64;
        if let Some(g) = grad.as_deref_mut() {
            g.fill(0.0);
        }
        let mut loss = 0.0;
        for start in (0..n).step_by(BLOCK_ROWS) {
            let m = BLOCK_ROWS.min(n - start);
            loss += self.work.block(
                &net,
                self.x.subrows(start, m),
                &self.y[start..start + m],
                scale,
                grad.as_deref_mut(),
            );
        }
        loss * scale + self.penalty(theta, grad)
    }
}

impl Objective for MlpObjective<'_> {
    fn dim(&self) -> usize {
        self.arch.dim()
    }

    fn value(&mut self, theta: &[f64]) -> f64 {
        self.full_pass(theta, None)
    }

    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) {
        self.full_pass(theta, Some(g));
    }

    fn value_and_gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        self.full_pass(theta, Some(g))
    }
}

impl SumOfTerms for MlpObjective<'_> {
    fn n_terms(&self) -> usize {
        self.x.nrows()
    }

    fn batch_value_and_gradient(&mut self, theta: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        let (m, p) = (batch.len(), self.arch.n_features());
        g.fill(0.0);
        let mut loss = 0.0;
        if m > 0 {
            if self.batch_x.len() < m * p {
                self.batch_x.resize(m * p, 0.0);
            }
            if self.batch_y.len() < m {
                self.batch_y.resize(m, 0);
            }
            for (j, col) in self.batch_x[..m * p].chunks_exact_mut(m).enumerate() {
                let xj = self.x.col(j);
                col.iter_mut().zip(batch).for_each(|(v, &i)| *v = xj[i]);
            }
            for (label, &i) in self.batch_y.iter_mut().zip(batch) {
                *label = self.y[i];
            }
            let net = Network::new(self.arch, self.activation, theta);
            let xb = MatRef::from_column_major_slice(&self.batch_x[..m * p], m, p);
            let scale = 1.0 / m as f64;
            loss = scale
                * self
                    .work
                    .block(&net, xb, &self.batch_y[..m], scale, Some(&mut *g));
        }
        loss + self.penalty(theta, Some(g))
    }
}
