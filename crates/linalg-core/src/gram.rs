//! Weighted Gram matrices `X^T diag(d) X`, the Hessians of generalized linear models.

use faer::{Mat, MatMut};

use crate::design::Design;
use crate::partition::{Parallelism, RowBlocks, for_each_task};
use crate::vector_state::vector_sum;

/// Reusable buffers of [`weighted_gram`] for one problem shape: per task, one `p x p` partial
/// Gram matrix and one row block of `diag(d) X` (at most 8 tasks, see
/// [`RowBlocks::for_gram`]).
///
/// # Examples
/// ```
/// use linmod_linalg_core::{GramScratch, mat};
/// let x = mat![[1.0, 2.0], [3.0, 4.0]];
/// let scratch = GramScratch::for_matrix(x.as_ref());
/// assert_eq!(scratch.partition().n_rows(), 2);
/// ```
#[derive(Clone, Debug)]
pub struct GramScratch {
    part: RowBlocks,
    p: usize,
    block_len: usize,
    tasks: Vec<GramTask>,
}

#[derive(Clone, Debug)]
struct GramTask {
    gram: Mat<f64>,
    xtd: Vec<f64>,
    dsum: f64,
    block: Vec<f64>,
}

impl GramScratch {
    /// Buffers for a dense `n x p` matrix with the row partition `part` (`part.n_rows() = n`).
    ///
    /// The `p x p` buffers are allocated by the first Gram pass, not here: an objective that
    /// holds the scratch but is minimized by a first-order solver never pays for them.
    #[must_use]
    pub fn new(part: RowBlocks, p: usize) -> Self {
        Self::with_block_len(part, p, part.block_rows().min(part.n_rows()) * p)
    }

    /// Buffers for an `n x p` design with the row partition `part` and `block_len` entries of
    /// per-task scratch for the design's block products ([`Design::gram_buffer_len`]),
    /// allocated by the first Gram pass.
    #[must_use]
    pub fn with_block_len(part: RowBlocks, p: usize, block_len: usize) -> Self {
        Self {
            part,
            p,
            block_len,
            tasks: Vec::new(),
        }
    }

    /// Allocates the per-task buffers on first use.
    fn allocate(&mut self) {
        if self.tasks.is_empty() {
            let (part, p, block_len) = (self.part, self.p, self.block_len);
            self.tasks = (0..part.n_tasks())
                .map(|_| GramTask {
                    gram: Mat::zeros(p, p),
                    xtd: vec![0.0; p],
                    dsum: 0.0,
                    block: vec![0.0; block_len],
                })
                .collect();
        }
    }

    /// Buffers for the design `x` with its Gram partition ([`Design::gram_partition`]).
    #[must_use]
    pub fn for_matrix<D: Design>(x: D) -> Self {
        let part = x.gram_partition();
        Self::with_block_len(part, x.ncols(), x.gram_buffer_len(part.block_rows()))
    }

    /// The row partition the buffers were made for.
    #[must_use]
    pub fn partition(&self) -> RowBlocks {
        self.part
    }
}

/// Computes the lower triangle (diagonal included) of `X^T diag(d) X` into `gram`, the vector
/// `X^T d` into `xtd` when given, and returns `sum_i d_i`.
///
/// With an intercept column of ones appended to `X`, the weighted Gram matrix is
/// `[[X^T D X, X^T d], [d^T X, sum d]]`, so the three outputs give the full Hessian of a
/// generalized linear model in one pass over `X`.
///
/// Works for weights of any sign. Per row block, `diag(d_b) X_b` is formed in a block buffer
/// and `X_b^T (diag(d_b) X_b)` is added to the lower triangle of the task's partial result
/// (a symmetric rank-k update): no `n x n` matrix and no `n x p` temporary. The strict upper
/// triangle of `gram` is not touched. Identical for any thread count.
///
/// # Panics
/// If shapes differ from those `scratch` was made for, `d` has a length other than `n`,
/// `gram` is not `p x p` or `xtd` is not of length `p`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{GramScratch, Mat, Parallelism, mat, weighted_gram};
/// let x = mat![[1.0, 2.0], [3.0, 4.0]];
/// let d = [1.0, 0.5];
/// let mut scratch = GramScratch::for_matrix(x.as_ref());
/// let mut g = Mat::<f64>::zeros(2, 2);
/// let mut xtd = [0.0; 2];
/// let dsum = weighted_gram(x.as_ref(), &d, &mut scratch, Parallelism::Rayon, g.as_mut(), Some(&mut xtd));
/// assert_eq!((g[(0, 0)], g[(1, 0)], g[(1, 1)]), (5.5, 8.0, 12.0));
/// assert_eq!(xtd, [2.5, 4.0]);
/// assert_eq!(dsum, 1.5);
/// ```
pub fn weighted_gram<D: Design>(
    x: D,
    d: &[f64],
    scratch: &mut GramScratch,
    par: Parallelism,
    gram: MatMut<'_, f64>,
    xtd: Option<&mut [f64]>,
) -> f64 {
    assert_eq!(d.len(), x.nrows(), "weights have the wrong length");
    gram_pass(x, Some(d), scratch, par, gram, xtd)
}

/// Computes the lower triangle (diagonal included) of `X^T X` into `gram`: [`weighted_gram`]
/// with unit weights, which multiplies the row blocks of `X` as they are instead of forming
/// `diag(d_b) X_b` first. The strict upper triangle of `gram` is not touched; identical for
/// any thread count.
///
/// # Panics
/// If shapes differ from those `scratch` was made for or `gram` is not `p x p`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{GramScratch, Mat, Parallelism, gram_matrix, mat};
/// let x = mat![[1.0, 2.0], [3.0, 4.0]];
/// let mut scratch = GramScratch::for_matrix(x.as_ref());
/// let mut g = Mat::<f64>::zeros(2, 2);
/// gram_matrix(x.as_ref(), &mut scratch, Parallelism::Rayon, g.as_mut());
/// assert_eq!((g[(0, 0)], g[(1, 0)], g[(1, 1)]), (10.0, 14.0, 20.0));
/// ```
pub fn gram_matrix<D: Design>(
    x: D,
    scratch: &mut GramScratch,
    par: Parallelism,
    gram: MatMut<'_, f64>,
) {
    gram_pass(x, None, scratch, par, gram, None);
}

fn gram_pass<D: Design>(
    x: D,
    d: Option<&[f64]>,
    scratch: &mut GramScratch,
    par: Parallelism,
    mut gram: MatMut<'_, f64>,
    xtd: Option<&mut [f64]>,
) -> f64 {
    let (part, p) = (scratch.part, scratch.p);
    assert_eq!(
        x.nrows(),
        part.n_rows(),
        "X rows differ from the scratch partition"
    );
    assert_eq!(x.ncols(), p, "X columns differ from the scratch buffers");
    assert_eq!(
        (gram.nrows(), gram.ncols()),
        (p, p),
        "Gram output has the wrong shape"
    );
    scratch.allocate();
    for_each_task(&mut scratch.tasks, par, |t, task| {
        task.gram.fill(0.0);
        task.xtd.fill(0.0);
        task.dsum = 0.0;
        for blk in part.task_blocks(t) {
            let rows = part.block(blk);
            let db = d.map(|d| &d[rows.clone()]);
            if let Some(db) = db {
                task.dsum += vector_sum(db);
            }
            x.block_add_gram(rows, db, &mut task.block, task.gram.as_mut(), &mut task.xtd);
        }
    });
    for j in 0..p {
        for i in j..p {
            gram[(i, j)] = scratch.tasks.iter().map(|t| t.gram[(i, j)]).sum();
        }
    }
    if let Some(xtd) = xtd {
        assert_eq!(xtd.len(), p, "X^T d output has the wrong length");
        for (j, v) in xtd.iter_mut().enumerate() {
            *v = scratch.tasks.iter().map(|t| t.xtd[j]).sum();
        }
    }
    scratch.tasks.iter().map(|t| t.dsum).sum()
}

/// Copies the strict lower triangle of a square matrix onto its upper triangle.
///
/// # Panics
/// If `a` is not square.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{mat, symmetrize_lower};
/// let mut a = mat![[1.0, 0.0], [2.0, 3.0]];
/// symmetrize_lower(a.as_mut());
/// assert_eq!(a[(0, 1)], 2.0);
/// ```
pub fn symmetrize_lower(mut a: MatMut<'_, f64>) {
    assert_eq!(a.nrows(), a.ncols(), "matrix must be square");
    for j in 0..a.ncols() {
        for i in (j + 1)..a.nrows() {
            a[(j, i)] = a[(i, j)];
        }
    }
}
