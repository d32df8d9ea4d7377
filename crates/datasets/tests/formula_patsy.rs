//! Designs built by formulas on the embedded penguins table (text columns, missing values)
//! against patsy's, which statsmodels' formula API uses: the same rows, the same column
//! names in the same order, the same columns (compared through their sums and sums of
//! squares). The reference numbers come from `tests/reference/formula_designs.py`.

use linmod_datasets::{Formula, Missing, penguins};

struct Case {
    formula: &'static str,
    rows: usize,
    intercept: bool,
    names: &'static [&'static str],
    y_sum: f64,
    sums: &'static [f64],
    squares: &'static [f64],
}

/// Output of `python3 crates/datasets/tests/reference/formula_designs.py` (pandas 2.3,
/// patsy 1.0).
const CASES: &[Case] = &[
    Case {
        formula: "body_mass_g ~ bill_length_mm + species + sex",
        rows: 333,
        intercept: true,
        names: &[
            "species[T.Chinstrap]",
            "species[T.Gentoo]",
            "sex[T.male]",
            "bill_length_mm",
        ],
        y_sum: 1400950.0,
        sums: &[68.0, 119.0, 168.0, 14649.600000000002],
        squares: &[68.0, 119.0, 168.0, 654405.7200000001],
    },
    Case {
        formula: "body_mass_g ~ C(island, Treatment(reference='Dream')) * sex",
        rows: 333,
        intercept: true,
        names: &[
            "C(island, Treatment(reference='Dream'))[T.Biscoe]",
            "C(island, Treatment(reference='Dream'))[T.Torgersen]",
            "sex[T.male]",
            "C(island, Treatment(reference='Dream'))[T.Biscoe]:sex[T.male]",
            "C(island, Treatment(reference='Dream'))[T.Torgersen]:sex[T.male]",
        ],
        y_sum: 1400950.0,
        sums: &[163.0, 47.0, 168.0, 83.0, 23.0],
        squares: &[163.0, 47.0, 168.0, 83.0, 23.0],
    },
    Case {
        formula: "body_mass_g ~ flipper_length_mm:species + np.log(bill_depth_mm) + I(bill_length_mm**2) - 1",
        rows: 342,
        intercept: false,
        names: &[
            "flipper_length_mm:species[Adelie]",
            "flipper_length_mm:species[Chinstrap]",
            "flipper_length_mm:species[Gentoo]",
            "np.log(bill_depth_mm)",
            "I(bill_length_mm ** 2)",
        ],
        y_sum: 1437000.0,
        sums: &[
            28683.0,
            13316.0,
            26714.0,
            969.6691360128618,
            669928.6900000001,
        ],
        squares: &[
            5454855.0,
            2610994.0,
            5807064.0,
            2753.99226253327,
            1391579182.7629,
        ],
    },
    Case {
        formula: "body_mass_g ~ 0 + species:sex + island",
        rows: 333,
        intercept: false,
        names: &[
            "island[Biscoe]",
            "island[Dream]",
            "island[Torgersen]",
            "sex[T.male]",
            "species[T.Chinstrap]:sex[female]",
            "species[T.Gentoo]:sex[female]",
            "species[T.Chinstrap]:sex[male]",
            "species[T.Gentoo]:sex[male]",
        ],
        y_sum: 1400950.0,
        sums: &[163.0, 123.0, 47.0, 168.0, 34.0, 58.0, 34.0, 61.0],
        squares: &[163.0, 123.0, 47.0, 168.0, 34.0, 58.0, 34.0, 61.0],
    },
    Case {
        formula: "body_mass_g ~ C(year) + bill_depth_mm*species",
        rows: 342,
        intercept: true,
        names: &[
            "C(year)[T.2008]",
            "C(year)[T.2009]",
            "species[T.Chinstrap]",
            "species[T.Gentoo]",
            "bill_depth_mm",
            "bill_depth_mm:species[T.Chinstrap]",
            "bill_depth_mm:species[T.Gentoo]",
        ],
        y_sum: 1437000.0,
        sums: &[
            114.0,
            119.0,
            68.0,
            123.0,
            5865.7,
            1252.6,
            1842.7999999999997,
        ],
        squares: &[
            114.0,
            119.0,
            68.0,
            123.0,
            101933.45000000001,
            23160.0,
            27726.5,
        ],
    },
    Case {
        formula: "body_mass_g ~ species + C(year, Treatment(2009)):sex",
        rows: 333,
        intercept: true,
        names: &[
            "species[T.Chinstrap]",
            "species[T.Gentoo]",
            "sex[T.male]",
            "C(year, Treatment(2009))[T.2007]:sex[female]",
            "C(year, Treatment(2009))[T.2008]:sex[female]",
            "C(year, Treatment(2009))[T.2007]:sex[male]",
            "C(year, Treatment(2009))[T.2008]:sex[male]",
        ],
        y_sum: 1400950.0,
        sums: &[68.0, 119.0, 168.0, 51.0, 56.0, 52.0, 57.0],
        squares: &[68.0, 119.0, 168.0, 51.0, 56.0, 52.0, 57.0],
    },
    Case {
        formula: "np.log(body_mass_g) ~ I(flipper_length_mm / 10 - 20) + species:island",
        rows: 342,
        intercept: true,
        names: &[
            "island[T.Dream]",
            "island[T.Torgersen]",
            "species[T.Chinstrap]:island[Biscoe]",
            "species[T.Gentoo]:island[Biscoe]",
            "species[T.Chinstrap]:island[Dream]",
            "species[T.Gentoo]:island[Dream]",
            "species[T.Chinstrap]:island[Torgersen]",
            "species[T.Gentoo]:island[Torgersen]",
            "I(flipper_length_mm / 10 - 20)",
        ],
        y_sum: 2847.319913317909,
        sums: &[
            124.0,
            51.0,
            0.0,
            123.0,
            68.0,
            0.0,
            0.0,
            0.0,
            31.30000000000001,
        ],
        squares: &[124.0, 51.0, 0.0, 123.0, 68.0, 0.0, 0.0, 0.0, 677.13],
    },
    Case {
        formula: "body_mass_g ~ sex:bill_length_mm + species:sex:bill_depth_mm",
        rows: 333,
        intercept: true,
        names: &[
            "sex[female]:bill_length_mm",
            "sex[male]:bill_length_mm",
            "species[Adelie]:sex[female]:bill_depth_mm",
            "species[Chinstrap]:sex[female]:bill_depth_mm",
            "species[Gentoo]:sex[female]:bill_depth_mm",
            "species[Adelie]:sex[male]:bill_depth_mm",
            "species[Chinstrap]:sex[male]:bill_depth_mm",
            "species[Gentoo]:sex[male]:bill_depth_mm",
        ],
        y_sum: 1400950.0,
        sums: &[
            6946.0,
            7703.6,
            1286.4,
            598.0000000000001,
            825.8000000000001,
            1392.3,
            654.6,
            958.8,
        ],
        squares: &[
            296348.77999999997,
            358056.94,
            22732.86,
            10537.900000000001,
            11774.32,
            26629.530000000002,
            12622.1,
            15103.4,
        ],
    },
];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * b.abs().max(1.0)
}

#[test]
fn designs_match_patsy() {
    let table = penguins();
    for case in CASES {
        let formula = Formula::parse(case.formula).unwrap();
        let (spec, frame) = formula.build(&table, Missing::Drop).unwrap();
        assert_eq!(spec.feature_names(), case.names, "{}", case.formula);
        assert_eq!(spec.intercept(), case.intercept, "{}", case.formula);
        assert_eq!(frame.x.nrows(), case.rows, "{}", case.formula);
        assert_eq!(frame.dropped, 344 - case.rows, "{}", case.formula);
        let y_sum: f64 = frame.y.iter().sum();
        assert!(close(y_sum, case.y_sum), "{}: {y_sum}", case.formula);
        for (j, name) in case.names.iter().enumerate() {
            let col = frame.x.col_as_slice(j);
            let sum: f64 = col.iter().sum();
            let squares: f64 = col.iter().map(|v| v * v).sum();
            assert!(close(sum, case.sums[j]), "{} `{name}`: {sum}", case.formula);
            assert!(
                close(squares, case.squares[j]),
                "{} `{name}`: {squares}",
                case.formula
            );
        }
    }
}
