//! Penalty strengths and their conversions from the parametrizations of other libraries.

use serde::{Deserialize, Serialize};

use crate::error::{ModelError, Result};

/// The penalty `l1 sum_j |w_j| + l2 sum_j w_j^2`, never applied to intercepts.
///
/// linmod's objectives are mean losses plus this penalty (`docs/math.md`). Other libraries
/// scale differently; the constructors below convert:
///
/// | reference | its parameters | ours |
/// |---|---|---|
/// | loss + (1/C) sum w^2 (the course's form) | C | `l2 = 1/C` ([`Penalty::inverse_c_l2`]) |
/// | loss + (1/C) sum abs(w) (the course's form) | C | `l1 = 1/C` ([`Penalty::inverse_c_l1`]) |
/// | scikit-learn `LogisticRegression`, L2 | C | `l2 = 1/(2 n C)` ([`Penalty::sklearn_logistic_l2`]) |
/// | scikit-learn `LogisticRegression`, L1 | C | `l1 = 1/(n C)` ([`Penalty::sklearn_logistic_l1`]) |
/// | scikit-learn `LogisticRegression`, elastic net | C, l1_ratio r | `l1 = r/(n C)`, `l2 = (1-r)/(2 n C)` |
/// | scikit-learn `Lasso` | alpha | `l1 = alpha` ([`Penalty::sklearn_lasso`]) |
/// | scikit-learn `Ridge` (sum of squares, no 1/n) | alpha | `l2 = alpha/(2 n)` ([`Penalty::sklearn_ridge`]) |
/// | scikit-learn `ElasticNet` | alpha, l1_ratio r | `l1 = alpha r`, `l2 = alpha (1-r)/2` ([`Penalty::sklearn_elastic_net`]) |
/// | glmnet | lambda, alpha a | `l1 = lambda a`, `l2 = lambda (1-a)/2` ([`Penalty::glmnet`]) |
///
/// # Examples
/// ```
/// use linmod_models::Penalty;
/// let p = Penalty::sklearn_logistic_l2(1.0, 100).unwrap();
/// assert_eq!(p.l2, 0.005);
/// assert_eq!(Penalty::glmnet(0.1, 0.5).unwrap(), Penalty::elastic_net(0.05, 0.025).unwrap());
/// assert!(Penalty::l1(-1.0).is_err());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Penalty {
    /// L1 strength `l1 >= 0`.
    pub l1: f64,
    /// L2 strength `l2 >= 0`.
    pub l2: f64,
}

/// The largest penalty strength accepted. Objectives are mean losses, so a strength of
/// `1e100` already holds every coefficient at zero to a hundred digits; beyond it the
/// penalty's curvature `2 l2` and its value overflow, which would surface as an
/// optimizer failure instead of an error about the penalty.
pub const MAX_STRENGTH: f64 = 1e100;

/// The largest L1 strength accepted: any finite value. An L1 strength is in the units of the
/// target (scaling `y` by `c` scales the lasso's solution and the strength that selects it by
/// `c`), so targets near `1e300` need strengths beyond it; the L1 term never enters a
/// curvature, and the solvers divide it by the target's scale.
pub const MAX_L1: f64 = f64::MAX;

fn check_strength(name: &'static str, v: f64) -> Result<f64> {
    if v.is_finite() && (0.0..=MAX_STRENGTH).contains(&v) {
        Ok(v)
    } else {
        Err(ModelError::InvalidParameter {
            name,
            value: v,
            requirement: "finite, >= 0 and at most 1e100 (stronger penalties overflow)",
        })
    }
}

fn check_l1(name: &'static str, v: f64) -> Result<f64> {
    if v.is_finite() && (0.0..=MAX_L1).contains(&v) {
        Ok(v)
    } else {
        Err(ModelError::InvalidParameter {
            name,
            value: v,
            requirement: "finite and >= 0",
        })
    }
}

fn check_c(c: f64) -> Result<f64> {
    // the strength is 1/C (times positive factors >= 1 for the conversions that divide by
    // n), so C below 1/MAX_STRENGTH would make it overflow or exceed the limit
    if c.is_finite() && c >= 1.0 / MAX_STRENGTH {
        Ok(c)
    } else {
        Err(ModelError::InvalidParameter {
            name: "C",
            value: c,
            requirement: "finite and at least 1e-100 (the penalty strength is 1/C; \
                          for no penalty, set no C)",
        })
    }
}

fn check_ratio(name: &'static str, r: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&r) {
        Ok(r)
    } else {
        Err(ModelError::InvalidParameter {
            name,
            value: r,
            requirement: "in [0, 1]",
        })
    }
}

fn check_n(n: usize) -> Result<f64> {
    if n == 0 {
        return Err(ModelError::InvalidParameter {
            name: "n_samples",
            value: 0.0,
            requirement: ">= 1",
        });
    }
    Ok(n as f64)
}

impl Penalty {
    /// No penalty.
    #[must_use]
    pub fn none() -> Self {
        Self::default()
    }

    /// Ridge: `l2 sum w^2`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a negative or non-finite strength.
    pub fn l2(l2: f64) -> Result<Self> {
        Ok(Self {
            l1: 0.0,
            l2: check_strength("l2", l2)?,
        })
    }

    /// Lasso: `l1 sum |w|`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a negative or non-finite strength.
    pub fn l1(l1: f64) -> Result<Self> {
        Ok(Self {
            l1: check_l1("l1", l1)?,
            l2: 0.0,
        })
    }

    /// Elastic net: `l1 sum |w| + l2 sum w^2`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a negative or non-finite strength.
    pub fn elastic_net(l1: f64, l2: f64) -> Result<Self> {
        Ok(Self {
            l1: check_l1("l1", l1)?,
            l2: check_strength("l2", l2)?,
        })
    }

    /// The penalty of "loss + (1/C) sum w^2" (the course's form): `l2 = 1/C`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] unless `C` is finite and positive.
    pub fn inverse_c_l2(c: f64) -> Result<Self> {
        Self::l2(1.0 / check_c(c)?)
    }

    /// The penalty of "loss + (1/C) sum |w|" (the course's form): `l1 = 1/C`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] unless `C` is finite and positive.
    pub fn inverse_c_l1(c: f64) -> Result<Self> {
        Self::l1(1.0 / check_c(c)?)
    }

    /// scikit-learn's `LogisticRegression(penalty="l2", C)` on `n` samples:
    /// `C sum loss_i + w^2/2` divided by `n C` gives `l2 = 1/(2 n C)`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for `C <= 0` or `n = 0`.
    pub fn sklearn_logistic_l2(c: f64, n: usize) -> Result<Self> {
        Self::l2(1.0 / (2.0 * check_n(n)? * check_c(c)?))
    }

    /// scikit-learn's `LogisticRegression(penalty="l1", C)` on `n` samples: `l1 = 1/(n C)`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for `C <= 0` or `n = 0`.
    pub fn sklearn_logistic_l1(c: f64, n: usize) -> Result<Self> {
        Self::l1(1.0 / (check_n(n)? * check_c(c)?))
    }

    /// scikit-learn's `LogisticRegression(penalty="elasticnet", C, l1_ratio=r)` on `n`
    /// samples: `l1 = r/(n C)`, `l2 = (1 - r)/(2 n C)`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for `C <= 0`, `n = 0` or `r` outside `[0, 1]`.
    pub fn sklearn_logistic_elastic_net(c: f64, l1_ratio: f64, n: usize) -> Result<Self> {
        let nc = check_n(n)? * check_c(c)?;
        let r = check_ratio("l1_ratio", l1_ratio)?;
        Self::elastic_net(r / nc, (1.0 - r) / (2.0 * nc))
    }

    /// scikit-learn's `Lasso(alpha)`: `l1 = alpha`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a negative or non-finite `alpha`.
    pub fn sklearn_lasso(alpha: f64) -> Result<Self> {
        Self::l1(alpha)
    }

    /// scikit-learn's `Ridge(alpha)` (penalty added to the *sum* of squares) on `n` samples:
    /// `l2 = alpha/(2 n)`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a negative `alpha` or `n = 0`.
    pub fn sklearn_ridge(alpha: f64, n: usize) -> Result<Self> {
        Self::l2(check_strength("alpha", alpha)? / (2.0 * check_n(n)?))
    }

    /// scikit-learn's `ElasticNet(alpha, l1_ratio=r)`: `l1 = alpha r`, `l2 = alpha (1-r)/2`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a negative `alpha` or `r` outside `[0, 1]`.
    pub fn sklearn_elastic_net(alpha: f64, l1_ratio: f64) -> Result<Self> {
        // the parts are checked by `elastic_net` (the L1 part may be as large as the target)
        let a = check_l1("alpha", alpha)?;
        let r = check_ratio("l1_ratio", l1_ratio)?;
        Self::elastic_net(a * r, a * (1.0 - r) / 2.0)
    }

    /// glmnet's `lambda` and mixing `alpha`: `l1 = lambda alpha`, `l2 = lambda (1-alpha)/2`.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for a negative `lambda` or `alpha` outside `[0, 1]`.
    pub fn glmnet(lambda: f64, alpha: f64) -> Result<Self> {
        // the parts are checked by `elastic_net` (the L1 part may be as large as the target)
        let l = check_l1("lambda", lambda)?;
        let a = check_ratio("alpha", alpha)?;
        Self::elastic_net(l * a, l * (1.0 - a) / 2.0)
    }

    /// Validates the strengths (for values built by hand or deserialized).
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] naming the bad strength.
    pub fn check(&self) -> Result<()> {
        check_l1("l1", self.l1)?;
        check_strength("l2", self.l2)?;
        Ok(())
    }

    /// True when there is no penalty at all.
    #[must_use]
    pub fn is_none(&self) -> bool {
        self.l1 == 0.0 && self.l2 == 0.0
    }

    /// True when the penalty has an L1 part (the objective is not smooth).
    #[must_use]
    pub fn has_l1(&self) -> bool {
        self.l1 > 0.0
    }

    /// `l1 sum |w_j| + l2 sum w_j^2` for the coefficients `w` (no intercepts).
    #[must_use]
    pub fn value(&self, w: &[f64]) -> f64 {
        self.l1_value(w) + self.l2_value(w)
    }

    /// The L1 part `l1 sum |w_j|` (the non-smooth part of an objective).
    #[must_use]
    pub fn l1_value(&self, w: &[f64]) -> f64 {
        self.l1 * w.iter().map(|v| v.abs()).sum::<f64>()
    }

    /// The L2 part `l2 sum w_j^2` (part of the smooth part of an objective).
    #[must_use]
    pub fn l2_value(&self, w: &[f64]) -> f64 {
        self.l2 * w.iter().map(|v| v * v).sum::<f64>()
    }

    /// The derivative of the L2 part in one coefficient, `2 l2 w_j`.
    #[must_use]
    pub fn l2_gradient(&self, wj: f64) -> f64 {
        2.0 * self.l2 * wj
    }

    /// The second derivative of the L2 part, `2 l2` (the same on every coefficient).
    #[must_use]
    pub fn l2_curvature(&self) -> f64 {
        2.0 * self.l2
    }
}
