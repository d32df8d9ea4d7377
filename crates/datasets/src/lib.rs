//! Data for linmod: a [`Dataset`] type and embedded real data, with nothing read from disk at
//! run time.
//!
//! # Example
//! ```
//! let chd = datasets::chd_age();
//! assert_eq!(chd.n_samples(), 33);
//! assert_eq!(chd.feature_names, vec!["age".to_string()]);
//! ```

mod dataset;
mod embedded;

pub use dataset::Dataset;
pub use embedded::chd_age;
