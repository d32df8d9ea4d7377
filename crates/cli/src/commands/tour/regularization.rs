//! Step 5: accuracy, log loss and sparsity against the course's C on breast cancer.

use anyhow::Result;
use linmod::datasets::{StandardScaler, TrainTestSplit};
use linmod::models::Penalty;
use linmod::models::logistic::LogisticRegression;

use super::Figures;
use super::basics::indent;
use crate::output::table;
use crate::plot::{Chart, Series};

pub fn sweep(figs: &mut Figures) -> Result<()> {
    let d = linmod::datasets::breast_cancer();
    let (train, test) = TrainTestSplit::new(0.3).seed(1).stratify(true).split(&d)?;
    let scaler = StandardScaler::fit(train.x.as_ref())?;
    let (xtr, xte) = (
        scaler.transform(train.x.as_ref())?,
        scaler.transform(test.x.as_ref())?,
    );
    outln!(
        "   {} training / {} test rows, 30 standardized features; the course's L2 penalty: loss + (1/C) sum w^2,",
        train.n_samples(),
        test.n_samples()
    );
    outln!(
        "   that is l2 = 1/C on the mean loss. This C is not scikit-learn's C of step 4 (l2 = 1/(2 n C)): the course's"
    );
    outln!(
        "   C equals 2n = {} times scikit-learn's C here",
        2 * train.n_samples()
    );
    let cs = [1e-3, 1e-2, 1e-1, 1.0, 10.0, 100.0, 1e3, 1e4];
    let mut rows = Vec::new();
    let (mut acc_tr, mut acc_te, mut ll_tr, mut ll_te) = (vec![], vec![], vec![], vec![]);
    for &c in &cs {
        let fit = LogisticRegression::new()
            .penalty(Penalty::inverse_c_l2(c)?)
            .fit(xtr.as_ref(), &train.y)?;
        let v = [
            fit.score(xtr.as_ref(), &train.y)?,
            fit.score(xte.as_ref(), &test.y)?,
            fit.log_loss(xtr.as_ref(), &train.y)?,
            fit.log_loss(xte.as_ref(), &test.y)?,
        ];
        acc_tr.push((c, v[0]));
        acc_te.push((c, v[1]));
        ll_tr.push((c, v[2]));
        ll_te.push((c, v[3]));
        rows.push(
            std::iter::once(format!("{c:e}"))
                .chain(v.iter().map(|x| format!("{x:.4}")))
                .collect(),
        );
    }
    out!(
        "{}",
        indent(&table(
            &[
                "C",
                "train accuracy",
                "test accuracy",
                "train log loss",
                "test log loss"
            ],
            &rows
        ))
    );
    let chart = Chart::new(
        "L2 regularization on breast cancer",
        "C (penalty 1/C, log scale)",
        "accuracy / mean log loss",
    )
    .log_x()
    .with(Series::line("train accuracy", acc_tr).with_markers())
    .with(Series::line("test accuracy", acc_te).with_markers())
    .with(Series::line("train log loss", ll_tr).with_markers())
    .with(Series::line("test log loss", ll_te).with_markers());
    figs.save("regularization", &chart)?;

    outln!("\n   the course's L1 penalty, loss + (1/C) sum |w|: exact zeros select features");
    let mut rows = Vec::new();
    let mut nonzero = Vec::new();
    for &c in &[1.0, 10.0, 100.0, 1e3, 1e4] {
        let fit = LogisticRegression::new()
            .penalty(Penalty::inverse_c_l1(c)?)
            .fit(xtr.as_ref(), &train.y)?;
        let nz = fit.coef().iter().filter(|w| **w != 0.0).count();
        nonzero.push((c, nz as f64));
        rows.push(vec![
            format!("{c:e}"),
            nz.to_string(),
            format!("{:.4}", fit.score(xte.as_ref(), &test.y)?),
            fit.solver().to_string(),
        ]);
    }
    out!(
        "{}",
        indent(&table(
            &["C", "non-zero of 30", "test accuracy", "solver"],
            &rows
        ))
    );
    let chart = Chart::new(
        "L1 regularization: features kept",
        "C (penalty 1/C, log scale)",
        "non-zero coefficients (of 30)",
    )
    .log_x()
    .integer_y()
    .with(Series::line("non-zero coefficients", nonzero).with_markers());
    figs.save("l1_sparsity", &chart)
}
