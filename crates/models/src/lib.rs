//! Linear models for linmod. So far: evaluation metrics.
//!
//! # Example
//! ```
//! use models::metrics::{accuracy, mean_squared_error};
//! assert_eq!(accuracy(&[1.0, 0.0, 1.0], &[1.0, 1.0, 1.0]).unwrap(), 2.0 / 3.0);
//! assert_eq!(mean_squared_error(&[1.0, 2.0], &[1.0, 4.0]).unwrap(), 2.0);
//! ```

mod error;
pub mod metrics;

pub use error::{ModelError, Result};
