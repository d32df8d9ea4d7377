//! Numerical optimization for linmod, usable on its own for any objective.
//!
//! `optim` minimizes functions; it knows nothing about models or data sets.
//!
//! | you have | use |
//! |---|---|
//! | value and gradient ([`Objective`]) | [`Lbfgs`], [`GradientDescent`] |
//! | and the Hessian ([`SecondOrder`]) | [`Newton`]; [`TrustRegion`] with Hessian-vector products only (many variables) |
//! | smooth part + L1 / elastic-net penalty ([`Composite`], [`Penalized`]) | [`Fista`] |
//! | the Hessian + an elastic-net penalty ([`SecondOrder`], [`ElasticNet`]) | [`ProxNewton`] |
//! | one coordinate at a time + an elastic-net penalty ([`Coordinates`], [`ElasticNet`]) | [`CoordinateDescent`] |
//! | a mean of many terms ([`SumOfTerms`]) | [`Sgd`] |
//!
//! Every solver is a validated configuration (builder setters, `check()`) and a [`Solver`]:
//! it says how to start and how to take one step. One [`Driver`] runs them all: it validates
//! the start, applies the [`Stopping`] rules, calls the [`Observer`], keeps the history, ends
//! the run at a non-finite value, gradient or Hessian with the last finite iterate, and
//! returns a [`Report`] whose [`Termination`] says why it stopped. `converged` is true only
//! when a convergence test held: an iteration limit, a failed line search or a divergence is
//! never reported as convergence.
//!
//! [`check_gradient`], [`central_gradient`] and [`central_hessian`] verify analytic
//! derivatives; [`testfns`] has functions with known minimizers.
//!
//! # Example: minimize your own objective
//! The negative log-likelihood of a Poisson rate `lambda = e^x` with counts `k_i` is
//! `f(x) = e^x - x mean(k)` (up to a constant), minimized at `x = log mean(k)`:
//! ```
//! use linmod_optim::{Lbfgs, Objective, check_gradient};
//!
//! struct PoissonRate { mean_count: f64 }
//!
//! impl Objective for PoissonRate {
//!     fn dim(&self) -> usize { 1 }
//!     fn value(&mut self, x: &[f64]) -> f64 { x[0].exp() - x[0] * self.mean_count }
//!     fn gradient(&mut self, x: &[f64], g: &mut [f64]) { g[0] = x[0].exp() - self.mean_count; }
//! }
//!
//! let counts = [2.0, 3.0, 7.0, 4.0];
//! let mut obj = PoissonRate { mean_count: counts.iter().sum::<f64>() / 4.0 };
//!
//! // check the gradient before trusting it
//! let mut probe = PoissonRate { mean_count: 4.0 };
//! let err = check_gradient(|x| PoissonRate { mean_count: 4.0 }.value(x), |x, g| probe.gradient(x, g), &[0.3]);
//! assert!(err < 1e-8);
//!
//! let report = Lbfgs::default().gradient_tol(1e-10).minimize(&mut obj, &[0.0]).unwrap();
//! assert!(report.converged(), "{}", report.termination);
//! assert!((report.x[0] - 4f64.ln()).abs() < 1e-9);
//! println!("{}", report.summary());
//! ```

mod coordinate_descent;
mod driver;
mod elastic_net;
mod error;
mod finite_diff;
mod fista;
mod gd;
mod lbfgs;
mod line_search;
mod monitor;
mod newton;
mod objective;
mod penalized;
mod prox_newton;
mod report;
mod run;
mod sgd;
mod stopping;
pub mod testfns;
mod trust_region;
mod vecops;

pub use coordinate_descent::{CdState, CoordinateDescent};
pub use driver::{Driver, Iteration, Move, Solver, Start, Step};
pub use elastic_net::{ElasticNet, soft_threshold};
pub use error::{OptimError, Result};
pub use finite_diff::{
    central_gradient, central_hessian, check_gradient, check_objective_gradient, fd_step,
};
pub use fista::{Fista, FistaState};
pub use gd::{GdState, GradientDescent};
pub use lbfgs::{Lbfgs, LbfgsState};
pub use line_search::{Accepted, Armijo, LineSearch, Point, StrongWolfe, Trial};
pub use monitor::{Control, Observer, Progress, RunOptions};
pub use newton::{Newton, NewtonState};
pub use objective::{
    Certificate, Composite, Coordinates, FnObjective, Objective, SecondOrder, SumOfTerms,
};
pub use penalized::Penalized;
pub use prox_newton::{ProxNewton, ProxNewtonState};
pub use report::{
    Divergence, Evaluations, IterationRecord, LineSearchFailure, Report, Termination,
};
pub use sgd::{Schedule, Sgd, SgdState};
pub use stopping::{Criterion, Stopping};
pub use trust_region::{TrustRegion, TrustRegionState};

/// The matrix types of the traits' signatures ([`SecondOrder::hessian`] writes into a
/// [`MatMut`]) and the kernels' error inside [`OptimError`], from `linmod-linalg-core` (faer's
/// matrix types): implementing an objective needs no dependency besides this crate.
pub use linalg_core::{LinalgError, Mat, MatMut, MatRef};

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
