//! One objective for every linear model: a [`MultiLoss`] of the linear predictors of a
//! [`Design`], averaged with sample weights, plus a [`Penalty`] that never touches the
//! intercepts.
//!
//! ```text
//! F(W, b) = 1/n sum_i s_i l(z_i; y_i) + l2 |W|^2  +  l1 |W|_1,   z_i = W^T x_i + b + o_i
//!           \___________ smooth part f ___________/     \_ h _/
//! ```
//!
//! with `k` linear predictors per row (`W` is `p x k`; `k = 1` for binary logistic and least
//! squares, the number of classes for softmax), sample weights `s_i` normalized to sum to `n`
//! and an optional offset `o_i` added to every predictor of row `i`. Parameters are `W`
//! column-major (predictor `c`'s coefficients at `c p .. (c + 1) p`), then the `k` intercepts
//! when they are fitted.
//!
//! The objective is an `optim` objective with every capability the solvers use:
//!
//! | capability | computed by | passes over `X` |
//! |---|---|---|
//! | [`Objective`]: value and gradient | `fused_gradient`: `Z`, `R = s l'(Z)`, `X^T R` | one |
//! | [`SecondOrder`]: Hessian | `weighted_gram` with `d_i = s_i l''(z_i) / n` per predictor pair | one per pair (the last gradient pass records `d` for `k = 1`) |
//! | [`SecondOrder`]: Hessian-vector product | `fused_gradient` on `[W, V]` | one |
//! | [`SumOfTerms`]: minibatch estimates | rows of `X` | the batch |
//! | [`Composite`]: `h = l1 |W|_1` and its prox | soft-thresholding | none |
//!
//! Buffers follow the solver: the pass buffers are `O(p k)` per task; the Gram buffers
//! (`O(p^2)` per task) and the Hessian-vector buffers are allocated on first use only, so
//! first-order solvers never hold a `p x p` matrix.

use std::borrow::Cow;

use linalg_core::{
    Design, GramScratch, Mat, MatMut, MatRef, Parallelism, PassScratch, fused_gradient,
    fused_gradient_rows, fused_value, mul_xw, weighted_gram,
};
use optim::{Composite, Objective, SecondOrder, SumOfTerms, soft_threshold};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

mod centered;

pub(crate) use centered::Centered;

use crate::data::normalize_weights;
use crate::error::{ModelError, Result};
use crate::loss::{Logistic, MultiLoss, Softmax, Squared};
use crate::penalty::Penalty;

/// The binary logistic objective on a dense matrix.
pub type LogisticObjective<'a> = LinearObjective<'a, MatRef<'a, f64>, Logistic>;
/// The multinomial (softmax) objective on a dense matrix.
pub type MultinomialObjective<'a> = LinearObjective<'a, MatRef<'a, f64>, Softmax>;
/// The least-squares objective on a dense matrix.
pub type LeastSquaresObjective<'a> = LinearObjective<'a, MatRef<'a, f64>, Squared>;

/// The objective of a linear model: see the [module documentation](self).
///
/// Built by [`new`](Self::new) from the design, the targets and the loss, then configured by
/// the builder methods, which validate what they are given: weights, offsets, the penalty.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::loss::Logistic;
/// use linmod_models::objective::LinearObjective;
/// use linmod_models::Penalty;
/// use optim::{Objective, check_objective_gradient};
/// let x = mat![[0.5, 1.0], [-1.0, 2.0], [1.5, -0.5]];
/// let y = [1.0, 0.0, 1.0];
/// let mut f = LinearObjective::new(x.as_ref(), &y, Logistic)
///     .unwrap()
///     .penalty(Penalty::l2(0.1).unwrap())
///     .unwrap();
/// assert_eq!(f.dim(), 3); // two coefficients and the intercept
/// assert!((f.value(&[0.0; 3]) - std::f64::consts::LN_2).abs() < 1e-15);
/// assert!(check_objective_gradient(&mut f, &[0.1, -0.2, 0.3]) < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct LinearObjective<'a, D: Design, L: MultiLoss> {
    x: D,
    y: &'a [f64],
    loss: L,
    weights: Option<Cow<'a, [f64]>>,
    offset: Option<&'a [f64]>,
    intercept: bool,
    penalty: Penalty,
    par: Parallelism,
    pass: PassScratch,
    grad_w: Mat<f64>,
    /// The intercepts of the point being evaluated and their gradient (`k` each).
    b: Vec<f64>,
    gb: Vec<f64>,
    second: Option<SecondOrderBuffers>,
    /// The curvature `s_i l''(z_i)` of every row at `curvature_at` (`k = 1`): once a Hessian
    /// has been asked for, every gradient pass records it, so that the Newton step that
    /// usually follows at the same point needs no pass of its own.
    curvature: Vec<f64>,
    curvature_at: Vec<f64>,
}

/// What second-order methods need, allocated on their first call.
#[derive(Clone, Debug)]
struct SecondOrderBuffers {
    gram: Option<GramScratch>,
    hvp_pass: PassScratch,
    /// `[W, V]` (`p x 2k`), `[b, v_b]` and the pass outputs of a Hessian-vector product.
    wv: Mat<f64>,
    bv: Vec<f64>,
    gbv: Vec<f64>,
    hv_w: Mat<f64>,
    /// Linear predictors `n x k` (for `k > 1` Hessians) and one row weight per row.
    z: Vec<f64>,
    d: Vec<f64>,
    block: Mat<f64>,
    xtd: Vec<f64>,
}

impl<'a, D: Design, L: MultiLoss> LinearObjective<'a, D, L> {
    /// The objective of `loss` on the design `x` and targets `y`: unit weights, no offset, an
    /// intercept per predictor, no penalty, rayon parallelism.
    ///
    /// `X` is not scanned for non-finite values here (estimators do that once per fit).
    ///
    /// # Errors
    /// [`ModelError::LengthMismatch`] when `y` does not have one entry per row, and the
    /// loss's own target errors ([`MultiLoss::check_target`], e.g. labels other than 0/1).
    pub fn new(x: D, y: &'a [f64], loss: L) -> Result<Self> {
        let n = x.nrows();
        if y.len() != n {
            return Err(ModelError::LengthMismatch {
                what_a: "rows of X",
                len_a: n,
                what_b: "targets",
                len_b: y.len(),
            });
        }
        loss.check_target(y)?;
        Ok(Self::from_checked(x, y, loss))
    }

    /// Uses sample weights (finite, non-negative, not all zero; normalized to sum to `n`).
    ///
    /// # Errors
    /// Invalid weights ([`normalize_weights`]).
    pub fn weights(mut self, sample_weight: Option<&[f64]>) -> Result<Self> {
        self.weights = normalize_weights(sample_weight, self.x.nrows())?.map(Cow::Owned);
        Ok(self)
    }

    /// Uses weights already normalized to sum to `n`.
    pub(crate) fn normalized_weights(mut self, weights: Option<&'a [f64]>) -> Self {
        self.weights = weights.map(Cow::Borrowed);
        self
    }

    /// As [`new`](Self::new) for targets the caller has validated.
    pub(crate) fn from_checked(x: D, y: &'a [f64], loss: L) -> Self {
        let (p, k) = (x.ncols(), loss.outputs());
        let pass = PassScratch::for_matrix(&x, k);
        Self {
            x,
            y,
            loss,
            weights: None,
            offset: None,
            intercept: true,
            penalty: Penalty::none(),
            par: Parallelism::Rayon,
            pass,
            grad_w: Mat::zeros(p, k),
            b: vec![0.0; k],
            gb: vec![0.0; k],
            second: None,
            curvature: Vec::new(),
            curvature_at: Vec::new(),
        }
    }

    /// Adds `offset_i` to every linear predictor of row `i` (a known part of the model, such
    /// as the log of an exposure).
    ///
    /// # Errors
    /// [`ModelError::LengthMismatch`] or [`ModelError::NonFinite`] for an offset of the wrong
    /// length or with non-finite entries.
    pub fn offset(mut self, offset: &'a [f64]) -> Result<Self> {
        if offset.len() != self.x.nrows() {
            return Err(ModelError::LengthMismatch {
                what_a: "rows of X",
                len_a: self.x.nrows(),
                what_b: "offsets",
                len_b: offset.len(),
            });
        }
        crate::data::first_non_finite("offset", offset)?;
        self.offset = Some(offset);
        Ok(self)
    }

    /// Fits one intercept per predictor (default) or none.
    #[must_use]
    pub fn intercept(mut self, on: bool) -> Self {
        self.intercept = on;
        self
    }

    /// Sets the penalty: its L2 part belongs to the smooth part `f`, its L1 part to `h`.
    ///
    /// # Errors
    /// A negative or non-finite strength.
    pub fn penalty(mut self, penalty: Penalty) -> Result<Self> {
        penalty.check()?;
        self.penalty = penalty;
        Ok(self)
    }

    /// Sets how the passes over `X` run (results do not depend on it).
    #[must_use]
    pub fn parallelism(mut self, par: Parallelism) -> Self {
        self.par = par;
        self
    }

    /// The loss.
    pub fn loss(&self) -> &L {
        &self.loss
    }

    /// Number of rows `n`.
    #[must_use]
    pub fn n_samples(&self) -> usize {
        self.x.nrows()
    }

    /// Number of features `p`.
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.x.ncols()
    }

    /// Linear predictors per row `k`.
    #[must_use]
    pub fn outputs(&self) -> usize {
        self.loss.outputs()
    }

    /// Whether the last `k` parameters are intercepts.
    #[must_use]
    pub fn fits_intercept(&self) -> bool {
        self.intercept
    }

    /// The penalty.
    #[must_use]
    pub fn penalty_of(&self) -> Penalty {
        self.penalty
    }

    /// The full objective `F = f + h` at `theta`.
    pub fn total_value(&mut self, theta: &[f64]) -> f64 {
        self.value(theta) + self.nonsmooth_value(theta)
    }

    /// Number of coefficients `p k` (the penalized parameters).
    fn n_coef(&self) -> usize {
        self.n_features() * self.outputs()
    }

    /// `W` (`p x k`) of `theta`.
    fn coefficients<'t>(&self, theta: &'t [f64]) -> MatRef<'t, f64> {
        let (p, k) = (self.n_features(), self.outputs());
        MatRef::from_column_major_slice(&theta[..p * k], p, k)
    }

    /// Copies the intercepts of `theta` (zeros when none are fitted) into `self.b`.
    fn load_intercepts(&mut self, theta: &[f64]) {
        let pk = self.n_coef();
        if self.intercept {
            let k = self.b.len();
            self.b.copy_from_slice(&theta[pk..pk + k]);
        } else {
            self.b.fill(0.0);
        }
    }

    /// Writes the linear predictors `Z = X W + 1 b^T + o` of `theta` (`n x k`, column-major).
    ///
    /// # Panics
    /// If `out` does not have `n k` entries.
    pub fn linear_predictors(&mut self, theta: &[f64], out: &mut [f64]) {
        self.load_intercepts(theta);
        let w = self.coefficients(theta);
        mul_xw(&self.x, w, &self.b, out, self.par);
        if let Some(o) = self.offset {
            let n = self.n_samples();
            for col in out.chunks_mut(n) {
                col.iter_mut().zip(o).for_each(|(z, oi)| *z += oi);
            }
        }
    }

    /// An estimate of the largest eigenvalue `L` of the Hessian of `f` at `theta` (the
    /// Lipschitz constant of the gradient for quadratic losses) by at most `iterations` steps
    /// of the power method from a seeded random start, stopping once the Rayleigh quotient
    /// changes by less than `1e-4` relative. The estimate approaches `L` from below and
    /// stalls early only when the top eigenvalues are close, so `1 / estimate` is a safe
    /// learning rate for gradient descent on a quadratic.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::loss::Squared;
    /// use linmod_models::objective::LinearObjective;
    /// // one column, no intercept: f = mean((y - x w)^2)/2 has curvature mean(x^2) = 5
    /// let x = mat![[1.0], [3.0]];
    /// let mut f = LinearObjective::new(x.as_ref(), &[0.0, 0.0], Squared).unwrap().intercept(false);
    /// assert!((f.curvature_estimate(&[0.0], 20) - 5.0).abs() < 1e-12);
    /// ```
    pub fn curvature_estimate(&mut self, theta: &[f64], iterations: usize) -> f64 {
        use rand::RngExt;
        let dim = self.dim();
        let mut rng = ChaCha8Rng::seed_from_u64(0x5eed);
        let mut v: Vec<f64> = (0..dim).map(|_| rng.random_range(0.5..1.5)).collect();
        let mut hv = vec![0.0; dim];
        let mut estimate = 0.0;
        for _ in 0..iterations.max(1) {
            let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm == 0.0 {
                break;
            }
            v.iter_mut().for_each(|a| *a /= norm);
            self.hessian_vector_product(theta, &v, &mut hv);
            // Rayleigh quotient v^T H v with |v| = 1
            let previous = estimate;
            estimate = v.iter().zip(&hv).map(|(a, b)| a * b).sum::<f64>();
            std::mem::swap(&mut v, &mut hv);
            if (estimate - previous).abs() <= 1e-4 * estimate {
                break;
            }
        }
        estimate
    }

    /// Takes the second-order buffers out of `self` (allocating them on first use); put them
    /// back with `self.second = Some(..)`.
    fn take_second_order_buffers(&mut self) -> SecondOrderBuffers {
        let (p, k) = (self.n_features(), self.outputs());
        self.second.take().unwrap_or_else(|| SecondOrderBuffers {
            gram: None,
            hvp_pass: PassScratch::for_matrix(&self.x, 2 * k),
            wv: Mat::zeros(p, 2 * k),
            bv: vec![0.0; 2 * k],
            gbv: vec![0.0; 2 * k],
            hv_w: Mat::zeros(p, 2 * k),
            z: Vec::new(),
            d: Vec::new(),
            block: Mat::zeros(0, 0),
            xtd: vec![0.0; p],
        })
    }

    /// Writes `g = [X^T R / n + 2 l2 W ; R^T 1 / n]` from the pass results.
    fn finish_gradient(&self, theta: &[f64], g: &mut [f64]) {
        let (p, k) = (self.n_features(), self.outputs());
        let n = self.n_samples() as f64;
        for c in 0..k {
            for j in 0..p {
                g[c * p + j] = self.grad_w[(j, c)] / n + self.penalty.l2_gradient(theta[c * p + j]);
            }
        }
        if self.intercept {
            for c in 0..k {
                g[p * k + c] = self.gb[c] / n;
            }
        }
    }

    /// Whether `curvature` holds the row curvatures at `theta`.
    fn curvature_recorded_at(&self, theta: &[f64]) -> bool {
        self.curvature_at.len() == theta.len()
            && self
                .curvature_at
                .iter()
                .zip(theta)
                .all(|(a, b)| a.to_bits() == b.to_bits())
    }
}

impl<'a> LeastSquaresObjective<'a> {
    /// The objective of linear regression, `1/(2n) sum_i s_i (y_i - x_i.w - b)^2 + l2 |w|^2`
    /// (plus `l1 |w|_1` as the non-smooth part), in one call.
    ///
    /// # Errors
    /// Empty or non-finite `x`, a target of the wrong length or with non-finite values,
    /// invalid weights or a negative penalty.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::Penalty;
    /// use linmod_models::objective::LeastSquaresObjective;
    /// use optim::{Objective, check_objective_gradient};
    /// let x = mat![[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]];
    /// let y = [1.0, 2.0, 4.0];
    /// let mut f = LeastSquaresObjective::least_squares(x.as_ref(), &y, None, true, Penalty::l2(0.1).unwrap()).unwrap();
    /// assert_eq!(f.dim(), 3);
    /// // at theta = 0 the loss is mean(y^2)/2
    /// assert!((f.value(&[0.0; 3]) - 21.0 / 6.0).abs() < 1e-12);
    /// assert!(check_objective_gradient(&mut f, &[0.1, -0.2, 0.3]) < 1e-8);
    /// ```
    pub fn least_squares(
        x: MatRef<'a, f64>,
        y: &'a [f64],
        sample_weight: Option<&[f64]>,
        fit_intercept: bool,
        penalty: Penalty,
    ) -> Result<Self> {
        crate::data::check_design(x)?;
        crate::data::check_target(y, x.nrows())?;
        Self::new(x, y, Squared)?
            .weights(sample_weight)?
            .intercept(fit_intercept)
            .penalty(penalty)
    }
}

/// Adds the offsets of rows `rows` to every predictor column of a block `z` of `len` rows.
#[inline]
fn add_offset(z: &mut [f64], offset: Option<&[f64]>, rows: std::ops::Range<usize>) {
    if let Some(o) = offset {
        let ob = &o[rows];
        for col in z.chunks_mut(ob.len().max(1)) {
            col.iter_mut().zip(ob).for_each(|(zi, oi)| *zi += oi);
        }
    }
}

impl<D: Design, L: MultiLoss> Objective for LinearObjective<'_, D, L> {
    fn dim(&self) -> usize {
        self.n_coef() + if self.intercept { self.outputs() } else { 0 }
    }

    fn value(&mut self, theta: &[f64]) -> f64 {
        let n = self.n_samples() as f64;
        self.load_intercepts(theta);
        let w = self.coefficients(theta);
        let (y, s, o, loss) = (self.y, self.weights.as_deref(), self.offset, &self.loss);
        let total = fused_value(&self.x, w, &self.b, &mut self.pass, self.par, |rows, z| {
            add_offset(z, o, rows.clone());
            loss.block_loss(z, &y[rows.clone()], s.map(|s| &s[rows]))
        });
        total / n + self.penalty.l2_value(&theta[..self.n_coef()])
    }

    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) {
        self.value_and_gradient(theta, g);
    }

    fn value_and_gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        let n = self.n_samples() as f64;
        let (p, k) = (self.n_features(), self.outputs());
        self.load_intercepts(theta);
        let w = self.coefficients(theta);
        let (y, s, o, loss) = (self.y, self.weights.as_deref(), self.offset, &self.loss);
        let track = k == 1 && !self.curvature.is_empty();
        let total = if track {
            let total = fused_gradient_rows(
                &self.x,
                w,
                &self.b,
                &mut self.pass,
                self.par,
                |rows, z, curv| {
                    add_offset(z, o, rows.clone());
                    loss.block_gradient(z, &y[rows.clone()], s.map(|s| &s[rows]), Some(curv))
                },
                self.grad_w.as_mut(),
                &mut self.gb,
                &mut self.curvature,
                1,
            );
            self.curvature_at.clear();
            self.curvature_at.extend_from_slice(theta);
            total
        } else {
            fused_gradient(
                &self.x,
                w,
                &self.b,
                &mut self.pass,
                self.par,
                |rows, z| {
                    add_offset(z, o, rows.clone());
                    loss.block_gradient(z, &y[rows.clone()], s.map(|s| &s[rows]), None)
                },
                self.grad_w.as_mut(),
                &mut self.gb,
            )
        };
        self.finish_gradient(theta, g);
        total / n + self.penalty.l2_value(&theta[..p * k])
    }
}

impl<D: Design, L: MultiLoss> SecondOrder for LinearObjective<'_, D, L> {
    /// Writes the lower triangle of the Hessian: for each predictor pair `a <= c` one
    /// weighted Gram pass with `d_i = s_i d2l/(dz_a dz_c) / n` gives the `(c, a)` coefficient
    /// block, and its `X^T d` and `sum d` the intercept rows; `2 l2` is added on the
    /// coefficients' diagonal.
    fn hessian(&mut self, theta: &[f64], mut h: MatMut<'_, f64>) {
        let (n, p, k) = (self.n_samples(), self.n_features(), self.outputs());
        let nf = n as f64;
        let recorded = k == 1 && self.curvature_recorded_at(theta);
        if self.curvature.is_empty() && k == 1 {
            // from now on every gradient pass records the curvature
            self.curvature = vec![0.0; n];
        }
        let mut buffers = self.take_second_order_buffers();
        let mut z = std::mem::take(&mut buffers.z);
        if !recorded {
            z.resize(n * k, 0.0);
            self.linear_predictors(theta, &mut z);
        }
        let (y, s, loss) = (self.y, self.weights.as_deref(), &self.loss);
        let x = &self.x;
        let par = self.par;
        let curvature = &self.curvature;
        let pk = p * k;
        let gram = buffers
            .gram
            .get_or_insert_with(|| GramScratch::for_matrix(x));
        buffers.d.resize(n, 0.0);
        if k == 1 {
            if recorded {
                buffers.d.copy_from_slice(curvature);
            } else {
                loss.block_curvature(&z, y, s, 0, 0, &mut buffers.d);
            }
            buffers.d.iter_mut().for_each(|v| *v /= nf);
            let dsum = weighted_gram(
                x,
                &buffers.d,
                gram,
                par,
                h.as_mut().submatrix_mut(0, 0, p, p),
                Some(&mut buffers.xtd),
            );
            if self.intercept {
                for (j, v) in buffers.xtd.iter().enumerate() {
                    h[(p, j)] = *v;
                }
                h[(p, p)] = dsum;
            }
        } else {
            if buffers.block.nrows() != p {
                buffers.block = Mat::zeros(p, p);
            }
            for a in 0..k {
                for c in a..k {
                    loss.block_curvature(&z, y, s, a, c, &mut buffers.d);
                    buffers.d.iter_mut().for_each(|v| *v /= nf);
                    let dsum = weighted_gram(
                        x,
                        &buffers.d,
                        gram,
                        par,
                        buffers.block.as_mut(),
                        Some(&mut buffers.xtd),
                    );
                    linalg_core::symmetrize_lower(buffers.block.as_mut());
                    // block (c, a) sits at rows c p.., columns a p..: below the diagonal for c > a
                    for jc in 0..p {
                        for ja in 0..p {
                            if c > a || jc >= ja {
                                h[(c * p + jc, a * p + ja)] = buffers.block[(jc, ja)];
                            }
                        }
                    }
                    if self.intercept {
                        // intercept c with the coefficients of predictor a, and a with c
                        for j in 0..p {
                            h[(pk + c, a * p + j)] = buffers.xtd[j];
                            h[(pk + a, c * p + j)] = buffers.xtd[j];
                        }
                        h[(pk + c, pk + a)] = dsum;
                    }
                }
            }
        }
        buffers.z = z;
        self.second = Some(buffers);
        let diag = self.penalty.l2_curvature();
        for j in 0..pk {
            h[(j, j)] += diag;
        }
    }

    /// `H v` in one pass: the kernel computes `Z = X W + b` and `U = X V + v_b` together and
    /// the loss turns each row into `s_i (d2l/dz_i^2) u_i`.
    ///
    /// For `k = 1`, once the curvature `s_i l''(z_i)` of the rows has been recorded at `theta`
    /// by the gradient pass there (every gradient pass records it after the first
    /// Hessian-vector product), the pass computes only `U = X v + v_b` and weights it by the
    /// recorded curvature: the products of `X` with `W` and the loss's derivatives are not
    /// computed again for each product (the inner iterations of a trust-region Newton-CG step).
    fn hessian_vector_product(&mut self, theta: &[f64], v: &[f64], out: &mut [f64]) {
        let (p, k) = (self.n_features(), self.outputs());
        let n = self.n_samples() as f64;
        let intercept = self.intercept;
        let mut buffers = self.take_second_order_buffers();
        if k == 1 && self.curvature.is_empty() {
            // from now on every gradient pass records the curvature
            self.curvature = vec![0.0; self.n_samples()];
        } else if k == 1 && self.curvature_recorded_at(theta) {
            let vw = MatRef::from_column_major_slice(&v[..p], p, 1);
            let vb = if intercept { v[p] } else { 0.0 };
            let curvature = &self.curvature;
            fused_gradient(
                &self.x,
                vw,
                &[vb],
                &mut self.pass,
                self.par,
                |rows, u| {
                    u.iter_mut()
                        .zip(&curvature[rows])
                        .for_each(|(ui, c)| *ui *= c);
                    0.0
                },
                buffers.hv_w.as_mut().subcols_mut(0, 1),
                &mut buffers.gbv[..1],
            );
            let diag = self.penalty.l2_curvature();
            for j in 0..p {
                out[j] = buffers.hv_w[(j, 0)] / n + diag * v[j];
            }
            if intercept {
                out[p] = buffers.gbv[0] / n;
            }
            self.second = Some(buffers);
            return;
        }
        let (y, s, o, loss) = (self.y, self.weights.as_deref(), self.offset, &self.loss);
        let x = &self.x;
        let par = self.par;
        for c in 0..k {
            for j in 0..p {
                buffers.wv[(j, c)] = theta[c * p + j];
                buffers.wv[(j, k + c)] = v[c * p + j];
            }
        }
        buffers.bv.fill(0.0);
        if intercept {
            buffers.bv[..k].copy_from_slice(&theta[p * k..p * k + k]);
            buffers.bv[k..].copy_from_slice(&v[p * k..p * k + k]);
        }
        fused_gradient(
            x,
            buffers.wv.as_ref(),
            &buffers.bv,
            &mut buffers.hvp_pass,
            par,
            |rows, zu| {
                let len = rows.len();
                add_offset(&mut zu[..len * k], o, rows.clone());
                loss.block_hessian_vector(zu, &y[rows.clone()], s.map(|s| &s[rows]));
                0.0
            },
            buffers.hv_w.as_mut(),
            &mut buffers.gbv,
        );
        let diag = self.penalty.l2_curvature();
        for c in 0..k {
            for j in 0..p {
                out[c * p + j] = buffers.hv_w[(j, k + c)] / n + diag * v[c * p + j];
            }
        }
        if intercept {
            for c in 0..k {
                out[p * k + c] = buffers.gbv[k + c] / n;
            }
        }
        self.second = Some(buffers);
    }
}

impl<D: Design, L: MultiLoss> SumOfTerms for LinearObjective<'_, D, L> {
    fn n_terms(&self) -> usize {
        self.n_samples()
    }

    /// `1/|B| sum_{i in B} s_i l(z_i; y_i) + l2 |W|^2` and its gradient, row by row.
    fn batch_value_and_gradient(&mut self, theta: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        let (p, k) = (self.n_features(), self.outputs());
        g.fill(0.0);
        let mut z = vec![0.0; k];
        let mut total = 0.0;
        for &i in batch {
            for (c, zc) in z.iter_mut().enumerate() {
                let b = if self.intercept {
                    theta[p * k + c]
                } else {
                    0.0
                };
                let o = self.offset.map_or(0.0, |o| o[i]);
                *zc = self.x.row_dot(i, &theta[c * p..(c + 1) * p]) + b + o;
            }
            let s = self.weights.as_deref().map(|s| &s[i..=i]);
            total += self.loss.block_gradient(&mut z, &self.y[i..=i], s, None);
            for (c, &r) in z.iter().enumerate() {
                self.x.row_axpy(i, r, &mut g[c * p..(c + 1) * p]);
                if self.intercept {
                    g[p * k + c] += r;
                }
            }
        }
        let m = batch.len().max(1) as f64;
        g.iter_mut().for_each(|v| *v /= m);
        for j in 0..p * k {
            g[j] += self.penalty.l2_gradient(theta[j]);
        }
        total / m + self.penalty.l2_value(&theta[..p * k])
    }
}

impl<D: Design, L: MultiLoss> Composite for LinearObjective<'_, D, L> {
    fn nonsmooth_value(&self, theta: &[f64]) -> f64 {
        self.penalty.l1_value(&theta[..self.n_coef()])
    }

    fn prox(&self, t: f64, theta: &mut [f64]) {
        let c = t * self.penalty.l1;
        if c > 0.0 {
            let pk = self.n_coef();
            theta[..pk]
                .iter_mut()
                .for_each(|v| *v = soft_threshold(*v, c));
        }
    }
}
