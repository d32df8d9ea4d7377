//! The `.npy` loader on arbitrary bytes: a matrix or vector of the announced shape with
//! finite values, or a typed error; never a panic, and never an allocation the bytes do not
//! pay for (the announced size is checked against the data first).

#![no_main]

use datasets::{read_npy_matrix_from_bytes, read_npy_vector_from_bytes};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(x) = read_npy_matrix_from_bytes(data, "fuzz.npy") {
        assert!(x.nrows() >= 1 && x.ncols() >= 1);
        assert!(x.nrows() * x.ncols() <= data.len());
        for j in 0..x.ncols() {
            assert!(x.col(j).iter().all(|v| v.is_finite()));
        }
    }
    if let Ok(y) = read_npy_vector_from_bytes(data, "fuzz.npy") {
        assert!(!y.is_empty() && y.len() <= data.len());
        assert!(y.iter().all(|v| v.is_finite()));
    }
});
