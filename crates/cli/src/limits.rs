//! The valid range of every numeric flag, checked when the command line is parsed: a value
//! outside it is a usage error (exit 2) naming the flag, the value and the range, before any
//! file is read or any memory is sized from it.

use linmod::models::{MAX_L1, MAX_STRENGTH};

/// Most worker threads `--threads` accepts: more threads than this only add scheduling
/// overhead on any machine (the blocked kernels have at most a few hundred tasks), and the
/// pool's start-up cost grows with the count.
pub const MAX_THREADS: usize = 256;

/// Most penalties on a regularization path (`path --n-lambdas`).
pub const MAX_LAMBDAS: usize = 10_000;

/// Most values `simulate` draws: `rows x features` (plus `features x classes` random
/// coefficients for the multinomial simulator) at most 10^8, 800 MB of `f64`.
pub const MAX_SIMULATED_CELLS: usize = 100_000_000;

/// Classes up to which `evaluate` prints the whole confusion matrix; above, the largest
/// confusions (and `--confusion-matrix FILE` writes the whole matrix).
pub const CONFUSION_TABLE_CLASSES: usize = 20;

fn number(text: &str) -> Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .map_err(|_| format!("`{text}` is not a number"))
}

fn whole(text: &str) -> Result<usize, String> {
    text.trim()
        .parse::<usize>()
        .map_err(|_| format!("`{text}` is not a whole number >= 0"))
}

/// A number accepted when `ok` holds, else the error `range`.
fn checked(text: &str, ok: impl Fn(f64) -> bool, range: &str) -> Result<f64, String> {
    let v = number(text)?;
    if v.is_finite() && ok(v) {
        Ok(v)
    } else {
        Err(format!("must be {range}"))
    }
}

/// An L1 strength (`--l1`): finite and `>= 0` (it is in the units of the target, which may
/// be as large as f64 allows).
pub fn l1_strength(text: &str) -> Result<f64, String> {
    checked(text, |v| (0.0..=MAX_L1).contains(&v), "finite and >= 0")
}

/// An L2 strength (`--l2`): finite, `>= 0` and at most `1e100`.
pub fn strength(text: &str) -> Result<f64, String> {
    checked(
        text,
        |v| (0.0..=MAX_STRENGTH).contains(&v),
        "finite, >= 0 and at most 1e100 (stronger penalties overflow)",
    )
}

/// The course's `C`: the penalty strength is `1/C`, so `C >= 1e-100`.
pub fn inverse_strength(text: &str) -> Result<f64, String> {
    checked(
        text,
        |v| v >= 1.0 / MAX_STRENGTH,
        "finite and at least 1e-100 (the penalty strength is 1/C)",
    )
}

/// A tolerance, learning rate or noise level: finite and `>= 0`.
pub fn non_negative(text: &str) -> Result<f64, String> {
    checked(text, |v| v >= 0.0, "finite and >= 0")
}

/// A learning rate: finite and `> 0`.
pub fn positive(text: &str) -> Result<f64, String> {
    checked(text, |v| v > 0.0, "finite and > 0")
}

/// A probability threshold or an L1 share: in `[0, 1]`.
pub fn unit_interval(text: &str) -> Result<f64, String> {
    checked(text, |v| (0.0..=1.0).contains(&v), "in [0, 1]")
}

/// A confidence level or a fraction of lambda_max: strictly between 0 and 1.
pub fn open_unit_interval(text: &str) -> Result<f64, String> {
    checked(text, |v| v > 0.0 && v < 1.0, "strictly between 0 and 1")
}

/// A correlation between neighbouring features: strictly between -1 and 1.
pub fn correlation(text: &str) -> Result<f64, String> {
    checked(text, |v| v > -1.0 && v < 1.0, "strictly between -1 and 1")
}

/// Any finite number (coefficients, intercepts).
pub fn finite(text: &str) -> Result<f64, String> {
    checked(text, |_| true, "a finite number")
}

/// `--threads`: from 1 to [`MAX_THREADS`].
pub fn threads(text: &str) -> Result<usize, String> {
    let n = whole(text)?;
    if (1..=MAX_THREADS).contains(&n) {
        Ok(n)
    } else {
        Err(format!("must be from 1 to {MAX_THREADS}"))
    }
}

/// A count that must be at least 1 (rows, features, iterations, batch sizes).
pub fn at_least_one(text: &str) -> Result<usize, String> {
    let n = whole(text)?;
    if n >= 1 {
        Ok(n)
    } else {
        Err("must be at least 1".into())
    }
}

/// `--classes`: from 2 to 65 536 (and at most `--n`, checked with the other flags).
pub fn classes(text: &str) -> Result<usize, String> {
    let k = whole(text)?;
    if (2..=linmod::datasets::simulate::MAX_SIMULATED_CLASSES).contains(&k) {
        Ok(k)
    } else {
        Err(format!(
            "must be from 2 to {} (and at most --n)",
            linmod::datasets::simulate::MAX_SIMULATED_CLASSES
        ))
    }
}

/// `--folds`: 0 (no cross-validation) or at least 2.
pub fn folds(text: &str) -> Result<usize, String> {
    let k = whole(text)?;
    if k == 1 {
        Err(
            "must be 0 (no cross-validation) or at least 2: one fold leaves nothing to validate on"
                .into(),
        )
    } else {
        Ok(k)
    }
}

/// `--n-lambdas`: from 1 to [`MAX_LAMBDAS`].
pub fn lambdas(text: &str) -> Result<usize, String> {
    let n = whole(text)?;
    if (1..=MAX_LAMBDAS).contains(&n) {
        Ok(n)
    } else {
        Err(format!("must be from 1 to {MAX_LAMBDAS}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_accept_their_bounds_and_refuse_the_rest() {
        assert_eq!(strength("1e100"), Ok(1e100));
        assert!(strength("1e308").unwrap_err().contains("at most 1e100"));
        assert!(strength("nan").is_err() && strength("-1").is_err());
        assert!(inverse_strength("1e-320").is_err());
        assert!(open_unit_interval("1").is_err() && open_unit_interval("0.95").is_ok());
        assert!(threads("4000").unwrap_err().contains("from 1 to 256"));
        assert!(threads("0").is_err() && threads("abc").is_err());
        assert!(folds("1").is_err() && folds("0").is_ok() && folds("2").is_ok());
        assert!(lambdas("100000000").is_err());
        assert!(classes("1000000000000").is_err() && classes("1").is_err());
        assert!(correlation("-1").is_err() && finite("inf").is_err());
    }
}
