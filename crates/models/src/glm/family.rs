//! The GLM families as one value: what the command line, the model file and the estimator
//! name, dispatched once per fit onto the family's own [`Loss`].

use serde::{Deserialize, Serialize};

use crate::error::{ModelError, Result};
use crate::loss::{Binomial, Gamma, GammaLink, Poisson, Tweedie};

/// A GLM family and its link.
///
/// | family | links | target |
/// |---|---|---|
/// | `Poisson` | log | counts or rates `>= 0` |
/// | `Gamma` | log (default), inverse | `> 0` |
/// | `Tweedie(p)` | log | `>= 0` for `1 < p < 2`, `> 0` for `p >= 2` |
/// | `Binomial` | logit | proportions in `[0, 1]` (or successes out of trials) |
///
/// # Examples
/// ```
/// use linmod_models::glm::GlmFamily;
/// let f = GlmFamily::from_names("gamma", None, Some("inverse")).unwrap();
/// assert_eq!(f.to_string(), "Gamma (inverse link)");
/// assert!(GlmFamily::from_names("poisson", None, Some("inverse")).is_err());
/// assert!(GlmFamily::from_names("tweedie", Some(0.5), None).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "family", rename_all = "lowercase")]
pub enum GlmFamily {
    /// Poisson, log link.
    Poisson,
    /// Gamma with its link.
    Gamma {
        /// The link.
        link: GammaLink,
    },
    /// Tweedie with power `p > 1`, log link.
    Tweedie {
        /// The power `p`.
        power: f64,
    },
    /// Binomial, logit link.
    Binomial,
}

impl GlmFamily {
    /// The family named `family` (`poisson`, `gamma`, `tweedie`, `binomial`) with the power
    /// (Tweedie only, default 1.5) and link (default: log; logit for binomial).
    ///
    /// # Errors
    /// [`ModelError::Unsupported`] for an unknown family, a link the family does not have, or
    /// a power given to another family than Tweedie; [`ModelError::InvalidParameter`] for a
    /// power `<= 1`.
    pub fn from_names(family: &str, power: Option<f64>, link: Option<&str>) -> Result<Self> {
        let unsupported = |what: String| Err(ModelError::Unsupported(what));
        if power.is_some() && family != "tweedie" {
            return unsupported(format!(
                "a power applies to the tweedie family, not to {family}"
            ));
        }
        let f = match family {
            "poisson" => GlmFamily::Poisson,
            "gamma" => match link.unwrap_or("log") {
                "log" => GlmFamily::Gamma {
                    link: GammaLink::Log,
                },
                "inverse" => GlmFamily::Gamma {
                    link: GammaLink::Inverse,
                },
                other => {
                    return unsupported(format!(
                        "the gamma family has the log and inverse links, not `{other}`"
                    ));
                }
            },
            "tweedie" => GlmFamily::Tweedie {
                power: Tweedie::new(power.unwrap_or(1.5))?.power(),
            },
            "binomial" => GlmFamily::Binomial,
            other => {
                return unsupported(format!(
                    "unknown GLM family `{other}` (expected poisson, gamma, tweedie or binomial)"
                ));
            }
        };
        let own = f.link_name();
        if let Some(l) = link
            && l != own
            && family != "gamma"
        {
            return unsupported(format!(
                "the {family} family has the {own} link only, not `{l}`"
            ));
        }
        Ok(f)
    }

    /// The link's name.
    #[must_use]
    pub fn link_name(&self) -> &'static str {
        match self {
            GlmFamily::Gamma {
                link: GammaLink::Inverse,
            } => "inverse",
            GlmFamily::Binomial => "logit",
            _ => "log",
        }
    }

    /// Checks a family read from a file (a Tweedie power `> 1`).
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] for an invalid power.
    pub fn check(&self) -> Result<()> {
        if let GlmFamily::Tweedie { power } = self {
            Tweedie::new(*power)?;
        }
        Ok(())
    }

    /// The mean `g^{-1}(z)` of a linear predictor.
    #[must_use]
    pub fn mean(&self, z: f64) -> f64 {
        use crate::loss::Family;
        match *self {
            GlmFamily::Poisson => Poisson.mean(z),
            GlmFamily::Gamma { link } => Gamma::new(link).mean(z),
            GlmFamily::Tweedie { .. } => z.exp(),
            GlmFamily::Binomial => Binomial.mean(z),
        }
    }
}

impl std::fmt::Display for GlmFamily {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            GlmFamily::Poisson => "Poisson".to_string(),
            GlmFamily::Gamma { .. } => "Gamma".to_string(),
            GlmFamily::Tweedie { power } => format!("Tweedie (power {power})"),
            GlmFamily::Binomial => "Binomial".to_string(),
        };
        write!(f, "{name} ({} link)", self.link_name())
    }
}

/// Calls `$body` with `$f` bound to the family's own loss type (one dispatch per fit, so that
/// the passes over `X` are monomorphized).
macro_rules! with_family {
    ($family:expr, $f:ident => $body:expr) => {
        match $family {
            $crate::glm::GlmFamily::Poisson => {
                let $f = $crate::loss::Poisson;
                $body
            }
            $crate::glm::GlmFamily::Gamma { link } => {
                let $f = $crate::loss::Gamma::new(link);
                $body
            }
            $crate::glm::GlmFamily::Tweedie { power } => {
                let $f = $crate::loss::Tweedie::new(power)?;
                $body
            }
            $crate::glm::GlmFamily::Binomial => {
                let $f = $crate::loss::Binomial;
                $body
            }
        }
    };
}

pub(crate) use with_family;
