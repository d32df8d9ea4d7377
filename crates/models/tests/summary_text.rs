//! The text of a summary: the coefficient table widens its name column to the longest
//! feature name, as statsmodels does, and keeps every row statsmodels prints.

use linmod_models::Mat;
use linmod_models::inference::InferenceOptions;
use linmod_models::logistic::LogisticRegression;

/// statsmodels 0.15.0, `tests/reference/summary_names.py`: `Logit(y, add_constant(X))` on
/// breast cancer's "mean radius" and "mean concave points" (raw features).
#[test]
fn long_feature_names_widen_the_coefficient_table_as_in_statsmodels() {
    let d = datasets::breast_cancer();
    let cols = [0, 7];
    let x = Mat::from_fn(d.n_samples(), 2, |i, j| d.x[(i, cols[j])]);
    let names: Vec<String> = cols.iter().map(|&j| d.feature_names[j].clone()).collect();
    assert_eq!(names, ["mean radius", "mean concave points"]);
    let fit = LogisticRegression::new()
        .tol(1e-12)
        .fit(x.as_ref(), &d.y)
        .unwrap();
    let s = fit
        .summary(x.as_ref(), &d.y, &InferenceOptions::default().names(names))
        .unwrap();
    let text = s.to_text();
    let lines: Vec<&str> = text.lines().collect();
    for row in [
        "                          coef    std err          z      P>|z|      [0.025      0.975]",
        "const                  13.6989      1.574      8.704      0.000      10.614      16.784",
        "mean radius            -0.6389      0.108     -5.937      0.000      -0.850      -0.428",
        "mean concave points   -84.2236      9.960     -8.457      0.000    -103.744     -64.703",
    ] {
        assert!(lines.contains(&row), "missing `{row}` in\n{text}");
    }
    // the header block keeps its 78 columns; the coefficient table's rules span its 87
    assert_eq!(lines[1], "=".repeat(78));
    assert_eq!(lines.last().copied(), Some("=".repeat(87).as_str()));
    assert!(lines.contains(&"-".repeat(87).as_str()));
}

#[test]
fn short_names_keep_the_78_column_table() {
    let d = datasets::chd_age();
    let fit = LogisticRegression::new().fit(d.x.as_ref(), &d.y).unwrap();
    let s = fit
        .summary(
            d.x.as_ref(),
            &d.y,
            &InferenceOptions::default().names(vec!["age".into()]),
        )
        .unwrap();
    let text = s.to_text();
    assert!(text.lines().all(|l| l.chars().count() <= 78), "{text}");
    assert!(text.lines().any(|l| l.starts_with("age       ")), "{text}");
}
