//! Generalized linear models: Poisson, Gamma, Tweedie and binomial families with offsets,
//! exposures and prior weights; goodness of fit and inference as R's `glm` reports them.
//!
//! | item | holds |
//! |---|---|
//! | [`GlmFamily`] | the family and its link |
//! | [`GlmData`] | target, prior weights, offset, exposure, binomial trials |
//! | [`Glm`], [`FittedGlm`] | the estimator and the fitted model |
//! | [`GlmPath`], [`GlmPathFit`], [`GlmCv`] | regularization paths and cross-validation for every family, logistic and multinomial |
//! | [`GlmStatistics`] | deviance, null deviance, Pearson chi-squared, scale, log-likelihood, AIC |
//!
//! Each family is a [`Loss`](crate::loss::Loss) (half its unit deviance) on the generic
//! [`LinearObjective`](crate::objective::LinearObjective), so every solver runs on it.

mod data;
mod family;
mod path;
mod regression;
mod solve;
mod statistics;
mod summary;

pub use data::GlmData;
pub use family::GlmFamily;
pub(crate) use family::with_family;
pub use path::{GlmCv, GlmPath, GlmPathFit, PathModel};
pub use regression::{FittedGlm, Glm};
pub use statistics::GlmStatistics;
