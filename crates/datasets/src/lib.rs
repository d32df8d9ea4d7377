//! Data for linmod: seeded simulators that return their true parameters, real data sets
//! compiled into the crate, train/test and k-fold splits, standardization, and CSV / NumPy
//! `.npy` reading and writing. Nothing is downloaded or read from disk unless asked.
//!
//! | module / item | holds |
//! |---|---|
//! | [`Dataset`] | features (a faer [`Mat`]), target, names, provenance |
//! | [`simulate`] | [`Logistic`](simulate::Logistic) (the course's simulator), [`LinearRegression`](simulate::LinearRegression), [`SparseRegression`](simulate::SparseRegression), [`Multinomial`](simulate::Multinomial), [`Blobs`](simulate::Blobs) |
//! | embedded data | [`digits`], [`digits_0_vs_1`], [`breast_cancer`], [`diabetes`], [`iris`], [`wine`], [`chd_age`] |
//! | splitting | [`train_test_split`], [`TrainTestSplit`] (stratified), [`KFold`] (shuffled, stratified) |
//! | scaling | [`StandardScaler`] |
//! | CSV | [`read_csv`], [`read_csv_with_lines`], [`read_csv_from`], [`read_csv_features`], [`read_csv_features_from`], [`write_csv`], [`write_csv_to`], [`CsvOptions`], [`SourceLines`] |
//! | tables | [`Table`], [`Column`], [`ColumnType`], [`read_table`], [`read_table_from`], [`TableOptions`], `Table::from_record_batches` (feature `arrow`), `read_parquet` (feature `parquet`), [`penguins`] |
//! | formulas | [`Formula`], [`DesignSpec`], [`Frame`], [`Missing`], [`Unseen`] |
//! | names | [`Dataset::select_features`] (columns by name), [`close_matches`] |
//! | `.npy` | [`read_npy_matrix`], [`read_npy_vector`], [`read_npy_matrix_from_bytes`], [`read_npy_vector_from_bytes`], [`read_npy_dataset`], [`write_npy_matrix`], [`write_npy_vector`], [`write_npy_dataset`], [`write_npy_matrix_to`], [`write_npy_vector_to`] |
//!
//! Classification targets hold the labels `0.0, 1.0, ..., K-1`. Every failure that depends
//! on data or parameters is a [`DatasetError`] naming what is wrong and where; nothing
//! panics on user data.
//!
//! # Example
//! The lab of the course: digits 0 vs 1, an 80/20 split, standardized with the training
//! statistics.
//! ```
//! use linmod_datasets::{StandardScaler, TrainTestSplit};
//! let data = linmod_datasets::digits_0_vs_1();
//! let (mut train, mut test) = TrainTestSplit::new(0.2).seed(42).stratify(true).split(&data)?;
//! assert_eq!((train.n_samples(), test.n_samples()), (288, 72));
//! let scaler = StandardScaler::fit(train.x.as_ref())?;
//! scaler.transform_in_place(train.x.as_mut())?;
//! scaler.transform_in_place(test.x.as_mut())?;
//! assert!(train.x.col(20).iter().sum::<f64>().abs() < 1e-9);
//! # Ok::<(), linmod_datasets::DatasetError>(())
//! ```
//!
//! And a simulation whose truth is known:
//! ```
//! use linmod_datasets::simulate::{SparseRegression, Simulator};
//! let sim = SparseRegression::new(100, 20, 3).noise(0.5).simulate(7)?;
//! assert_eq!(sim.truth.support().len(), 3);
//! # Ok::<(), linmod_datasets::DatasetError>(())
//! ```

mod csv_io;
mod csv_parse;
mod dataset;
mod design_columns;
mod embedded;
mod embedded_tables;
mod error;
mod formula;
mod formula_parse;
mod names;
mod npy;
mod scale;
pub mod simulate;
mod split;
mod svmlight;
mod table;
#[cfg(feature = "arrow")]
mod table_arrow;
mod table_csv;
#[cfg(test)]
mod test_util;

pub use csv_io::{
    CsvOptions, read_csv, read_csv_features, read_csv_features_from, read_csv_from,
    read_csv_with_lines, write_csv, write_csv_to,
};
pub use csv_parse::{MAX_LINE_BYTES, SourceLines};
pub use dataset::{Dataset, MAX_CLASSES, NonFinite, class_counts};
pub use embedded::{breast_cancer, chd_age, diabetes, digits, digits_0_vs_1, iris, wine};
pub use embedded_tables::penguins;
pub use error::{DatasetError, Result};
pub use formula::{DesignSpec, Formula, Frame, Missing, Unseen};
pub use names::close_matches;
pub use npy::{
    NpyOrder, read_npy_dataset, read_npy_matrix, read_npy_matrix_from_bytes, read_npy_vector,
    read_npy_vector_from_bytes, write_npy_dataset, write_npy_matrix, write_npy_matrix_to,
    write_npy_vector, write_npy_vector_to,
};
pub use scale::StandardScaler;
pub use split::{KFold, SplitIndices, TrainTestSplit, train_test_split};
pub use svmlight::{
    MAX_SVMLIGHT_LINE_BYTES, SparseDataset, SvmlightOptions, read_svmlight, read_svmlight_from,
    write_svmlight, write_svmlight_to,
};
pub use table::{Column, ColumnType, MISSING_CODE, Table};
#[cfg(feature = "parquet")]
pub use table_arrow::read_parquet;
pub use table_csv::{DEFAULT_MISSING, TableOptions, read_table, read_table_from};

/// The matrix types a [`Dataset`] holds and the scaler takes (faer's, from
/// `linmod-linalg-core`), and `mat!` to write one: building a data set from your own matrix
/// needs no dependency besides this crate.
pub use linalg_core::{CscMatrix, CsrMatrix, Mat, MatMut, MatRef, mat};
/// The random-number generator traits [`Simulator::simulate_with_rng`](simulate::Simulator::simulate_with_rng)
/// takes (rand 0.10's) and the generator [`Simulator::simulate`](simulate::Simulator::simulate)
/// seeds.
pub use rand::{Rng, SeedableRng};
pub use rand_chacha::ChaCha8Rng;

// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
