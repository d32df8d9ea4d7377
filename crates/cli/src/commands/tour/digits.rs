//! Step 4: digits 0 vs 1, then ten classes with softmax and one-vs-rest.

use std::time::Instant;

use anyhow::Result;
use linmod::datasets::{StandardScaler, TrainTestSplit};
use linmod::models::Penalty;
use linmod::models::logistic::{LogisticRegression, Multiclass};
use linmod::models::mlp::Mlp;

use super::Figures;
use super::basics::indent;
use crate::output::table;
use crate::plot::{Chart, Series};

pub fn digits(figs: &mut Figures) -> Result<()> {
    let d = linmod::datasets::digits_0_vs_1();
    let (train, test) = TrainTestSplit::new(0.2).seed(0).stratify(true).split(&d)?;
    let scaler = StandardScaler::fit(train.x.as_ref())?;
    let (xtr, xte) = (
        scaler.transform(train.x.as_ref())?,
        scaler.transform(test.x.as_ref())?,
    );
    let fit = LogisticRegression::new()
        .l2(1e-3)
        .fit(xtr.as_ref(), &train.y)?;
    outln!(
        "   0 vs 1 ({} training, {} test images, 8x8 pixels): train accuracy {:.4}, test accuracy {:.4}",
        train.n_samples(),
        test.n_samples(),
        fit.score(xtr.as_ref(), &train.y)?,
        fit.score(xte.as_ref(), &test.y)?
    );

    let d = linmod::datasets::digits();
    let (train, test) = TrainTestSplit::new(0.2).seed(0).stratify(true).split(&d)?;
    let scaler = StandardScaler::fit(train.x.as_ref())?;
    let (xtr, xte) = (
        scaler.transform(train.x.as_ref())?,
        scaler.transform(test.x.as_ref())?,
    );
    // scikit-learn's default C = 1
    let pen = Penalty::sklearn_logistic_l2(1.0, train.n_samples())?;
    let mut rows = Vec::new();
    for (name, strategy) in [
        ("softmax (multinomial)", Multiclass::Softmax),
        ("one-vs-rest", Multiclass::OneVsRest),
    ] {
        let start = Instant::now();
        let fit = LogisticRegression::new()
            .penalty(pen)
            .tol(1e-6)
            .multinomial()
            .strategy(strategy)
            .fit(xtr.as_ref(), &train.y)?;
        let secs = start.elapsed().as_secs_f64();
        rows.push(vec![
            name.to_string(),
            fit.solver().to_string(),
            format!("{:.4}", fit.score(xtr.as_ref(), &train.y)?),
            format!("{:.4}", fit.score(xte.as_ref(), &test.y)?),
            format!("{:.4}", fit.log_loss(xte.as_ref(), &test.y)?),
            format!("{secs:.2} s"),
        ]);
    }
    // the second half of the lab: a network 64 -> 32 (ReLU) -> 10 trained by minibatch SGD
    let start = Instant::now();
    let net = Mlp::new()
        .hidden(32)
        .learning_rate(0.01)
        .batch_size(32)
        .epochs(100)
        .seed(0)
        .fit(xtr.as_ref(), &train.y)?;
    let secs = start.elapsed().as_secs_f64();
    rows.push(vec![
        "network 64-32-10 (ReLU)".to_string(),
        "sgd".to_string(),
        format!("{:.4}", net.score(xtr.as_ref(), &train.y)?),
        format!("{:.4}", net.score(xte.as_ref(), &test.y)?),
        format!("{:.4}", net.log_loss(xte.as_ref(), &test.y)?),
        format!("{secs:.2} s"),
    ]);
    outln!(
        "   ten classes ({} training, {} test images); logistic models with scikit-learn's default C = 1, whose",
        train.n_samples(),
        test.n_samples()
    );
    outln!(
        "   penalty |w|^2 / (2C) is added to the summed loss: on our mean loss that is l2 = 1/(2 n C) = {:.2e}",
        pen.l2
    );
    out!(
        "{}",
        indent(&table(
            &[
                "model",
                "solver",
                "train accuracy",
                "test accuracy",
                "test log loss",
                "time"
            ],
            &rows
        ))
    );
    let losses = net.loss_history();
    let every10: Vec<String> = losses
        .iter()
        .step_by(10)
        .map(|v| format!("{v:.3}"))
        .collect();
    outln!(
        "   network: SGD, learning rate 0.01, batches of 32, 100 epochs ({}); training loss every 10 epochs:",
        net.report().termination.label()
    );
    outln!("   {}", every10.join(", "));
    let chart = Chart::new(
        "one-hidden-layer network on digits",
        "epoch",
        "training cross-entropy",
    )
    .log_y()
    .with(Series::line(
        "network 64-32-10",
        losses
            .iter()
            .enumerate()
            .map(|(e, v)| (e as f64, *v))
            .collect(),
    ));
    figs.save("mlp_loss", &chart)
}
