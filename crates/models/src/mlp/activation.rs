//! The hidden layer's activation function and the weight initialization that suits it.

use serde::{Deserialize, Serialize};

/// The non-linearity `g` of the hidden layer, applied entrywise to the pre-activations
/// `A = X W1 + 1 b1^T`.
///
/// Both derivatives are computed from the activation `H = g(A)` itself, so the backward pass
/// needs no copy of `A`.
///
/// # Examples
/// ```
/// use linmod_models::mlp::{Activation, Init};
/// assert_eq!(Activation::default(), Activation::Relu);
/// assert_eq!(Activation::Relu.default_init(), Init::He);
/// assert_eq!(Activation::Tanh.default_init(), Init::Glorot);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Activation {
    /// `g(a) = max(a, 0)`, `g'(a) = [a > 0]` (0 at the kink: a subgradient).
    #[default]
    Relu,
    /// `g(a) = tanh(a)`, `g'(a) = 1 - tanh(a)^2`.
    Tanh,
}

impl Activation {
    /// The initialization designed for this activation: [`Init::He`] for ReLU,
    /// [`Init::Glorot`] for tanh.
    ///
    /// # Examples
    /// ```
    /// use linmod_models::mlp::{Activation, Init};
    /// assert_eq!(Activation::Tanh.default_init(), Init::Glorot);
    /// ```
    #[must_use]
    pub fn default_init(self) -> Init {
        match self {
            Activation::Relu => Init::He,
            Activation::Tanh => Init::Glorot,
        }
    }

    /// Replaces each `a` by `g(a + bias)`: the bias of one hidden unit and its activation,
    /// applied to the unit's column of a block.
    pub(crate) fn apply_with_bias(self, a: &mut [f64], bias: f64) {
        match self {
            Activation::Relu => a.iter_mut().for_each(|v| *v = (*v + bias).max(0.0)),
            Activation::Tanh => a.iter_mut().for_each(|v| *v = (*v + bias).tanh()),
        }
    }

    /// Multiplies each `d` by `g'(a)`, given the activations `h = g(a)`.
    pub(crate) fn scale_by_derivative(self, h: &[f64], d: &mut [f64]) {
        match self {
            // a select rather than a branch: the sign of h is a coin flip the predictor loses
            Activation::Relu => d
                .iter_mut()
                .zip(h)
                .for_each(|(d, &h)| *d = if h > 0.0 { *d } else { 0.0 }),
            Activation::Tanh => d
                .iter_mut()
                .zip(h)
                .for_each(|(d, &h)| *d *= (1.0 - h) * (1.0 + h)),
        }
    }
}

/// How the weights are drawn before training (biases start at 0).
///
/// With `fan_in` inputs and `fan_out` outputs of a layer:
/// - He (Kaiming) normal: `W_ij ~ N(0, 2 / fan_in)`, which keeps the variance of ReLU
///   activations constant from layer to layer (He et al., 2015);
/// - Glorot (Xavier) uniform: `W_ij ~ U(-a, a)`, `a = sqrt(6 / (fan_in + fan_out))`, which
///   balances forward and backward variances for tanh (Glorot & Bengio, 2010).
///
/// # Examples
/// ```
/// use linmod_models::mlp::{Architecture, Init};
/// let arch = Architecture::new(4, 3, 2).unwrap();
/// let theta = arch.initial_parameters(Init::Glorot, 7);
/// let a = (6.0f64 / 7.0).sqrt(); // first layer: fan_in 4, fan_out 3
/// assert!(theta[arch.w1_range()].iter().all(|w| w.abs() <= a));
/// assert!(theta[arch.b1_range()].iter().all(|&b| b == 0.0));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// `N(0, 2 / fan_in)`.
    He,
    /// `U(-a, a)`, `a = sqrt(6 / (fan_in + fan_out))`.
    Glorot,
}
