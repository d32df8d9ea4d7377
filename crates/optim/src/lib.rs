//! Numerical optimization for linmod.
//!
//! This crate minimizes objectives; it knows nothing about models or data sets. So far it
//! holds the finite-difference tools that verify analytic derivatives.
//!
//! # Example: verify a gradient
//! `f(x) = a |x|^2 + b.x` has gradient `2 a x + b`:
//! ```
//! use optim::check_gradient;
//! let (a, b) = (3.0, [1.0, -2.0]);
//! let f = |x: &[f64]| a * (x[0] * x[0] + x[1] * x[1]) + b[0] * x[0] + b[1] * x[1];
//! let grad = |x: &[f64], g: &mut [f64]| {
//!     g[0] = 2.0 * a * x[0] + b[0];
//!     g[1] = 2.0 * a * x[1] + b[1];
//! };
//! let err = check_gradient(f, grad, &[0.5, 1.5]);
//! assert!(err < 1e-8);
//! ```

mod finite_diff;

pub use finite_diff::{central_gradient, central_hessian, check_gradient, fd_step};
