//! `(X~^T X~)^{-1}` for the standard errors of least squares, `X~ = [1, X]`, from the QR
//! factorization of the centered, equilibrated design: as accurate as the coefficients,
//! where inverting `X~^T X~` by Cholesky would square the condition number (a degree-10
//! polynomial design has `cond(X~^T X~)` beyond `1 / eps`).
//!
//! With the column means `m`, the centered design `X_c = X - 1 m^T` and `G = X_c^T X_c`, the
//! block inverse of `X~^T X~ = [[n, n m^T], [n m, X^T X]]` is
//!
//! ```text
//! (X~^T X~)^{-1} = [[1/n + m^T G^{-1} m,  -(G^{-1} m)^T],
//!                   [-G^{-1} m,            G^{-1}       ]]
//! ```
//!
//! and `G^{-1}` comes from `linalg_core::ScaledQr` on `X_c` (`ScaledQr::inverse_gram`),
//! `m^T G^{-1} m` as the squared norm of `R^{-T}` applied to the scaled, permuted means
//! (`ScaledQr::whiten`).

use linalg_core::{Mat, MatRef, ScaledQr, column_means};

use crate::error::{ModelError, Result};

/// `(X~^T X~)^{-1}` (`k x k`, intercept first when `intercept`), or
/// [`ModelError::InferenceUnavailable`] naming the aliased columns (by `names`, default
/// `x1, x2, ...`) when the equilibrated design is numerically rank deficient.
pub(crate) fn ols_inverse_gram(
    x: MatRef<'_, f64>,
    intercept: bool,
    names: Option<&[String]>,
) -> Result<Mat<f64>> {
    let (n, p) = (x.nrows(), x.ncols());
    let m = if intercept {
        column_means(x, None)
    } else {
        vec![0.0; p]
    };
    let centered = Mat::from_fn(n, p, |i, j| x[(i, j)] - m[j]);
    let qr = ScaledQr::new(centered, None)?;
    let Some(g_inv) = qr.inverse_gram() else {
        let aliased: Vec<String> = qr
            .aliased()
            .iter()
            .map(|&j| names.map_or_else(|| format!("x{}", j + 1), |n| n[j].clone()))
            .collect();
        return Err(ModelError::InferenceUnavailable(format!(
            "the design is numerically rank deficient (rank {} of {p} after scaling every \
             column to unit norm{}): the aliased column(s) {} are linear combinations of the \
             others, so their coefficients are not identified",
            qr.rank(),
            if intercept { " around its mean" } else { "" },
            aliased.join(", ")
        )));
    };
    if !intercept {
        return Ok(g_inv);
    }
    let nf = n as f64;
    // m^T G^{-1} m as the sum of squares |R^{-T} m~|^2: formed from G^{-1} it cancels (two
    // nearly equal columns give entries of G^{-1} around 1e18 of opposite signs)
    let z = qr.whiten(&m).unwrap_or_default();
    let mgm: f64 = z.iter().map(|v| v * v).sum();
    let gm = qr.unwhiten(&z);
    Ok(Mat::from_fn(p + 1, p + 1, |a, b| match (a, b) {
        (0, 0) => 1.0 / nf + mgm,
        (0, b) => -gm[b - 1],
        (a, 0) => -gm[a - 1],
        (a, b) => g_inv[(a - 1, b - 1)],
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use linalg_core::mat;

    #[test]
    fn the_block_inverse_inverts_the_gram_matrix_with_ones() {
        let x = mat![[1.0, 3.0], [2.0, -1.0], [4.0, 0.5], [7.0, 2.0], [3.0, 3.0]];
        let inv = ols_inverse_gram(x.as_ref(), true, None).unwrap();
        let xt = Mat::from_fn(5, 3, |i, j| if j == 0 { 1.0 } else { x[(i, j - 1)] });
        let gram = xt.transpose() * &xt;
        let prod = &inv * &gram;
        for i in 0..3 {
            for j in 0..3 {
                let expect = if i == j { 1.0 } else { 0.0 };
                assert!(
                    (prod[(i, j)] - expect).abs() < 1e-12,
                    "{i} {j}: {}",
                    prod[(i, j)]
                );
            }
        }
        let dup = mat![[1.0, 2.0], [2.0, 4.0], [3.0, 6.0]];
        let err = ols_inverse_gram(dup.as_ref(), true, None).unwrap_err();
        assert!(err.to_string().contains("aliased column(s) x2"), "{err}");
    }
}
