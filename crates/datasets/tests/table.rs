//! The typed table reader: inference, overrides, missing values, lines, errors.

use linmod_datasets::{
    Column, ColumnType, DatasetError, TableOptions, read_table, read_table_from,
};

const TITANIC: &str = "\
PassengerId,Name,Sex,Age,Ticket,Survived
1,\"Braund, Mr. Owen Harris\",male,22,A/5 21171,0
2,\"Cumings, Mrs. John Bradley\",female,38,PC 17599,1

3,\"Heikkinen, Miss. Laina\",female,NA,STON/O2. 3101282,1
4,\"Futrelle, Mrs. Jacques\",female,35,113803,1
5,\"Allen, Mr. William Henry\",male,,0373450,0
";

fn read(text: &str, options: &TableOptions) -> linmod_datasets::Result<linmod_datasets::Table> {
    read_table_from(text.as_bytes(), "t.csv", options)
}

#[test]
fn types_are_inferred_and_missing_cells_recognized() {
    let t = read(TITANIC, &TableOptions::new()).unwrap();
    assert_eq!(t.n_rows(), 5);
    let types: Vec<ColumnType> = t.columns().iter().map(Column::column_type).collect();
    use ColumnType::{Numeric, Text};
    assert_eq!(types, [Numeric, Text, Text, Numeric, Text, Numeric]);
    let age = t.column("Age").unwrap();
    assert_eq!(age.missing_count(), 2);
    assert!(age.is_missing(2) && age.is_missing(4));
    // lines skip the blank line
    assert_eq!(
        (t.line(0), t.line(2), t.line(4)),
        (Some(2), Some(5), Some(7))
    );
    assert_eq!(
        t.column("Name").unwrap().display(0).as_deref(),
        Some("Braund, Mr. Owen Harris")
    );
    let sex = t.column("Sex").unwrap();
    assert_eq!(sex.levels().unwrap(), ["male", "female"]);
}

#[test]
fn a_column_found_to_hold_text_keeps_the_spelling_of_its_numbers() {
    // "113803" and "0373450" come after text cells in one column and before in none: the
    // third pass reads the column as text from the start
    let t = read(TITANIC, &TableOptions::new()).unwrap();
    let ticket = t.column("Ticket").unwrap();
    assert_eq!(ticket.display(4).as_deref(), Some("0373450"));
    let text = "a,b\n1.50,x\n2,y\n";
    let t = read(text, &TableOptions::new()).unwrap();
    assert_eq!(t.column("a").unwrap().display(0).as_deref(), Some("1.5"));
    let t = read("a,b\n1.50,x\nfoo,y\n", &TableOptions::new()).unwrap();
    assert_eq!(t.column("a").unwrap().display(0).as_deref(), Some("1.50"));
}

#[test]
fn integer_columns_print_levels_as_pandas_does() {
    let t = read("a,b,c,d\n1,1.0,1,1e0\n3,2,,2\n", &TableOptions::new()).unwrap();
    let shown: Vec<Option<String>> = t.columns().iter().map(|c| c.display(0)).collect();
    assert_eq!(
        shown,
        [
            Some("1".into()),
            Some("1.0".into()),
            Some("1.0".into()),
            Some("1.0".into())
        ]
    );
}

#[test]
fn the_types_can_be_imposed() {
    let t = read(
        TITANIC,
        &TableOptions::new().column_type("PassengerId", ColumnType::Text),
    )
    .unwrap();
    assert_eq!(
        t.column("PassengerId").unwrap().column_type(),
        ColumnType::Text
    );
    let err = read(
        TITANIC,
        &TableOptions::new().column_type("Ticket", ColumnType::Numeric),
    )
    .unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.csv, line 2, column 5 (`Ticket`): \"A/5 21171\" is not a number"
    );
}

#[test]
fn missing_tokens_are_configurable() {
    let opts = TableOptions::new().missing_values(["?"]);
    let t = read("a,b\n1,?\n2,NA\n", &opts).unwrap();
    // `NA` is now text, so column b is a text column with one missing cell
    let b = t.column("b").unwrap();
    assert_eq!(b.column_type(), ColumnType::Text);
    assert_eq!(b.missing_count(), 1);
    assert_eq!(b.display(1).as_deref(), Some("NA"));
    // an empty cell is no longer missing: in a numeric column it is not a number
    let t = read("a,b\n1,\n2,3\n", &opts).unwrap();
    assert_eq!(t.column("b").unwrap().column_type(), ColumnType::Text);
}

#[test]
fn only_the_columns_asked_for_are_parsed() {
    let text = b"id,x,junk\n1,2,abc\n2,3,\xff\n";
    let t = read_table_from(&text[..], "t.csv", &TableOptions::new().only(["x"])).unwrap();
    assert_eq!(t.names(), ["x"]);
    let err = read(TITANIC, &TableOptions::new().only(["age"])).unwrap_err();
    assert!(matches!(err, DatasetError::MissingColumn { .. }));
    assert!(err.to_string().contains("did you mean `Age`"), "{err}");
}

#[test]
fn bad_rows_are_errors_with_their_line() {
    let err = read("a,b\n1,2\n3\n", &TableOptions::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.csv, line 3: expected 2 fields (as in the header), found 1"
    );
    let err =
        read_table_from(&b"a,b\n1,x\n2,\xff\n"[..], "t.csv", &TableOptions::new()).unwrap_err();
    assert!(
        matches!(
            err,
            DatasetError::NotUtf8 {
                line: 3,
                column: 2,
                ..
            }
        ),
        "{err}"
    );
    let err = read("a,a\n1,2\n", &TableOptions::new()).unwrap_err();
    assert!(matches!(err, DatasetError::DuplicateColumn { .. }));
    let err = read("a,b\n", &TableOptions::new()).unwrap_err();
    assert!(matches!(err, DatasetError::EmptyInput { .. }));
}

#[test]
fn files_and_pipes_read_alike() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.csv");
    std::fs::write(&path, TITANIC).unwrap();
    let from_file = read_table(&path, &TableOptions::new()).unwrap();
    let from_reader = read_table_from(TITANIC.as_bytes(), &path, &TableOptions::new()).unwrap();
    // (compared as text: the missing ages are NaN, which is unequal to itself)
    assert_eq!(format!("{from_file:?}"), format!("{from_reader:?}"));
}
