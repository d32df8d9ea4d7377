//! Formulas applied to tables with problems: each error names the column, the value and the
//! 1-based line of the file.

use linmod_datasets::{DatasetError, Formula, Missing, TableOptions, Unseen, read_table_from};

const TRAIN: &str = "\
id,name,sex,age,fare,survived
1,\"Braund, Mr. Owen\",male,22,7.25,0
2,\"Cumings, Mrs. John\",female,38,71.28,1
3,\"Heikkinen, Miss. Laina\",female,,7.92,1
4,\"Futrelle, Mrs. Jacques\",female,35,53.1,1
5,\"Allen, Mr. William\",male,35,0,0
";

fn table(text: &str) -> linmod_datasets::Table {
    read_table_from(text.as_bytes(), "train.csv", &TableOptions::new()).unwrap()
}

#[test]
fn a_missing_value_is_an_error_naming_column_and_line_unless_rows_are_dropped() {
    let t = table(TRAIN);
    let f = Formula::parse("survived ~ age + sex").unwrap();
    let err = f.build(&t, Missing::Error).unwrap_err();
    assert!(
        matches!(err, DatasetError::MissingValue { line: Some(4), .. }),
        "{err}"
    );
    assert!(
        err.to_string()
            .starts_with("train.csv, line 4, column `age`: missing value")
    );
    let (_, frame) = f.build(&t, Missing::Drop).unwrap();
    assert_eq!((frame.dropped, frame.rows.clone()), (1, vec![0, 1, 3, 4]));
    // columns the formula does not use are ignored, whatever they hold
    let (_, frame) = Formula::parse("survived ~ sex")
        .unwrap()
        .build(&t, Missing::Error)
        .unwrap();
    assert_eq!(frame.x.nrows(), 5);
}

#[test]
fn a_transform_that_is_not_finite_is_an_error_with_its_line() {
    let t = table(TRAIN);
    let err = Formula::parse("survived ~ np.log(fare)")
        .unwrap()
        .build(&t, Missing::Drop)
        .unwrap_err();
    assert!(
        err.to_string()
            .starts_with("train.csv, line 6, column `np.log(fare)`: -inf: the value is not finite"),
        "{err}"
    );
}

#[test]
fn text_cannot_be_computed_with_nor_be_the_target() {
    let t = table(TRAIN);
    let err = Formula::parse("survived ~ I(sex * 2)")
        .unwrap()
        .spec(&t, Missing::Drop)
        .unwrap_err();
    assert!(err.to_string().contains("column `sex` holds text"), "{err}");
    let err = Formula::parse("sex ~ age")
        .unwrap()
        .spec(&t, Missing::Drop)
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("the target `sex` is a text column"),
        "{err}"
    );
    let err = Formula::parse("survived ~ Age")
        .unwrap()
        .spec(&t, Missing::Drop)
        .unwrap_err();
    assert!(err.to_string().contains("did you mean `age`"), "{err}");
    let err = Formula::parse("survived ~ C(sex, Treatment('Male'))")
        .unwrap()
        .spec(&t, Missing::Drop)
        .unwrap_err();
    assert!(
        err.to_string().contains("its levels: female, male"),
        "{err}"
    );
}

#[test]
fn new_rows_need_no_target_and_unseen_levels_are_errors_or_the_reference() {
    let t = table(TRAIN);
    let spec = Formula::parse("survived ~ C(sex) + age")
        .unwrap()
        .spec(&t, Missing::Drop)
        .unwrap();
    let new = table("age,sex,extra\n30,female,x\n40,unknown,y\n,male,z\n");
    let err = spec.features(&new, Unseen::Error).unwrap_err();
    assert_eq!(
        err.to_string(),
        "train.csv, line 3, column `sex`: level \"unknown\" was not seen when the model was \
         fitted (known levels: female, male)"
    );
    // the policy of the fit (drop) applies to the missing age on line 4
    let frame = spec.features(&new, Unseen::Reference).unwrap();
    assert_eq!(
        (frame.rows.clone(), frame.dropped, frame.unseen),
        (vec![0, 1], 1, 1)
    );
    assert_eq!(frame.x.col_as_slice(0), [0.0, 0.0]);
    let err = spec.fit_frame(&new).unwrap_err();
    assert!(matches!(err, DatasetError::MissingColumn { .. }), "{err}");
    // a numeric column that holds text in the new file
    let new = table("age,sex\n30,female\nthirty,male\n");
    let err = spec.features(&new, Unseen::Error).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("train.csv, line 3, column `age`: \"thirty\": not a number"),
        "{err}"
    );
}

#[test]
fn numeric_categories_match_by_value() {
    let t = table("y,k\n1,3\n2,1\n3,2\n4,3\n");
    let spec = Formula::parse("y ~ C(k, Treatment(3))")
        .unwrap()
        .spec(&t, Missing::Error)
        .unwrap();
    assert_eq!(
        spec.feature_names(),
        ["C(k, Treatment(3))[T.1]", "C(k, Treatment(3))[T.2]"]
    );
    // `1.0` in a float column is level 1
    let new = table("k\n1.0\n2.5\n");
    let frame = spec.features(&new, Unseen::Reference).unwrap();
    assert_eq!(frame.x.col_as_slice(0), [1.0, 0.0]);
    assert_eq!(frame.unseen, 1);
}
