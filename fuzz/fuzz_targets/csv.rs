//! The CSV loader on arbitrary bytes: it returns a data set or a typed error, never panics,
//! and a data set it returns is consistent and finite (the default policy rejects NaN and
//! infinities), with unique column names.

#![no_main]

use datasets::{CsvOptions, Dataset, NonFinite, read_csv_features_from, read_csv_from};
use libfuzzer_sys::fuzz_target;

fn check(d: &Dataset, with_target: bool) {
    assert!(d.n_samples() >= 1, "a loaded data set has rows");
    assert_eq!(d.feature_names.len(), d.x.ncols());
    // columns are found by name: a returned header never repeats one
    let mut names: Vec<&String> = d.feature_names.iter().collect();
    if with_target {
        names.push(&d.target_name);
    }
    names.sort();
    assert!(names.windows(2).all(|w| w[0] != w[1]), "repeated column name");
    if with_target {
        assert_eq!(d.y.len(), d.x.nrows());
        assert!(d.y.iter().all(|v| v.is_finite()));
    } else {
        assert!(d.y.is_empty());
    }
    for j in 0..d.x.ncols() {
        assert!(d.x.col(j).iter().all(|v| v.is_finite()));
    }
}

fuzz_target!(|data: &[u8]| {
    // The first byte picks the delimiter and the non-finite policy, so that both paths and
    // the semicolon dialect are explored from the same corpus.
    let (flags, text) = data.split_first().map_or((0, data), |(f, t)| (*f, t));
    let delimiter = if flags & 1 == 0 { b',' } else { b';' };
    let policy = if flags & 2 == 0 {
        NonFinite::Reject
    } else {
        NonFinite::DropRows
    };
    let options = CsvOptions::new("y").delimiter(delimiter).non_finite(policy);
    if let Ok(d) = read_csv_from(text, "fuzz.csv", &options) {
        check(&d, true);
    }
    if let Ok(d) = read_csv_features_from(text, "fuzz.csv", delimiter, policy) {
        check(&d, false);
    }
});
