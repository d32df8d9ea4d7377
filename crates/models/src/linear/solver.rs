//! The solvers of the linear-regression family and the rule by which `auto` chooses one.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::ModelError;

/// The algorithm that fits a [`LinearRegression`](super::LinearRegression).
///
/// | solver | string | penalties | method |
/// |---|---|---|---|
/// | [`Auto`](Self::Auto) | `auto` | all | picks one of the below (rule below) |
/// | [`Qr`](Self::Qr) | `qr` | none, `l2` | least squares by pivoted QR of the equilibrated design (rank decided after scaling, aliased columns reported, minimum-norm solution when rank deficient), refined against the data |
/// | [`Cholesky`](Self::Cholesky) | `cholesky` | none, `l2` | normal equations `(X_c^T S X_c / n + 2 l2 I) w = X_c^T S y_c / n`; the dual (kernel) form when `p > n`; refuses a system whose reciprocal condition number is below `1e-10` (`ModelError::IllConditioned`) |
/// | [`CoordinateDescent`](Self::CoordinateDescent) | `cd` | `l1`, `l2`, both (not none) | cyclic coordinate descent, duality-gap stopping rule |
/// | [`Fista`](Self::Fista) | `fista` | all | accelerated proximal gradient on `[w, b]` |
/// | [`GradientDescent`](Self::GradientDescent) | `gd` | none, `l2` | gradient descent with a learning rate, loss history |
/// | [`Sgd`](Self::Sgd) | `sgd` | none, `l2` | minibatch stochastic gradient descent |
/// | [`NewtonCg`](Self::NewtonCg) | `newton-cg` | none, `l2` | trust-region Newton with conjugate gradients on `[w, b]`: CG on the normal equations through products with `X` and `X^T`, no `p x p` matrix (sparse designs) |
///
/// # The `auto` rule
/// With `X_c` the centered design (the raw design without an intercept), `n` rows and `p`
/// features:
/// 1. `l1 > 0`: coordinate descent ([`CdMode::Auto`] picks Gram or residual mode).
/// 2. no `l1`, `p > n`: with `l2 > 0` the dual form of ridge (Cholesky of the `n x n` kernel
///    `S^{1/2} X_c X_c^T S^{1/2} + 2 n l2 I`); without a penalty the minimum-norm least-squares
///    solution by QR of the equilibrated design.
/// 3. no `l1`, `p <= n`: the normal equations by Cholesky when they are well conditioned:
///    the estimated 1-norm condition number of the diagonally scaled system matrix, times
///    the accuracy lost by centering through the Gram matrix
///    (`max_j (X^T S X)_jj / (X_c^T S X_c)_jj`), is at most `1e6`. Otherwise (or when the
///    factorization fails: rank deficiency) QR least squares, on `[S^{1/2} X_c; sqrt(2 n l2) I]`
///    for ridge.
///
/// The normal equations lose about `log10(condition number)` digits, so the rule keeps the
/// Cholesky answer within about `1e-10` relative of the QR answer (one refinement step above a
/// condition number of `1e3` brings it closer) while reading `X` only once. `docs/math.md`,
/// "The rank and conditioning policy", has every rule and tolerance.
///
/// # Examples
/// ```
/// use linmod_models::linear::LinearSolver;
/// let s: LinearSolver = "cd".parse().unwrap();
/// assert_eq!(s, LinearSolver::CoordinateDescent);
/// assert_eq!(s.to_string(), "cd");
/// assert!("newton".parse::<LinearSolver>().is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum LinearSolver {
    /// Choose by the rule above.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// QR least squares (`linalg_core::ScaledQr`).
    #[serde(rename = "qr")]
    Qr,
    /// Normal equations by Cholesky (dual form when `p > n`).
    #[serde(rename = "cholesky")]
    Cholesky,
    /// Cyclic coordinate descent.
    #[serde(rename = "cd")]
    CoordinateDescent,
    /// FISTA (accelerated proximal gradient).
    #[serde(rename = "fista")]
    Fista,
    /// Gradient descent.
    #[serde(rename = "gd")]
    GradientDescent,
    /// Minibatch stochastic gradient descent.
    #[serde(rename = "sgd")]
    Sgd,
    /// Trust-region Newton-CG (`optim::TrustRegion`).
    #[serde(rename = "newton-cg")]
    NewtonCg,
}

impl LinearSolver {
    /// Every solver, in the order of the table above.
    pub const ALL: [LinearSolver; 8] = [
        LinearSolver::Auto,
        LinearSolver::Qr,
        LinearSolver::Cholesky,
        LinearSolver::CoordinateDescent,
        LinearSolver::Fista,
        LinearSolver::GradientDescent,
        LinearSolver::Sgd,
        LinearSolver::NewtonCg,
    ];

    /// The string form (`auto`, `qr`, `cholesky`, `cd`, `fista`, `gd`, `sgd`, `newton-cg`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            LinearSolver::Auto => "auto",
            LinearSolver::Qr => "qr",
            LinearSolver::Cholesky => "cholesky",
            LinearSolver::CoordinateDescent => "cd",
            LinearSolver::Fista => "fista",
            LinearSolver::GradientDescent => "gd",
            LinearSolver::Sgd => "sgd",
            LinearSolver::NewtonCg => "newton-cg",
        }
    }

    /// True for the solvers that iterate (and so report an `optim::Report`).
    #[must_use]
    pub fn is_iterative(self) -> bool {
        matches!(
            self,
            LinearSolver::CoordinateDescent
                | LinearSolver::Fista
                | LinearSolver::GradientDescent
                | LinearSolver::Sgd
                | LinearSolver::NewtonCg
        )
    }
}

impl fmt::Display for LinearSolver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for LinearSolver {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|v| v.as_str() == s)
            .ok_or_else(|| {
                ModelError::Unsupported(format!(
                    "unknown linear solver `{s}`: expected one of auto, qr, cholesky, cd, fista, gd, sgd, newton-cg"
                ))
            })
    }
}

/// How coordinate descent keeps track of the fit.
///
/// * **Gram** ("covariance") mode forms `Q = X_c^T S X_c / n` once (`O(n p^2)`, one pass over
///   `X` with `linalg_core::weighted_gram`) and then costs `O(p)` per coordinate update, so a
///   full sweep is `O(p^2)` whatever `n`.
/// * **Residual** mode keeps the residual `r = y_c - X_c w` and costs `O(n)` per coordinate
///   update; nothing of size `p^2` is stored.
///
/// `Auto` uses Gram mode when `n >= 2 p`, `p <= 500` (glmnet's limit for its covariance mode)
/// and the columns are not so far from zero mean that centering through the Gram matrix loses
/// more than 4 digits (`max_j (X^T S X)_jj / (X_c^T S X_c)_jj <= 1e4`); residual mode
/// otherwise. Residual mode centers each column exactly as it reads it.
///
/// # Examples
/// ```
/// use linmod_models::linear::CdMode;
/// assert_eq!(CdMode::default(), CdMode::Auto);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CdMode {
    /// Gram mode for `n >> p`, residual mode otherwise (rule above).
    #[default]
    Auto,
    /// Precomputed Gram matrix.
    Gram,
    /// Residual updates.
    Residual,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_round_trip() {
        for s in LinearSolver::ALL {
            assert_eq!(s.to_string().parse::<LinearSolver>().unwrap(), s);
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{s}\""));
        }
        let err = "lbfgs".parse::<LinearSolver>().unwrap_err();
        assert!(err.to_string().contains("lbfgs"), "{err}");
    }
}
