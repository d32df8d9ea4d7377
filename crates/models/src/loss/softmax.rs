//! The multinomial (softmax) loss of `K` classes.

use linalg_core::softmax_in_place;

use super::multi::MultiLoss;
use crate::error::{ModelError, Result};

/// The multinomial loss of `K` classes, `l(z; y) = logsumexp(z) - z_y` for the scores
/// `z in R^K` of a row with label `y in {0, .., K-1}`: the negative log-likelihood of
/// `P(y = k) = softmax(z)_k`.
///
/// Derivatives: `dl/dz = p - e_y` with `p = softmax(z)`, and `d2l/dz2 = diag(p) - p p^T`
/// (singular along `(1, .., 1)`: adding the same number to every score changes nothing).
/// At infinite scores the loss takes its limits where the formula would give `inf - inf`.
///
/// # Examples
/// ```
/// use linmod_models::loss::Softmax;
/// let softmax = Softmax::new(3);
/// let mut z = [0.0, 0.0, 0.0];
/// let l = softmax.row_gradient(&mut z, 2, 1.0);
/// assert!((l - 3f64.ln()).abs() < 1e-15);
/// assert!((z[2] + 2.0 / 3.0).abs() < 1e-15);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Softmax {
    k: usize,
}

impl Softmax {
    /// The loss of `k` classes.
    #[must_use]
    pub fn new(k: usize) -> Self {
        Self { k }
    }

    /// Number of classes `K`.
    #[must_use]
    pub fn classes(&self) -> usize {
        self.k
    }

    /// For the scores `z` of one row (contiguous, length `K`) with label `y` and weight `s`:
    /// returns `s l(z; y)` and overwrites `z` with `s (softmax(z) - e_y)`.
    pub fn row_gradient(&self, z: &mut [f64], y: usize, s: f64) -> f64 {
        let loss = cross_entropy(z, y);
        for (c, v) in z.iter_mut().enumerate() {
            *v = s * (*v - f64::from(u8::from(c == y)));
        }
        s * loss
    }

    /// Runs `f` with a scratch row of `K` entries, on the stack for up to 16 classes (the
    /// kernels run once per row block and should not allocate).
    fn with_row<R>(&self, f: impl FnOnce(&mut [f64]) -> R) -> R {
        let mut stack = [0.0f64; 16];
        if self.k <= stack.len() {
            f(&mut stack[..self.k])
        } else {
            f(&mut vec![0.0; self.k])
        }
    }
}

/// The cross-entropy `logsumexp(z) - z_y` of one row of scores; overwrites `z` with
/// `softmax(z)`. At infinite scores (which overflowing inputs produce) it takes the limit
/// `-log softmax(z)_y` where the formula would give `inf - inf`.
///
/// # Examples
/// ```
/// use linmod_models::loss::cross_entropy;
/// let mut z = [0.0, f64::INFINITY];
/// assert_eq!(cross_entropy(&mut z, 1), 0.0);
/// assert_eq!(z, [0.0, 1.0]);
/// ```
pub fn cross_entropy(z: &mut [f64], y: usize) -> f64 {
    let zy = z[y];
    let loss = softmax_in_place(z) - zy;
    if loss.is_nan() { -z[y].ln() } else { loss }
}

/// Copies row `i` of the block `z` (`len` rows, column-major) into `row`.
#[inline]
fn load(z: &[f64], len: usize, i: usize, row: &mut [f64]) {
    for (c, v) in row.iter_mut().enumerate() {
        *v = z[c * len + i];
    }
}

/// Copies `row` into row `i` of the block `z`.
#[inline]
fn store(z: &mut [f64], len: usize, i: usize, row: &[f64]) {
    for (c, v) in row.iter().enumerate() {
        z[c * len + i] = *v;
    }
}

/// The class of a label stored as `f64` (labels are checked before any pass).
#[inline]
fn class(y: f64) -> usize {
    y as usize
}

impl MultiLoss for Softmax {
    fn outputs(&self) -> usize {
        self.k
    }

    fn block_loss(&self, z: &[f64], y: &[f64], s: Option<&[f64]>) -> f64 {
        let len = y.len();
        self.with_row(|row| {
            let mut total = 0.0;
            for i in 0..len {
                load(z, len, i, row);
                total += self.row_gradient(row, class(y[i]), s.map_or(1.0, |s| s[i]));
            }
            total
        })
    }

    fn block_gradient(
        &self,
        z: &mut [f64],
        y: &[f64],
        s: Option<&[f64]>,
        _curvature: Option<&mut [f64]>,
    ) -> f64 {
        let len = y.len();
        self.with_row(|row| {
            let mut total = 0.0;
            for i in 0..len {
                load(z, len, i, row);
                total += self.row_gradient(row, class(y[i]), s.map_or(1.0, |s| s[i]));
                store(z, len, i, row);
            }
            total
        })
    }

    fn block_curvature(
        &self,
        z: &[f64],
        y: &[f64],
        s: Option<&[f64]>,
        a: usize,
        c: usize,
        d: &mut [f64],
    ) {
        let len = y.len();
        let same = f64::from(u8::from(a == c));
        self.with_row(|p| {
            for (i, di) in d.iter_mut().enumerate() {
                load(z, len, i, p);
                softmax_in_place(p);
                *di = s.map_or(1.0, |s| s[i]) * p[a] * (same - p[c]);
            }
        });
    }

    fn block_hessian_vector(&self, zu: &mut [f64], y: &[f64], s: Option<&[f64]>) {
        let (len, k) = (y.len(), self.k);
        let (z, u) = zu.split_at_mut(len * k);
        self.with_row(|p| {
            for i in 0..len {
                load(z, len, i, p);
                softmax_in_place(p);
                let si = s.map_or(1.0, |s| s[i]);
                let mean_u: f64 = (0..k).map(|c| p[c] * u[c * len + i]).sum();
                for c in 0..k {
                    let uc = &mut u[c * len + i];
                    *uc = si * p[c] * (*uc - mean_u);
                }
            }
        });
        z.fill(0.0);
    }

    /// Labels must be whole numbers in `0..K`.
    fn check_target(&self, y: &[f64]) -> Result<()> {
        let valid = |v: f64| v >= 0.0 && v.fract() == 0.0 && (v as usize) < self.k;
        match y.iter().position(|v| !valid(*v)) {
            Some(row) => Err(ModelError::InvalidLabel {
                row,
                value: y[row],
                expected: format!("a class index 0..{}", self.k.saturating_sub(1)),
            }),
            None => Ok(()),
        }
    }
}
