//! The shape of the network and the layout of its parameter vector.

use std::ops::Range;

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::StandardNormal;
use serde::{Deserialize, Serialize};

use crate::error::{ModelError, Result};
use crate::mlp::activation::Init;

/// The ChaCha8 stream the initialization draws from: `optim`'s SGD shuffles with stream 0 of
/// the same seed, so one seed fixes a whole fit without the two sharing random numbers.
const INIT_STREAM: u64 = 1;

/// The shape `p -> h -> K` of a one-hidden-layer network: `p` features, `h` hidden units,
/// `K` classes.
///
/// The parameters form one vector of length `p h + h + h K + K`, in this order:
///
/// | block | shape | entry | offset |
/// |---|---|---|---|
/// | `W1` | `p x h`, column-major | `W1[j, u]` | `u p + j` |
/// | `b1` | `h` | `b1[u]` | `p h + u` |
/// | `W2` | `h x K`, column-major | `W2[u, c]` | `p h + h + c h + u` |
/// | `b2` | `K` | `b2[c]` | `p h + h + h K + c` |
///
/// so column `u` of `W1` (the input weights of hidden unit `u`) and column `c` of `W2` (the
/// weights of class `c`) are contiguous.
///
/// # Examples
/// ```
/// use linmod_models::mlp::Architecture;
/// let arch = Architecture::new(64, 32, 10).unwrap();
/// assert_eq!(arch.dim(), 64 * 32 + 32 + 32 * 10 + 10);
/// assert_eq!(arch.w2_range(), 2080..2400);
/// assert!(Architecture::new(64, 0, 10).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Architecture {
    n_features: usize,
    hidden: usize,
    n_classes: usize,
}

impl Architecture {
    /// A network with `n_features` inputs, `hidden` hidden units and `n_classes` outputs.
    ///
    /// # Errors
    /// [`ModelError::InvalidParameter`] unless `n_features >= 1`, `hidden >= 1` and
    /// `n_classes >= 2`, or when the parameter count overflows memory.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mlp::Architecture;
    /// let arch = Architecture::new(2, 3, 2).unwrap();
    /// assert_eq!((arch.n_features(), arch.hidden(), arch.n_classes()), (2, 3, 2));
    /// ```
    pub fn new(n_features: usize, hidden: usize, n_classes: usize) -> Result<Self> {
        let check = |name, value: usize, min: usize, requirement| {
            if value >= min {
                Ok(())
            } else {
                Err(ModelError::InvalidParameter {
                    name,
                    value: value as f64,
                    requirement,
                })
            }
        };
        check("n_features", n_features, 1, ">= 1")?;
        check("hidden", hidden, 1, ">= 1")?;
        check("n_classes", n_classes, 2, ">= 2")?;
        // dim = (p + K + 1) h + K must be addressable (a corrupt model file may claim anything)
        let dim = (n_features.checked_add(n_classes))
            .and_then(|v| v.checked_add(1))
            .and_then(|v| v.checked_mul(hidden))
            .and_then(|v| v.checked_add(n_classes));
        if dim.is_none_or(|d| d > isize::MAX as usize / 8) {
            return Err(ModelError::InvalidParameter {
                name: "hidden",
                value: hidden as f64,
                requirement: "small enough for the (p + K + 1) h + K parameters to fit in memory",
            });
        }
        Ok(Self {
            n_features,
            hidden,
            n_classes,
        })
    }

    /// Number of input features `p`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(5, 3, 2).unwrap().n_features(), 5);
    /// ```
    #[must_use]
    pub fn n_features(&self) -> usize {
        self.n_features
    }

    /// Number of hidden units `h`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(5, 3, 2).unwrap().hidden(), 3);
    /// ```
    #[must_use]
    pub fn hidden(&self) -> usize {
        self.hidden
    }

    /// Number of classes `K`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(5, 3, 2).unwrap().n_classes(), 2);
    /// ```
    #[must_use]
    pub fn n_classes(&self) -> usize {
        self.n_classes
    }

    /// Length of the parameter vector, `p h + h + h K + K`.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(2, 3, 2).unwrap().dim(), 6 + 3 + 6 + 2);
    /// ```
    #[must_use]
    pub fn dim(&self) -> usize {
        self.b2_range().end
    }

    /// Where `W1` (`p x h`, column-major) sits in the parameter vector.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(2, 3, 2).unwrap().w1_range(), 0..6);
    /// ```
    #[must_use]
    pub fn w1_range(&self) -> Range<usize> {
        0..self.n_features * self.hidden
    }

    /// Where `b1` (`h`) sits in the parameter vector.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(2, 3, 2).unwrap().b1_range(), 6..9);
    /// ```
    #[must_use]
    pub fn b1_range(&self) -> Range<usize> {
        let start = self.w1_range().end;
        start..start + self.hidden
    }

    /// Where `W2` (`h x K`, column-major) sits in the parameter vector.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(2, 3, 2).unwrap().w2_range(), 9..15);
    /// ```
    #[must_use]
    pub fn w2_range(&self) -> Range<usize> {
        let start = self.b1_range().end;
        start..start + self.hidden * self.n_classes
    }

    /// Where `b2` (`K`) sits in the parameter vector.
    ///
    /// # Examples
    /// ```
    /// assert_eq!(linmod_models::mlp::Architecture::new(2, 3, 2).unwrap().b2_range(), 15..17);
    /// ```
    #[must_use]
    pub fn b2_range(&self) -> Range<usize> {
        let start = self.w2_range().end;
        start..start + self.n_classes
    }

    /// A starting parameter vector: weights drawn by `init` from ChaCha8 seeded with `seed`
    /// (stream 1; `W1` first, column by column, then `W2`), biases 0. The same seed gives the
    /// same bits on every platform.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mlp::{Architecture, Init};
    /// let arch = Architecture::new(64, 32, 10).unwrap();
    /// let a = arch.initial_parameters(Init::He, 3);
    /// assert_eq!(a, arch.initial_parameters(Init::He, 3));
    /// assert_ne!(a, arch.initial_parameters(Init::He, 4));
    /// // He: the variance of W1 is about 2 / 64
    /// let var = a[arch.w1_range()].iter().map(|w| w * w).sum::<f64>() / 2048.0;
    /// assert!((var - 2.0 / 64.0).abs() < 0.005);
    /// ```
    #[must_use]
    pub fn initial_parameters(&self, init: Init, seed: u64) -> Vec<f64> {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        rng.set_stream(INIT_STREAM);
        let mut theta = vec![0.0; self.dim()];
        let layers = [
            (self.w1_range(), self.n_features, self.hidden),
            (self.w2_range(), self.hidden, self.n_classes),
        ];
        for (range, fan_in, fan_out) in layers {
            let weights = &mut theta[range];
            match init {
                Init::He => {
                    let std = (2.0 / fan_in as f64).sqrt();
                    for w in weights {
                        *w = std * rng.sample::<f64, _>(StandardNormal);
                    }
                }
                Init::Glorot => {
                    let a = (6.0 / (fan_in + fan_out) as f64).sqrt();
                    for w in weights {
                        *w = a * (2.0 * rng.random::<f64>() - 1.0);
                    }
                }
            }
        }
        theta
    }

    /// Splits a parameter vector into `(W1, b1, W2, b2)`.
    pub(crate) fn split<'t>(&self, theta: &'t [f64]) -> [&'t [f64]; 4] {
        [
            &theta[self.w1_range()],
            &theta[self.b1_range()],
            &theta[self.w2_range()],
            &theta[self.b2_range()],
        ]
    }

    /// Splits a gradient vector into `(W1, b1, W2, b2)`, mutably.
    pub(crate) fn split_mut<'t>(&self, g: &'t mut [f64]) -> [&'t mut [f64]; 4] {
        let (w1, rest) = g.split_at_mut(self.n_features * self.hidden);
        let (b1, rest) = rest.split_at_mut(self.hidden);
        let (w2, b2) = rest.split_at_mut(self.hidden * self.n_classes);
        [w1, b1, w2, b2]
    }
}
