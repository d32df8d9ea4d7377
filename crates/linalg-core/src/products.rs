//! Matrix products with `X` on views: `X W + 1 b^T` and `X^T R`, blocked over rows so that the
//! results are identical for any thread count.

use faer::{MatMut, MatRef};
use rayon::prelude::*;

use crate::design::Design;
use crate::fused::PassScratch;
use crate::partition::{Parallelism, for_each_task};

/// Writes the linear predictors `out = X W + 1 b^T` (`n x k`, column-major slice of length
/// `n k`).
///
/// Each output row is computed inside one fixed row block, so the result does not depend on
/// the thread count.
///
/// # Panics
/// If `w` is not `p x k`, `b` not of length `k`, or `out` not of length `n k`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Parallelism, mat, mul_xw};
/// let x = mat![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let w = mat![[1.0], [-1.0]];
/// let mut z = [0.0; 3];
/// mul_xw(x.as_ref(), w.as_ref(), &[10.0], &mut z, Parallelism::Rayon);
/// assert_eq!(z, [9.0, 9.0, 9.0]);
/// ```
pub fn mul_xw<D: Design>(x: D, w: MatRef<'_, f64>, b: &[f64], out: &mut [f64], par: Parallelism) {
    let (n, p, k) = (x.nrows(), x.ncols(), w.ncols());
    assert_eq!(w.nrows(), p, "coefficients have the wrong number of rows");
    assert_eq!(b.len(), k, "intercepts have the wrong length");
    assert_eq!(out.len(), n * k, "output has the wrong length");
    if n == 0 {
        return;
    }
    let part = x.pass_partition();
    let block_rows = part.block_rows();
    if k == 1 {
        let fill = |(blk, chunk): (usize, &mut [f64])| {
            let rows = part.block(blk);
            x.block_predictors(rows, w, b, chunk);
        };
        match par {
            Parallelism::Sequential => out.chunks_mut(block_rows).enumerate().for_each(fill),
            Parallelism::Rayon => out.par_chunks_mut(block_rows).enumerate().for_each(fill),
        }
        return;
    }
    // With several columns a block's rows are not contiguous in `out` (stride n), so each
    // block is computed into its own buffer and copied.
    let mut blocks: Vec<(usize, Vec<f64>)> =
        (0..part.n_blocks()).map(|b| (b, Vec::new())).collect();
    let work = |(blk, buf): &mut (usize, Vec<f64>)| {
        let rows = part.block(*blk);
        buf.resize(rows.len() * k, 0.0);
        x.block_predictors(rows, w, b, buf);
    };
    match par {
        Parallelism::Sequential => blocks.iter_mut().for_each(work),
        Parallelism::Rayon => blocks.par_iter_mut().for_each(work),
    }
    for (blk, buf) in &blocks {
        let rows = part.block(*blk);
        let len = rows.len();
        for c in 0..k {
            out[c * n + rows.start..c * n + rows.end].copy_from_slice(&buf[c * len..(c + 1) * len]);
        }
    }
}

/// Writes `out = X^T R` (`p x k`) for `R` given column-major as a slice of length `n k`.
///
/// `X` is read once, by row blocks; per-task partial products are added in task order, so the
/// result does not depend on the thread count. `scratch` must have been made for `X` and `k`.
///
/// # Panics
/// If shapes differ from those `scratch` was made for or `r` has the wrong length.
///
/// # Examples
/// ```
/// use linmod_linalg_core::{Mat, Parallelism, PassScratch, mat, mul_xtr};
/// let x = mat![[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]];
/// let mut scratch = PassScratch::for_matrix(x.as_ref(), 1);
/// let mut g = Mat::<f64>::zeros(2, 1);
/// mul_xtr(x.as_ref(), &[1.0, 0.0, -1.0], &mut scratch, Parallelism::Rayon, g.as_mut());
/// assert_eq!((g[(0, 0)], g[(1, 0)]), (-4.0, -4.0));
/// ```
pub fn mul_xtr<D: Design>(
    x: D,
    r: &[f64],
    scratch: &mut PassScratch,
    par: Parallelism,
    mut out: MatMut<'_, f64>,
) {
    let n = x.nrows();
    let (part, p, k) = (scratch.part, scratch.p, scratch.k);
    assert_eq!(n, part.n_rows(), "X rows differ from the scratch partition");
    assert_eq!(x.ncols(), p, "X columns differ from the scratch buffers");
    assert_eq!(r.len(), n * k, "R has the wrong length");
    assert_eq!(
        (out.nrows(), out.ncols()),
        (p, k),
        "output has the wrong shape"
    );
    let rm = MatRef::from_column_major_slice(r, n, k);
    for_each_task(&mut scratch.tasks, par, |t, buf| {
        buf.grad_w.fill(0.0);
        let g = MatMut::from_column_major_slice_mut(&mut buf.grad_w, p, k);
        let rows = part.task_rows(t);
        let len = rows.len();
        x.block_add_transpose_product(rows.clone(), rm.subrows(rows.start, len), g);
    });
    out.fill(0.0);
    for buf in &scratch.tasks {
        out += MatRef::from_column_major_slice(&buf.grad_w, p, k);
    }
}
