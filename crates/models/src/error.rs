//! The error type of `models`.

use linalg_core::LinalgError;
use optim::OptimError;

/// Errors of model fitting, prediction and evaluation. Every variant names the offending
/// input, position or value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// Two inputs that must have the same length do not.
    #[error("length mismatch: {what_a} has {len_a} entries but {what_b} has {len_b}")]
    LengthMismatch {
        /// First input.
        what_a: &'static str,
        /// Its length.
        len_a: usize,
        /// Second input.
        what_b: &'static str,
        /// Its length.
        len_b: usize,
    },
    /// An input is empty where at least one entry is needed.
    #[error("{what} is empty")]
    Empty {
        /// The empty input.
        what: &'static str,
    },
    /// A value that must be finite is not (vectors: `index`).
    #[error("non-finite value {value_short} in {what} at index {index}", value_short = linalg_core::Short(*.value))]
    NonFinite {
        /// The input holding the value.
        what: &'static str,
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A result computed from finite data is beyond the range of `f64` even with the
    /// internal rescaling (for example the mean squared error of targets around `1e200`,
    /// whose square is `1e400`).
    #[error("{what} is beyond the range of f64")]
    Overflow {
        /// The quantity, and what to do about it.
        what: &'static str,
    },
    /// A value of the design matrix is not finite.
    #[error("non-finite value {value_short} in X at row {row}, column {col}", value_short = linalg_core::Short(*.value))]
    NonFiniteFeature {
        /// Row, 0-based.
        row: usize,
        /// Column, 0-based.
        col: usize,
        /// The value.
        value: f64,
    },
    /// A label is outside the allowed set.
    #[error("invalid label {value_short} at row {row}: labels must be {expected}", value_short = linalg_core::Short(*.value))]
    InvalidLabel {
        /// Row, 0-based.
        row: usize,
        /// The label.
        value: f64,
        /// The allowed labels, in words (e.g. "0 or 1").
        expected: String,
    },
    /// A value of a GLM input (target, exposure, offset, trials) is outside its family's
    /// domain.
    #[error("invalid {what} {value_short} at row {row}: {requirement}", value_short = linalg_core::Short(*.value))]
    InvalidValue {
        /// The input: "target", "exposure", "offset", "trials", ...
        what: &'static str,
        /// Row, 0-based.
        row: usize,
        /// The value.
        value: f64,
        /// What the value must be, in words (e.g. "a Poisson target must be >= 0").
        requirement: String,
    },
    /// Classification data with fewer than two classes.
    #[error("only one class ({label}) is present in y: a classifier needs at least two")]
    SingleClass {
        /// The only label.
        label: f64,
    },
    /// A sample weight is negative or non-finite, or all are zero.
    #[error(
        "invalid sample weight {value_short} at row {row}: weights must be finite, >= 0 and not all 0", value_short = linalg_core::Short(*.value))]
    InvalidWeight {
        /// Row, 0-based (0 when all weights are zero).
        row: usize,
        /// The weight (or their sum).
        value: f64,
    },
    /// A probability is outside `[0, 1]` (or not a number).
    #[error("invalid probability {value_short} at index {index}: probabilities must be in [0, 1]", value_short = linalg_core::Short(*.value))]
    InvalidProbability {
        /// Position of the value.
        index: usize,
        /// The value.
        value: f64,
    },
    /// A hyper-parameter is out of range.
    #[error("invalid {name} = {value_short}: must be {requirement}", value_short = linalg_core::Short(*.value))]
    InvalidParameter {
        /// The hyper-parameter.
        name: &'static str,
        /// The value given.
        value: f64,
        /// The valid range, in words.
        requirement: &'static str,
    },
    /// A hyper-parameter combination is not supported (e.g. a solver that cannot handle the
    /// penalty).
    #[error("unsupported configuration: {0}")]
    Unsupported(String),
    /// Prediction data do not have the number of features the model was fitted on.
    #[error("the model was fitted on {expected} features but the data have {found}")]
    FeatureMismatch {
        /// Features at fit time.
        expected: usize,
        /// Features given.
        found: usize,
    },
    /// The classes are perfectly (or quasi-perfectly) separated, so the unpenalized maximum
    /// likelihood estimate does not exist.
    #[error(
        "{kind} separation: {detail}; the maximum-likelihood estimate does not exist \
         (coefficients grow without bound). Add an L2 penalty (e.g. l2 = 1e-4) to get a finite fit"
    )]
    Separation {
        /// "perfect" or "quasi-perfect".
        kind: &'static str,
        /// What was observed.
        detail: String,
    },
    /// The design matrix is rank deficient where the fit needs full rank.
    #[error(
        "the design matrix is rank deficient ({detail}); an unpenalized fit is not unique. \
         Remove constant or duplicated columns, or add an L2 penalty"
    )]
    RankDeficient {
        /// What was observed (e.g. "column 3 is constant").
        detail: String,
    },
    /// A buffer whose size comes from the input (a `p x p` Hessian, a network's parameters, a
    /// `K x K` confusion matrix) cannot be allocated.
    #[error(
        "{what} needs {}, which cannot be allocated",
        crate::memory::size_text(*.bytes)
    )]
    OutOfMemory {
        /// What the memory is for, with the sizes that set it.
        what: &'static str,
        /// Bytes requested (infinite when the count overflowed).
        bytes: f64,
    },
    /// Multiclass labels `0..K-1` with a class that never occurs.
    #[error(
        "class {class} has no samples: multiclass labels must be the whole numbers 0..{} \
         with every class present (found {found})",
        .n_classes - 1
    )]
    MissingClass {
        /// The class without samples.
        class: usize,
        /// The number of classes the largest label implies.
        n_classes: usize,
        /// The labels that do occur, in words (`1, 3`).
        found: String,
    },
    /// An explicitly chosen normal-equations (Cholesky) solve is too ill-conditioned to
    /// return an accurate answer: its estimated reciprocal condition number is below the
    /// documented threshold, where more than 10 of the 16 digits would be lost.
    #[error(
        "{what} is ill-conditioned: estimated reciprocal condition number {rcond:.2e} is below \
         {threshold:.0e}, so a Cholesky solve would lose more than 10 digits. Use the qr solver \
         (or auto), which factors X itself and loses half as many, or add an L2 penalty"
    )]
    IllConditioned {
        /// The system that was factored.
        what: &'static str,
        /// Estimated reciprocal 1-norm condition number (of the diagonally scaled system).
        rcond: f64,
        /// The threshold it fell below.
        threshold: f64,
    },
    /// A model file could not be written or read.
    #[error("{0}")]
    Persistence(String),
    /// Inference (standard errors, p-values) is not valid for this fit.
    #[error("statistical inference is not available: {0}")]
    InferenceUnavailable(String),
    /// The optimizer could not run.
    #[error(transparent)]
    Optim(#[from] OptimError),
    /// A factorization failed.
    #[error(transparent)]
    Linalg(#[from] LinalgError),
}

/// Result type of `models`.
pub type Result<T> = std::result::Result<T, ModelError>;
