//! Linear regression: ordinary least squares, ridge, lasso and elastic net, their
//! regularization paths and cross-validation.
//!
//! Every model minimizes the mean squared loss plus a penalty that never touches the
//! intercept (`docs/math.md`, "Linear regression"):
//!
//! ```text
//! 1/(2n) sum_i s_i (y_i - x_i.w - b)^2 + l1 |w|_1 + l2 |w|^2
//! ```
//!
//! | you want | use |
//! |---|---|
//! | one fit (any penalty, any solver) | [`LinearRegression`] -> [`FittedLinear`] |
//! | the lasso / elastic-net solutions for a grid of penalties | [`RegularizationPath`] -> [`LinearPath`] |
//! | the penalty chosen by k-fold cross-validation | [`CrossValidation`] -> [`CvResult`] |
//! | the objective itself, for `optim` solvers or gradient checks | [`LeastSquaresObjective`](crate::objective::LeastSquaresObjective) |
//!
//! # Example
//! ```
//! use linmod_models::Mat;
//! use linmod_models::linear::{LinearRegression, RegularizationPath};
//! let x = Mat::from_fn(40, 3, |i, j| ((i * 7 + j * 5) % 9) as f64);
//! let y: Vec<f64> = (0..40).map(|i| 3.0 * x[(i, 1)] + 1.0).collect();
//!
//! let fit = LinearRegression::new().fit(x.as_ref(), &y).unwrap();
//! assert!((fit.coef()[1] - 3.0).abs() < 1e-10);
//! assert!((fit.score(x.as_ref(), &y).unwrap() - 1.0).abs() < 1e-12);
//!
//! let path = RegularizationPath::new().n_lambdas(20).fit(x.as_ref(), &y).unwrap();
//! assert!(path.coefs[0].iter().all(|w| *w == 0.0)); // lambda_max zeroes everything
//! ```

mod centering;
mod certificate;
mod covariance;
pub(crate) mod cv;
mod direct;
mod fitted;
mod iterative;
mod lasso;
mod path;
mod refinement;
mod regression;
mod scaling;
mod solver;
mod sparse;

pub(crate) use covariance::ols_inverse_gram;
pub use cv::{CrossValidation, CvResult};
pub use fitted::FittedLinear;
pub use path::{LinearPath, RegularizationPath, lambda_max};
pub use regression::LinearRegression;
pub use solver::{CdMode, LinearSolver};
