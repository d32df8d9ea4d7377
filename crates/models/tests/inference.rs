//! Inference against statsmodels 0.15.0 (numbers recorded below with the call that produced
//! them), and refusals where inference is not valid.

use linalg_core::Mat;
use linmod_models::ModelError;
use linmod_models::inference::{CovarianceType, InferenceOptions, StatisticKind, logit, ols};
use linmod_models::logistic::LogisticRegression;

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs().max(1e-300)
}

/// statsmodels 0.15.0: `Logit(y, add_constant(age)).fit(tol=1e-14)` on the 33-row table.
#[test]
fn chd_logit_matches_statsmodels() {
    let chd = datasets::chd_age();
    let fit = LogisticRegression::new()
        .tol(1e-12)
        .fit(chd.x.as_ref(), &chd.y)
        .unwrap();
    let opts = InferenceOptions::default().names(vec!["age".into()]);
    let s = fit.summary(chd.x.as_ref(), &chd.y, &opts).unwrap();
    assert_eq!(s.names, vec!["const", "age"]);
    assert_eq!(s.statistic_kind, StatisticKind::Z);
    let expect = [
        (&s.std_err, [2.353992178356, 0.046338720118]),
        (&s.statistic, [-2.849823160089, 2.83784331434]),
        (&s.p_value, [0.004374354281, 0.004541947258]),
        (&s.conf_low, [-11.322201318014, 0.040679804561]),
        (&s.conf_high, [-2.094721539081, 0.222324249605]),
    ];
    for (got, want) in expect {
        for j in 0..2 {
            assert!(rel(got[j], want[j]) < 1e-5, "{} vs {}", got[j], want[j]);
        }
    }
    assert!(rel(s.log_likelihood, -14.335754129793225) < 1e-9);
    let l = s.logit.as_ref().unwrap();
    // statsmodels fits the constant-only model iteratively; ours is the closed form
    assert!(rel(l.ll_null, -22.49360630979606) < 1e-9);
    assert!(rel(l.pseudo_r2, 0.36267426697381366) < 1e-8);
    assert!(rel(l.llr_p_value, 5.361775302035044e-05) < 1e-6);
    assert!(rel(s.aic, 32.671508259586446) < 1e-9 && rel(s.bic, 35.66452338251941) < 1e-9);
    assert_eq!((s.n_obs, s.df_model, s.df_resid), (33.0, 1.0, 31.0));
    // cov_type="HC1": bse [2.125894853763, 0.039781251966]. statsmodels applies no
    // small-sample factor to the sandwich of likelihood models (its HC1 equals HC0 there);
    // ours is the textbook HC1 with n / (n - k) = 33 / 31.
    let hc1 = fit
        .summary(
            chd.x.as_ref(),
            &chd.y,
            &opts.clone().covariance(CovarianceType::Hc1),
        )
        .unwrap();
    let factor = (33.0f64 / 31.0).sqrt();
    assert!(
        rel(hc1.std_err[0], 2.125894853763 * factor) < 1e-5,
        "{}",
        hc1.std_err[0]
    );
    assert!(
        rel(hc1.std_err[1], 0.039781251966 * factor) < 1e-5,
        "{}",
        hc1.std_err[1]
    );
    let text = s.to_text();
    assert!(text.contains("Logit Regression Results"), "{text}");
    // the rows statsmodels prints, to the character
    assert!(
        text.contains(
            "const         -6.7085      2.354     -2.850      0.004     -11.322      -2.095"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "age            0.1315      0.046      2.838      0.005       0.041       0.222"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "                 coef    std err          z      P>|z|      [0.025      0.975]"
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Dep. Variable:                      y   No. Observations:                   33"
        ),
        "{text}"
    );
    assert!(text.lines().all(|l| l.len() <= 78), "{text}");
}

#[test]
fn inference_is_refused_where_it_is_not_valid() {
    let chd = datasets::chd_age();
    let penalized = LogisticRegression::new()
        .l2(0.01)
        .fit(chd.x.as_ref(), &chd.y)
        .unwrap();
    let e = penalized
        .summary(chd.x.as_ref(), &chd.y, &InferenceOptions::default())
        .unwrap_err();
    assert!(
        matches!(e, ModelError::InferenceUnavailable(_)) && e.to_string().contains("penalized"),
        "{e}"
    );
    let short = LogisticRegression::new()
        .max_iter(1)
        .fit(chd.x.as_ref(), &chd.y)
        .unwrap();
    let e = short
        .summary(chd.x.as_ref(), &chd.y, &InferenceOptions::default())
        .unwrap_err();
    assert!(e.to_string().contains("did not converge"), "{e}");
    // coefficients that are not the MLE of these data
    let e = logit(
        chd.x.as_ref(),
        &chd.y,
        &[0.2],
        Some(-6.7),
        &InferenceOptions::default(),
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("not the maximum-likelihood estimate"),
        "{e}"
    );
    let e = logit(
        chd.x.as_ref(),
        &chd.y,
        &[0.1315],
        Some(-6.7),
        &InferenceOptions::default().level(1.0),
    )
    .unwrap_err();
    assert!(e.to_string().contains("level"), "{e}");
}

#[test]
fn ols_on_a_hand_sized_problem_matches_statsmodels() {
    // statsmodels 0.15.0: OLS(y, add_constant(x)).fit() with x = 0, 1, 2, 3 and
    // y = 1, 3, 5, 7.5: params [0.9, 2.15], rsquared 0.9967654986522911
    let x = Mat::from_fn(4, 1, |i, _| i as f64);
    let y = [1.0, 3.0, 5.0, 7.5];
    let s = ols(
        x.as_ref(),
        &y,
        &[2.15],
        Some(0.9),
        &InferenceOptions::default(),
    )
    .unwrap();
    let o = s.ols.as_ref().unwrap();
    assert!(rel(o.r2, 0.9967654986522911) < 1e-12);
    // residuals 0.1, -0.05, -0.2, 0.15: SSR 0.075, sigma^2 = 0.0375,
    // var(slope) = sigma^2 / sum (x - 1.5)^2 = 0.0375 / 5
    assert!(rel(s.std_err[1], (0.0375f64 / 5.0).sqrt()) < 1e-12);
    assert_eq!(s.statistic_kind, StatisticKind::T);
    // F = t^2 for one slope
    assert!(rel(o.f_statistic, s.statistic[1] * s.statistic[1]) < 1e-10);
    let e = ols(
        x.as_ref(),
        &y,
        &[2.0],
        Some(1.0),
        &InferenceOptions::default(),
    )
    .unwrap_err();
    assert!(e.to_string().contains("not the least-squares fit"), "{e}");
}

/// statsmodels 0.15.0: `OLS(y, add_constant(Xs)).fit()` on diabetes with standardized
/// features (population standard deviation), and `.fit(cov_type="HC1")`.
#[test]
#[allow(clippy::excessive_precision)]
fn diabetes_ols_matches_statsmodels() {
    let d = datasets::diabetes();
    let x = datasets::StandardScaler::fit_transform(d.x.as_ref())
        .unwrap()
        .1;
    let fit = linmod_models::linear::LinearRegression::new()
        .fit(x.as_ref(), &d.y)
        .unwrap();
    let s = fit
        .summary(x.as_ref(), &d.y, &InferenceOptions::default())
        .unwrap();
    let params = [
        152.133484162896,
        -0.476120786179142,
        -11.406866923440974,
        24.72654886040216,
        15.42940413139563,
        -37.67995261101589,
        22.676162766290158,
        4.806138136897931,
        8.422039355820834,
        35.73444577133114,
        3.216673718190508,
    ];
    let bse = [
        2.575854485118974,
        2.841981838255344,
        2.912049937234956,
        3.164673240113717,
        3.111806827148415,
        19.819440291162092,
        16.126036142594668,
        10.109090494482306,
        7.680620325676086,
        8.176448324685422,
        3.138552228000502,
    ];
    let tvalues = [
        59.06136586588633,
        -0.167531255749131,
        -3.917126137703531,
        7.813302348874935,
        4.958342528457901,
        -1.901161286972275,
        1.406183302937927,
        0.475427353184858,
        1.096531139244861,
        4.370411742644502,
        1.024890932033263,
    ];
    for j in 0..11 {
        assert!(rel(s.estimate[j], params[j]) < 1e-8, "param {j}");
        assert!(
            rel(s.std_err[j], bse[j]) < 1e-6,
            "bse {j}: {} vs {}",
            s.std_err[j],
            bse[j]
        );
        assert!(rel(s.statistic[j], tvalues[j]) < 1e-6, "t {j}");
    }
    let o = s.ols.as_ref().unwrap();
    assert!(rel(o.r2, 0.5177484222203499) < 1e-6);
    assert!(rel(o.adj_r2, 0.5065592904853231) < 1e-6);
    assert!(rel(o.f_statistic, 46.27243958524321) < 1e-6);
    assert!(rel(o.f_p_value, 3.828649038185432e-62) < 1e-4);
    assert!(rel(s.log_likelihood, -2385.9928621235194) < 1e-9);
    let hc1 = fit
        .summary(
            x.as_ref(),
            &d.y,
            &InferenceOptions::default().covariance(CovarianceType::Hc1),
        )
        .unwrap();
    let hc1_bse = [
        2.575854485118976,
        2.731305970823637,
        2.80030113497304,
        3.20522918886805,
        3.106757188625613,
        18.733371233714525,
        14.82168405008048,
        9.531736283209181,
        7.489494091617988,
        7.713792952645136,
        2.993453609898695,
    ];
    for (j, &want) in hc1_bse.iter().enumerate() {
        assert!(
            rel(hc1.std_err[j], want) < 1e-6,
            "HC1 bse {j}: {} vs {want}",
            hc1.std_err[j]
        );
    }
    let text = s.to_text();
    assert!(
        text.contains("OLS Regression Results") && text.contains("P>|t|"),
        "{text}"
    );
}
