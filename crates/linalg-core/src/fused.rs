//! One pass over `X` that computes the linear predictor of each row block, maps it to
//! residuals and accumulates `X^T r`: the building block of every loss-and-gradient evaluation.

use std::ops::Range;

use faer::{MatMut, MatRef};

use crate::design::Design;
use crate::partition::{Parallelism, RowBlocks, for_each_task, for_each_task_rows};
use crate::vector_state::vector_sum;

/// Reusable buffers of the fused kernels, sized for one problem shape.
///
/// Keep one per solver run: [`fused_gradient`] then allocates nothing. The buffers hold one
/// block of linear predictors and one `p x k` partial gradient per task (`O(p k n / 16384)`
/// numbers in all, never `O(n p)`).
///
/// # Examples
/// ```
/// use linmod_linalg_core::{PassScratch, RowBlocks};
/// let part = RowBlocks::for_pass(1000, 3);
/// let scratch = PassScratch::new(part, 3, 1);
/// assert_eq!(scratch.partition(), part);
/// ```
#[derive(Clone, Debug)]
pub struct PassScratch {
    pub(crate) part: RowBlocks,
    pub(crate) p: usize,
    pub(crate) k: usize,
    pub(crate) tasks: Vec<TaskBuffers>,
}

#[derive(Clone, Debug)]
pub(crate) struct TaskBuffers {
    z: Vec<f64>,
    pub(crate) grad_w: Vec<f64>,
    grad_b: Vec<f64>,
    value: f64,
}

impl PassScratch {
    /// Buffers for an `n x p` matrix `X` (with `n = part.n_rows()`) and `k` linear predictors
    /// per row (`k = 1` for binary and linear models, `K` classes for the multinomial model).
    #[must_use]
    pub fn new(part: RowBlocks, p: usize, k: usize) -> Self {
        let tasks = (0..part.n_tasks())
            .map(|_| TaskBuffers {
                z: vec![0.0; part.block_rows().min(part.n_rows()) * k],
                grad_w: vec![0.0; p * k],
                grad_b: vec![0.0; k],
                value: 0.0,
            })
            .collect();
        Self { part, p, k, tasks }
    }

    /// Buffers for the design `x` with its pass partition ([`Design::pass_partition`]).
    #[must_use]
    pub fn for_matrix<D: Design>(x: D, k: usize) -> Self {
        Self::new(x.pass_partition(), x.ncols(), k)
    }

    /// The row partition the buffers were made for.
    #[must_use]
    pub fn partition(&self) -> RowBlocks {
        self.part
    }

    fn check<D: Design>(&self, x: &D, w: MatRef<'_, f64>, b: &[f64]) {
        assert_eq!(
            x.nrows(),
            self.part.n_rows(),
            "X rows differ from the scratch partition"
        );
        assert_eq!(
            x.ncols(),
            self.p,
            "X columns differ from the scratch buffers"
        );
        assert_eq!(
            w.nrows(),
            self.p,
            "coefficients have the wrong number of rows"
        );
        assert_eq!(
            w.ncols(),
            self.k,
            "coefficients have the wrong number of columns"
        );
        assert_eq!(b.len(), self.k, "intercepts have the wrong length");
    }
}

/// Computes `Z_b = X_b W + 1 b^T` for each row block, lets `map` turn `Z_b` into residuals
/// in place, and accumulates `grad_w = X^T R` and `grad_b = R^T 1` (column sums of `R`).
/// Returns the sum of the values `map` returned.
///
/// `map(rows, z)` receives the global row range of the block and its predictors `z`, stored
/// column-major as `rows.len() x k` (for `k = 1` simply one value per row); it overwrites `z`
/// with the residuals `r_i = dloss/dz_i` and returns the block's loss. For the logistic loss,
/// `r_i = sigma(z_i) - y_i` and the loss is `sum softplus(z_i) - y_i z_i`.
///
/// `X` is read once; blocks are processed in a fixed order inside fixed tasks and the task
/// results are added in order, so the output is identical for any thread count. Scaling (for
/// example by `1/n`) is left to the caller.
///
/// # Panics
/// If shapes differ from those `scratch` was made for.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Mat, Parallelism, PassScratch, fused_gradient, mat};
/// // least squares: r = z - y, loss = sum r^2 / 2
/// let x = mat![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let y = [1.0, 2.0, 3.0];
/// let w = mat![[0.5], [0.25]];
/// let mut scratch = PassScratch::for_matrix(x.as_ref(), 1);
/// let mut g = Mat::<f64>::zeros(2, 1);
/// let mut gb = [0.0];
/// let loss = fused_gradient(
///     x.as_ref(), w.as_ref(), &[0.0], &mut scratch, Parallelism::Sequential,
///     |rows, z| {
///         let mut s = 0.0;
///         for (zi, yi) in z.iter_mut().zip(&y[rows]) {
///             *zi -= yi;
///             s += 0.5 * *zi * *zi;
///         }
///         s
///     },
///     g.as_mut(), &mut gb,
/// );
/// // residuals: 0, 0.5, 1.0
/// assert_eq!(loss, 0.625);
/// assert_eq!(g[(0, 0)], 6.5);
/// assert_eq!(g[(1, 0)], 8.0);
/// assert_eq!(gb[0], 1.5);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn fused_gradient<D, F>(
    x: D,
    w: MatRef<'_, f64>,
    b: &[f64],
    scratch: &mut PassScratch,
    par: Parallelism,
    map: F,
    grad_w: MatMut<'_, f64>,
    grad_b: &mut [f64],
) -> f64
where
    D: Design,
    F: Fn(Range<usize>, &mut [f64]) -> f64 + Sync + Send,
{
    fused_pass(
        x,
        w,
        b,
        scratch,
        par,
        |rows, z, _| map(rows, z),
        grad_w,
        grad_b,
        (&mut [], 0),
    )
}

/// [`fused_gradient`] that also lets `map` write `m` values per row into `row_out`
/// (row-major: row `i`'s values at `i m .. (i + 1) m`): per-row quantities of the same pass,
/// such as the IRLS weights `s_i sigma(z_i)(1 - sigma(z_i))` that a Newton step needs next,
/// without a second pass over `X`.
///
/// `map(rows, z, out)` receives the block's slice of `row_out` (`rows.len() m` entries).
///
/// # Panics
/// As [`fused_gradient`], and if `row_out` does not have `n m` entries.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Mat, Parallelism, PassScratch, fused_gradient_rows, mat};
/// let x = mat![[1.0], [2.0], [3.0]];
/// let w = mat![[2.0]];
/// let mut scratch = PassScratch::for_matrix(x.as_ref(), 1);
/// let (mut g, mut gb, mut sq) = (Mat::<f64>::zeros(1, 1), [0.0], [0.0; 3]);
/// fused_gradient_rows(
///     x.as_ref(), w.as_ref(), &[0.0], &mut scratch, Parallelism::Rayon,
///     |_, z, out| {
///         for (o, zi) in out.iter_mut().zip(z.iter_mut()) {
///             *o = *zi * *zi;
///             *zi = 1.0;
///         }
///         0.0
///     },
///     g.as_mut(), &mut gb, &mut sq, 1,
/// );
/// assert_eq!(sq, [4.0, 16.0, 36.0]);
/// assert_eq!(g[(0, 0)], 6.0);
/// ```
#[allow(clippy::too_many_arguments)]
pub fn fused_gradient_rows<D, F>(
    x: D,
    w: MatRef<'_, f64>,
    b: &[f64],
    scratch: &mut PassScratch,
    par: Parallelism,
    map: F,
    grad_w: MatMut<'_, f64>,
    grad_b: &mut [f64],
    row_out: &mut [f64],
    m: usize,
) -> f64
where
    D: Design,
    F: Fn(Range<usize>, &mut [f64], &mut [f64]) -> f64 + Sync + Send,
{
    assert_eq!(
        row_out.len(),
        x.nrows() * m,
        "row output has the wrong length"
    );
    fused_pass(x, w, b, scratch, par, map, grad_w, grad_b, (row_out, m))
}

#[allow(clippy::too_many_arguments)]
fn fused_pass<D, F>(
    x: D,
    w: MatRef<'_, f64>,
    b: &[f64],
    scratch: &mut PassScratch,
    par: Parallelism,
    map: F,
    mut grad_w: MatMut<'_, f64>,
    grad_b: &mut [f64],
    (row_out, m): (&mut [f64], usize),
) -> f64
where
    D: Design,
    F: Fn(Range<usize>, &mut [f64], &mut [f64]) -> f64 + Sync + Send,
{
    scratch.check(&x, w, b);
    assert_eq!(
        grad_w.nrows(),
        scratch.p,
        "gradient has the wrong number of rows"
    );
    assert_eq!(
        grad_w.ncols(),
        scratch.k,
        "gradient has the wrong number of columns"
    );
    assert_eq!(
        grad_b.len(),
        scratch.k,
        "intercept gradient has the wrong length"
    );
    let (part, p, k) = (scratch.part, scratch.p, scratch.k);
    let task_len = part.block_rows() * part.blocks_per_task() * m;
    for_each_task_rows(&mut scratch.tasks, row_out, task_len, par, |t, buf, out| {
        buf.grad_w.fill(0.0);
        buf.grad_b.fill(0.0);
        buf.value = 0.0;
        let task_start = part.task_rows(t).start;
        for blk in part.task_blocks(t) {
            let rows = part.block(blk);
            let len = rows.len();
            let z = &mut buf.z[..len * k];
            x.block_predictors(rows.clone(), w, b, z);
            let off = (rows.start - task_start) * m;
            let block_out = if out.is_empty() {
                &mut [][..]
            } else {
                &mut out[off..off + len * m]
            };
            buf.value += map(rows.clone(), z, block_out);
            let r = MatRef::from_column_major_slice(z, len, k);
            let g = MatMut::from_column_major_slice_mut(&mut buf.grad_w, p, k);
            x.block_add_transpose_product(rows, r, g);
            for (c, gb) in buf.grad_b.iter_mut().enumerate() {
                *gb += vector_sum(&z[c * len..(c + 1) * len]);
            }
        }
    });
    grad_w.fill(0.0);
    grad_b.fill(0.0);
    let mut value = 0.0;
    for buf in &scratch.tasks {
        let g = MatRef::from_column_major_slice(&buf.grad_w, p, k);
        grad_w += g;
        for (a, v) in grad_b.iter_mut().zip(&buf.grad_b) {
            *a += v;
        }
        value += buf.value;
    }
    value
}

/// Computes `Z_b = X_b W + 1 b^T` for each row block and returns the sum of `map(rows, z)`:
/// the value-only counterpart of [`fused_gradient`] (for line searches and metrics).
///
/// `map` may overwrite `z`; nothing else is accumulated. Identical for any thread count.
///
/// # Panics
/// If shapes differ from those `scratch` was made for.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Parallelism, PassScratch, fused_value, mat};
/// let x = mat![[1.0, 2.0], [3.0, 4.0]];
/// let w = mat![[1.0], [1.0]];
/// let mut scratch = PassScratch::for_matrix(x.as_ref(), 1);
/// let total = fused_value(x.as_ref(), w.as_ref(), &[0.5], &mut scratch, Parallelism::Rayon,
///     |_, z| z.iter().sum());
/// assert_eq!(total, 3.5 + 7.5);
/// ```
pub fn fused_value<D, F>(
    x: D,
    w: MatRef<'_, f64>,
    b: &[f64],
    scratch: &mut PassScratch,
    par: Parallelism,
    map: F,
) -> f64
where
    D: Design,
    F: Fn(Range<usize>, &mut [f64]) -> f64 + Sync + Send,
{
    scratch.check(&x, w, b);
    let (part, k) = (scratch.part, scratch.k);
    for_each_task(&mut scratch.tasks, par, |t, buf| {
        buf.value = 0.0;
        for blk in part.task_blocks(t) {
            let rows = part.block(blk);
            let len = rows.len();
            let z = &mut buf.z[..len * k];
            x.block_predictors(rows.clone(), w, b, z);
            buf.value += map(rows, z);
        }
    });
    scratch.tasks.iter().map(|t| t.value).sum()
}
