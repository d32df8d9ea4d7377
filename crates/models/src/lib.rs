//! Models for linmod: logistic regression (binary, multinomial, one-vs-rest), linear
//! regression (OLS, ridge, lasso, elastic net, paths, cross-validation), a one-hidden-layer
//! network, metrics, statsmodels-style inference and JSON model files.
//!
//! Every model minimizes a mean loss plus a penalty, with the intercept never penalized:
//!
//! ```text
//! f(w, b) = 1/n sum_i l(y_i, x_i^T w + b) + l1 |w|_1 + l2 |w|_2^2
//! ```
//!
//! The losses are `optim` objectives, so every solver runs on the same function.
//!
//! | module | holds |
//! |---|---|
//! | [`logistic`] | [`LogisticRegression`](logistic::LogisticRegression), [`MultinomialRegression`](logistic::MultinomialRegression), their objectives and solvers |
//! | [`glm`] | [`Glm`](glm::Glm): Poisson, Gamma, Tweedie and binomial GLMs with offsets, exposures, weights; R's goodness of fit and inference |
//! | [`linear`] | [`LinearRegression`](linear::LinearRegression), regularization paths, k-fold CV |
//! | [`mlp`] | [`Mlp`](mlp::Mlp): one hidden layer, softmax output, minibatch SGD |
//! | [`metrics`] | accuracy, log loss, ROC AUC, confusion matrix, MSE, R^2, ... |
//! | [`inference`] | standard errors, z / t tests, confidence intervals, summary tables |
//! | [`persist`] | versioned JSON model files |
//!
//! # Example
//! ```
//! use linmod_models::logistic::LogisticRegression;
//! use linmod_models::metrics::accuracy;
//! use linmod_models::mat;
//! let x = mat![[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]];
//! let y = [0.0, 0.0, 1.0, 0.0, 1.0, 1.0];
//! let fit = LogisticRegression::new().fit(x.as_ref(), &y).unwrap();
//! assert!(fit.converged() && fit.coef()[0] > 0.0);
//! let predicted = fit.predict(x.as_ref()).unwrap();
//! assert!(accuracy(&y, &predicted).unwrap() >= 4.0 / 6.0);
//! ```

mod data;
mod error;
pub mod estimator;
pub mod glm;
pub mod inference;
mod labels;
pub mod linear;
pub mod logistic;
pub mod loss;
mod memory;
pub mod metrics;
pub mod mlp;
pub mod objective;
mod penalty;
pub mod persist;
mod settings;

pub use data::{check_design, check_prediction_input, check_target, normalize_weights};
pub use error::{ModelError, Result};
pub use penalty::{MAX_L1, MAX_STRENGTH, Penalty};
pub use settings::FitSettings;

/// The matrix types the models take and return (faer's, from `linmod-linalg-core`), `mat!` to
/// write one, the kernels' [`Parallelism`] setting and error: fitting needs no dependency
/// besides this crate.
pub use linalg_core::{
    CscMatrix, CsrMatrix, Design, LinalgError, Mat, MatMut, MatRef, Parallelism, mat,
};
/// What the models hand to and receive from `linmod-optim`: the [`Report`] of a fit with its
/// [`Termination`], the [`Stopping`] rules, the SGD [`Schedule`] and solver ([`Sgd`]), and the
/// solvers' error.
pub use optim::{OptimError, Report, Schedule, Sgd, Stopping, Termination};

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
