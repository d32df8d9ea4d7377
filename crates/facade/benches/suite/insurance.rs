//! The insurance-shaped data of the GLM cases: 7 categorical columns (100, 60, 50, 40, 25, 15
//! and 10 levels, one-hot without their first level: 293 columns) and 2 numeric ones, an
//! exposure, Poisson claim counts, Gamma severities on the rows with claims and the total claim
//! amount (a compound Poisson-Gamma, Tweedie with `1 < p < 2`). The shape of glum's published
//! benchmark (French motor claims), generated with ChaCha8.

use linmod::linalg::Mat;
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Levels of the categorical columns.
pub(crate) const LEVELS: [usize; 7] = [100, 60, 50, 40, 25, 15, 10];

/// Columns of the design: the one-hot columns of every level but the first, and 2 numeric.
pub(crate) fn n_columns() -> usize {
    LEVELS.iter().map(|l| l - 1).sum::<usize>() + 2
}

/// Which target a case fits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Claim counts, with the exposure.
    Counts,
    /// Mean claim amount on the rows with claims (no exposure).
    Severity,
    /// Total claim amount, with the exposure.
    Total,
}

/// The design with the exposure as its last column, and the target.
pub(crate) fn generate(n: usize, target: Target, seed: u64) -> (Mat<f64>, Vec<f64>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let p = n_columns();
    let mut x = Mat::<f64>::zeros(n, p + 1);
    let mut counts = vec![0.0; n];
    let mut amounts = vec![0.0; n];
    for i in 0..n {
        let (mut eta_freq, mut eta_sev) = ((0.1f64).ln(), (1000.0f64).ln());
        let mut col = 0;
        for (c, &levels) in LEVELS.iter().enumerate() {
            // skewed level frequencies, as real portfolios have
            let u: f64 = rng.random();
            let level = ((u * u) * levels as f64) as usize;
            if level > 0 {
                x[(i, col + level - 1)] = 1.0;
            }
            eta_freq += 0.3 * ((7 * c + 3 * level) as f64).sin();
            eta_sev += 0.2 * ((5 * c + 2 * level) as f64).cos();
            col += levels - 1;
        }
        let (a, b): (f64, f64) = (rng.random_range(-1.0..1.0), rng.random_range(-1.0..1.0));
        x[(i, col)] = a;
        x[(i, col + 1)] = b;
        eta_freq += 0.2 * a;
        eta_sev -= 0.1 * b;
        let exposure: f64 = rng.random_range(0.1..1.0);
        x[(i, p)] = exposure;
        // Poisson by inversion of the CDF
        let mu = exposure * eta_freq.exp();
        let u: f64 = rng.random();
        let (mut k, mut pk, mut cdf) = (0usize, (-mu).exp(), (-mu).exp());
        while u > cdf && k < 50 {
            k += 1;
            pk *= mu / k as f64;
            cdf += pk;
        }
        counts[i] = k as f64;
        // each claim Gamma with shape 2 and mean e^{eta_sev}: two exponentials
        for _ in 0..k {
            let (u1, u2): (f64, f64) = (rng.random(), rng.random());
            amounts[i] +=
                -(1.0 - u1).ln() * eta_sev.exp() / 2.0 - (1.0 - u2).ln() * eta_sev.exp() / 2.0;
        }
    }
    match target {
        Target::Counts => (x, counts),
        Target::Total => (x, amounts),
        Target::Severity => {
            let rows: Vec<usize> = (0..n).filter(|&i| counts[i] > 0.0).collect();
            let xs = Mat::from_fn(rows.len(), p + 1, |r, j| x[(rows[r], j)]);
            let ys = rows.iter().map(|&i| amounts[i] / counts[i]).collect();
            (xs, ys)
        }
    }
}
