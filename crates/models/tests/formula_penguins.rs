//! Models fitted through formulas on a real table with text categories and gaps (the Palmer
//! penguins, embedded in `datasets`) against statsmodels' formula API with
//! `missing="drop"`: the same names, coefficients to 1e-7 relative (>= 6 significant
//! digits), standard errors to 1e-6, predictions on raw new rows to 1e-8. The numbers come
//! from `tests/reference/formula_penguins.py` (statsmodels 0.14.5, pandas 2.3, patsy 1.0).

use datasets::{Column, Formula, Missing, Table, TableOptions, Unseen, penguins, read_table_from};
use linmod_models::inference::InferenceOptions;
use linmod_models::linear::LinearRegression;
use linmod_models::logistic::LogisticRegression;

const OLS: &str = "body_mass_g ~ flipper_length_mm + C(species, Treatment(reference='Gentoo')) * sex + np.log(bill_depth_mm) + I(bill_length_mm**2)";
const LOGIT: &str = "male ~ bill_depth_mm + body_mass_g + species + C(year)";

/// New rows as a user has them: text levels, no target, an id and a note column.
const NEW_ROWS: &str = include_str!("data/penguins_new_rows.csv");

/// The penguins with `male` = 1 for sex "male", 0 for "female", missing where sex is.
fn penguins_with_male() -> Table {
    let t = penguins();
    let male = (0..t.n_rows())
        .map(
            |i| match t.column("sex").and_then(|c| c.display(i)).as_deref() {
                Some("male") => 1.0,
                Some(_) => 0.0,
                None => f64::NAN,
            },
        )
        .collect();
    let mut names = t.names().to_vec();
    let mut columns = t.columns().to_vec();
    names.push("male".into());
    columns.push(Column::numeric(male));
    Table::new(names, columns).unwrap()
}

fn check(what: &str, got: &[f64], want: &[f64], tol: f64) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (j, (g, w)) in got.iter().zip(want).enumerate() {
        assert!((g - w).abs() <= tol * w.abs(), "{what}[{j}]: {g} vs {w}");
    }
}

fn new_rows() -> Table {
    read_table_from(NEW_ROWS.as_bytes(), "new.csv", &TableOptions::new()).unwrap()
}

#[test]
fn ols_through_a_formula_matches_statsmodels() {
    let (spec, frame) = Formula::parse(OLS)
        .unwrap()
        .build(&penguins(), Missing::Drop)
        .unwrap();
    assert_eq!((frame.x.nrows(), frame.dropped), (333, 11));
    let fit = LinearRegression::new()
        .fit_intercept(spec.intercept())
        .fit(frame.x.as_ref(), &frame.y)
        .unwrap();
    let opts = InferenceOptions::default()
        .names(spec.feature_names().to_vec())
        .intercept_name("Intercept");
    let s = fit.summary(frame.x.as_ref(), &frame.y, &opts).unwrap();
    assert_eq!(
        s.names,
        [
            "Intercept",
            "C(species, Treatment(reference='Gentoo'))[T.Adelie]",
            "C(species, Treatment(reference='Gentoo'))[T.Chinstrap]",
            "sex[T.male]",
            "C(species, Treatment(reference='Gentoo'))[T.Adelie]:sex[T.male]",
            "C(species, Treatment(reference='Gentoo'))[T.Chinstrap]:sex[T.male]",
            "flipper_length_mm",
            "np.log(bill_depth_mm)",
            "I(bill_length_mm ** 2)"
        ]
    );
    check(
        "coef",
        &s.estimate,
        &[
            -2473.038011531788,
            -1019.7211466306841,
            -1097.423327599169,
            458.5156129577493,
            -9.798275938892768,
            -386.3018309427026,
            16.072404668520377,
            1232.41616172721,
            0.22197691214887308,
        ],
        1e-7,
    );
    check(
        "se",
        &s.std_err,
        &[
            947.5411292657332,
            130.3056117574272,
            117.88477420946839,
            64.83718821979228,
            69.82363663244573,
            84.5075506070083,
            2.8459012597068356,
            336.7675480034506,
            0.07590297246794708,
        ],
        1e-6,
    );
    let new = spec.features(&new_rows(), Unseen::Error).unwrap();
    check(
        "predict",
        &fit.predict(new.x.as_ref()).unwrap(),
        &[
            3363.784277935635,
            5520.716058631529,
            3829.580148176627,
            3613.7532074268665,
        ],
        1e-8,
    );
}

#[test]
fn logit_through_a_formula_matches_statsmodels() {
    let (spec, frame) = Formula::parse(LOGIT)
        .unwrap()
        .build(&penguins_with_male(), Missing::Drop)
        .unwrap();
    assert_eq!(frame.x.nrows(), 333);
    let fit = LogisticRegression::new()
        .tol(1e-12)
        .fit(frame.x.as_ref(), &frame.y)
        .unwrap();
    let opts = InferenceOptions::default()
        .names(spec.feature_names().to_vec())
        .intercept_name("Intercept");
    let s = fit.summary(frame.x.as_ref(), &frame.y, &opts).unwrap();
    assert_eq!(
        s.names,
        [
            "Intercept",
            "species[T.Chinstrap]",
            "species[T.Gentoo]",
            "C(year)[T.2008]",
            "C(year)[T.2009]",
            "bill_depth_mm",
            "body_mass_g"
        ]
    );
    check(
        "coef",
        &s.estimate,
        &[
            -54.969388485338605,
            -0.2671056605457338,
            -2.9273497557195083,
            0.018319527550020785,
            0.31323083340703917,
            1.7105395025496553,
            0.006376247886807865,
        ],
        1e-7,
    );
    check(
        "se",
        &s.std_err,
        &[
            6.682520126357206,
            0.5081969606505335,
            1.645445144773286,
            0.5032669045564377,
            0.49505452716227416,
            0.29515971585980894,
            0.0009333263614236812,
        ],
        1e-6,
    );
    let new = spec.features(&new_rows(), Unseen::Error).unwrap();
    check(
        "predict",
        &fit.predict_proba(new.x.as_ref()).unwrap(),
        &[
            0.014102073005176505,
            0.9664824342143783,
            0.7066500065247288,
            0.6705158265552656,
        ],
        1e-8,
    );
}
