//! Real data sets compiled into the crate.

use linalg_core::Mat;

use crate::Dataset;

const CHD_AGE: &str = include_str!("../data/chd_age.csv");

/// Age and signs of coronary heart disease for 33 people (the lecture table, after Hosmer &
/// Lemeshow, *Applied Logistic Regression*): one feature `age` (years), target 1 when signs
/// of coronary heart disease were found.
///
/// Unpenalized logistic regression on it gives intercept -6.7085 and age coefficient 0.13150.
///
/// # Examples
/// ```
/// let d = datasets::chd_age();
/// assert_eq!(d.x[(0, 0)], 22.0);
/// assert_eq!(d.y.iter().filter(|&&v| v == 1.0).count(), 14);
/// ```
#[must_use]
pub fn chd_age() -> Dataset {
    let rows: Vec<(f64, f64)> = CHD_AGE
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (age, y) = l.split_once(',').unwrap_or((l, ""));
            (parse(age), parse(y))
        })
        .collect();
    let x = Mat::from_fn(rows.len(), 1, |i, _| rows[i].0);
    let mut d = Dataset::new(
        x,
        rows.iter().map(|r| r.1).collect(),
        vec!["age".into()],
        "Age and signs of coronary heart disease, 33 people (lecture table after Hosmer & \
         Lemeshow, Applied Logistic Regression)"
            .into(),
    );
    d.target_names = vec!["no signs".into(), "signs of CHD".into()];
    d
}

/// Parses a number of an embedded file; the files are fixed and tested, so a failure is a
/// build defect, reported as NaN and caught by the shape tests.
fn parse(s: &str) -> f64 {
    s.trim().parse().unwrap_or(f64::NAN)
}

#[cfg(test)]
#[allow(clippy::float_cmp)] // the embedded values are exact copies of the source file
mod tests {
    #[test]
    fn chd_table_matches_the_source() {
        let d = super::chd_age();
        assert_eq!((d.n_samples(), d.n_features()), (33, 1));
        assert!(d.x.col(0).iter().all(|v| v.is_finite()));
        assert_eq!(d.x[(32, 0)], 81.0);
        assert_eq!(d.y.iter().filter(|&&v| v == 1.0).count(), 14);
        assert!(d.y.iter().all(|&v| v == 0.0 || v == 1.0));
    }
}
