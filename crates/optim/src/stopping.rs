//! Stopping rules shared by every solver.

use serde::{Deserialize, Serialize};

use crate::error::{Result, check_range};

/// The convergence tests a run can stop on, and the iteration limit.
///
/// A test is active when its tolerance is `Some`. After every iteration the active tests are
/// checked in the order below and the first that holds ends the run as converged; the report
/// names it ([`Criterion`]). When none holds by `max_iter` iterations the run ends with
/// [`Termination::MaxIterations`](crate::Termination::MaxIterations), never as converged.
///
/// | test | holds when |
/// |---|---|
/// | `gradient_tol` | `max_j |g_j| <= gradient_tol` (the infinity norm: independent of the dimension) |
/// | `relative_gradient_tol` | `max_j |g_j| <= relative_gradient_tol * max_j |g0_j|` (g0 at the start) |
/// | `value_tol` | `(f_{k-1} - f_k) / max(|f_k|, |f_{k-1}|, 1) <= value_tol` (scipy's `ftol`) |
/// | `param_tol` | `max_j |x_k,j - x_{k-1},j| <= param_tol` (the course's IRLS rule) |
///
/// Objectives in linmod are *mean* losses, so these tolerances mean the same thing for 100 or
/// 1 000 000 rows. The gradient tests are also checked at the starting point.
///
/// # Examples
/// ```
/// use linmod_optim::Stopping;
/// let s = Stopping::default().max_iter(100).param_tol(1e-8).gradient_tol(None);
/// assert_eq!(s.max_iter, 100);
/// assert_eq!(s.param_tol, Some(1e-8));
/// assert!(s.check().is_ok());
/// assert!(Stopping::default().value_tol(-1.0).check().is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Stopping {
    /// Iteration limit (default 1000).
    pub max_iter: usize,
    /// Absolute gradient test (default `Some(1e-8)`).
    pub gradient_tol: Option<f64>,
    /// Gradient test relative to the starting gradient (default `None`).
    pub relative_gradient_tol: Option<f64>,
    /// Relative objective-change test (default `None`).
    pub value_tol: Option<f64>,
    /// Parameter-change test (default `None`).
    pub param_tol: Option<f64>,
}

impl Default for Stopping {
    fn default() -> Self {
        Self {
            max_iter: 1000,
            gradient_tol: Some(1e-8),
            relative_gradient_tol: None,
            value_tol: None,
            param_tol: None,
        }
    }
}

impl Stopping {
    /// Sets the iteration limit.
    #[must_use]
    pub fn max_iter(mut self, max_iter: usize) -> Self {
        self.max_iter = max_iter;
        self
    }

    /// Sets (or with `None` disables) the absolute gradient test.
    #[must_use]
    pub fn gradient_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
        self.gradient_tol = tol.into();
        self
    }

    /// Sets (or disables) the gradient test relative to the starting gradient.
    #[must_use]
    pub fn relative_gradient_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
        self.relative_gradient_tol = tol.into();
        self
    }

    /// Sets (or disables) the relative objective-change test.
    #[must_use]
    pub fn value_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
        self.value_tol = tol.into();
        self
    }

    /// Sets (or disables) the parameter-change test `max |x_t - x_{t-1}| <= tol`.
    #[must_use]
    pub fn param_tol(mut self, tol: impl Into<Option<f64>>) -> Self {
        self.param_tol = tol.into();
        self
    }

    /// Validates the tolerances: each must be finite and non-negative.
    ///
    /// # Errors
    /// [`OptimError::InvalidParameter`](crate::OptimError::InvalidParameter) naming the
    /// tolerance.
    pub fn check(&self) -> Result<()> {
        let tols = [
            ("gradient_tol", self.gradient_tol),
            ("relative_gradient_tol", self.relative_gradient_tol),
            ("value_tol", self.value_tol),
            ("param_tol", self.param_tol),
        ];
        for (name, tol) in tols {
            if let Some(t) = tol {
                check_range(name, t, 0.0, f64::MAX, false, "finite and >= 0")?;
            }
        }
        Ok(())
    }
}

/// The convergence test that ended a run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub enum Criterion {
    /// `max |g| <= gradient_tol` (for composite objectives: the gradient mapping).
    GradientNorm,
    /// `max |g| <= relative_gradient_tol * max |g0|`.
    RelativeGradientNorm,
    /// Relative objective change below `value_tol`.
    ValueChange,
    /// `max |x_t - x_{t-1}| <= param_tol`.
    ParameterChange,
    /// Duality gap below its tolerance ([`CoordinateDescent`](crate::CoordinateDescent) on
    /// problems with a dual).
    DualityGap,
    /// No coordinate step of a full sweep was worth more than the tolerance
    /// ([`CoordinateDescent`](crate::CoordinateDescent) on problems without a dual).
    CoordinateChange,
}

impl Criterion {
    /// A short description, e.g. "gradient norm".
    #[must_use]
    pub fn describe(self) -> &'static str {
        match self {
            Criterion::GradientNorm => "gradient norm below tolerance",
            Criterion::RelativeGradientNorm => {
                "gradient norm below tolerance relative to the start"
            }
            Criterion::ValueChange => "relative objective change below tolerance",
            Criterion::ParameterChange => "largest parameter change below tolerance",
            Criterion::DualityGap => "duality gap below tolerance",
            Criterion::CoordinateChange => {
                "largest coordinate step of a full sweep below tolerance"
            }
        }
    }
}
