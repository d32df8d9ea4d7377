//! The logistic and multinomial objectives as `optim` objectives: one fused pass over `X` for
//! value and gradient, the Hessian by weighted Gram matrices, Hessian-vector products in one
//! pass, and minibatch estimates for SGD.

use linalg_core::{
    GramScratch, Mat, MatMut, MatRef, Parallelism, PassScratch, RowBlocks, fused_gradient,
    fused_gradient_rows, fused_value, logsumexp, mul_xw, sigmoid, softmax_in_place, softplus,
    symmetrize_lower, weighted_gram,
};
use optim::{Objective, SecondOrder, SumOfTerms};

/// The data of a fit: `X`, labels, normalized sample weights.
#[derive(Clone, Copy, Debug)]
pub struct Problem<'a> {
    /// Design matrix `n x p`.
    pub x: MatRef<'a, f64>,
    /// Labels: 0/1 (binary) or 0..K-1 (multinomial), as `f64`.
    pub y: &'a [f64],
    /// Sample weights normalized to sum to `n`, or `None` for unit weights.
    pub weights: Option<&'a [f64]>,
    /// Whether the last parameter(s) are intercepts.
    pub fit_intercept: bool,
}

impl Problem<'_> {
    fn weight(&self, i: usize) -> f64 {
        self.weights.map_or(1.0, |w| w[i])
    }
}

/// The mean binary logistic loss plus an L2 penalty on the coefficients:
///
/// `f(w, b) = 1/n sum_i s_i [softplus(z_i) - y_i z_i] + l2 |w|^2`, `z_i = x_i.w + b`,
///
/// with gradient `X^T r / n + 2 l2 w` and `sum_i r_i / n` (intercept), `r_i = s_i (sigma(z_i) - y_i)`,
/// and Hessian `X^T D X / n + 2 l2 I` with `D = diag(s_i sigma(z_i)(1 - sigma(z_i)))` (the IRLS
/// weights, kept as a vector). Parameters are `[w_0, ..., w_{p-1}, b]` (intercept last, when
/// fitted). The loss is computed from `z` with `softplus`: no probability is ever clipped.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::logistic::{LogisticObjective, Problem};
/// use optim::{Objective, check_objective_gradient};
/// let x = mat![[0.5, 1.0], [-1.0, 2.0], [1.5, -0.5]];
/// let y = [1.0, 0.0, 1.0];
/// let mut f = LogisticObjective::new(Problem { x: x.as_ref(), y: &y, weights: None, fit_intercept: true }, 0.1);
/// assert_eq!(f.dim(), 3);
/// assert!((f.value(&[0.0; 3]) - std::f64::consts::LN_2).abs() < 1e-15);
/// assert!(check_objective_gradient(&mut f, &[0.1, -0.2, 0.3]) < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct LogisticObjective<'a> {
    problem: Problem<'a>,
    l2: f64,
    par: Parallelism,
    pass: PassScratch,
    hvp_pass: PassScratch,
    gram: GramScratch,
    /// Per-row buffer: the IRLS weights `s_i sigma(z_i)(1 - sigma(z_i)) / n`.
    rowbuf: Vec<f64>,
    /// The parameters `rowbuf` holds the weights of (empty: none). Once a Hessian has been
    /// asked for, every gradient pass records the weights at its point, so that the Newton
    /// step that usually follows at that point needs no pass of its own.
    weights_at: Vec<f64>,
    track_weights: bool,
    grad_w: Mat<f64>,
    hv_w: Mat<f64>,
}

impl<'a> LogisticObjective<'a> {
    /// The objective on `problem` with L2 strength `l2`.
    #[must_use]
    pub fn new(problem: Problem<'a>, l2: f64) -> Self {
        let (n, p) = (problem.x.nrows(), problem.x.ncols());
        let part = RowBlocks::for_pass(n, p);
        Self {
            problem,
            l2,
            par: Parallelism::Rayon,
            pass: PassScratch::new(part, p, 1),
            hvp_pass: PassScratch::new(part, p, 2),
            gram: GramScratch::for_matrix(problem.x),
            rowbuf: vec![0.0; n],
            weights_at: Vec::new(),
            track_weights: false,
            grad_w: Mat::zeros(p, 1),
            hv_w: Mat::zeros(p, 2),
        }
    }

    /// Runs the blocked kernels sequentially instead of on rayon.
    #[must_use]
    pub fn with_parallelism(mut self, par: Parallelism) -> Self {
        self.par = par;
        self
    }

    fn p(&self) -> usize {
        self.problem.x.ncols()
    }

    fn intercept(&self, theta: &[f64]) -> f64 {
        if self.problem.fit_intercept {
            theta[self.p()]
        } else {
            0.0
        }
    }

    fn penalty(&self, theta: &[f64]) -> f64 {
        self.l2 * theta[..self.p()].iter().map(|v| v * v).sum::<f64>()
    }

    /// The linear predictors `z = X w + b` of `theta`.
    ///
    /// # Panics
    /// If `out` does not have one entry per row.
    pub fn linear_predictor(&self, theta: &[f64], out: &mut [f64]) {
        let p = self.p();
        let w = MatRef::from_column_major_slice(&theta[..p], p, 1);
        mul_xw(self.problem.x, w, &[self.intercept(theta)], out, self.par);
    }
}

/// The IRLS weight of one row, `s sigma(z)(1 - sigma(z)) / n`.
#[inline]
fn irls_weight(z: f64, s: f64, n: f64) -> f64 {
    let p = sigmoid(z);
    s * p * (1.0 - p) / n
}

/// `s_i [softplus(z) - y z]` and the residual `s_i (sigma(z) - y)` of one row.
#[inline]
fn row_loss_residual(z: f64, y: f64, s: f64) -> (f64, f64) {
    (s * (softplus(z) - y * z), s * (sigmoid(z) - y))
}

impl Objective for LogisticObjective<'_> {
    fn dim(&self) -> usize {
        self.p() + usize::from(self.problem.fit_intercept)
    }

    fn value(&mut self, theta: &[f64]) -> f64 {
        let p = self.p();
        let n = self.problem.x.nrows() as f64;
        let prob = self.problem;
        let w = MatRef::from_column_major_slice(&theta[..p], p, 1);
        let loss = fused_value(
            prob.x,
            w,
            &[self.intercept(theta)],
            &mut self.pass,
            self.par,
            |rows, z| {
                z.iter()
                    .zip(rows)
                    .map(|(&zi, i)| prob.weight(i) * (softplus(zi) - prob.y[i] * zi))
                    .sum()
            },
        );
        loss / n + self.penalty(theta)
    }

    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) {
        self.value_and_gradient(theta, g);
    }

    fn value_and_gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        let p = self.p();
        let n = self.problem.x.nrows() as f64;
        let prob = self.problem;
        let w = MatRef::from_column_major_slice(&theta[..p], p, 1);
        let mut gb = [0.0];
        let b = [self.intercept(theta)];
        let loss = if self.track_weights {
            let loss = fused_gradient_rows(
                prob.x,
                w,
                &b,
                &mut self.pass,
                self.par,
                |rows, z, d| {
                    let mut s = 0.0;
                    for ((zi, di), i) in z.iter_mut().zip(d.iter_mut()).zip(rows) {
                        let (wi, yi) = (prob.weight(i), prob.y[i]);
                        let pi = sigmoid(*zi);
                        s += wi * (softplus(*zi) - yi * *zi);
                        *di = wi * pi * (1.0 - pi) / n;
                        *zi = wi * (pi - yi);
                    }
                    s
                },
                self.grad_w.as_mut(),
                &mut gb,
                &mut self.rowbuf,
                1,
            );
            self.weights_at.clear();
            self.weights_at.extend_from_slice(theta);
            loss
        } else {
            fused_gradient(
                prob.x,
                w,
                &b,
                &mut self.pass,
                self.par,
                |rows, z| {
                    let mut s = 0.0;
                    for (zi, i) in z.iter_mut().zip(rows) {
                        let (l, r) = row_loss_residual(*zi, prob.y[i], prob.weight(i));
                        s += l;
                        *zi = r;
                    }
                    s
                },
                self.grad_w.as_mut(),
                &mut gb,
            )
        };
        for j in 0..p {
            g[j] = self.grad_w[(j, 0)] / n + 2.0 * self.l2 * theta[j];
        }
        if prob.fit_intercept {
            g[p] = gb[0] / n;
        }
        loss / n + self.penalty(theta)
    }
}

impl SecondOrder for LogisticObjective<'_> {
    /// Writes the lower triangle of `[[X^T D X / n + 2 l2 I, X^T d / n], [d^T X / n, sum d / n]]`
    /// with `d_i = s_i sigma(z_i)(1 - sigma(z_i))`: one weighted Gram pass, plus one pass for
    /// `z` unless the last gradient pass was at `theta` (it then recorded `d`).
    fn hessian(&mut self, theta: &[f64], mut h: MatMut<'_, f64>) {
        let p = self.p();
        let n = self.problem.x.nrows() as f64;
        let mut d = std::mem::take(&mut self.rowbuf);
        let recorded = self.weights_at.len() == theta.len()
            && self
                .weights_at
                .iter()
                .zip(theta)
                .all(|(a, b)| a.to_bits() == b.to_bits());
        if !recorded {
            self.linear_predictor(theta, &mut d);
            for (i, v) in d.iter_mut().enumerate() {
                *v = irls_weight(*v, self.problem.weight(i), n);
            }
        }
        self.track_weights = true;
        let mut xtd = vec![0.0; p];
        let dsum = weighted_gram(
            self.problem.x,
            &d,
            &mut self.gram,
            self.par,
            h.as_mut().submatrix_mut(0, 0, p, p),
            Some(&mut xtd),
        );
        self.rowbuf = d;
        for j in 0..p {
            h[(j, j)] += 2.0 * self.l2;
        }
        if self.problem.fit_intercept {
            for (j, v) in xtd.iter().enumerate() {
                h[(p, j)] = *v;
            }
            h[(p, p)] = dsum;
        }
    }

    /// `H v` in one pass over `X`: the kernel computes `X w + b` and `X v_w + v_b` together.
    fn hessian_vector_product(&mut self, theta: &[f64], v: &[f64], out: &mut [f64]) {
        let p = self.p();
        let n = self.problem.x.nrows() as f64;
        let prob = self.problem;
        let mut wv = Mat::<f64>::zeros(p, 2);
        for j in 0..p {
            wv[(j, 0)] = theta[j];
            wv[(j, 1)] = v[j];
        }
        let b = if prob.fit_intercept {
            [theta[p], v[p]]
        } else {
            [0.0, 0.0]
        };
        let mut gb = [0.0; 2];
        fused_gradient(
            prob.x,
            wv.as_ref(),
            &b,
            &mut self.hvp_pass,
            self.par,
            |rows, z| {
                let len = rows.len();
                let (zw, zv) = z.split_at_mut(len);
                for ((a, u), i) in zw.iter_mut().zip(zv.iter_mut()).zip(rows) {
                    let s = sigmoid(*a);
                    *u *= prob.weight(i) * s * (1.0 - s);
                    *a = 0.0;
                }
                0.0
            },
            self.hv_w.as_mut(),
            &mut gb,
        );
        for j in 0..p {
            out[j] = self.hv_w[(j, 1)] / n + 2.0 * self.l2 * v[j];
        }
        if prob.fit_intercept {
            out[p] = gb[1] / n;
        }
    }
}

impl SumOfTerms for LogisticObjective<'_> {
    fn n_terms(&self) -> usize {
        self.problem.x.nrows()
    }

    /// `1/|B| sum_{i in B} s_i [softplus(z_i) - y_i z_i] + l2 |w|^2` and its gradient; rows
    /// are read individually (strided in the column-major `X`), which costs no more than the
    /// batch itself.
    fn batch_value_and_gradient(&mut self, theta: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        let p = self.p();
        let prob = self.problem;
        let b0 = self.intercept(theta);
        g.fill(0.0);
        let mut loss = 0.0;
        for &i in batch {
            let z = b0 + (0..p).map(|j| prob.x[(i, j)] * theta[j]).sum::<f64>();
            let (l, r) = row_loss_residual(z, prob.y[i], prob.weight(i));
            loss += l;
            for (j, gj) in g[..p].iter_mut().enumerate() {
                *gj += r * prob.x[(i, j)];
            }
            if prob.fit_intercept {
                g[p] += r;
            }
        }
        let m = batch.len().max(1) as f64;
        g.iter_mut().for_each(|v| *v /= m);
        for j in 0..p {
            g[j] += 2.0 * self.l2 * theta[j];
        }
        loss / m + self.penalty(theta)
    }
}

/// The mean multinomial (softmax) loss with the symmetric parametrization, plus an L2 penalty:
///
/// `f(W, b) = 1/n sum_i s_i [logsumexp_k(z_ik) - z_{i,y_i}] + l2 |W|_F^2`, `z_i = W^T x_i + b`,
///
/// with gradient `X^T R / n + 2 l2 W`, `R_ik = s_i (p_ik - [y_i = k])`, `p_i = softmax(z_i)`,
/// and Hessian blocks `X^T D_kl X / n`, `D_kl = diag(s_i p_ik ([k = l] - p_il))`.
/// Parameters: `W` column-major (`p x K`: class `k`'s coefficients are entries
/// `k p .. (k+1) p`), then the `K` intercepts. The parametrization has one redundant direction
/// (adding the same vector to every class), so without a penalty the Hessian is singular
/// along it; solvers started at zero stay on the symmetric solution `sum_k W_k = 0`.
///
/// # Examples
/// ```
/// use linmod_models::mat;
/// use linmod_models::logistic::{MultinomialObjective, Problem};
/// use optim::{Objective, check_objective_gradient};
/// let x = mat![[0.5, 1.0], [-1.0, 2.0], [1.5, -0.5], [0.0, 0.3]];
/// let y = [0.0, 1.0, 2.0, 1.0];
/// let mut f = MultinomialObjective::new(Problem { x: x.as_ref(), y: &y, weights: None, fit_intercept: true }, 3, 0.0);
/// assert_eq!(f.dim(), 2 * 3 + 3);
/// assert!((f.value(&[0.0; 9]) - 3f64.ln()).abs() < 1e-15);
/// let theta: Vec<f64> = (0..9).map(|i| 0.1 * i as f64 - 0.4).collect();
/// assert!(check_objective_gradient(&mut f, &theta) < 1e-8);
/// ```
#[derive(Clone, Debug)]
pub struct MultinomialObjective<'a> {
    problem: Problem<'a>,
    k: usize,
    l2: f64,
    par: Parallelism,
    pass: PassScratch,
    hvp_pass: PassScratch,
    gram: GramScratch,
    /// Per-row probabilities (n x K, column-major), for the Hessian.
    probs: Vec<f64>,
    dbuf: Vec<f64>,
    grad_w: Mat<f64>,
    hv_w: Mat<f64>,
}

impl<'a> MultinomialObjective<'a> {
    /// The objective on `problem` with `k` classes and L2 strength `l2`.
    #[must_use]
    pub fn new(problem: Problem<'a>, k: usize, l2: f64) -> Self {
        let (n, p) = (problem.x.nrows(), problem.x.ncols());
        let part = RowBlocks::for_pass(n, p);
        Self {
            problem,
            k,
            l2,
            par: Parallelism::Rayon,
            pass: PassScratch::new(part, p, k),
            hvp_pass: PassScratch::new(part, p, 2 * k),
            gram: GramScratch::for_matrix(problem.x),
            probs: Vec::new(),
            dbuf: Vec::new(),
            grad_w: Mat::zeros(p, k),
            hv_w: Mat::zeros(p, 2 * k),
        }
    }

    /// Runs the blocked kernels sequentially instead of on rayon.
    #[must_use]
    pub fn with_parallelism(mut self, par: Parallelism) -> Self {
        self.par = par;
        self
    }

    fn p(&self) -> usize {
        self.problem.x.ncols()
    }

    fn intercepts<'t>(&self, theta: &'t [f64]) -> std::borrow::Cow<'t, [f64]> {
        let pk = self.p() * self.k;
        if self.problem.fit_intercept {
            std::borrow::Cow::Borrowed(&theta[pk..pk + self.k])
        } else {
            std::borrow::Cow::Owned(vec![0.0; self.k])
        }
    }

    fn penalty(&self, theta: &[f64]) -> f64 {
        self.l2
            * theta[..self.p() * self.k]
                .iter()
                .map(|v| v * v)
                .sum::<f64>()
    }

    /// Writes the class probabilities of every row (`n x K`, column-major) into `out`.
    ///
    /// # Panics
    /// If `out` does not have `n K` entries.
    pub fn probabilities(&self, theta: &[f64], out: &mut [f64]) {
        let (n, p, k) = (self.problem.x.nrows(), self.p(), self.k);
        let w = MatRef::from_column_major_slice(&theta[..p * k], p, k);
        mul_xw(self.problem.x, w, &self.intercepts(theta), out, self.par);
        let mut row = vec![0.0; k];
        for i in 0..n {
            for c in 0..k {
                row[c] = out[c * n + i];
            }
            softmax_in_place(&mut row);
            for c in 0..k {
                out[c * n + i] = row[c];
            }
        }
    }
}

/// Runs `f` with a scratch row of `k` entries, on the stack for up to 16 classes (the closures
/// of the fused kernel run once per row block, and should not allocate).
#[inline]
fn with_row<R>(k: usize, f: impl FnOnce(&mut [f64]) -> R) -> R {
    let mut stack = [0.0f64; 16];
    if k <= stack.len() {
        f(&mut stack[..k])
    } else {
        f(&mut vec![0.0; k])
    }
}

/// For row `local` of a block of `len` rows stored column-major in `z` (K columns): returns
/// `s [lse(z_i) - z_{i,y}]` and overwrites the row with `s (softmax(z_i) - onehot(y))`.
#[inline]
fn softmax_row(z: &mut [f64], len: usize, local: usize, y: usize, s: f64, row: &mut [f64]) -> f64 {
    let k = row.len();
    for c in 0..k {
        row[c] = z[c * len + local];
    }
    let zy = row[y];
    let lse = softmax_in_place(row);
    for c in 0..k {
        z[c * len + local] = s * (row[c] - f64::from(u8::from(c == y)));
    }
    s * (lse - zy)
}

impl Objective for MultinomialObjective<'_> {
    fn dim(&self) -> usize {
        self.p() * self.k
            + if self.problem.fit_intercept {
                self.k
            } else {
                0
            }
    }

    fn value(&mut self, theta: &[f64]) -> f64 {
        let (p, k) = (self.p(), self.k);
        let n = self.problem.x.nrows() as f64;
        let prob = self.problem;
        let w = MatRef::from_column_major_slice(&theta[..p * k], p, k);
        let b = self.intercepts(theta).into_owned();
        let loss = fused_value(prob.x, w, &b, &mut self.pass, self.par, |rows, z| {
            let len = rows.len();
            with_row(k, |row| {
                let mut s = 0.0;
                for (local, i) in rows.enumerate() {
                    for c in 0..k {
                        row[c] = z[c * len + local];
                    }
                    s += prob.weight(i) * (logsumexp(row) - row[prob.y[i] as usize]);
                }
                s
            })
        });
        loss / n + self.penalty(theta)
    }

    fn gradient(&mut self, theta: &[f64], g: &mut [f64]) {
        self.value_and_gradient(theta, g);
    }

    fn value_and_gradient(&mut self, theta: &[f64], g: &mut [f64]) -> f64 {
        let (p, k) = (self.p(), self.k);
        let n = self.problem.x.nrows() as f64;
        let prob = self.problem;
        let w = MatRef::from_column_major_slice(&theta[..p * k], p, k);
        let b = self.intercepts(theta).into_owned();
        let mut gb = vec![0.0; k];
        let loss = fused_gradient(
            prob.x,
            w,
            &b,
            &mut self.pass,
            self.par,
            |rows, z| {
                let len = rows.len();
                with_row(k, |row| {
                    let mut s = 0.0;
                    for (local, i) in rows.enumerate() {
                        s += softmax_row(z, len, local, prob.y[i] as usize, prob.weight(i), row);
                    }
                    s
                })
            },
            self.grad_w.as_mut(),
            &mut gb,
        );
        for c in 0..k {
            for j in 0..p {
                g[c * p + j] = self.grad_w[(j, c)] / n + 2.0 * self.l2 * theta[c * p + j];
            }
        }
        if prob.fit_intercept {
            for c in 0..k {
                g[p * k + c] = gb[c] / n;
            }
        }
        loss / n + self.penalty(theta)
    }
}

impl SecondOrder for MultinomialObjective<'_> {
    /// Writes the lower triangle of the Hessian: for each class pair `k <= l` one weighted
    /// Gram pass with `d_i = s_i p_ik ([k = l] - p_il) / n` gives the `(k, l)` coefficient block,
    /// and its `X^T d` and `sum d` give the intercept rows.
    fn hessian(&mut self, theta: &[f64], mut h: MatMut<'_, f64>) {
        let (n, p, k) = (self.problem.x.nrows(), self.p(), self.k);
        let nf = n as f64;
        let mut probs = std::mem::take(&mut self.probs);
        probs.resize(n * k, 0.0);
        self.probabilities(theta, &mut probs);
        self.dbuf.resize(n, 0.0);
        let mut block = Mat::<f64>::zeros(p, p);
        let mut xtd = vec![0.0; p];
        for a in 0..k {
            for c in a..k {
                let same = f64::from(u8::from(a == c));
                for i in 0..n {
                    let (pa, pc) = (probs[a * n + i], probs[c * n + i]);
                    self.dbuf[i] = self.problem.weight(i) * pa * (same - pc) / nf;
                }
                let dsum = weighted_gram(
                    self.problem.x,
                    &self.dbuf,
                    &mut self.gram,
                    self.par,
                    block.as_mut(),
                    Some(&mut xtd),
                );
                symmetrize_lower(block.as_mut());
                // block (c, a) sits at rows c p.., columns a p..: below the diagonal for c > a
                for jc in 0..p {
                    for ja in 0..p {
                        if c > a || jc >= ja {
                            h[(c * p + jc, a * p + ja)] = block[(jc, ja)];
                        }
                    }
                }
                if self.problem.fit_intercept {
                    // intercept c with coefficients of class a, and intercept a with class c
                    for j in 0..p {
                        h[(p * k + c, a * p + j)] = xtd[j];
                        h[(p * k + a, c * p + j)] = xtd[j];
                    }
                    h[(p * k + c, p * k + a)] = dsum;
                }
            }
        }
        self.probs = probs;
        for j in 0..p * k {
            h[(j, j)] += 2.0 * self.l2;
        }
    }

    /// `H v` in one pass: with `u_i = V^T x_i + v_b`, row `i` contributes
    /// `x_i r_i^T`, `r_ik = s_i p_ik (u_ik - sum_l p_il u_il)`.
    fn hessian_vector_product(&mut self, theta: &[f64], v: &[f64], out: &mut [f64]) {
        let (p, k) = (self.p(), self.k);
        let n = self.problem.x.nrows() as f64;
        let prob = self.problem;
        let mut wv = Mat::<f64>::zeros(p, 2 * k);
        for c in 0..k {
            for j in 0..p {
                wv[(j, c)] = theta[c * p + j];
                wv[(j, k + c)] = v[c * p + j];
            }
        }
        let mut b = vec![0.0; 2 * k];
        if prob.fit_intercept {
            b[..k].copy_from_slice(&theta[p * k..p * k + k]);
            b[k..].copy_from_slice(&v[p * k..p * k + k]);
        }
        let mut gb = vec![0.0; 2 * k];
        fused_gradient(
            prob.x,
            wv.as_ref(),
            &b,
            &mut self.hvp_pass,
            self.par,
            |rows, z| {
                let len = rows.len();
                with_row(k, |pr| {
                    for (local, i) in rows.enumerate() {
                        for c in 0..k {
                            pr[c] = z[c * len + local];
                        }
                        softmax_in_place(pr);
                        let mean_u: f64 = (0..k).map(|c| pr[c] * z[(k + c) * len + local]).sum();
                        let s = prob.weight(i);
                        for c in 0..k {
                            let u = z[(k + c) * len + local];
                            z[(k + c) * len + local] = s * pr[c] * (u - mean_u);
                            z[c * len + local] = 0.0;
                        }
                    }
                });
                0.0
            },
            self.hv_w.as_mut(),
            &mut gb,
        );
        for c in 0..k {
            for j in 0..p {
                out[c * p + j] = self.hv_w[(j, k + c)] / n + 2.0 * self.l2 * v[c * p + j];
            }
        }
        if prob.fit_intercept {
            for c in 0..k {
                out[p * k + c] = gb[k + c] / n;
            }
        }
    }
}

impl SumOfTerms for MultinomialObjective<'_> {
    fn n_terms(&self) -> usize {
        self.problem.x.nrows()
    }

    fn batch_value_and_gradient(&mut self, theta: &[f64], batch: &[usize], g: &mut [f64]) -> f64 {
        let (p, k) = (self.p(), self.k);
        let prob = self.problem;
        let b = self.intercepts(theta).into_owned();
        g.fill(0.0);
        let mut row = vec![0.0; k];
        let mut loss = 0.0;
        for &i in batch {
            for c in 0..k {
                row[c] = b[c]
                    + (0..p)
                        .map(|j| prob.x[(i, j)] * theta[c * p + j])
                        .sum::<f64>();
            }
            let y = prob.y[i] as usize;
            let s = prob.weight(i);
            let zy = row[y];
            loss += s * (softmax_in_place(&mut row) - zy);
            for c in 0..k {
                let r = s * (row[c] - f64::from(u8::from(c == y)));
                for j in 0..p {
                    g[c * p + j] += r * prob.x[(i, j)];
                }
                if prob.fit_intercept {
                    g[p * k + c] += r;
                }
            }
        }
        let m = batch.len().max(1) as f64;
        g.iter_mut().for_each(|v| *v /= m);
        for j in 0..p * k {
            g[j] += 2.0 * self.l2 * theta[j];
        }
        loss / m + self.penalty(theta)
    }
}
