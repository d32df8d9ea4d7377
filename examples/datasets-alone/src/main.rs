//! A `Dataset` built from your own matrix with `linmod-datasets` as the only dependency: the
//! matrix type, the generator and its traits are the crate's re-exports.
//!
//! Run with `cargo run -p datasets-alone`.

use linmod_datasets::simulate::{Logistic, Simulator};
use linmod_datasets::{
    ChaCha8Rng, Dataset, DatasetError, KFold, Mat, SeedableRng, StandardScaler, TrainTestSplit,
};

/// Hours studied and hours slept by 40 students, and whether they passed: a made-up table.
fn my_matrix() -> (Mat<f64>, Vec<f64>) {
    let n = 40;
    let x = Mat::from_fn(n, 2, |i, j| {
        let studied = 1.0 + (i % 10) as f64;
        let slept = 5.0 + ((i * 7) % 5) as f64;
        if j == 0 { studied } else { slept }
    });
    let passed = (0..n)
        .map(|i| f64::from(u8::from(x[(i, 0)] + 0.5 * x[(i, 1)] > 8.0)))
        .collect();
    (x, passed)
}

fn main() -> Result<(), DatasetError> {
    let (x, y) = my_matrix();
    let data = Dataset::new(
        x,
        y,
        vec!["hours studied".into(), "hours slept".into()],
        "a made-up exam table".into(),
    )?
    .with_target_name("passed")
    .with_target_names(vec!["failed".into(), "passed".into()]);
    let counts = data.class_counts()?;
    println!(
        "{} students, {} features, {} failed / {} passed",
        data.n_samples(),
        data.n_features(),
        counts[0],
        counts[1]
    );

    // a stratified 75/25 split, standardized with the training statistics
    let (mut train, mut test) = TrainTestSplit::new(0.25)
        .seed(7)
        .stratify(true)
        .split(&data)?;
    let scaler = StandardScaler::fit(train.x.as_ref())?;
    scaler.transform_in_place(train.x.as_mut())?;
    scaler.transform_in_place(test.x.as_mut())?;
    println!(
        "train {} rows, test {} rows; training means {:.3?}, scales {:.3?}",
        train.n_samples(),
        test.n_samples(),
        scaler.mean(),
        scaler.scale()
    );
    assert_eq!(train.n_samples() + test.n_samples(), data.n_samples());
    let mean0: f64 = train.x.col(0).iter().sum::<f64>() / train.n_samples() as f64;
    assert!(mean0.abs() < 1e-12, "standardized columns have mean 0");

    // five stratified folds: every row is held out exactly once
    let folds = KFold::new(5).shuffle(3).stratify(true).split(&data)?;
    let held_out: usize = folds.iter().map(|(_, valid)| valid.n_samples()).sum();
    println!("5 folds hold out {held_out} rows in all");
    assert_eq!(held_out, data.n_samples());

    // the course's simulator, driven by a generator seeded here
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let sim = Logistic::new(1000, vec![1.0, 1.0, -1.0]).simulate_with_rng(&mut rng)?;
    let share = sim.data.y.iter().sum::<f64>() / 1000.0;
    println!(
        "simulated 1000 rows with beta = {:?}: {share:.3} positive",
        sim.truth.beta()
    );
    assert!((0.55..0.80).contains(&share));
    Ok(())
}
