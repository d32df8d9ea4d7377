//! The table reader, the formula parser and the design they build, on arbitrary bytes: each
//! returns a value or a typed error, never panics; a design it builds is consistent (one
//! column per name, finite cells, rows within the table) and applying the learned design to
//! the same table gives the same features on the rows it kept.

#![no_main]

use datasets::{DatasetError, Formula, Missing, TableOptions, Unseen, read_table_from};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The first line is the formula, the rest a CSV table; the first byte picks the missing
    // value policy.
    let (flags, rest) = data.split_first().map_or((0, data), |(f, t)| (*f, t));
    let missing = if flags & 1 == 0 {
        Missing::Error
    } else {
        Missing::Drop
    };
    let split = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
    let Ok(text) = std::str::from_utf8(&rest[..split]) else {
        return;
    };
    let Ok(formula) = Formula::parse(text) else {
        return;
    };
    let csv = rest.get(split + 1..).unwrap_or(&[]);
    let Ok(table) = read_table_from(csv, "fuzz.csv", &TableOptions::new()) else {
        return;
    };
    let Ok((spec, frame)) = formula.build(&table, missing) else {
        return;
    };
    assert_eq!(frame.x.ncols(), spec.feature_names().len());
    assert_eq!(frame.x.nrows(), frame.rows.len());
    assert!(frame.y.is_empty() || frame.y.len() == frame.rows.len());
    assert_eq!(frame.rows.len() + frame.dropped, table.n_rows());
    assert!(frame.rows.iter().all(|&r| r < table.n_rows()));
    for j in 0..frame.x.ncols() {
        assert!(frame.x.col(j).iter().all(|v| v.is_finite()));
    }
    // the learned design reproduces its own features (a JSON round trip included)
    let json = serde_json::to_string(&spec).expect("a design serializes");
    let back: datasets::DesignSpec = serde_json::from_str(&json).expect("and reads back");
    // (prediction needs no target, so it keeps rows the fit dropped for a missing target; a
    // value in such a row may be one the design cannot use, which is an error naming it)
    let again = match back.features(&table, Unseen::Error) {
        Ok(again) => again,
        Err(DatasetError::BadValue { row, .. } | DatasetError::MissingValue { row, .. })
            if !frame.rows.contains(&row) =>
        {
            return;
        }
        Err(e) => panic!("the design fails on the table it was learned from: {e:?}"),
    };
    let mut k = 0;
    for (i, &row) in frame.rows.iter().enumerate() {
        while again.rows[k] != row {
            k += 1;
        }
        for j in 0..frame.x.ncols() {
            assert_eq!(again.x[(k, j)].to_bits(), frame.x[(i, j)].to_bits());
        }
    }
});
