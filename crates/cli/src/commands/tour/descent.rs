//! Step 3: gradient descent on a function of one variable and on the logistic loss, with
//! several learning rates.

use anyhow::Result;
use linmod::datasets::{StandardScaler, TrainTestSplit};
use linmod::models::logistic::{LogisticRegression, LogisticSolver};
use linmod::optim::GradientDescent;
use linmod::optim::testfns::CourseQuartic;

use super::Figures;
use super::basics::indent;
use crate::output::{num, table};
use crate::plot::{Chart, Series};

pub fn learning_rates(figs: &mut Figures) -> Result<()> {
    outln!(
        "   f(x) = x^4 - 3x^3 + 2 has its minimum at x = 9/4; gradient descent x <- x - eta f'(x) from x = 6:"
    );
    let mut rows = Vec::new();
    let mut chart = Chart::new(
        "gradient descent on f(x) = x^4 - 3x^3 + 2 from x = 6",
        "iteration",
        "f(x) - f(9/4)",
    )
    .log_y();
    for eta in [0.001, 0.01, 0.1] {
        let r = GradientDescent::new(eta)
            .max_iter(20_000)
            .record_history(true)
            .minimize(&mut CourseQuartic, &[6.0])?;
        rows.push(vec![
            format!("{eta}"),
            r.iterations.to_string(),
            num(r.x[0], 6),
            r.termination.label().to_string(),
        ]);
        let pts = r
            .history
            .iter()
            .map(|h| (h.iteration as f64, h.value - CourseQuartic::MINIMUM))
            .collect();
        chart = chart.with(Series::line(format!("eta = {eta}"), pts));
    }
    out!(
        "{}",
        indent(&table(&["eta", "iterations", "x", "termination"], &rows))
    );
    outln!(
        "   eta = 0.1 overshoots: x jumps from 6 to -48, where f is far above its starting value (reported as divergence;\n   \
         the next steps would go to 4.6e4 and overflow)"
    );
    figs.save("gd_one_variable.svg", &chart)?;

    outln!(
        "\n   logistic loss on digits 0 vs 1 (80/20 split, standardized with the training statistics, l2 = 1e-3):"
    );
    let d = linmod::datasets::digits_0_vs_1();
    let (train, _) = TrainTestSplit::new(0.2).seed(0).stratify(true).split(&d)?;
    let x = StandardScaler::fit_transform(train.x.as_ref())?.1;
    let mut rows = Vec::new();
    let mut chart = Chart::new(
        "gradient descent on the logistic loss, digits 0 vs 1",
        "iteration",
        "mean log loss",
    )
    .log_y();
    for eta in [0.001, 0.01, 0.1, 1.0] {
        let fit = LogisticRegression::new()
            .l2(1e-3)
            .solver(LogisticSolver::GradientDescent)
            .learning_rate(eta)
            .max_iter(300)
            .record_history(true)
            .fit(x.as_ref(), &train.y)?;
        let h = &fit.report().history;
        rows.push(vec![
            format!("{eta}"),
            num(h[0].value, 4),
            num(h.get(10).map_or(f64::NAN, |r| r.value), 4),
            num(fit.objective(), 4),
            fit.report().termination.label().to_string(),
        ]);
        let pts = h.iter().map(|r| (r.iteration as f64, r.value)).collect();
        chart = chart.with(Series::line(format!("eta = {eta}"), pts));
    }
    out!(
        "{}",
        indent(&table(
            &["eta", "loss at 0", "at 10", "at 300", "termination"],
            &rows
        ))
    );
    outln!(
        "   too small a rate crawls; on standardized features the loss tolerates rates up to about 1"
    );
    figs.save("gd_learning_rates.svg", &chart)
}
