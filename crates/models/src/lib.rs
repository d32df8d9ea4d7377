//! Linear models for linmod: evaluation metrics, penalties, validation of user data.
//!
//! # Example
//! ```
//! use models::metrics::{accuracy, mean_squared_error};
//! assert_eq!(accuracy(&[1.0, 0.0, 1.0], &[1.0, 1.0, 1.0]).unwrap(), 2.0 / 3.0);
//! assert_eq!(mean_squared_error(&[1.0, 2.0], &[1.0, 4.0]).unwrap(), 2.0);
//! ```

mod cd;
mod data;
mod error;
pub mod inference;
mod labels;
pub mod linear;
pub mod logistic;
pub mod metrics;
pub mod mlp;
mod penalty;
pub mod persist;

pub use data::{check_design, check_prediction_input, check_target, normalize_weights};
pub use error::{ModelError, Result};
pub use penalty::Penalty;
