//! What a GLM fit takes besides `X`: the target, prior weights, an offset, an exposure and
//! binomial trials, validated row by row.

use std::borrow::Cow;

use crate::data::check_target;
use crate::error::{ModelError, Result};
use crate::loss::Family;

/// The target of a GLM and the known parts of its model: none of them is a feature.
///
/// - `weights`: prior weights, as R's `glm(weights = )` (finite, `>= 0`, not all 0): the
///   deviance is `sum_i w_i d(y_i, mu_i)`.
/// - `offset`: added to the linear predictor, `z_i = x_i.w + b + offset_i` (finite).
/// - `exposure`: its log is added to the linear predictor (`> 0`): counts per unit of exposure
///   with the log link.
/// - `trials` (binomial): the target holds successes out of `trials_i`; the model fits the
///   proportion `y_i / trials_i` with weight `w_i trials_i`.
///
/// # Examples
/// ```
/// use linmod_models::glm::GlmData;
/// let y = [1.0, 0.0, 4.0];
/// let exposure = [1.0, 0.5, 2.0];
/// let data = GlmData::new(&y).exposure(&exposure);
/// assert_eq!(data.y().len(), 3);
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct GlmData<'a> {
    y: &'a [f64],
    weights: Option<&'a [f64]>,
    offset: Option<&'a [f64]>,
    exposure: Option<&'a [f64]>,
    trials: Option<&'a [f64]>,
}

impl<'a> GlmData<'a> {
    /// The target alone (unit weights, no offset).
    #[must_use]
    pub fn new(y: &'a [f64]) -> Self {
        Self {
            y,
            ..Self::default()
        }
    }

    /// Sets prior weights.
    #[must_use]
    pub fn weights(mut self, weights: &'a [f64]) -> Self {
        self.weights = Some(weights);
        self
    }

    /// Sets an offset.
    #[must_use]
    pub fn offset(mut self, offset: &'a [f64]) -> Self {
        self.offset = Some(offset);
        self
    }

    /// Sets an exposure (its log joins the offset).
    #[must_use]
    pub fn exposure(mut self, exposure: &'a [f64]) -> Self {
        self.exposure = Some(exposure);
        self
    }

    /// Sets binomial trials (the target then counts successes).
    #[must_use]
    pub fn trials(mut self, trials: &'a [f64]) -> Self {
        self.trials = Some(trials);
        self
    }

    /// The target.
    #[must_use]
    pub fn y(&self) -> &'a [f64] {
        self.y
    }

    /// Validates everything for `n` rows of `family` and combines it into what the objective
    /// takes.
    pub(crate) fn prepare<F: Family>(&self, n: usize, family: &F) -> Result<Prepared<'a>> {
        check_target(self.y, n)?;
        let same_length = |what: &'static str, v: &[f64]| {
            if v.len() == n {
                Ok(())
            } else {
                Err(ModelError::LengthMismatch {
                    what_a: "rows of X",
                    len_a: n,
                    what_b: what,
                    len_b: v.len(),
                })
            }
        };
        let invalid = |what: &'static str, row: usize, value: f64, requirement: String| {
            Err(ModelError::InvalidValue {
                what,
                row,
                value,
                requirement,
            })
        };
        if let Some(w) = self.weights {
            same_length("weights", w)?;
            if let Some(row) = w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
                return Err(ModelError::InvalidWeight { row, value: w[row] });
            }
        }
        let mut offset: Option<Vec<f64>> = None;
        if let Some(o) = self.offset {
            same_length("offsets", o)?;
            if let Some(row) = o.iter().position(|v| !v.is_finite()) {
                return invalid("offset", row, o[row], "an offset must be finite".into());
            }
            offset = Some(o.to_vec());
        }
        if let Some(e) = self.exposure {
            same_length("exposures", e)?;
            if let Some(row) = e.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
                return invalid(
                    "exposure",
                    row,
                    e[row],
                    "an exposure must be finite and > 0".into(),
                );
            }
            let o = offset.get_or_insert_with(|| vec![0.0; n]);
            o.iter_mut().zip(e).for_each(|(oi, ei)| *oi += ei.ln());
        }
        let mut y = Cow::Borrowed(self.y);
        let mut weights = self.weights.map(Cow::Borrowed);
        if let Some(t) = self.trials {
            same_length("trials", t)?;
            if let Some(row) = t.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
                return invalid(
                    "trials",
                    row,
                    t[row],
                    "trials must be finite and >= 0".into(),
                );
            }
            if let Some(row) = self
                .y
                .iter()
                .zip(t)
                .position(|(yi, ti)| !(*yi >= 0.0 && yi <= ti))
            {
                return invalid(
                    "target",
                    row,
                    self.y[row],
                    format!(
                        "a binomial count of successes must be in [0, trials = {}]",
                        t[row]
                    ),
                );
            }
            y = Cow::Owned(
                self.y
                    .iter()
                    .zip(t)
                    .map(|(yi, ti)| if *ti > 0.0 { yi / ti } else { 0.0 })
                    .collect(),
            );
            weights = Some(Cow::Owned(match self.weights {
                Some(w) => w.iter().zip(t).map(|(wi, ti)| wi * ti).collect(),
                None => t.to_vec(),
            }));
        }
        if let Some(w) = &weights
            && !w.iter().any(|v| *v > 0.0)
        {
            return Err(ModelError::InvalidWeight { row: 0, value: 0.0 });
        }
        family.check_domain(&y)?;
        Ok(Prepared {
            y,
            weights,
            offset,
            trials: self.trials,
        })
    }
}

/// Validated GLM data: the fitted target (proportions for binomial trials), the total prior
/// weight of each row (weights times trials), the combined offset.
#[derive(Clone, Debug)]
pub(crate) struct Prepared<'a> {
    pub(crate) y: Cow<'a, [f64]>,
    pub(crate) weights: Option<Cow<'a, [f64]>>,
    pub(crate) offset: Option<Vec<f64>>,
    pub(crate) trials: Option<&'a [f64]>,
}

impl Prepared<'_> {
    /// The prior weight of row `i` (1 without weights).
    #[inline]
    pub(crate) fn weight(&self, i: usize) -> f64 {
        self.weights.as_ref().map_or(1.0, |w| w[i])
    }

    /// The offset of row `i` (0 without one).
    #[inline]
    pub(crate) fn offset_at(&self, i: usize) -> f64 {
        self.offset.as_ref().map_or(0.0, |o| o[i])
    }
}
