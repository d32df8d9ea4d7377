//! linmod: linear models and the optimizers behind them, written from scratch in Rust on faer.
//!
//! This crate re-exports the workspace's layers; depend on it for everything, or on a single
//! layer for part of it:
//!
//! | module | crate | holds |
//! |---|---|---|
//! | [`linalg`] | `linalg-core` | matrix types, fused one-pass kernels, weighted Gram, Cholesky, least squares, stable scalars |
//! | [`optim`] | `optim` | optimization of any objective: GD, Newton, L-BFGS, FISTA, SGD, line searches |
//! | [`models`] | `models` | logistic and linear regression, metrics, inference, persistence |
//! | [`datasets`] | `datasets` | embedded data, simulators, splits, scaling, CSV and `.npy` |
//!
//! # From data to a fitted model
//! ```
//! use linmod::prelude::*;
//!
//! // embedded data, an 80/20 split stratified by class, features standardized on the
//! // training rows only
//! let data = linmod::datasets::breast_cancer();
//! let (train, test) = TrainTestSplit::new(0.2).seed(42).stratify(true).split(&data).unwrap();
//! let scaler = StandardScaler::fit(train.x.as_ref()).unwrap();
//! let (x_train, x_test) = (scaler.transform(train.x.as_ref()).unwrap(), scaler.transform(test.x.as_ref()).unwrap());
//!
//! // L2-penalized logistic regression: mean log loss + l2 |w|^2
//! let fit = LogisticRegression::new().l2(1e-3).fit(x_train.as_ref(), &train.y).unwrap();
//! assert!(fit.converged());
//! let accuracy = fit.score(x_test.as_ref(), &test.y).unwrap();
//! assert!(accuracy > 0.95);
//! let p = fit.predict_proba(x_test.as_ref()).unwrap();
//! assert!(roc_auc(&test.y, &p).unwrap() > 0.98);
//! ```
//!
//! Linear regression goes the same way:
//! ```
//! use linmod::prelude::*;
//! let d = linmod::datasets::diabetes();
//! let fit = LinearRegression::new().penalty(Penalty::l1(0.5).unwrap()).fit(d.x.as_ref(), &d.y).unwrap();
//! assert!(fit.converged() && fit.duality_gap().is_some());
//! ```

//!
//! # From `ndarray`
//! Any contiguous `ndarray` matrix, of any `ndarray` version (linfa 0.8 holds its data in
//! `ndarray` 0.16), is a slice that faer views without copying:
//! [`MatRef::from_row_major_slice`](linalg::MatRef::from_row_major_slice) for the standard
//! (row-major) layout, [`MatRef::from_column_major_slice`](linalg::MatRef::from_column_major_slice)
//! for Fortran order. A plain slice stands in for the array here; with `ndarray` it is
//! `a.as_slice()` (`None` for a strided view: copy it first with `as_standard_layout()`), and
//! `examples/ndarray-016` of the repository runs this route on `ndarray` 0.16 arrays in CI.
//! ```
//! use linmod::linalg::MatRef;
//! use linmod::prelude::*;
//! // three rows of two features, row by row, as `Array2::as_slice` returns them
//! let rows = [1.0, 0.0, 2.0, 1.0, 3.0, 0.5, 4.0, 2.0];
//! let x = MatRef::from_row_major_slice(&rows, 4, 2);
//! assert_eq!(x[(1, 0)], 2.0);
//! assert_eq!(x.as_ptr(), rows.as_ptr()); // no copy
//! let y = [3.0, 6.0, 7.5, 11.0];
//! let fit = LinearRegression::new().fit(x, &y).unwrap();
//! assert!((fit.coef()[0] - 2.0).abs() < 1e-10 && (fit.coef()[1] - 1.0).abs() < 1e-10);
//! ```
//!
//! With the `ndarray` feature (`ndarray` 0.17), `linalg::mat_from_ndarray` views any
//! `Array2<f64>`, strided ones included, and `linalg::slice_from_ndarray` gives the target as
//! a slice:
//! ```
//! # #[cfg(feature = "ndarray")] {
//! use linmod::linalg::{mat_from_ndarray, slice_from_ndarray};
//! use linmod::prelude::*;
//! let x = ndarray::Array2::from_shape_fn((40, 2), |(i, j)| ((i * 7 + j * 3) % 10) as f64);
//! let y = ndarray::Array1::from_shape_fn(40, |i| 2.0 * x[[i, 0]] - x[[i, 1]] + 1.0);
//! let fit = LinearRegression::new().fit(mat_from_ndarray(x.view()), &slice_from_ndarray(y.view())).unwrap();
//! assert!((fit.coef()[0] - 2.0).abs() < 1e-10);
//! # }
//! ```

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub use datasets;
pub use linalg_core as linalg;
pub use models;
pub use optim;

/// The names most programs need.
pub mod prelude {
    pub use datasets::{Dataset, StandardScaler, TrainTestSplit};
    pub use linalg_core::{
        Col, CscMatrix, CsrMatrix, Mat, MatRef, log_sigmoid, logsumexp, sigmoid, softplus,
    };
    pub use models::linear::{LinearRegression, LinearSolver};
    pub use models::logistic::{LogisticRegression, LogisticSolver, Multiclass};
    pub use models::metrics::{accuracy, log_loss, mean_squared_error, r2_score, roc_auc};
    pub use models::{ModelError, Penalty};
    pub use optim::{Report, Termination, check_gradient};
}
