//! The penalized squared loss as an `optim` objective, so that every solver of `optim` runs on
//! it and its derivatives can be checked against finite differences.

use std::ops::Range;

use linalg_core::{
    GramScratch, MatMut, MatRef, Parallelism, PassScratch, fused_gradient, fused_value,
    weighted_gram,
};
use optim::{Composite, ElasticNet, Objective, SecondOrder, SumOfTerms};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::data::{check_design, check_target, normalize_weights};
use crate::error::Result;
use crate::penalty::Penalty;

/// The objective of linear regression,
///
/// ```text
/// F(w, b) = 1/(2n) sum_i s_i (y_i - x_i.w - b)^2 + l2 |w|^2  +  l1 |w|_1
///           \_____________ smooth part f ______________/       \_ h _/
/// ```
///
/// over the parameter vector `theta = [w_0, .., w_{p-1}, b]` (intercept last; without an
/// intercept `theta = w` and `b = 0`). Weights `s_i` are normalized to sum to `n`.
///
/// * [`Objective`] is the smooth part `f`, with value and gradient in **one** pass over `X`
///   (`linalg_core::fused_gradient`): with residuals `e = X w + b - y`,
///   `grad_w f = X^T S e / n + 2 l2 w`, `d f / d b = 1^T S e / n`.
/// * [`SecondOrder`]: the (constant) Hessian
///   `[[X^T S X / n + 2 l2 I, X^T s / n], [s^T X / n, 1]]` by `linalg_core::weighted_gram`, and
///   Hessian-vector products in one pass.
/// * [`Composite`]: `h = l1 |w|_1` with the soft-thresholding prox (intercept untouched), for
///   [`optim::Fista`].
/// * [`SumOfTerms`]: minibatch estimates `1/|B| sum_{i in B} s_i e_i^2 / 2 + l2 |w|^2` for
///   [`optim::Sgd`].
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::Penalty;
/// use linmod_models::linear::SquaredLoss;
/// use optim::{Objective, check_objective_gradient};
/// let x = mat![[1.0, 2.0], [3.0, 4.0], [5.0, 7.0]];
/// let y = [1.0, 2.0, 4.0];
/// let mut f = SquaredLoss::new(x.as_ref(), &y, None, true, Penalty::l2(0.1).unwrap()).unwrap();
/// assert_eq!(f.dim(), 3);
/// // at theta = 0 the loss is mean(y^2)/2
/// assert!((f.value(&[0.0; 3]) - 21.0 / 6.0).abs() < 1e-12);
/// assert!(check_objective_gradient(&mut f, &[0.1, -0.2, 0.3]) < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct SquaredLoss<'a> {
    x: MatRef<'a, f64>,
    y: &'a [f64],
    weights: Option<Vec<f64>>,
    fit_intercept: bool,
    penalty: Penalty,
    prox: ElasticNet,
    par: Parallelism,
    scratch: PassScratch,
    hessian: Option<HessianBuffers>,
}

#[derive(Clone, Debug)]
struct HessianBuffers {
    d: Vec<f64>,
    gram: GramScratch,
    xtd: Vec<f64>,
}

impl<'a> SquaredLoss<'a> {
    /// The objective for the data `x`, `y`, optional sample weights, with or without an
    /// intercept, and `penalty`.
    ///
    /// # Errors
    /// Empty or non-finite `x`, a target of the wrong length or with non-finite values,
    /// invalid weights ([`crate::normalize_weights`]) or a negative penalty.
    pub fn new(
        x: MatRef<'a, f64>,
        y: &'a [f64],
        sample_weight: Option<&[f64]>,
        fit_intercept: bool,
        penalty: Penalty,
    ) -> Result<Self> {
        check_design(x)?;
        check_target(y, x.nrows())?;
        let weights = normalize_weights(sample_weight, x.nrows())?;
        penalty.check()?;
        Self::from_checked(x, y, weights, fit_intercept, penalty)
    }

    /// As [`new`](Self::new) for validated data and normalized weights.
    pub(crate) fn from_checked(
        x: MatRef<'a, f64>,
        y: &'a [f64],
        weights: Option<Vec<f64>>,
        fit_intercept: bool,
        penalty: Penalty,
    ) -> Result<Self> {
        let prox = ElasticNet::new(penalty.l1, 0.0)?.on(0..x.ncols());
        Ok(Self {
            x,
            y,
            weights,
            fit_intercept,
            penalty,
            prox,
            par: Parallelism::default(),
            scratch: PassScratch::for_matrix(x, 1),
            hessian: None,
        })
    }

    /// Sets how the passes over `X` run (results do not depend on it).
    #[must_use]
    pub fn with_parallelism(mut self, par: Parallelism) -> Self {
        self.par = par;
        self
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

    /// Whether the last parameter is an intercept.
    #[must_use]
    pub fn fit_intercept(&self) -> bool {
        self.fit_intercept
    }

    /// The penalty.
    #[must_use]
    pub fn penalty(&self) -> Penalty {
        self.penalty
    }

    /// The full objective `F = f + h` at `theta`.
    pub fn total_value(&mut self, theta: &[f64]) -> f64 {
        self.value(theta) + self.nonsmooth_value(theta)
    }

    /// An estimate of the largest eigenvalue `L` of the Hessian of `f` (the Lipschitz
    /// constant of its gradient) by at most `iterations` steps of the power method from a
    /// seeded random start, stopping once the Rayleigh quotient changes by less than `1e-4`
    /// relative. Gradient descent converges for learning rates below `2 / L`; the estimate
    /// approaches `L` from below, and it stalls early only when the top eigenvalues are close,
    /// so `1 / estimate` is a safe learning rate.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mat;
    /// use linmod_models::Penalty;
    /// use linmod_models::linear::SquaredLoss;
    /// // one column, no intercept: f = mean((y - x w)^2)/2 has curvature mean(x^2) = 5
    /// let x = mat![[1.0], [3.0]];
    /// let mut f = SquaredLoss::new(x.as_ref(), &[0.0, 0.0], None, false, Penalty::none()).unwrap();
    /// assert!((f.curvature_estimate(20) - 5.0).abs() < 1e-12);
    /// ```
    pub fn curvature_estimate(&mut self, iterations: usize) -> f64 {
        use rand::RngExt;
        let dim = self.dim();
        let mut rng = ChaCha8Rng::seed_from_u64(0x5eed);
        let mut v: Vec<f64> = (0..dim).map(|_| rng.random_range(0.5..1.5)).collect();
        let mut hv = vec![0.0; dim];
        let zero = vec![0.0; dim];
        let mut estimate = 0.0;
        for _ in 0..iterations.max(1) {
            let norm = v.iter().map(|a| a * a).sum::<f64>().sqrt();
            if norm == 0.0 {
                break;
            }
            v.iter_mut().for_each(|a| *a /= norm);
            self.hessian_vector_product(&zero, &v, &mut hv);
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

    fn split<'t>(&self, theta: &'t [f64]) -> (&'t [f64], f64) {
        let p = self.n_features();
        let b = if self.fit_intercept { theta[p] } else { 0.0 };
        (&theta[..p], b)
    }

    fn l2_value(&self, w: &[f64]) -> f64 {
        self.penalty.l2 * w.iter().map(|v| v * v).sum::<f64>()
    }
}

/// `z -> S (z - y)` on a block of rows, returning `sum_i s_i (z_i - y_i)^2 / 2`.
fn residual_map<'s>(
    y: &'s [f64],
    weights: Option<&'s [f64]>,
) -> impl Fn(Range<usize>, &mut [f64]) -> f64 + Sync + Send + 's {
    move |rows, z| {
        let yb = &y[rows.clone()];
        let mut total = 0.0;
        match weights {
            None => {
                for (zi, yi) in z.iter_mut().zip(yb) {
                    let e = *zi - yi;
                    total += e * e;
                    *zi = e;
                }
            }
            Some(s) => {
                for ((zi, yi), si) in z.iter_mut().zip(yb).zip(&s[rows]) {
                    let e = *zi - yi;
                    total += si * e * e;
                    *zi = si * e;
                }
            }
        }
        0.5 * total
    }
}

impl Objective for SquaredLoss<'_> {
    fn dim(&self) -> usize {
        self.n_features() + usize::from(self.fit_intercept)
    }

    fn value(&mut self, theta: &[f64]) -> f64 {
        let (w, b) = self.split(theta);
        let p = w.len();
        let n = self.n_samples() as f64;
        let map = residual_map(self.y, self.weights.as_deref());
        let loss = fused_value(
            self.x,
            MatRef::from_column_major_slice(w, p, 1),
            &[b],
            &mut self.scratch,
            self.par,
            map,
        );
        loss / n + self.l2_value(w)
    }

    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) {
        self.value_and_gradient(theta, g);
    }

    fn value_and_gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        let loss = gradient_pass(
            self.x,
            &mut self.scratch,
            self.par,
            self.fit_intercept,
            self.penalty.l2,
            theta,
            g,
            residual_map(self.y, self.weights.as_deref()),
        );
        let (w, _) = self.split(theta);
        loss / self.n_samples() as f64 + self.l2_value(w)
    }
}

/// One fused pass at `theta = [w, b]` with the residual map `map`:
/// `out = [X^T R / n + 2 l2 w ; 1^T R / n]` (no intercept entry without an intercept), where
/// `R` is what `map` makes of `X w + b`. Returns the sum of the values `map` returned.
#[allow(clippy::too_many_arguments)]
fn gradient_pass<F>(
    x: MatRef<'_, f64>,
    scratch: &mut PassScratch,
    par: Parallelism,
    fit_intercept: bool,
    l2: f64,
    theta: &[f64],
    out: &mut [f64],
    map: F,
) -> f64
where
    F: Fn(Range<usize>, &mut [f64]) -> f64 + Sync + Send,
{
    let p = x.ncols();
    let b = if fit_intercept { theta[p] } else { 0.0 };
    let w = &theta[..p];
    let n = x.nrows() as f64;
    let (ow, ob) = out.split_at_mut(p);
    let mut sum_r = [0.0];
    let total = fused_gradient(
        x,
        MatRef::from_column_major_slice(w, p, 1),
        &[b],
        scratch,
        par,
        map,
        MatMut::from_column_major_slice_mut(ow, p, 1),
        &mut sum_r,
    );
    for (o, wj) in ow.iter_mut().zip(w) {
        *o = *o / n + 2.0 * l2 * wj;
    }
    if fit_intercept {
        ob[0] = sum_r[0] / n;
    }
    total
}

impl SecondOrder for SquaredLoss<'_> {
    fn hessian(&mut self, _theta: &[f64], mut h: MatMut<'_, f64>) {
        let (n, p) = (self.n_samples(), self.n_features());
        let buffers = self.hessian.get_or_insert_with(|| {
            let nf = n as f64;
            HessianBuffers {
                d: match &self.weights {
                    Some(s) => s.iter().map(|v| v / nf).collect(),
                    None => vec![1.0 / nf; n],
                },
                gram: GramScratch::for_matrix(self.x),
                xtd: vec![0.0; p],
            }
        });
        let dsum = weighted_gram(
            self.x,
            &buffers.d,
            &mut buffers.gram,
            self.par,
            h.as_mut().submatrix_mut(0, 0, p, p),
            Some(&mut buffers.xtd),
        );
        for j in 0..p {
            h[(j, j)] += 2.0 * self.penalty.l2;
        }
        if self.fit_intercept {
            for (j, v) in buffers.xtd.iter().enumerate() {
                h[(p, j)] = *v;
            }
            h[(p, p)] = dsum;
        }
    }

    fn hessian_vector_product(&mut self, _theta: &[f64], v: &[f64], out: &mut [f64]) {
        // H v = [X^T S (X v_w + v_b) / n + 2 l2 v_w ; 1^T S (X v_w + v_b) / n]: the gradient
        // pass with the residual map replaced by z -> S z
        let weights = self.weights.as_deref();
        gradient_pass(
            self.x,
            &mut self.scratch,
            self.par,
            self.fit_intercept,
            self.penalty.l2,
            v,
            out,
            |rows, z| {
                if let Some(s) = weights {
                    z.iter_mut().zip(&s[rows]).for_each(|(zi, si)| *zi *= si);
                }
                0.0
            },
        );
    }
}

impl Composite for SquaredLoss<'_> {
    fn nonsmooth_value(&self, theta: &[f64]) -> f64 {
        self.prox.value(theta)
    }

    fn prox(&self, t: f64, theta: &mut [f64]) {
        self.prox.prox(t, theta);
    }
}

impl SumOfTerms for SquaredLoss<'_> {
    fn n_terms(&self) -> usize {
        self.n_samples()
    }

    fn batch_value_and_gradient(&mut self, theta: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        let (w, b) = self.split(theta);
        let p = w.len();
        g.fill(0.0);
        let mut total = 0.0;
        for &i in batch {
            let row = self.x.row(i);
            let z: f64 = row.iter().zip(w).map(|(a, c)| a * c).sum::<f64>() + b;
            let s = self.weights.as_ref().map_or(1.0, |s| s[i]);
            let e = z - self.y[i];
            total += 0.5 * s * e * e;
            let se = s * e;
            for (gj, xij) in g[..p].iter_mut().zip(row.iter()) {
                *gj += se * xij;
            }
            if self.fit_intercept {
                g[p] += se;
            }
        }
        let m = batch.len().max(1) as f64;
        let two_l2 = 2.0 * self.penalty.l2;
        for (gj, wj) in g[..p].iter_mut().zip(w) {
            *gj = *gj / m + two_l2 * wj;
        }
        if self.fit_intercept {
            g[p] /= m;
        }
        total / m + self.l2_value(w)
    }
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the prox output is exact in binary
mod tests {
    use super::*;
    use linalg_core::Mat;

    fn data() -> (Mat<f64>, Vec<f64>, Vec<f64>) {
        let x = Mat::from_fn(7, 3, |i, j| {
            ((i * 3 + j * 5) % 7) as f64 - 3.0 + 0.1 * j as f64
        });
        let y = (0..7).map(|i| (i as f64).sin() * 3.0).collect();
        let s = (0..7).map(|i| 0.5 + (i % 3) as f64).collect();
        (x, y, s)
    }

    #[test]
    fn batch_estimates_average_to_the_full_gradient() {
        let (x, y, s) = data();
        let pen = Penalty::elastic_net(0.3, 0.2).unwrap();
        let mut f = SquaredLoss::new(x.as_ref(), &y, Some(&s), true, pen).unwrap();
        let theta = [0.3, -0.1, 0.2, 0.5];
        let mut g_full = [0.0; 4];
        let v_full = f.value_and_gradient(&theta, &mut g_full);
        let all: Vec<usize> = (0..7).collect();
        let mut g_batch = [0.0; 4];
        let v_batch = f.batch_value_and_gradient(&theta, &all, &mut g_batch);
        assert!((v_full - v_batch).abs() < 1e-12);
        for (a, b) in g_full.iter().zip(&g_batch) {
            assert!((a - b).abs() < 1e-12, "{g_full:?} vs {g_batch:?}");
        }
    }

    #[test]
    fn hessian_vector_products_match_the_hessian() {
        let (x, y, s) = data();
        for intercept in [true, false] {
            let mut f = SquaredLoss::new(
                x.as_ref(),
                &y,
                Some(&s),
                intercept,
                Penalty::l2(0.4).unwrap(),
            )
            .unwrap();
            let d = f.dim();
            let mut h = Mat::<f64>::zeros(d, d);
            f.hessian(&vec![0.0; d], h.as_mut());
            linalg_core::symmetrize_lower(h.as_mut());
            let v: Vec<f64> = (0..d).map(|k| 1.0 - 0.3 * k as f64).collect();
            let mut hv = vec![0.0; d];
            f.hessian_vector_product(&vec![0.0; d], &v, &mut hv);
            for i in 0..d {
                let expect: f64 = (0..d).map(|k| h[(i, k)] * v[k]).sum();
                assert!((hv[i] - expect).abs() < 1e-12 * (1.0 + expect.abs()));
            }
        }
    }

    #[test]
    fn the_prox_leaves_the_intercept_alone() {
        let (x, y, _) = data();
        let f = SquaredLoss::new(x.as_ref(), &y, None, true, Penalty::l1(1.0).unwrap()).unwrap();
        let mut theta = [0.5, -2.0, 1.5, 0.7];
        f.prox(1.0, &mut theta);
        assert_eq!(theta, [0.0, -1.0, 0.5, 0.7]);
        assert!((f.nonsmooth_value(&[1.0, -2.0, 0.0, 9.0]) - 3.0).abs() < 1e-15);
    }
}
