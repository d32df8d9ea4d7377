//! Numerically stable scalar functions of the logistic family.
//!
//! Each function is exact to a few ulps for every finite input and never returns NaN for a
//! non-NaN input: large `|z|` never reaches `exp` with a positive argument that overflows.

/// The logistic function `sigma(z) = 1 / (1 + e^{-z})`.
///
/// Evaluated as `1 / (1 + e^{-z})` for `z >= 0` and `e^z / (1 + e^z)` for `z < 0`, so that the
/// exponential never overflows and `sigma(z)` keeps full relative precision for very negative `z`
/// (where it is about `e^z`). `sigma(-z) = 1 - sigma(z)`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::sigmoid;
/// assert_eq!(sigmoid(0.0), 0.5);
/// assert!((sigmoid(1.0) - 0.7310585786300049).abs() < 1e-15);
/// assert_eq!(sigmoid(1e3), 1.0);
/// assert!(sigmoid(-700.0) > 0.0); // about e^-700, not rounded to zero
/// ```
#[inline]
#[must_use]
pub fn sigmoid(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// The softplus function `log(1 + e^z)`, the logistic loss of a positive label at `-z`.
///
/// Evaluated as `max(z, 0) + log1p(e^{-|z|})`, which neither overflows for large `z` (where it
/// equals `z`) nor loses precision for very negative `z` (where it is about `e^z`).
///
/// # Examples
/// ```
/// use linmod_linalg_core::softplus;
/// assert!((softplus(0.0) - std::f64::consts::LN_2).abs() < 1e-16);
/// assert_eq!(softplus(1e3), 1e3);
/// assert!((softplus(-50.0) - (-50.0f64).exp()).abs() < 1e-35);
/// ```
#[inline]
#[must_use]
pub fn softplus(z: f64) -> f64 {
    z.max(0.0) + (-z.abs()).exp().ln_1p()
}

/// The log of the logistic function, `log sigma(z) = -softplus(-z)`.
///
/// # Examples
/// ```
/// use linmod_linalg_core::log_sigmoid;
/// assert!((log_sigmoid(0.0) + std::f64::consts::LN_2).abs() < 1e-16);
/// assert_eq!(log_sigmoid(-1e3), -1e3);
/// assert!(log_sigmoid(40.0) < 0.0);
/// ```
#[inline]
#[must_use]
pub fn log_sigmoid(z: f64) -> f64 {
    -softplus(-z)
}

/// `log(sum_i e^{x_i})`, computed as `m + log(sum_i e^{x_i - m})` with `m = max_i x_i`.
///
/// Returns `-inf` for an empty slice or when every entry is `-inf`, `+inf` when an entry is
/// `+inf`, and NaN only when an entry is NaN.
///
/// # Examples
/// ```
/// use linmod_linalg_core::logsumexp;
/// assert!((logsumexp(&[0.0, 0.0]) - std::f64::consts::LN_2).abs() < 1e-16);
/// assert_eq!(logsumexp(&[1000.0, 1000.0]), 1000.0 + std::f64::consts::LN_2);
/// assert_eq!(logsumexp(&[]), f64::NEG_INFINITY);
/// ```
#[must_use]
pub fn logsumexp(x: &[f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m.is_infinite() {
        // Either empty / all -inf (m = -inf) or some +inf (m = +inf); the shift below would
        // produce inf - inf = NaN.
        if x.iter().any(|v| v.is_nan()) {
            return f64::NAN;
        }
        return m;
    }
    let s: f64 = x.iter().map(|&v| (v - m).exp()).sum();
    m + s.ln()
}

/// Replaces `x` by `softmax(x)_i = e^{x_i} / sum_j e^{x_j}` in place and returns
/// `logsumexp(x)` of the input.
///
/// The maximum is subtracted before exponentiating, so no entry overflows; entries equal to
/// `-inf` get probability 0. An empty slice is left empty and `-inf` is returned.
///
/// # Examples
/// ```
/// use linmod_linalg_core::softmax_in_place;
/// let mut z = [1.0, 2.0, 3.0];
/// let lse = softmax_in_place(&mut z);
/// assert!((z.iter().sum::<f64>() - 1.0).abs() < 1e-15);
/// assert!((lse - 3.40760596444438).abs() < 1e-13);
/// let mut big = [1e308, -1e308];
/// softmax_in_place(&mut big);
/// assert_eq!(big, [1.0, 0.0]);
/// ```
pub fn softmax_in_place(x: &mut [f64]) -> f64 {
    let m = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if m == f64::NEG_INFINITY {
        if !x.is_empty() {
            // every entry is -inf: the uniform distribution is the limit of equal logits
            let u = 1.0 / x.len() as f64;
            x.iter_mut().for_each(|v| *v = u);
        }
        return m;
    }
    if m == f64::INFINITY {
        // the +inf entries share all the mass; exp(inf - inf) would be NaN
        let count = x.iter().filter(|v| **v == f64::INFINITY).count() as f64;
        x.iter_mut().for_each(|v| {
            *v = if *v == f64::INFINITY {
                1.0 / count
            } else {
                0.0
            }
        });
        return m;
    }
    let mut s = 0.0;
    for v in x.iter_mut() {
        *v = (*v - m).exp();
        s += *v;
    }
    let inv = 1.0 / s;
    x.iter_mut().for_each(|v| *v *= inv);
    m + s.ln()
}
