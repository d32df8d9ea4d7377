//! Model files on arbitrary text (and, through the seed corpus, on mutations of valid model
//! files): loading gives a consistent model or a typed error, never a panic. A model that
//! loads writes itself back identically and predicts without panicking and without NaN.

#![no_main]

use libfuzzer_sys::fuzz_target;
use linalg_core::Mat;
use models::persist::{ModelFile, SavedModel};

/// Prediction inputs: zeros and ones (finite features; the coefficients come from the file).
fn inputs(p: usize) -> [Mat<f64>; 2] {
    [Mat::zeros(2, p), Mat::from_fn(2, p, |i, _| i as f64)]
}

fn predict(model: &SavedModel) {
    let p = model.n_features();
    if p > 10_000 {
        return;
    }
    for x in inputs(p) {
        let x = x.as_ref();
        // A typed error (overflow) is acceptable; a panic or NaN claimed as success is not.
        let out: Option<Vec<f64>> = match model {
            SavedModel::Logistic(m) => m.predict_proba(x).ok(),
            SavedModel::Multinomial(m) => m.predict_proba(x).ok().map(|z| {
                (0..z.ncols())
                    .flat_map(|c| z.col(c).iter().copied().collect::<Vec<_>>())
                    .collect()
            }),
            SavedModel::Linear(m) => m.predict(x).ok(),
            SavedModel::Mlp(m) => m.predict_proba(x).ok().map(|z| {
                (0..z.ncols())
                    .flat_map(|c| z.col(c).iter().copied().collect::<Vec<_>>())
                    .collect()
            }),
            _ => None,
        };
        if let Some(values) = out {
            assert!(
                values.iter().all(|v| !v.is_nan()),
                "NaN prediction from {model:?}"
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(file) = ModelFile::from_json(text) else {
        return;
    };
    let json = file.to_json().expect("a loaded model can be written");
    let back = ModelFile::from_json(&json).expect("a written model can be read");
    assert_eq!(back, file, "save/load round trip");
    predict(&file.model);
});
