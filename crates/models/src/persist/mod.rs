//! Fitted models saved as versioned JSON, and loaded back with checks.
//!
//! A file is one JSON object:
//!
//! ```json
//! { "format": "linmod-model", "version": 1, "linmod_version": "0.1.0",
//!   "feature_names": ["age"], "model": { "kind": "logistic", ... } }
//! ```
//!
//! Floats are written with the shortest representation that reads back to the same bits, so
//! a save/load round trip predicts identically. Loading checks the format tag, the version,
//! and that the model is internally consistent (lengths, finite coefficients); prediction then
//! checks the number of features of the data.
//!
//! Every fitted model saves and loads in one call (`fit.save(path)`,
//! `FittedLogistic::load(path)`, or [`save`] and [`load`] for any of them); a save replaces
//! the file atomically ([`write_atomically`]), so an interrupted write never destroys the
//! previous model.
//!
//! ```
//! use linmod_models::logistic::{FittedLogistic, LogisticRegression};
//! let chd = datasets::chd_age();
//! let fit = LogisticRegression::new().fit(chd.x.as_ref(), &chd.y)?;
//! let dir = tempfile::tempdir().unwrap();
//! let path = dir.path().join("chd.json");
//! fit.save(&path)?;
//! let back = FittedLogistic::load(&path)?;
//! assert_eq!(back, fit);
//! // a file of another kind is refused by name
//! assert!(linmod_models::linear::FittedLinear::load(&path).is_err());
//! # Ok::<(), linmod_models::ModelError>(())
//! ```

mod atomic;

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{ModelError, Result};
use crate::linear::FittedLinear;
use crate::logistic::{FittedLogistic, FittedMultinomial};
use crate::mlp::FittedMlp;

pub use atomic::write_atomically;

/// The `format` tag of model files.
pub const FORMAT: &str = "linmod-model";

/// The version of the file layout written by this library. Files of a higher version are
/// refused; lower versions are read when the layout allows.
pub const VERSION: u32 = 1;

/// A fitted model of any kind, as stored in a file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SavedModel {
    /// Binary logistic regression.
    Logistic(FittedLogistic),
    /// Multiclass logistic regression.
    Multinomial(FittedMultinomial),
    /// Linear regression.
    Linear(FittedLinear),
    /// One-hidden-layer network.
    Mlp(FittedMlp),
    /// Generalized linear model.
    Glm(crate::glm::FittedGlm),
}

impl SavedModel {
    /// Number of features the model expects.
    #[must_use]
    pub fn n_features(&self) -> usize {
        match self {
            SavedModel::Logistic(m) => m.n_features(),
            SavedModel::Multinomial(m) => m.n_features(),
            SavedModel::Linear(m) => m.n_features(),
            SavedModel::Mlp(m) => m.n_features(),
            SavedModel::Glm(m) => m.n_features(),
        }
    }

    /// Checks the internal consistency of a deserialized model.
    fn validate(&self) -> Result<()> {
        match self {
            SavedModel::Logistic(m) => m.validate(),
            SavedModel::Multinomial(m) => m.validate(),
            SavedModel::Linear(m) => m.validate(),
            SavedModel::Mlp(m) => m.validate(),
            SavedModel::Glm(m) => m.validate(),
        }
    }
}

#[derive(Serialize, Deserialize)]
struct Envelope {
    format: String,
    version: u32,
    linmod_version: String,
    #[serde(default)]
    feature_names: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    design: Option<serde_json::Value>,
    model: SavedModel,
}

/// The bare header, read first so that a wrong format or a newer version is reported as such
/// rather than as a parse error of the model.
#[derive(Deserialize)]
struct Header {
    format: Option<String>,
    version: Option<u32>,
}

/// A model with the feature names it was fitted on.
///
/// # Examples
/// ```
/// use linmod_models::logistic::LogisticRegression;
/// use linmod_models::persist::{ModelFile, SavedModel};
/// let chd = datasets::chd_age();
/// let fit = LogisticRegression::new().fit(chd.x.as_ref(), &chd.y).unwrap();
/// let file = ModelFile::new(SavedModel::Logistic(fit.clone()), Some(vec!["age".into()])).unwrap();
/// let json = file.to_json().unwrap();
/// let back = ModelFile::from_json(&json).unwrap();
/// assert_eq!(back.model, SavedModel::Logistic(fit));
/// assert!(ModelFile::from_json(&json[..json.len() / 2]).is_err());
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct ModelFile {
    /// The model.
    pub model: SavedModel,
    /// Names of the features, when known (CSV headers).
    pub feature_names: Option<Vec<String>>,
    /// How the features are made from the columns of a raw table, when the model was fitted
    /// through a formula or a column selection: a `linmod_datasets::DesignSpec`, kept here as
    /// JSON, since this crate does not depend on `datasets` (`serde_json::to_value(&spec)` writes
    /// it, `serde_json::from_value` reads it back).
    pub design: Option<serde_json::Value>,
}

impl ModelFile {
    /// A file for `model`, with optional feature names.
    ///
    /// # Errors
    /// [`ModelError::LengthMismatch`] when the names do not match the model's features.
    pub fn new(model: SavedModel, feature_names: Option<Vec<String>>) -> Result<Self> {
        if let Some(names) = &feature_names
            && names.len() != model.n_features()
        {
            return Err(ModelError::LengthMismatch {
                what_a: "model features",
                len_a: model.n_features(),
                what_b: "feature names",
                len_b: names.len(),
            });
        }
        Ok(Self {
            model,
            feature_names,
            design: None,
        })
    }

    /// The file with a design specification (see [`design`](Self::design)).
    ///
    /// # Examples
    /// ```
    /// use linmod_models::logistic::LogisticRegression;
    /// use linmod_models::persist::{ModelFile, SavedModel};
    /// let chd = datasets::chd_age();
    /// let fit = LogisticRegression::new().fit(chd.x.as_ref(), &chd.y).unwrap();
    /// let file = ModelFile::new(SavedModel::Logistic(fit), Some(vec!["age".into()]))
    ///     .unwrap()
    ///     .with_design(serde_json::json!({"formula": "y ~ age"}));
    /// let back = ModelFile::from_json(&file.to_json().unwrap()).unwrap();
    /// assert_eq!(back.design, file.design);
    /// ```
    #[must_use]
    pub fn with_design(mut self, design: serde_json::Value) -> Self {
        self.design = Some(design);
        self
    }

    /// The file's JSON text.
    ///
    /// # Errors
    /// [`ModelError::Persistence`] if a value cannot be written (a non-finite number).
    pub fn to_json(&self) -> Result<String> {
        let env = Envelope {
            format: FORMAT.into(),
            version: VERSION,
            linmod_version: env!("CARGO_PKG_VERSION").into(),
            feature_names: self.feature_names.clone(),
            design: self.design.clone(),
            model: self.model.clone(),
        };
        serde_json::to_string_pretty(&env)
            .map_err(|e| ModelError::Persistence(format!("cannot write the model: {e}")))
    }

    /// Reads a model from JSON text, checking format, version and consistency.
    ///
    /// # Errors
    /// [`ModelError::Persistence`] naming the problem: not JSON (with line and column),
    /// another format, a newer version, missing or malformed fields, inconsistent lengths,
    /// non-finite coefficients.
    pub fn from_json(text: &str) -> Result<Self> {
        let corrupt = |e: serde_json::Error| {
            ModelError::Persistence(format!(
                "corrupt model file at line {}, column {}: {e}",
                e.line(),
                e.column()
            ))
        };
        let header: Header = serde_json::from_str(text).map_err(corrupt)?;
        match header.format.as_deref() {
            Some(FORMAT) => {}
            Some(other) => {
                return Err(ModelError::Persistence(format!(
                    "not a linmod model file: format is `{other}`, expected `{FORMAT}`"
                )));
            }
            None => {
                return Err(ModelError::Persistence(format!(
                    "not a linmod model file: no `format` field (expected `{FORMAT}`)"
                )));
            }
        }
        match header.version {
            Some(v) if v > VERSION => {
                return Err(ModelError::Persistence(format!(
                    "model file version {v} is newer than this linmod supports ({VERSION}); upgrade linmod"
                )));
            }
            Some(0) | None => {
                return Err(ModelError::Persistence(
                    "model file has no valid `version`".into(),
                ));
            }
            Some(_) => {}
        }
        let env: Envelope = serde_json::from_str(text).map_err(corrupt)?;
        env.model.validate()?;
        let mut file = Self::new(env.model, env.feature_names)?;
        file.design = env.design;
        Ok(file)
    }

    /// Writes the model to `path`, atomically: a failed write leaves the previous file
    /// intact ([`write_atomically`]).
    ///
    /// # Errors
    /// As [`to_json`](Self::to_json), and I/O errors naming the path.
    pub fn save(&self, path: &Path) -> Result<()> {
        let text = self.to_json()?;
        write_atomically(path, |w| w.write_all(text.as_bytes()))
            .map_err(|e| ModelError::Persistence(format!("cannot write {}: {e}", path.display())))
    }

    /// Reads a model from `path`.
    ///
    /// # Errors
    /// As [`from_json`](Self::from_json) (prefixed with the path), and I/O errors.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| ModelError::Persistence(format!("cannot read {}: {e}", path.display())))?;
        Self::from_json(&text).map_err(|e| match e {
            ModelError::Persistence(m) => {
                ModelError::Persistence(format!("{}: {m}", path.display()))
            }
            other => other,
        })
    }
}

/// Saves any fitted model to `path` (without feature names; [`ModelFile`] keeps them),
/// atomically.
///
/// # Errors
/// As [`ModelFile::save`].
///
/// # Examples
/// ```
/// use linmod_models::linear::{FittedLinear, LinearRegression};
/// let d = datasets::diabetes();
/// let fit = LinearRegression::new().fit(d.x.as_ref(), &d.y)?;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join("ols.json");
/// linmod_models::persist::save(&fit, &path)?;
/// let back: FittedLinear = linmod_models::persist::load(&path)?;
/// assert_eq!(back.coef(), fit.coef());
/// # Ok::<(), linmod_models::ModelError>(())
/// ```
pub fn save<M: Clone + Into<SavedModel>>(model: &M, path: impl AsRef<Path>) -> Result<()> {
    ModelFile::new(model.clone().into(), None)?.save(path.as_ref())
}

/// Loads a fitted model of type `M` from `path`.
///
/// # Errors
/// As [`ModelFile::load`], and [`ModelError::Persistence`] when the file holds another kind
/// of model.
pub fn load<M: TryFrom<SavedModel, Error = ModelError>>(path: impl AsRef<Path>) -> Result<M> {
    let path = path.as_ref();
    M::try_from(ModelFile::load(path)?.model).map_err(|e| match e {
        ModelError::Persistence(m) => ModelError::Persistence(format!("{}: {m}", path.display())),
        other => other,
    })
}

impl SavedModel {
    /// The `kind` tag of the model in a file.
    #[must_use]
    pub fn kind(&self) -> &'static str {
        match self {
            SavedModel::Logistic(_) => "logistic",
            SavedModel::Multinomial(_) => "multinomial",
            SavedModel::Linear(_) => "linear",
            SavedModel::Mlp(_) => "mlp",
            SavedModel::Glm(_) => "glm",
        }
    }
}

/// `From` a fitted type into [`SavedModel`], `TryFrom` back, and the one-call `save` / `load`
/// methods of the fitted type.
macro_rules! persistent {
    ($fitted:ty, $variant:ident, $kind:literal) => {
        impl From<$fitted> for SavedModel {
            fn from(model: $fitted) -> Self {
                SavedModel::$variant(model)
            }
        }

        impl TryFrom<SavedModel> for $fitted {
            type Error = ModelError;

            fn try_from(saved: SavedModel) -> Result<Self> {
                match saved {
                    SavedModel::$variant(model) => Ok(model),
                    other => Err(ModelError::Persistence(format!(
                        "the file holds a {} model, not a {} one",
                        other.kind(),
                        $kind
                    ))),
                }
            }
        }

        impl $fitted {
            /// Saves the model to `path` as a versioned JSON model file, atomically (a failed
            /// write leaves the previous file intact); see [`persist`](crate::persist).
            ///
            /// # Errors
            /// [`ModelError::Persistence`] naming the path.
            pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
                save(self, path)
            }

            /// Loads a model saved by [`save`](Self::save) (or by `linmod fit --save`).
            ///
            /// # Errors
            /// [`ModelError::Persistence`] naming the path and the problem: unreadable,
            /// corrupt, of a newer version, or holding another kind of model.
            pub fn load(path: impl AsRef<Path>) -> Result<Self> {
                load(path)
            }
        }
    };
}

persistent!(FittedLogistic, Logistic, "logistic");
persistent!(FittedMultinomial, Multinomial, "multinomial");
persistent!(FittedLinear, Linear, "linear");
persistent!(FittedMlp, Mlp, "mlp");

/// Checks the fields every single-output linear predictor stores: finite coefficients and
/// intercept, no intercept without `fit_intercept`, a valid penalty.
pub(crate) fn check_linear_predictor(
    coef: &[f64],
    intercept: f64,
    fit_intercept: bool,
    penalty: crate::penalty::Penalty,
) -> Result<()> {
    check_finite_field("coef", coef)?;
    check_finite_field("intercept", &[intercept])?;
    if !fit_intercept && intercept != 0.0 {
        return Err(ModelError::Persistence(
            "corrupt model: an intercept is stored but fit_intercept is false".into(),
        ));
    }
    penalty
        .check()
        .map_err(|e| ModelError::Persistence(format!("corrupt model: {e}")))
}

/// Fails with a corrupt-file error unless every value is finite.
pub(crate) fn check_finite_field(what: &str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(ModelError::Persistence(format!(
            "corrupt model: {what}[{i}] = {} is not finite",
            values[i]
        ))),
        None => Ok(()),
    }
}

/// Fails with a corrupt-file error unless `len == expected`.
pub(crate) fn check_len(what: &str, len: usize, expected: usize, why: &str) -> Result<()> {
    if len == expected {
        Ok(())
    } else {
        Err(ModelError::Persistence(format!(
            "corrupt model: {what} has {len} entries, expected {expected} ({why})"
        )))
    }
}
