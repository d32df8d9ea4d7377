//! The second half of the digits exercise: a 64 -> 32 (ReLU) -> 10 network trained by
//! minibatch SGD (learning rate 0.01, batches of 32, 100 epochs), compared with softmax
//! regression on the same 80/20 stratified split, standardized with the training statistics.
//!
//! ```text
//! cargo run --release -p linmod-models --example digits_mlp
//! ```

use std::time::Instant;

use datasets::{StandardScaler, TrainTestSplit};
use linmod_models::logistic::LogisticRegression;
use linmod_models::mlp::Mlp;
use optim::{Control, Progress};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let digits = datasets::digits();
    let (train, test) = TrainTestSplit::new(0.2)
        .seed(0)
        .stratify(true)
        .split(&digits)?;
    let (scaler, x_train) = StandardScaler::fit_transform(train.x.as_ref())?;
    let x_test = scaler.transform(test.x.as_ref())?;
    println!(
        "digits: {} training and {} test rows, {} features, 10 classes",
        train.n_samples(),
        test.n_samples(),
        train.n_features()
    );

    let mut every_10 = |p: &Progress<'_>| {
        if p.iteration.is_multiple_of(10) {
            println!("epoch {:3}  loss {:.4}", p.iteration, p.value);
        }
        Control::Continue
    };
    let start = Instant::now();
    let net = Mlp::new().fit_observed(x_train.as_ref(), &train.y, &mut every_10)?;
    let seconds = start.elapsed().as_secs_f64();
    println!("{}", net.report().summary());
    println!(
        "network  64 -> 32 -> 10: train accuracy {:.4}, test accuracy {:.4}, trained in {seconds:.3} s",
        net.score(x_train.as_ref(), &train.y)?,
        net.score(x_test.as_ref(), &test.y)?,
    );

    let start = Instant::now();
    let softmax = LogisticRegression::new()
        .l2(1e-4)
        .multinomial()
        .fit(x_train.as_ref(), &train.y)?;
    println!(
        "softmax regression (l2 = 1e-4): train accuracy {:.4}, test accuracy {:.4}, fitted in {:.3} s",
        softmax.score(x_train.as_ref(), &train.y)?,
        softmax.score(x_test.as_ref(), &test.y)?,
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
