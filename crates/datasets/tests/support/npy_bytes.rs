//! Building `.npy` bytes by hand, for tests of malformed and unusual files. Shared by the
//! crate's unit tests (`src/npy/tests.rs`) and its integration tests.

#![allow(dead_code)] // each test target uses a part

/// A version 1.0 `.npy` file with the given header dict (padded as numpy pads it) and data.
pub fn npy_bytes(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut header = dict.to_owned();
    while !(10 + header.len() + 1).is_multiple_of(64) {
        header.push(' ');
    }
    header.push('\n');
    let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
    bytes.extend_from_slice(&u16::try_from(header.len()).unwrap().to_le_bytes());
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(data);
    bytes
}

/// Little-endian `f64` bytes.
pub fn f64_bytes(values: &[f64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}
