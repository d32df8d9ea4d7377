//! linmod: linear models and the optimizers behind them, in Rust on faer.
//!
//! This crate re-exports the workspace's layers; depend on it for everything, or on a single
//! layer for part of it:
//!
//! | module | crate | holds |
//! |---|---|---|
//! | [`linalg`] | `linalg-core` | matrix types, fused kernels, Cholesky, least squares, stable scalars |
//! | [`optim`] | `optim` | optimization: objectives, solvers, finite differences |
//! | [`models`] | `models` | models and metrics |
//! | [`datasets`] | `datasets` | embedded data sets |
//!
//! # Example
//! ```
//! use linmod::prelude::*;
//! let chd = linmod::datasets::chd_age();
//! let p: Vec<f64> = chd.x.col(0).iter().map(|&age| sigmoid(-6.7085 + 0.1315 * age)).collect();
//! assert!(p[0] < 0.05 && p[32] > 0.95);
//! ```

pub use datasets;
pub use linalg_core as linalg;
pub use models;
pub use optim;

/// The names most programs need.
pub mod prelude {
    pub use datasets::Dataset;
    pub use linalg_core::{Col, Mat, MatRef, log_sigmoid, logsumexp, sigmoid, softplus};
    pub use models::metrics::{accuracy, mean_squared_error};
    pub use optim::check_gradient;
}
