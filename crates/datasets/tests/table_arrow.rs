//! Tables from Arrow record batches and Parquet files (features `arrow` and `parquet`).
#![cfg(feature = "parquet")]

use std::sync::Arc;

use arrow_array::types::Int32Type;
use arrow_array::{
    ArrayRef, BooleanArray, DictionaryArray, Float64Array, Int64Array, RecordBatch, StringArray,
};
use linmod_datasets::{
    Column, ColumnType, DatasetError, Formula, Missing, Table, TableOptions, read_parquet,
    read_table_from,
};

fn batch() -> RecordBatch {
    let species: DictionaryArray<Int32Type> =
        vec![Some("Adelie"), Some("Gentoo"), None, Some("Adelie")]
            .into_iter()
            .collect();
    RecordBatch::try_from_iter([
        (
            "mass",
            Arc::new(Float64Array::from(vec![
                Some(3750.0),
                Some(5000.0),
                Some(3200.0),
                None,
            ])) as ArrayRef,
        ),
        (
            "year",
            Arc::new(Int64Array::from(vec![2007, 2008, 2009, 2007])) as ArrayRef,
        ),
        (
            "sex",
            Arc::new(StringArray::from(vec![
                Some("male"),
                None,
                Some("female"),
                Some("female"),
            ])) as ArrayRef,
        ),
        ("species", Arc::new(species) as ArrayRef),
        (
            "tagged",
            Arc::new(BooleanArray::from(vec![true, false, true, true])) as ArrayRef,
        ),
    ])
    .unwrap()
}

/// The same table as CSV, read by the CSV reader.
const CSV: &str = "mass,year,sex,species,tagged\n3750,2007,male,Adelie,1\n5000,2008,,Gentoo,0\n3200,2009,female,,1\n,2007,female,Adelie,1\n";

fn describe(t: &Table) -> Vec<(ColumnType, usize, Vec<Option<String>>)> {
    t.columns()
        .iter()
        .map(|c: &Column| {
            (
                c.column_type(),
                c.missing_count(),
                (0..c.len()).map(|i| c.display(i)).collect(),
            )
        })
        .collect()
}

#[test]
fn record_batches_become_the_table_the_csv_reader_makes() {
    let b = batch();
    let t = Table::from_record_batches(&b.schema(), &[b.clone(), b.clone()]).unwrap();
    assert_eq!(t.n_rows(), 8);
    let from_csv = read_table_from(CSV.as_bytes(), "t.csv", &TableOptions::new()).unwrap();
    let one = Table::from_record_batches(&b.schema(), &[b]).unwrap();
    let mut want = describe(&from_csv);
    // the CSV's `tagged` and `mass` are numbers written as integers
    want[0].2 = vec![
        Some("3750.0".into()),
        Some("5000.0".into()),
        Some("3200.0".into()),
        None,
    ];
    assert_eq!(describe(&one), want);
    let (spec, frame) = Formula::parse("mass ~ C(year) + sex + species")
        .unwrap()
        .build(&one, Missing::Drop)
        .unwrap();
    assert_eq!(
        spec.feature_names(),
        [
            "C(year)[T.2008]",
            "C(year)[T.2009]",
            "sex[T.male]",
            "species[T.Gentoo]"
        ]
    );
    assert_eq!((frame.x.nrows(), frame.dropped), (1, 3));
}

#[test]
fn parquet_files_read_back_with_their_columns_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("t.parquet");
    let b = batch();
    let mut w = parquet::arrow::ArrowWriter::try_new(
        std::fs::File::create(&path).unwrap(),
        b.schema(),
        None,
    )
    .unwrap();
    w.write(&b).unwrap();
    w.close().unwrap();
    let t = read_parquet(&path, &TableOptions::new()).unwrap();
    let direct = Table::from_record_batches(&b.schema(), &[b]).unwrap();
    assert_eq!(describe(&t), describe(&direct));
    let t = read_parquet(&path, &TableOptions::new().only(["species", "mass"])).unwrap();
    assert_eq!(t.names(), ["mass", "species"]);
    let err = read_parquet(&path, &TableOptions::new().only(["Mass"])).unwrap_err();
    assert!(err.to_string().contains("did you mean `mass`"), "{err}");
    std::fs::write(&path, "a,b\n1,2\n").unwrap();
    let err = read_parquet(&path, &TableOptions::new()).unwrap_err();
    assert!(matches!(err, DatasetError::Columnar { .. }), "{err}");
}

#[test]
fn columns_of_other_types_are_refused_by_name() {
    let dates = arrow_array::Date32Array::from(vec![1, 2]);
    let b = RecordBatch::try_from_iter([("day", Arc::new(dates) as ArrayRef)]).unwrap();
    let err = Table::from_record_batches(&b.schema(), &[b]).unwrap_err();
    assert!(
        err.to_string()
            .starts_with("<arrow>: column `day` has type Date32"),
        "{err}"
    );
}
