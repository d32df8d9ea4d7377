//! Losses of several linear predictors per row, on blocks of rows: the interface the generic
//! objective computes with. Every scalar [`Loss`] is one (with one predictor per row).

use super::Loss;
use crate::error::Result;

/// A loss of `k` linear predictors per row, evaluated on a block of rows at a time.
///
/// Blocks hold `len` rows: `z` is `len x k`, column-major (predictor `c` of row `i` at
/// `z[c len + i]`), `y` the block's targets and `s` its sample weights (`None`: all 1). Every
/// scalar [`Loss`] implements this trait with `k = 1`; [`Softmax`](super::Softmax) implements
/// it with `k` classes.
pub trait MultiLoss: Sync {
    /// Linear predictors per row `k`.
    fn outputs(&self) -> usize;

    /// `sum_i s_i l(z_i; y_i)` over the block.
    fn block_loss(&self, z: &[f64], y: &[f64], s: Option<&[f64]>) -> f64;

    /// Returns `sum_i s_i l(z_i; y_i)` and overwrites `z` with `s_i dl/dz_i`. With
    /// `curvature` (one entry per row, `k = 1` only) also writes `s_i d2l/dz_i^2` there: the
    /// IRLS weights of the Hessian at the same point, without another pass.
    fn block_gradient(
        &self,
        z: &mut [f64],
        y: &[f64],
        s: Option<&[f64]>,
        curvature: Option<&mut [f64]>,
    ) -> f64;

    /// Writes `d_i = s_i d2l/(dz_a dz_c)` (row `i`'s Hessian entry for predictors `a`, `c`)
    /// into `d` (one entry per row).
    fn block_curvature(
        &self,
        z: &[f64],
        y: &[f64],
        s: Option<&[f64]>,
        a: usize,
        c: usize,
        d: &mut [f64],
    );

    /// For `zu = [Z, U]` (`len x 2k`: the predictors, then a direction per predictor),
    /// overwrites `U` with `s_i (d2l/dz_i^2) u_i` (row by row) and `Z` with zeros: the rows
    /// of the Hessian-vector product.
    fn block_hessian_vector(&self, zu: &mut [f64], y: &[f64], s: Option<&[f64]>);

    /// Checks the targets (labels in range, finite values, ...).
    ///
    /// # Errors
    /// A typed error naming the first invalid target.
    fn check_target(&self, y: &[f64]) -> Result<()>;
}

#[inline]
fn weight(s: Option<&[f64]>, i: usize) -> f64 {
    s.map_or(1.0, |s| s[i])
}

impl<L: Loss> MultiLoss for L {
    fn outputs(&self) -> usize {
        1
    }

    fn block_loss(&self, z: &[f64], y: &[f64], s: Option<&[f64]>) -> f64 {
        match s {
            None => z.iter().zip(y).map(|(&zi, &yi)| self.loss(zi, yi)).sum(),
            Some(s) => z
                .iter()
                .zip(y)
                .zip(s)
                .map(|((&zi, &yi), &si)| si * self.loss(zi, yi))
                .sum(),
        }
    }

    fn block_gradient(
        &self,
        z: &mut [f64],
        y: &[f64],
        s: Option<&[f64]>,
        curvature: Option<&mut [f64]>,
    ) -> f64 {
        let mut total = 0.0;
        match curvature {
            None => {
                for (i, (zi, &yi)) in z.iter_mut().zip(y).enumerate() {
                    let si = weight(s, i);
                    let (l, d) = self.loss_and_derivative(*zi, yi);
                    total += si * l;
                    *zi = si * d;
                }
            }
            Some(curv) => {
                for (i, ((zi, &yi), ci)) in z.iter_mut().zip(y).zip(curv.iter_mut()).enumerate() {
                    let si = weight(s, i);
                    let (l, d, c) = self.derivatives(*zi, yi);
                    total += si * l;
                    *zi = si * d;
                    *ci = si * c;
                }
            }
        }
        total
    }

    fn block_curvature(
        &self,
        z: &[f64],
        y: &[f64],
        s: Option<&[f64]>,
        _a: usize,
        _c: usize,
        d: &mut [f64],
    ) {
        for (i, ((di, &zi), &yi)) in d.iter_mut().zip(z).zip(y).enumerate() {
            *di = weight(s, i) * self.curvature(zi, yi);
        }
    }

    fn block_hessian_vector(&self, zu: &mut [f64], y: &[f64], s: Option<&[f64]>) {
        let len = y.len();
        let (z, u) = zu.split_at_mut(len);
        for (i, ((zi, ui), &yi)) in z.iter_mut().zip(u.iter_mut()).zip(y).enumerate() {
            *ui *= weight(s, i) * self.curvature(*zi, yi);
            *zi = 0.0;
        }
    }

    fn check_target(&self, y: &[f64]) -> Result<()> {
        Loss::check_target(self, y)
    }
}
