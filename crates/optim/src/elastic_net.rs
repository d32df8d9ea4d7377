//! The elastic-net penalty and its proximal operator.

use std::ops::Range;

use crate::error::{Result, check_range};
use crate::vecops::nan_max;

/// `h(x) = l1 sum_{j in J} |x_j| + l2 sum_{j in J} x_j^2` over the penalized coordinates `J`
/// (all by default; models leave their intercepts out).
///
/// Its proximal operator is separable:
/// `prox_{t h}(v)_j = S(v_j, t l1) / (1 + 2 t l2)` for `j in J` (and `v_j` otherwise), with the
/// soft-thresholding `S(v, c) = sign(v) max(|v| - c, 0)`.
///
/// # Examples
/// ```
/// use linmod_optim::ElasticNet;
/// let pen = ElasticNet::new(1.0, 0.5).unwrap();
/// let mut v = [3.0, -0.5];
/// pen.prox(1.0, &mut v);
/// assert_eq!(v, [1.0, 0.0]); // S(3, 1) / (1 + 1) and S(-0.5, 1) = 0
/// assert_eq!(pen.value(&[1.0, -2.0]), 3.0 + 2.5);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ElasticNet {
    l1: f64,
    l2: f64,
    penalized: Option<Range<usize>>,
}

impl ElasticNet {
    /// The penalty with strengths `l1, l2 >= 0` on every coordinate.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) for a negative or
    /// non-finite strength.
    pub fn new(l1: f64, l2: f64) -> Result<Self> {
        check_range("l1", l1, 0.0, f64::MAX, false, "finite and >= 0")?;
        check_range("l2", l2, 0.0, f64::MAX, false, "finite and >= 0")?;
        Ok(Self {
            l1,
            l2,
            penalized: None,
        })
    }

    /// Restricts the penalty to the coordinates in `range` (the others, e.g. intercepts, are
    /// free).
    #[must_use]
    pub fn on(mut self, range: Range<usize>) -> Self {
        self.penalized = Some(range);
        self
    }

    /// The L1 strength.
    #[must_use]
    pub fn l1(&self) -> f64 {
        self.l1
    }

    /// The L2 strength.
    #[must_use]
    pub fn l2(&self) -> f64 {
        self.l2
    }

    fn range(&self, n: usize) -> Range<usize> {
        match &self.penalized {
            Some(r) => r.start.min(n)..r.end.min(n),
            None => 0..n,
        }
    }

    /// True when coordinate `j` is penalized (not left free by [`on`](Self::on)).
    #[must_use]
    pub fn penalizes(&self, j: usize) -> bool {
        self.penalized.as_ref().is_none_or(|r| r.contains(&j))
    }

    /// The strengths `(l1, l2)` on coordinate `j`: `(0, 0)` for a coordinate the penalty
    /// leaves free.
    #[must_use]
    pub fn strengths(&self, j: usize) -> (f64, f64) {
        if self.penalizes(j) {
            (self.l1, self.l2)
        } else {
            (0.0, 0.0)
        }
    }

    /// `|s_j|` for the minimum-norm subgradient `s` of `f + h` along coordinate `j`, where
    /// `x_j` is the coordinate and `g_j = df/dx_j`: with `u = g_j + 2 l2 x_j`, it is
    /// `|u + l1 sign(x_j)|` for `x_j != 0` and `max(|u| - l1, 0)` for `x_j = 0`.
    #[must_use]
    pub fn coordinate_optimality(&self, j: usize, x_j: f64, g_j: f64) -> f64 {
        let (l1, l2) = self.strengths(j);
        let u = g_j + 2.0 * l2 * x_j;
        if x_j != 0.0 {
            (u + l1 * x_j.signum()).abs()
        } else {
            (u.abs() - l1).max(0.0)
        }
    }

    /// The infinity norm of the minimum-norm subgradient of `f + h` at `x`, given
    /// `g = grad f(x)` ([`coordinate_optimality`](Self::coordinate_optimality) for every
    /// coordinate; NaN when one is NaN). For convex `f` it is zero exactly at the minimizers of
    /// `f + h`; it is the optimality measure of the coordinate-descent and proximal Newton
    /// solvers.
    ///
    /// # Examples
    /// ```
    /// use linmod_optim::ElasticNet;
    /// let pen = ElasticNet::new(1.0, 0.0).unwrap();
    /// // at 0 a gradient inside [-l1, l1] is optimal; at 2, g must be -l1
    /// assert_eq!(pen.optimality(&[0.0, 2.0], &[0.5, -1.0]), 0.0);
    /// assert_eq!(pen.optimality(&[0.0, 2.0], &[1.5, -1.0]), 0.5);
    /// ```
    #[must_use]
    pub fn optimality(&self, x: &[f64], g: &[f64]) -> f64 {
        x.iter().zip(g).enumerate().fold(0.0, |m, (j, (&xj, &gj))| {
            nan_max(m, self.coordinate_optimality(j, xj, gj))
        })
    }

    /// `h(x)`.
    #[must_use]
    pub fn value(&self, x: &[f64]) -> f64 {
        x[self.range(x.len())]
            .iter()
            .map(|v| self.l1 * v.abs() + self.l2 * v * v)
            .sum()
    }

    /// Replaces `x` by `prox_{t h}(x)`.
    pub fn prox(&self, t: f64, x: &mut [f64]) {
        let r = self.range(x.len());
        let (c, shrink) = (t * self.l1, 1.0 / (1.0 + 2.0 * t * self.l2));
        for v in &mut x[r] {
            *v = soft_threshold(*v, c) * shrink;
        }
    }
}

/// `S(v, c) = sign(v) max(|v| - c, 0)`, the proximal operator of `c |.|`.
///
/// # Examples
/// ```
/// use linmod_optim::soft_threshold;
/// assert_eq!(soft_threshold(2.5, 1.0), 1.5);
/// assert_eq!(soft_threshold(-0.5, 1.0), 0.0);
/// ```
#[must_use]
pub fn soft_threshold(v: f64, c: f64) -> f64 {
    if v > c {
        v - c
    } else if v < -c {
        v + c
    } else {
        0.0
    }
}
