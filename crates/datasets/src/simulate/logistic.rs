//! The logistic-regression simulator of the course exercise.

use linalg_core::sigmoid;
use rand::{Rng, RngExt};

use super::{Simulation, Simulator, check_finite, check_rows, column_major, linear_predictor};
use crate::Dataset;
use crate::dataset::{class_names, numbered_names};
use crate::error::{Result, invalid};

/// The course's `generate_logreg_data(n, beta, seed)`: `p = beta.len() - 1` features drawn
/// from `U(-1, 1)`, and `y ~ Bernoulli(sigmoid(X beta))` with `X = [1, x1, ..., xp]`.
///
/// `beta[0]` is the intercept. The returned features do **not** include the column of ones
/// (models fit their own intercept); the truth splits `beta` into `intercept` and `coef`.
///
/// The generator is ChaCha, so the numbers differ from the numpy version of the exercise
/// (whose expected estimates for `n = 10 000, beta = (1, 1, -1)` are about
/// `(0.991, 0.947, -0.940)`); the statistics are the same.
///
/// # Examples
/// ```
/// use linmod_datasets::simulate::{Logistic, Simulator};
/// let sim = Logistic::new(500, vec![0.5, 2.0]).simulate(1)?;
/// assert_eq!(sim.data.feature_names, vec!["x1"]);
/// assert!(sim.data.x.col(0).iter().all(|v| (-1.0..1.0).contains(v)));
/// assert!(sim.data.y.iter().all(|&v| v == 0.0 || v == 1.0));
/// assert_eq!(sim.truth.beta(), vec![0.5, 2.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug)]
pub struct Logistic {
    n: usize,
    beta: Vec<f64>,
}

impl Logistic {
    /// `n` rows with coefficients `beta = (intercept, w1, ..., wp)`.
    ///
    /// Checked when simulating: `n >= 1`, `beta` finite with at least two entries.
    #[must_use]
    pub fn new(n: usize, beta: Vec<f64>) -> Self {
        Self { n, beta }
    }
}

/// The parameters of a [`Logistic`] simulation.
///
/// # Examples
/// ```
/// let sim = linmod_datasets::simulate::logistic(10, &[-1.0, 2.0, 3.0], 0)?;
/// assert_eq!(sim.truth.intercept, -1.0);
/// assert_eq!(sim.truth.coef, vec![2.0, 3.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct LogisticTruth {
    /// `beta[0]`.
    pub intercept: f64,
    /// `beta[1..]`, one per feature.
    pub coef: Vec<f64>,
}

impl LogisticTruth {
    /// `beta = (intercept, coef...)`, as in the course.
    ///
    /// # Examples
    /// ```
    /// use linmod_datasets::simulate::LogisticTruth;
    /// let t = LogisticTruth { intercept: 1.0, coef: vec![2.0] };
    /// assert_eq!(t.beta(), vec![1.0, 2.0]);
    /// ```
    #[must_use]
    pub fn beta(&self) -> Vec<f64> {
        std::iter::once(self.intercept)
            .chain(self.coef.iter().copied())
            .collect()
    }
}

impl Simulator for Logistic {
    type Truth = LogisticTruth;

    /// Draws the features column by column, then one uniform per row for the labels.
    fn simulate_with_rng<R: Rng + ?Sized>(&self, rng: &mut R) -> Result<Simulation<LogisticTruth>> {
        check_rows(self.n)?;
        if self.beta.len() < 2 {
            return Err(invalid(
                "beta",
                format!("{:?}", self.beta),
                "an intercept and at least one coefficient",
            ));
        }
        check_finite("beta", &self.beta)?;
        let (intercept, coef) = (self.beta[0], self.beta[1..].to_vec());
        let p = coef.len();
        let x = column_major(self.n, p, |_, _| rng.random_range(-1.0..1.0))?;
        let y = linear_predictor(&x, &coef, intercept)
            .into_iter()
            .map(|z| f64::from(u8::from(rng.random::<f64>() < sigmoid(z))))
            .collect();
        let description = format!(
            "logistic simulation: {} rows, {p} features x ~ U(-1, 1), \
             y ~ Bernoulli(sigmoid(beta0 + x.w)), beta = {:?}",
            self.n, self.beta
        );
        let data =
            Dataset::new(x, y, numbered_names(p), description)?.with_target_names(class_names(2));
        Ok(Simulation {
            data,
            truth: LogisticTruth { intercept, coef },
        })
    }
}

/// The course's `generate_logreg_data(n, beta, seed)`: shorthand for
/// `Logistic::new(n, beta.to_vec()).simulate(seed)`.
///
/// # Errors
/// [`DatasetError::InvalidParameter`](crate::DatasetError::InvalidParameter) for `n = 0` or a
/// `beta` with fewer than two entries or non-finite entries.
///
/// # Examples
/// ```
/// let sim = linmod_datasets::simulate::logistic(1000, &[1.0, 1.0, -1.0], 42)?;
/// assert_eq!(sim.truth.beta(), vec![1.0, 1.0, -1.0]);
/// # Ok::<(), linmod_datasets::DatasetError>(())
/// ```
pub fn logistic(n: usize, beta: &[f64], seed: u64) -> Result<Simulation<LogisticTruth>> {
    Logistic::new(n, beta.to_vec()).simulate(seed)
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // determinism is checked bit for bit
mod tests {
    use linalg_core::{Mat, solve_spd};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    use super::super::test_support::{gram, inverse_diagonal, with_ones};
    use super::*;
    use crate::DatasetError;

    /// Newton's method (IRLS) for the unpenalized logistic regression with an intercept, from
    /// `beta = 0`, stopping when no coefficient moves by more than `tol`. Returns the estimate
    /// `(intercept, w...)`, its standard errors and the number of iterations.
    fn newton(x: &Mat<f64>, y: &[f64], tol: f64) -> (Vec<f64>, Vec<f64>, usize) {
        let xa = with_ones(x);
        let mut beta = vec![0.0; xa.ncols()];
        for iter in 1..=50 {
            let mu: Vec<f64> = linear_predictor(&xa, &beta, 0.0)
                .into_iter()
                .map(sigmoid)
                .collect();
            let d: Vec<f64> = mu.iter().map(|m| m * (1.0 - m)).collect();
            let h = gram(&xa, &d);
            let g: Vec<f64> = (0..xa.ncols())
                .map(|j| {
                    let col = xa.col_as_slice(j);
                    col.iter()
                        .zip(y)
                        .zip(&mu)
                        .map(|((x, y), m)| x * (y - m))
                        .sum()
                })
                .collect();
            let step = solve_spd(h.as_ref(), &g).unwrap();
            let moved = step.iter().fold(0.0f64, |m, s| m.max(s.abs()));
            beta.iter_mut().zip(&step).for_each(|(b, s)| *b += s);
            if moved <= tol {
                let se = inverse_diagonal(&h).iter().map(|v| v.sqrt()).collect();
                return (beta, se, iter);
            }
        }
        panic!("Newton did not converge");
    }

    #[test]
    fn same_seed_same_data_other_seed_other_data() {
        let a = logistic(200, &[0.3, 1.0, -2.0], 9).unwrap();
        let b = Logistic::new(200, vec![0.3, 1.0, -2.0])
            .simulate_with_rng(&mut ChaCha8Rng::seed_from_u64(9))
            .unwrap();
        let c = logistic(200, &[0.3, 1.0, -2.0], 10).unwrap();
        assert_eq!(a.data.x, b.data.x);
        assert_eq!(a.data.y, b.data.y);
        assert_ne!(a.data.x, c.data.x);
    }

    #[test]
    fn golden_first_draws() {
        // Pinned so that a change of generator or draw order is noticed.
        let sim = logistic(3, &[0.0, 1.0], 42).unwrap();
        let mut rng = ChaCha8Rng::seed_from_u64(42);
        let first: f64 = rng.random_range(-1.0..1.0);
        assert_eq!(sim.data.x[(0, 0)], first);
        assert_eq!(sim.data.x.nrows(), 3);
    }

    #[test]
    fn newton_recovers_beta_within_four_standard_errors() {
        let beta = [0.5, 1.5, -1.0, 0.25];
        let sim = logistic(20_000, &beta, 2024).unwrap();
        let (est, se, _) = newton(&sim.data.x, &sim.data.y, 1e-10);
        for j in 0..beta.len() {
            assert!(
                (est[j] - beta[j]).abs() <= 4.0 * se[j],
                "beta[{j}]: estimate {} +- {} vs truth {}",
                est[j],
                se[j],
                beta[j]
            );
        }
    }

    #[test]
    fn course_exercise_converges_in_a_few_iterations() {
        let sim = logistic(10_000, &[1.0, 1.0, -1.0], 42).unwrap();
        let (est, _, iters) = newton(&sim.data.x, &sim.data.y, 1e-8);
        assert!((5..=8).contains(&iters), "{iters} iterations");
        for (e, t) in est.iter().zip([1.0, 1.0, -1.0]) {
            assert!((e - t).abs() < 0.1, "{est:?}");
        }
    }

    #[test]
    fn positive_rate_matches_the_mean_probability() {
        let sim = logistic(20_000, &[-0.5, 2.0], 3).unwrap();
        let probs: Vec<f64> = linear_predictor(&sim.data.x, &sim.truth.coef, -0.5)
            .into_iter()
            .map(sigmoid)
            .collect();
        let n = probs.len() as f64;
        let expected = probs.iter().sum::<f64>() / n;
        let var = probs.iter().map(|p| p * (1.0 - p)).sum::<f64>() / (n * n);
        let rate = sim.data.y.iter().sum::<f64>() / n;
        assert!((rate - expected).abs() < 4.0 * var.sqrt());
    }

    #[test]
    fn invalid_parameters_are_errors() {
        let cases: [(usize, Vec<f64>, &str); 3] = [
            (0, vec![1.0, 1.0], "`n` = 0"),
            (5, vec![1.0], "`beta` = [1.0]: expected an intercept"),
            (5, vec![1.0, f64::NAN], "`beta` = NaN at index 1"),
        ];
        for (n, beta, text) in cases {
            let err = Logistic::new(n, beta).simulate(0).unwrap_err();
            assert!(matches!(err, DatasetError::InvalidParameter { .. }));
            assert!(err.to_string().contains(text), "{err}");
        }
    }
}
