//! Seeded simulators that return the data together with the parameters that generated them.
//!
//! | simulator | features | target |
//! |---|---|---|
//! | [`Logistic`] (the course's `generate_logreg_data`) | `U(-1, 1)` | `Bernoulli(sigmoid(b + X w))` |
//! | [`LinearRegression`] | `N(0, 1)`, optional AR(1) correlation | `b + X w + noise N(0, 1)` |
//! | [`SparseRegression`] | as above | as above, `k` non-zero coefficients |
//! | [`Multinomial`] | `U(-1, 1)` | `Categorical(softmax(b + X W))` |
//! | [`Blobs`] | `center(label) + std N(0, I)` | balanced labels |
//!
//! Every simulator is a configuration checked when it runs, implementing [`Simulator`]:
//! [`Simulator::simulate`] takes a seed for a `ChaCha8Rng` (portable: the same numbers on every
//! platform), [`Simulator::simulate_with_rng`] takes any generator. Both return a
//! [`Simulation`]: the [`Dataset`] and the truth.
//!
//! # Examples
//! The course exercise: `n = 10 000`, `beta = (1, 1, -1)`.
//! ```
//! use linmod_datasets::simulate::{Logistic, Simulator};
//! let sim = Logistic::new(10_000, vec![1.0, 1.0, -1.0]).simulate(42)?;
//! assert_eq!((sim.data.n_samples(), sim.data.n_features()), (10_000, 2));
//! assert_eq!(sim.truth.intercept, 1.0);
//! assert_eq!(sim.truth.coef, vec![1.0, -1.0]);
//! // the same seed gives the same data
//! let again = Logistic::new(10_000, vec![1.0, 1.0, -1.0]).simulate(42)?;
//! assert_eq!(sim.data.y, again.data.y);
//! # Ok::<(), linmod_datasets::DatasetError>(())
//! ```

mod classes;
mod linear;
mod logistic;
#[cfg(test)]
mod test_support;
mod text;

pub use classes::{Blobs, BlobsTruth, Multinomial, MultinomialTruth};
pub use linear::{LinearRegression, LinearTruth, SparseRegression};
pub use logistic::{Logistic, LogisticTruth, logistic};
pub use text::{SparseText, TextTruth};

use linalg_core::Mat;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::Dataset;
use crate::error::{Result, invalid};

/// Simulated data and the parameters that generated them.
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{LinearRegression, Simulator};
/// let sim = LinearRegression::new(10, vec![1.0]).simulate(0)?;
/// let (data, truth) = (sim.data, sim.truth);
/// assert_eq!((data.n_samples(), truth.coef.len()), (10, 1));
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Simulation<T> {
    /// The data.
    pub data: Dataset,
    /// The true parameters.
    pub truth: T,
}

/// A data generator with known parameters.
///
/// # Examples
/// Any generator works; [`Simulator::simulate`] is the shorthand for a `ChaCha8Rng`:
/// ```
/// use linmod_datasets::simulate::{Blobs, Simulator};
/// use rand::SeedableRng;
/// use rand_chacha::ChaCha8Rng;
/// let blobs = Blobs::new(30, 2, 3);
/// let a = blobs.simulate(5)?;
/// let b = blobs.simulate_with_rng(&mut ChaCha8Rng::seed_from_u64(5))?;
/// assert_eq!(a.data.y, b.data.y);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub trait Simulator {
    /// The parameters returned with the data.
    type Truth;

    /// Draws a data set from `rng`.
    ///
    /// # Errors
    /// [`DatasetError::InvalidParameter`](crate::DatasetError::InvalidParameter) when the
    /// configuration is invalid; nothing is drawn then.
    fn simulate_with_rng<R: Rng + ?Sized>(&self, rng: &mut R) -> Result<Simulation<Self::Truth>>;

    /// Draws a data set from `ChaCha8Rng::seed_from_u64(seed)`.
    ///
    /// # Errors
    /// As [`Simulator::simulate_with_rng`].
    fn simulate(&self, seed: u64) -> Result<Simulation<Self::Truth>> {
        self.simulate_with_rng(&mut ChaCha8Rng::seed_from_u64(seed))
    }
}

/// An `n x p` matrix filled column by column, row by row within a column, so that the order of
/// the random draws is fixed by this function and not by faer's fill order.
///
/// # Errors
/// [`DatasetError::OutOfMemory`](crate::DatasetError::OutOfMemory) when the matrix cannot be
/// allocated (its size comes from the caller's `n` and `p`).
fn column_major(n: usize, p: usize, f: impl FnMut(usize, usize) -> f64) -> Result<Mat<f64>> {
    let mut x = Mat::<f64>::new();
    let oom = || crate::DatasetError::OutOfMemory {
        file: "the simulated data".into(),
        bytes: (n as u64).saturating_mul(p as u64).saturating_mul(8),
    };
    n.checked_mul(p)
        .and_then(|c| c.checked_mul(8))
        .ok_or_else(oom)?;
    x.try_reserve(n, p).map_err(|_| oom())?;
    // `resize_with` fills column by column, row by row within a column
    x.resize_with(n, p, f);
    Ok(x)
}

/// `b + X w`, one value per row.
fn linear_predictor(x: &Mat<f64>, w: &[f64], b: f64) -> Vec<f64> {
    let mut z = vec![b; x.nrows()];
    for (j, &wj) in w.iter().enumerate() {
        for (zi, &xij) in z.iter_mut().zip(x.col_as_slice(j)) {
            *zi += wj * xij;
        }
    }
    z
}

fn check_rows(n: usize) -> Result<()> {
    if n == 0 {
        return Err(invalid("n", n, "at least 1 row"));
    }
    Ok(())
}

fn check_features(p: usize) -> Result<()> {
    if p == 0 {
        return Err(invalid("p", p, "at least 1 feature"));
    }
    Ok(())
}

/// The most classes a simulator draws: each class has its own coefficient vector and
/// centre, so k is bounded well below the label limit [`crate::MAX_CLASSES`].
pub const MAX_SIMULATED_CLASSES: usize = 1 << 16;

fn check_classes(k: usize) -> Result<()> {
    if !(2..=MAX_SIMULATED_CLASSES).contains(&k) {
        return Err(invalid("k", k, "from 2 to 65536 classes"));
    }
    Ok(())
}

fn check_finite(name: &'static str, values: &[f64]) -> Result<()> {
    match values.iter().position(|v| !v.is_finite()) {
        Some(i) => Err(invalid(
            name,
            format!("{} at index {i}", values[i]),
            "finite values",
        )),
        None => Ok(()),
    }
}

fn check_non_negative(name: &'static str, v: f64) -> Result<()> {
    if !(v.is_finite() && v >= 0.0) {
        return Err(invalid(name, v, "a finite value >= 0"));
    }
    Ok(())
}
